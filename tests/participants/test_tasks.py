"""Work that falls due ("Att göra"): each kind appears when due and disappears once the event that
does it is recorded; voiding that event brings it back; only the caller's teams are listed."""

import datetime as dt

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from werkzeug.datastructures import MultiDict

from casework.audit.access_log import write_pending
from casework.audit.models import AccessLogEntry
from casework.errors import NotFound
from casework.events.instruments import INSTRUMENTS
from casework.events.service import correct_event, states_of, team_log_entries
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.tasks import BadTaskQuery, TaskFilter, all_tasks, load_filter, task_counts, tasks_for
from casework.protection.erasure import erase_participant

CONSENTS = {"consents": ["documentation", "information_sharing", "statistics"]}
EVERYTHING = TaskFilter(within_days=731)
# The ongoing NNS questionnaire's id (DOMAIN.md §7), or the one logs used before it was named.
NNS_ONGOING = "nns_ongoing" if "nns_ongoing" in INSTRUMENTS else "nns_3m"


def ago(months=0, days=0) -> dt.date:
    return dt.date.today() - relativedelta(months=months, days=days)


def nns(instrument: str, questions: int) -> dict:
    return {"instrument": instrument, "answers": {f"q{n}": 5 for n in range(1, questions + 1)}}


@pytest.fixture
def enrol(make_participant, team, record):
    """A participant of `team` referred a week before the enrolment `months`/`days` ago."""

    def make(months=0, days=0, name="Testa Person", in_team=None):
        person = make_participant(in_team or team, name)
        record(person, "referral_received", ago(months, days + 7), {"referrer_org": "fk"})
        record(person, "enrolled", ago(months, days), CONSENTS)
        return person

    return make


def kinds(user, person, task_filter=EVERYTHING) -> dict[str, dt.date]:
    return {t.kind: t.due for t in tasks_for(user, task_filter) if t.participant.id == person.id}


def test_a_trial_ending_in_five_days_is_on_the_coachs_list_until_trial_completed(coach, enrol, record, team):
    person = enrol(months=team.settings.trial_months, days=-5)
    listed = [t for t in tasks_for(coach, TaskFilter()) if t.participant.id == person.id and t.kind == "trial_end"]
    assert [(t.due, t.days_left, t.overdue, t.name) for t in listed] == [(ago(days=-5), 5, False, "Testa Person")]
    record(person, "trial_completed", dt.date.today())
    assert "trial_end" not in kinds(coach, person)


def test_voiding_the_event_that_did_a_task_brings_it_back(coach, enrol, record):
    person = enrol(months=3)
    done = record(person, "trial_completed", ago(days=1))
    assert "trial_end" not in kinds(coach, person)
    correct_event(person, done.id, "Fel deltagare", user=coach)
    assert kinds(coach, person)["trial_end"] == ago(months=3) + relativedelta(months=2)


def test_the_follow_up_with_the_referrer_moves_on_when_one_is_held(coach, enrol, record):
    person = enrol(months=3, days=3)
    assert kinds(coach, person)["follow_up"] == ago(days=3)
    record(person, "follow_up", dt.date.today(), {"status": "held"})
    assert kinds(coach, person)["follow_up"] == dt.date.today() + relativedelta(months=3)
    assert "follow_up" not in kinds(coach, person, TaskFilter())


def test_a_booked_follow_up_is_shown_with_its_booking(coach, enrol, record):
    person = enrol(months=3, days=3)
    record(person, "follow_up", dt.date.today(), {"status": "booked", "scheduled_for": dt.date.today().isoformat(),
                                                  "scheduled_time": "23:59"})
    task = next(t for t in all_tasks(coach, list(coach.teams), dt.date.today()) if t.kind == "follow_up")
    assert (task.due, task.booked_for) == (ago(days=3), dt.date.today())


def test_the_half_year_review_falls_due_every_six_months_after_enrolment(coach, enrol, record):
    person = enrol(months=6, days=1)
    enrolled_on = ago(months=6, days=1)
    assert kinds(coach, person)["half_year_review"] == enrolled_on + relativedelta(months=6)
    record(person, "half_year_review", dt.date.today())
    assert kinds(coach, person)["half_year_review"] == enrolled_on + relativedelta(months=12)


