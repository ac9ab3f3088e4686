"""The report projection: kept after every change equals made anew, and reports from it equal
reports from the whole log (`service.load_all_facts`, the reference), over random logs with
corrections, voided corrections, fact corrections and erasures."""

import datetime as dt

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.errors import DomainError
from casework.events.models import Event
from casework.events.service import build_event, correct_event
from casework.extensions import db
from casework.protection.erasure import erase_participant
from casework.reports.compute import compute_report
from casework.reports.models import ReportPath
from casework.reports.periods import Period
from casework.reports.projection import rebuild, refresh_participants
from casework.reports.service import build_report, federation_scope, load_all_facts, team_scope, with_organisation_figures
from casework.vocab import POST_EXIT_STATUSES
from tests.reports.test_properties import BASE, participant_log

EXTRA = st.sampled_from(["post_exit_follow_up", "survey", "group", "study_visit", "follow_up"])
periods = st.tuples(st.integers(0, 2600), st.integers(0, 500)).map(
    lambda p: Period(BASE + dt.timedelta(days=p[0]), BASE + dt.timedelta(days=p[0] + p[1])))


def extra_data(kind: str, number: int, draw) -> tuple[str, dict]:
    if kind == "post_exit_follow_up":
        return kind, {"months_after": draw(st.sampled_from([6, 18])), "status": draw(st.sampled_from(list(POST_EXIT_STATUSES)))}
    if kind == "survey":
        return kind, {"instrument": "ors", "score": 12.5}
    if kind == "group":
        return "activity", {"kind": "meeting_point", "group_session_id": f"s{number % 3}", "hours": 2}
    if kind == "follow_up":
        return kind, {"status": draw(st.sampled_from(["held", "cancelled"]))}
    return kind, {"referrer_present": True, "mode": "physical"}


@st.composite
def scripts(draw):
    """Participants' logs (valid paths plus steps on random days), and what is done to them after."""
    people = []
    for number in range(draw(st.integers(1, 4))):
        person, events = draw(participant_log(number))
        steps = [(e.type, e.date, dict(e.data)) for e in events]
        for extra in range(draw(st.integers(0, 3))):
            kind, data = extra_data(draw(EXTRA), extra, draw)
            steps.append((kind, BASE + dt.timedelta(days=draw(st.integers(0, 2600))), data))
        people.append((person, steps))
    actions = draw(st.lists(st.tuples(st.sampled_from(["void", "void_correction", "facts", "erase"]),
                                      st.integers(0, 3), st.integers(0, 40)), max_size=5))
    return people, actions, draw(st.lists(periods, min_size=1, max_size=3))


def write(participant, kind: str, day: dt.date, data: dict):
    """An event written as every ORM way in writes it (`build_event`, add, flush): no service rule in
    the way, so any order of steps can be tried."""
    seq = (db.session.scalar(sa.select(sa.func.max(Event.seq)).where(Event.participant_id == participant.id)) or 0) + 1
    event = build_event(participant, kind, day, data, {}, None, seq=seq)
    db.session.add(event)
    db.session.flush()
    return event


def act(action: str, participant, written: list, corrections: list, number: int) -> None:
    try:
        if action == "void" and written:
            corrections.append(correct_event(participant, written[number % len(written)].id, "Fel"))
        elif action == "void_correction" and corrections:
            corrections.append(correct_event(participant, corrections[number % len(corrections)].id, "Ångrat"))
        elif action == "facts":
            facts = {"gender": ["man", "woman", "other"][number % 3], "birth_year": 1950 + number, "reason": "Fel"}
            write(participant, "facts_corrected", BASE + dt.timedelta(days=number * 60), facts)
        elif action == "erase" and participant.erased_at is None:
            erase_participant(participant, "Begäran om radering", force=True)
    except DomainError:
        pass  # refused by the service (nothing written): the projection must still match


def projection_rows(team_ids: list[str]) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        sa.select(ReportPath.__table__).where(ReportPath.team_id.in_(team_ids)).order_by(ReportPath.participant_id))]


def reference_report(scope, period: Period) -> dict:
    """The report computed from the whole log as it stood at the period's end (no projection)."""
    team_ids = [t.id for t in scope.teams]
    report = compute_report(*load_all_facts(team_ids, period), period, {t.id: t.settings for t in scope.teams},
                            scope.settings, scope.header)
    with_organisation_figures(report, team_ids)
    return report


CHECK = settings(max_examples=25, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@CHECK
@given(script=scripts())
def test_kept_projection_equals_rebuilt_and_reports_equal_the_log(script, make_team, make_participant):
    people, actions, report_periods = script
    team = make_team(trial_months=2, exclude_from_result=["dropout", "within_trial"])
    other = make_team(federation=team.federation.name)
    participants, written, corrections = [], {}, {}
    for number, (facts, steps) in enumerate(people):
        participant = make_participant(team if number % 3 else other, None, gender=facts.gender,
                                       birth_year=facts.birth_year)
        participants.append(participant)
        written[participant.id] = [write(participant, kind, day, data) for kind, day, data in steps]
        corrections[participant.id] = []
    for action, who, number in actions:
        participant = participants[who % len(participants)]
        act(action, participant, written[participant.id], corrections[participant.id], number)

    team_ids = [team.id, other.id]
    kept = projection_rows(team_ids)
    counts = rebuild(team_ids)
    assert projection_rows(team_ids) == kept
    assert counts.participants == len(participants)
    for period in report_periods:
        for scope in (team_scope(team), federation_scope(team.federation)):
            assert build_report(scope, period) == reference_report(scope, period), (scope.key, period)


def test_a_settings_change_needs_no_rebuild(kraften_example):
    team, _ = kraften_example
    period = Period(dt.date(2020, 7, 1), dt.date(2021, 6, 30))
    before = build_report(team_scope(team), period)
    team.settings_json = {**team.settings_json, "goal_categories": ["work"], "trial_months": 6}
    db.session.flush()
    after = build_report(team_scope(team), period)
    assert after == reference_report(team_scope(team), period)
    assert after["goal_reached"] != before["goal_reached"]


def test_a_past_period_reads_the_log_as_it_stood_at_its_end(enrolled, record, team):
    """An exit, a re-enrolment and a post-exit follow-up after it: the first quarter shows the
    enrolment still open; the first half-year counts the follow-up for its exit, as the log read
    up to the half-year's end does (no enrolment was open then)."""
    record(enrolled, "exited", "2021-05-03", {"category": "work", "income_sources": ["salary"]})
    write(enrolled, "enrolled", dt.date(2021, 8, 2), {})
    write(enrolled, "post_exit_follow_up", dt.date(2021, 11, 3), {"months_after": 6, "status": "work_studies_jobseeking"})
    quarter = Period(dt.date(2021, 1, 1), dt.date(2021, 3, 31))
    report = build_report(team_scope(team), quarter)
    assert (report["enrolled_at_end"], report["exits_total"]) == (1, 0)
    assert report == reference_report(team_scope(team), quarter)
    half = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    report = build_report(team_scope(team), half)
    assert report["post_exit_cohorts"]["6"]["in_work_or_studies"] == 1
    assert report == reference_report(team_scope(team), half)


def test_refresh_makes_a_missing_row_anew(enrolled, team):
    (row,) = projection_rows([team.id])
    db.session.execute(sa.delete(ReportPath))
    refresh_participants([enrolled.id])
    assert projection_rows([team.id]) == [row]
