"""The `team` line's settings go through the same rules as the settings page: contradictions are
`line N: settings.<field>: message`, nothing is written; an accepted change is kept in the history."""

import json

import pytest
import sqlalchemy as sa

from casework.exchange.service import ImportRefused, import_lines
from casework.extensions import db
from casework.teams.models import SettingsChange, Team
from casework.teams.service import settings_history


def team_line(**settings) -> str:
    return json.dumps({"record": "team", "slug": "settings-team", "name": "Settings Team",
                       "federation": "Testförbundet", "settings": settings}, ensure_ascii=False)


def test_contradicting_settings_are_line_errors_and_nothing_is_written():
    columns = {"Arbete": ["work", "studies"], "Studier": ["studies"], "Tom": []}
    with pytest.raises(ImportRefused) as caught:
        import_lines([team_line(report_columns=columns, goal_categories=["dropout"], age_brackets=[46, 18])])
    errors = {(line, field) for line, field, _ in caught.value.line_errors}
    assert errors == {(1, "settings.report_columns"), (1, "settings.goal_categories"), (1, "settings.age_brackets")}
    messages = " ".join(message for _, _, message in caught.value.line_errors)
    assert "studies is in more than one column: Arbete, Studier." in messages
    assert "The column 'Tom' holds no category." in messages
    assert "A goal category cannot be excluded from the result: dropout." in messages
    assert db.session.scalar(sa.select(Team).where(Team.slug == "settings-team")) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SettingsChange)) == 0


def test_an_imported_change_is_kept_in_the_history():
    import_lines([team_line(trial_months=2)])
    import_lines([team_line(trial_months=3)])
    team = db.session.scalar(sa.select(Team).where(Team.slug == "settings-team"))
    latest, created = settings_history(team)
    assert (latest.source, latest.changed_by, latest.before["trial_months"], latest.after["trial_months"]) == (
        "import", None, 2, 3)
    assert created.before is None