def test_a_late_review_answers_the_date_it_was_late_for(coach, enrol, record):
    person = enrol(months=14)
    record(person, "half_year_review", ago(months=6))  # two months late for the 6-month review
    assert kinds(coach, person)["half_year_review"] == ago(months=14) + relativedelta(months=12)


def test_the_ongoing_nns_is_due_three_months_after_enrolment_until_answered(coach, enrol, record):
    person = enrol(months=3)
    assert kinds(coach, person, TaskFilter(overdue_only=False, within_days=0))["nns_ongoing"] == dt.date.today()
    record(person, "survey", dt.date.today(), nns("nns_exit", 10))
    assert "nns_ongoing" in kinds(coach, person), "another instrument does not do it"
    record(person, "survey", dt.date.today(), nns(NNS_ONGOING, 7))
    assert "nns_ongoing" not in kinds(coach, person)


def test_the_exit_nns_is_due_at_the_exit_and_done_by_a_survey_before_or_after_it(coach, enrol, record):
    person, other = enrol(months=5), enrol(months=5, name="Annan Person")
    for someone in (person, other):
        record(someone, "exited", ago(days=10), {"category": "work"})
    assert kinds(coach, person)["nns_exit"] == ago(days=10)
    assert not {"trial_end", "follow_up", "half_year_review", "nns_ongoing"} & set(kinds(coach, person))
    record(person, "survey", ago(days=2), nns("nns_exit", 10))
    assert "nns_exit" not in kinds(coach, person)
    record(other, "survey", ago(days=12), nns("nns_exit", 10))
    assert "nns_exit" not in kinds(coach, other)


def test_post_exit_calls_at_six_and_eighteen_months(coach, enrol, record):
    person = enrol(months=12)
    exited_on = ago(months=6, days=2)
    record(person, "exited", exited_on, {"category": "studies"})
    listed = [(t.kind, t.months_after, t.due) for t in tasks_for(coach, EVERYTHING) if t.participant.id == person.id]
    assert listed == [("post_exit_follow_up", 6, exited_on + relativedelta(months=6)),
                      ("post_exit_follow_up", 18, exited_on + relativedelta(months=18))], "the exit NNS lapsed"
    record(person, "post_exit_follow_up", dt.date.today(), {"months_after": 6, "status": "other"})
    left = [t for t in tasks_for(coach, EVERYTHING) if t.participant.id == person.id]
    assert [(t.kind, t.months_after, t.due) for t in left] == [
        ("post_exit_follow_up", 18, exited_on + relativedelta(months=18))]
    assert left[0].prefill == {"months_after": "18"}


def test_a_queue_wait_over_the_teams_limit_until_enrolment(coach, make_participant, team, record, make_team):
    person = make_participant(team, "Kim Kö")
    record(person, "referral_received", ago(months=2, days=1), {"referrer_org": "af"})
    assert kinds(coach, person)["queue_wait"] == ago(days=1)
    record(person, "enrolled", dt.date.today(), CONSENTS)
    assert "queue_wait" not in kinds(coach, person)


def test_the_queue_limit_is_a_team_setting(make_user, make_participant, make_team, record):
    patient = make_team(queue_limit_months=3)
    person = make_participant(patient, "Kim Kö")
    record(person, "referral_received", ago(months=2, days=1), {"referrer_org": "af"})
    assert kinds(make_user("coach", [patient]), person)["queue_wait"] == ago(days=1) + relativedelta(months=1)


def test_another_teams_participants_never_appear(coach, enrol, make_team, make_user):
    other = make_team()
    stranger = enrol(months=3, name="Olof Främling", in_team=other)
    assert kinds(make_user("coach", [other]), stranger)
    assert all(t.participant.team_id != other.id for t in tasks_for(coach, EVERYTHING))
    with pytest.raises(NotFound):
        tasks_for(coach, TaskFilter(team=other.slug))


