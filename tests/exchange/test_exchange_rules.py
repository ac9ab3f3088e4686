"""The importer and the append/correct services refuse the same bad event with the same message.

Each case builds a participant's log in the database, then offers one bad event twice: through
`append_event` (or `correct_event`) and as a one-line import file. Both must refuse it with the
same message, on the same field ("voids" is "data.voids" in a file, where it sits in `data`).
"""

import datetime as dt
import json

import pytest

from casework.errors import DomainError
from casework.events.models import Event
from casework.events.service import append_event, correct_event, log_of
from casework.exchange.service import ImportRefused, import_lines
from casework.protection.erasure import erase_participant

REFERRAL = ("referral_received", "2021-01-05", {"referrer_org": "fk", "income_sources": ["sickness_benefit"]})
ENROLLED = ("enrolled", "2021-02-01", {"consents": ["statistics"]})
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()

APPENDS = {
    "exit before any enrolment": ([REFERRAL], ("exited", "2021-02-01", {"category": "work"}, None)),
    "a second enrolment": ([REFERRAL, ENROLLED], ("enrolled", "2021-03-01", {}, None)),
    "a withdrawal with nothing queued": ([], ("referral_withdrawn", "2021-01-10", {}, None)),
    "a second open referral": ([REFERRAL], ("referral_received", "2021-01-20", {"referrer_org": "af"}, None)),
    "an exit that breaks a later step": (
        [REFERRAL, ENROLLED, ("trial_completed", "2021-04-01", {})], ("exited", "2021-03-15", {"category": "work"}, None)),
    "a booking for a date before it": (
        [REFERRAL, ENROLLED], ("follow_up", "2021-03-01", {"status": "booked", "scheduled_for": "2021-02-20"}, None)),
    "a date in the future": ([REFERRAL], ("enrolled", TOMORROW, {}, None)),
    "a date before 2000": ([], ("study_visit", "1999-12-31", {"referrer_present": True, "mode": "physical"}, None)),
}


def logged(make_participant, team, steps, **facts):
    participant = make_participant(team, **facts)
    for type_name, day, data in steps:
        append_event(participant, type_name, day, data)
    return participant


def refused_by_service(action) -> tuple[str, str]:
    with pytest.raises(DomainError) as caught:
        action()
    return caught.value.field, caught.value.message


def refused_by_import(ref: str, type_name: str, day: str, data: dict, note: str | None = None) -> tuple[str, str]:
    line = {"record": "event", "id": "BAD1", "ref": ref, "type": type_name, "date": day, "data": data}
    if note is not None:
        line["note"] = note
    with pytest.raises(ImportRefused) as caught:
        import_lines([json.dumps(line)])
    [(number, field, message)] = caught.value.line_errors
    assert number == 1
    return field, message


@pytest.mark.parametrize("steps, bad", APPENDS.values(), ids=APPENDS.keys())
def test_a_bad_event_is_refused_alike_by_append_and_import(make_participant, team, steps, bad):
    participant = logged(make_participant, team, steps)
    by_service = refused_by_service(lambda: append_event(participant, *bad[:3], note=bad[3]))
    assert refused_by_import(participant.ref, *bad) == by_service
    assert len(log_of(participant.id)) == len(steps)


def test_a_note_for_an_anonymous_participant_is_refused_alike(make_participant, team):
    participant = logged(make_participant, team, [REFERRAL], name=None)
    bad = ("enrolled", "2021-02-01", {}, "En anteckning.")
    by_service = refused_by_service(lambda: append_event(participant, *bad[:3], note=bad[3]))
    assert by_service == ("note", "No case notes are kept for an anonymous participant.")
    assert refused_by_import(participant.ref, *bad) == by_service


def test_a_note_for_an_erased_participant_is_refused_alike(make_participant, make_user, team):
    participant = logged(make_participant, team, [REFERRAL])
    erase_participant(participant, "Begäran", make_user("team_lead", [team]), force=True)
    bad = ("activity", dt.date.today().isoformat(), {"kind": "meeting"}, "En anteckning.")
    by_service = refused_by_service(lambda: append_event(participant, *bad[:3], note=bad[3]))
    assert by_service == ("note", "Nothing identifying may be recorded for an erased participant.")
    assert refused_by_import(participant.ref, *bad) == by_service


def void(target: Event, day: str) -> tuple[str, str, dict]:
    return "correction", day, {"voids": target.ext_id, "reason": "Fel."}


@pytest.mark.parametrize("case", ["already voided", "dated before its target"])
def test_a_bad_correction_is_refused_alike_by_correct_and_import(make_participant, team, case):
    participant = logged(make_participant, team, [REFERRAL, ENROLLED])
    target = next(e for e in log_of(participant.id) if e.type == "enrolled")
    day = "2021-01-20" if case == "dated before its target" else "2021-02-10"
    if case == "already voided":
        correct_event(participant, target.id, "Fel.", day=dt.date(2021, 2, 5))
    field, message = refused_by_service(
        lambda: correct_event(participant, target.id, "Fel.", day=dt.date.fromisoformat(day)))
    expected = ("data.voids" if field == "voids" else field, message)
    assert refused_by_import(participant.ref, *void(target, day)) == expected


def test_voiding_an_erasure_is_refused_alike(make_participant, make_user, team):
    participant = logged(make_participant, team, [REFERRAL])
    erase_participant(participant, "Begäran", make_user("team_lead", [team]), force=True)
    erasure = next(e for e in log_of(participant.id) if e.type == "erased")
    by_service = refused_by_service(lambda: correct_event(participant, erasure.id, "Fel."))
    assert by_service == ("voids", "An erasure cannot be voided.")
    assert refused_by_import(participant.ref, *void(erasure, dt.date.today().isoformat())) == (
        "data.voids", by_service[1])
