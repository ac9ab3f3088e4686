"""`fold_state` (the list pages' quick fold) derives what `replay(effective(log))` derives, for any log."""

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from casework.events.ordering import TYPE_RANK, effective
from casework.events.state import fold_state, replay

START = dt.date(2020, 1, 1)
SCOPES = ["documentation", "information_sharing", "statistics"]
INCOMES = ["salary", "none", "social_assistance", "activity_support"]
DATA = {
    "referral_received": st.fixed_dictionaries({"referrer_org": st.sampled_from(["af", "fk", "soc"]),
                                                "income_sources": st.lists(st.sampled_from(INCOMES), max_size=2)}),
    "referrer_changed": st.fixed_dictionaries({"referrer_org": st.sampled_from(["af", "fk"])}),
    "enrolled": st.fixed_dictionaries({"consents": st.lists(st.sampled_from(SCOPES), max_size=3)}),
    "identified": st.fixed_dictionaries({"consents": st.lists(st.sampled_from(SCOPES), max_size=3)}),
    "consent_given": st.fixed_dictionaries({"scope": st.sampled_from(SCOPES)}),
    "consent_withdrawn": st.fixed_dictionaries({"scope": st.sampled_from(SCOPES)}),
    "income_changed": st.fixed_dictionaries({"income_sources": st.lists(st.sampled_from(INCOMES), min_size=1,
                                                                        max_size=2)}),
    "exited": st.fixed_dictionaries({"category": st.sampled_from(["work", "other"]),
                                     "income_sources": st.lists(st.sampled_from(INCOMES), max_size=2)}),
    "follow_up": st.one_of(
        st.fixed_dictionaries({"status": st.sampled_from(["held", "cancelled", "missed"])}),
        st.fixed_dictionaries({"status": st.just("booked"),
                               "scheduled_for": st.integers(0, 400).map(lambda d: (START + dt.timedelta(d)).isoformat()),
                               "scheduled_time": st.one_of(st.none(), st.sampled_from(["09:00", "13:30"]))})),
}
TYPES = sorted(set(TYPE_RANK) - {"correction"})


@st.composite
def logs(draw):
    """A log in recorded order: any event types on any days, and corrections voiding earlier events
    (corrections included, which restores what they voided)."""
    events = []
    for seq in range(1, draw(st.integers(0, 25)) + 1):
        day = START + dt.timedelta(days=draw(st.integers(0, 400)))
        if events and draw(st.integers(0, 5)) == 0:
            target = draw(st.sampled_from(events))
            events.append(SimpleNamespace(id=f"e{seq}", seq=seq, type="correction", date=day,
                                          voids_event_id=target.id, data={"voids": target.id}))
            continue
        kind = draw(st.sampled_from(TYPES))
        data = draw(DATA[kind]) if kind in DATA else {}
        events.append(SimpleNamespace(id=f"e{seq}", seq=seq, type=kind, date=day, voids_event_id=None, data=data))
    return draw(st.permutations(events))


def checked_replay(log, interval):
    """`replay`'s state, or a rejected example: its checks fail (AttributeError) on a second exit, or a
    follow-up after an exit, in a log with no enrolment before the exit, which fold_state folds."""
    try:
        return replay(effective(log), follow_up_interval_months=interval)[0]
    except AttributeError:
        reject()


@settings(max_examples=400, deadline=None)
@given(log=logs(), interval=st.sampled_from([1, 3, 6]))
def test_fold_state_equals_the_checked_replay(log, interval):
    expected = checked_replay(log, interval)
    folded = fold_state(log, follow_up_interval_months=interval)
    assert folded == expected
    assert folded.next_follow_up_due == expected.next_follow_up_due
    assert folded.next_booking == expected.next_booking


def test_an_empty_log_folds_to_the_initial_state():
    assert fold_state([], follow_up_interval_months=2) == replay([], follow_up_interval_months=2)[0]


def test_a_voided_exit_leaves_the_participant_enrolled():
    def event(seq, kind, day, voids=None, **data):
        return SimpleNamespace(id=f"e{seq}", seq=seq, type=kind, date=dt.date.fromisoformat(day),
                               voids_event_id=voids, data=data)

    log = [event(1, "enrolled", "2021-01-01", consents=["statistics"]),
           event(2, "exited", "2021-03-01", category="work", income_sources=["salary"]),
           event(3, "correction", "2021-03-02", voids="e2")]
    state = fold_state(log)
    assert (state.phase, state.exited_on, state.last_event_on) == ("in_trial", None, dt.date(2021, 1, 1))
    assert fold_state(log[:2]).phase == "exited"
