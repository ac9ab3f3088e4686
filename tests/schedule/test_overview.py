"""The team's follow-up overview: one read of the team's log gives what each participant's own
log gives, with no query per participant, and only the user's teams."""

import datetime as dt

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from casework.audit.access_log import pending_reads
from casework.events.ordering import effective
from casework.events.service import correct_event, log_of, state_of, team_log_entries
from casework.extensions import db
from casework.schedule import overview
from casework.schedule.links import current_links
from casework.schedule.service import follow_up_history


def _mixed_team(make_team, make_participant, referrer, referred, record, ago, today):
    """Overdue, booked, closed, exited, a voided enrolment and a voided change of referrer."""
    team = make_team("mix-team", "Blandteamet", follow_up_interval_months=3)
    late = referred(team, referrer().email, name="Ada Andersson", months=5)
    booked = referred(team, referrer().email, name="Bert Berg", months=2, org="af")
    record(booked, "follow_up", today, {"status": "booked", "scheduled_for": (today + dt.timedelta(days=9)).isoformat(),
                                        "scheduled_time": "09:30"})
    closed = referred(team, "okand@example.org", name="Cia Ek", months=7)
    record(closed, "follow_up", ago(4), {"status": "booked", "scheduled_for": ago(4), "scheduled_time": "10:00"})
    record(closed, "follow_up", ago(4), {"status": "held"})
    record(closed, "follow_up", ago(1), {"status": "held"})
    gone = referred(team, referrer().email, name="Dan Dahl", months=6)
    record(gone, "exited", ago(1), {"category": "work"})
    changed = referred(team, referrer().email, name="Eva Ek", months=3)
    change = record(changed, "referrer_changed", ago(1), {"referrer_org": "soc", "referrer": {"email": "ny@example.org"}})
    correct_event(changed, change.id, "Fel remittent")
    voided = make_participant(team, "Fia Fors")
    record(voided, "referral_received", ago(3), {"referrer_org": "fk"})
    enrolment = record(voided, "enrolled", ago(2), {"consents": []})
    correct_event(voided, enrolment.id, "Aldrig inskriven")
    return team, [late, booked, closed, gone, changed, voided]


def test_each_line_is_what_the_participants_own_log_gives(make_team, make_user, make_participant, referrer, referred,
                                                          record, ago, today):
    team, participants = _mixed_team(make_team, make_participant, referrer, referred, record, ago, today)
    coach = make_user("coach", [team])
    view = overview.team_overview(coach, team, "follow_up_schedule", today)

    states = {p.id: state_of(p) for p in participants}
    assert [e.participant.id for e in view["entries"]] == \
        [p.id for p in sorted((p for p in participants if states[p.id].is_active),
                              key=lambda p: _order(states[p.id], p, today))]
    assert len(view["entries"]) == 4  # the exited one and the voided enrolment are not shown
    for entry in view["entries"]:
        log = log_of(entry.participant.id)
        bookings, held = follow_up_history(log)
        link = current_links({entry.participant.id: effective(log)})[entry.participant.id]
        assert (entry.next_due, entry.referrer_org, entry.bookings, entry.held) == \
            (states[entry.participant.id].next_follow_up_due, states[entry.participant.id].referrer_org, bookings, held)
        assert (entry.link.id, entry.referrer_label) == (link.id, link.user.label if link.user else None)
    assert {e.name for e in view["entries"]} == {"Ada Andersson", "Bert Berg", "Cia Ek", "Eva Ek"}
    assert view["by_referrer"] and sum(row["participants"] for row in view["by_referrer"]) == 4


def _order(state, participant, today):
    due = state.next_follow_up_due
    overdue = due is not None and due < today
    return (not overdue, due or dt.date.max, participant.ref)


def _statements(work) -> int:
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    engine = db.session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", counted)
    try:
        work()
    finally:
        sa.event.remove(engine, "before_cursor_execute", counted)
    return count


def _queries_of_overview(size, make_team, make_user, referrer, referred, record, today) -> int:
    team = make_team(f"size-{size}", "Storleksteamet")
    coach = make_user("coach", [team])
    for i in range(size):  # each with a referrer account of their own, each with a booking
        p = referred(team, referrer().email, name=f"Person {i}", months=1 + i)
        record(p, "follow_up", today, {"status": "booked", "scheduled_for": (today + dt.timedelta(days=3)).isoformat(),
                                       "scheduled_time": "10:00"})
    assert len(overview.team_overview(coach, team, "follow_up_schedule", today)["entries"]) == size  # links made
    db.session.expire_all()
    return _statements(lambda: overview.team_overview(coach, team, "follow_up_schedule", today))


def test_the_overview_makes_as_many_queries_for_seven_participants_as_for_two(make_team, make_user, referrer,
                                                                              referred, record, today):
    two = _queries_of_overview(2, make_team, make_user, referrer, referred, record, today)
    seven = _queries_of_overview(7, make_team, make_user, referrer, referred, record, today)
    assert two == seven


def test_another_teams_overview_shows_and_logs_no_one(make_team, make_user, referrer, referred, record, ago, today):
    mine, theirs = make_team("mine", "Mitt team"), make_team("theirs", "Deras team")
    coach = make_user("coach", [mine])
    referred(theirs, referrer().email, name="Gun Gran", months=5)
    view = overview.team_overview(coach, theirs, "follow_up_schedule", today)
    assert view["entries"] == [] and view["by_referrer"] == []
    assert [r for r in pending_reads() if r.user_id == coach.id] == []
    overview.team_overview(coach, mine, "follow_up_schedule", today)  # the coach's own team: logged
    referred(mine, referrer().email, name="Hans Holm", months=5)
    overview.team_overview(coach, mine, "follow_up_schedule", today)
    assert len([r for r in pending_reads() if r.user_id == coach.id]) == 1


def test_a_follow_up_held_after_the_window_does_not_answer_a_due_date_in_it(make_team, make_participant, record):
    team = make_team("late-team", "Sent", follow_up_interval_months=3)
    p = make_participant(team, "A")
    record(p, "referral_received", "2024-01-02", {"referrer_org": "fk"})
    record(p, "enrolled", "2024-01-10", {"consents": []})
    record(p, "follow_up", "2024-10-05", {"status": "held"})    # after the window's end
    end = dt.date(2024, 9, 30)
    expected = {"due": 1, "held": 0, "held_on_time": 0, "share": 0.0}
    for logs in (None, team_log_entries([team.id])):
        result = overview.held_on_time(team, end - relativedelta(months=6), end, logs)
        assert {k: result[k] for k in expected} == expected
