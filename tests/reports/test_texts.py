"""The report's text fields: the team lead writes, staff read, analysts never see them; each save
is a version with who and when; length and text rule checked; a snapshot keeps the texts of its freezing."""

import pytest
import sqlalchemy as sa

from casework.errors import PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.reports import periods
from casework.reports.models import ReportText
from casework.reports.service import team_scope
from casework.reports.snapshots import freeze
from casework.reports.texts import TEXT_MAX_LENGTH, current_texts, save_texts, texts_at, texts_changed_since

FIELD = "participants.results.analysis"
PERIOD = "2021H1"


def test_each_save_is_a_version_with_writer_and_the_newest_is_the_text(team, make_user):
    lead = make_user("team_lead", [team])
    scope, period = team_scope(team), periods.named(PERIOD)
    assert save_texts(lead, scope, period, {FIELD: "Första utkastet.\n\nAndra stycket."}) == [FIELD]
    assert save_texts(lead, scope, period, {FIELD: "Första utkastet.\n\nAndra stycket."}) == []
    save_texts(lead, scope, period, {FIELD: "Slutlig text."})
    versions = db.session.scalars(sa.select(ReportText).where(ReportText.field == FIELD)).all()
    assert len(versions) == 2 and {v.written_by for v in versions} == {lead.id}
    assert current_texts(scope, period) == {FIELD: "Slutlig text."}
    assert current_texts(scope, periods.named("2021H2")) == {}


def test_too_long_or_unreadable_text_is_refused_and_nothing_written(team, make_user):
    lead = make_user("team_lead", [team])
    scope, period = team_scope(team), periods.named(PERIOD)
    for bad in ("x" * (TEXT_MAX_LENGTH + 1), "bidi \u202e text"):
        with pytest.raises(ValidationFailed) as refused:
            save_texts(lead, scope, period, {FIELD: bad, "participants.results.reflection": "Bra."})
        assert FIELD in refused.value.errors
    assert current_texts(scope, period) == {}


def test_only_the_team_lead_writes(team, make_user, make_team):
    scope, period = team_scope(team), periods.named(PERIOD)
    for user in (make_user("coach", [team]), make_user("team_lead", [make_team()]),
                 make_user("analyst", federation=team.federation.name)):
        with pytest.raises(PermissionDenied):
            save_texts(user, scope, period, {FIELD: "Text."})


def test_texts_are_written_after_the_freeze_and_the_snapshot_keeps_those_it_was_frozen_with(team, make_user):
    lead = make_user("team_lead", [team])
    scope, period = team_scope(team), periods.named(PERIOD)
    save_texts(lead, scope, period, {FIELD: "Fastställd text."})
    snapshot = freeze(team, PERIOD, period)
    assert texts_changed_since(scope, period, snapshot.frozen_at) == []
    save_texts(lead, scope, period, {FIELD: "Skriven i efterhand."})
    assert current_texts(scope, period) == {FIELD: "Skriven i efterhand."}
    assert texts_at(scope, period, snapshot.frozen_at) == {FIELD: "Fastställd text."}
    assert texts_changed_since(scope, period, snapshot.frozen_at) == [FIELD]


def test_page_form_for_the_lead_text_for_the_coach_none_for_the_analyst(team, make_user, login, client):
    lead, coach = make_user("team_lead", [team]), make_user("coach", [team])
    analyst = make_user("analyst", federation=team.federation.name)
    query = {"scope": f"team:{team.slug}", "period": PERIOD}
    login(lead)
    page = client.get("/reports/", query_string=query).get_data(as_text=True)
    assert f'<label for="text-{FIELD}">Analys</label>' in page
    saved = client.post("/reports/texts", query_string=query, data={FIELD: "Vi nådde målet."})
    assert saved.status_code == 303
    refused = client.post("/reports/texts", query_string=query, data={FIELD: "x" * (TEXT_MAX_LENGTH + 1)})
    assert refused.status_code == 422
    assert f'aria-describedby="error-{FIELD}"' in refused.get_data(as_text=True)
    assert f"Högst {TEXT_MAX_LENGTH} tecken." in refused.get_data(as_text=True)
    login(coach)
    page = client.get("/reports/", query_string=query).get_data(as_text=True)
    assert "Vi nådde målet." in page and "<textarea" not in page
    assert client.post("/reports/texts", query_string=query, data={FIELD: "Coach."}).status_code == 403
    login(analyst)
    page = client.get("/reports/", query_string=query).get_data(as_text=True)
    assert "Vi nådde målet." not in page and "<textarea" not in page


def test_after_the_freeze_the_lead_still_writes_and_the_page_names_the_changed_texts(team, make_user, login, client):
    lead = make_user("team_lead", [team])
    scope, period = team_scope(team), periods.named(PERIOD)
    save_texts(lead, scope, period, {FIELD: "Fastställd analys."})
    freeze(team, PERIOD, period)
    login(lead)
    query = {"scope": f"team:{team.slug}", "period": PERIOD}
    text = client.get("/reports/", query_string=query).get_data(as_text=True)
    assert "Fastställd analys." in text and "<textarea" in text and "sedan perioden fastställdes (" not in text
    assert client.post("/reports/texts", query_string=query, data={FIELD: "Ny analys."}).status_code == 303
    text = client.get("/reports/", query_string=query).get_data(as_text=True)
    assert "Ny analys." in text and "Texter skrivna eller ändrade sedan perioden fastställdes" in text