def test_an_erased_participant_has_no_work_due(coach, enrol, make_user, team):
    person = enrol(months=3)
    assert kinds(coach, person)
    erase_participant(person, "Begäran", make_user("team_lead", [team]), force=True)
    assert kinds(coach, person) == {}


def test_referrers_and_analysts_have_no_list(make_user, enrol):
    enrol(months=3)
    assert tasks_for(make_user("referrer"), EVERYTHING) == []
    assert tasks_for(make_user("analyst", federation="Testförbundet"), EVERYTHING) == []


def test_filters_by_kind_overdue_and_days(coach, enrol):
    person = enrol(months=2, days=10)  # trial ended 10 days ago; NNS and follow-up in about 3 weeks
    assert set(kinds(coach, person, TaskFilter(overdue_only=True))) == {"trial_end"}
    assert set(kinds(coach, person, TaskFilter(within_days=10))) == {"trial_end"}
    assert set(kinds(coach, person, TaskFilter(within_days=25))) == {"trial_end", "nns_ongoing", "follow_up"}
    assert "half_year_review" in kinds(coach, person)
    assert set(kinds(coach, person, TaskFilter(kinds=frozenset({"nns_ongoing"})))) == {"nns_ongoing"}
    rows = tasks_for(coach, EVERYTHING)
    assert [t.due for t in rows] == sorted(t.due for t in rows)


def test_counts_for_the_landing_page(coach, enrol, team):
    enrol(months=2, days=10)
    assert task_counts(coach, team) == {"overdue": 1, "due_soon": 2, "within_days": 30}


def test_counts_from_what_the_list_read_equal_counts_read_afresh(coach, enrol, team, make_participant, record):
    """The team list passes its logs, states and participants (an erased one among them, left out)."""
    enrol(months=2, days=10)
    erased = enrol(months=4, days=0)
    erased.erased_at = dt.datetime.now(dt.UTC)
    queued = make_participant(team, "Kim Kö")
    record(queued, "referral_received", (dt.date.today() - dt.timedelta(days=200)).isoformat(), {"referrer_org": "af"})
    logs = team_log_entries([team.id])
    participants = list(db.session.scalars(sa.select(Participant).where(Participant.team_id == team.id)))
    states = states_of(participants, logs)
    given = task_counts(coach, team, logs=logs, states=states, participants=participants)
    assert given == task_counts(coach, team) == {"overdue": 2, "due_soon": 2, "within_days": 30}


def test_the_names_shown_are_access_logged(coach, enrol, make_participant, team, record):
    person = enrol(months=3)
    anonymous = make_participant(team, name=None)
    record(anonymous, "referral_received", ago(months=3), {"referrer_org": "af"})
    tasks_for(coach, TaskFilter())
    write_pending()
    logged = db.session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.user_id == coach.id)).all()
    assert {(e.participant_id, e.purpose) for e in logged} == {(person.id, "task_list")}


@pytest.mark.parametrize(("args", "field"), [
    ({"within_days": "-1"}, "within_days"), ({"within_days": "soon"}, "within_days"),
    ({"within_days": "1000"}, "within_days"), ({"kind": "coffee"}, "kind"), ({"overdue": "maybe"}, "overdue"),
    ({"colour": "red"}, "colour"), ({"team": "x" * 81}, "team"),
])
def test_a_bad_filter_value_names_its_field(args, field):
    with pytest.raises(BadTaskQuery) as refused:
        load_filter(MultiDict(args))
    assert refused.value.status == 400 and field in refused.value.errors


def test_a_filter_from_a_query_string():
    loaded = load_filter(MultiDict([("kind", "trial_end"), ("kind", "queue_wait"), ("within_days", "7"),
                                    ("overdue", "true")]))
    assert loaded == TaskFilter(kinds=frozenset({"trial_end", "queue_wait"}), within_days=7, overdue_only=True)
    assert load_filter(MultiDict()) == TaskFilter()
    assert load_filter(MultiDict([("kind", ""), ("team", ""), ("within_days", "")])) == TaskFilter()
