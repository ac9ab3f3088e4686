import datetime as dt

import pytest
import sqlalchemy as sa

from casework.audit.access_log import write_pending
from casework.audit.models import AccessLogEntry
from casework.errors import ValidationFailed
from casework.events.service import log_of
from casework.extensions import db
from casework.participants.intake import register_at_intake
from casework.participants.overview import team_overview


def _intake(first_step, **personal):
    return {"gender": "woman", "birth_year": 1985, "personal": personal or {"name": "Britt Berg"},
            "first_step": first_step}


def test_intake_registers_the_person_with_the_first_step(team, coach):
    participant = register_at_intake(team, _intake({"type": "study_visit", "date": "2021-03-01",
                                                     "data": {"mode": "physical"}}), coach)
    assert [e.type for e in log_of(participant.id)] == ["study_visit"]


@pytest.mark.parametrize("step, field", [
    ({"type": "enrolled", "date": "2021-03-01"}, "first_step"),
    ({"type": "referral_received", "date": "2999-01-01", "data": {"referrer_org": "fk"}}, "date"),
    ({"type": "referral_received", "date": "2021-03-01", "data": {"referrer_org": "bank"}}, "data.referrer_org"),
])
def test_a_bad_first_step_is_refused(team, coach, session, step, field):
    with pytest.raises(ValidationFailed) as info:
        register_at_intake(team, _intake(step), coach)
    assert field in (info.value.errors or {info.value.field: None})


def test_overview_lists_active_first_and_logs_the_names_read(team, coach, make_participant, record):
    queued = make_participant(team, "Kim Kö")
    record(queued, "referral_received", "2021-01-05", {"referrer_org": "af"})
    active = make_participant(team, "Alva Aktiv")
    record(active, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    record(active, "enrolled", "2021-02-01", {})
    anonymous = make_participant(team, name=None)
    record(anonymous, "study_visit", "2021-01-05", {})
    rows = team_overview(team, coach)
    assert [r.name for r in rows[:2]] == ["Alva Aktiv", "Kim Kö"]
    assert rows[0].next_follow_up == dt.date(2021, 5, 1)
    write_pending()
    logged = set(db.session.scalars(sa.select(AccessLogEntry.participant_id).where(AccessLogEntry.user_id == coach.id)))
    assert logged == {queued.id, active.id}


def test_overview_searches_by_name_fragment_and_filters_by_phase(team, coach, make_participant, record):
    a = make_participant(team, "Sara Svensson")
    record(a, "referral_received", "2021-01-05", {"referrer_org": "af"})
    b = make_participant(team, "Olle Svensk")
    record(b, "referral_received", "2021-01-05", {"referrer_org": "af"})
    record(b, "enrolled", "2021-02-01", {})
    assert {r.name for r in team_overview(team, coach, text="svens")} == {"Sara Svensson", "Olle Svensk"}
    assert [r.name for r in team_overview(team, coach, phase="queued")] == ["Sara Svensson"]
