"""`problems_appended` (an append's check, reading the log once) finds what `problems_added`
(replaying the whole log before and after) finds, for any log and any new step."""

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from casework.events.rules import LATER_STEP, problems_added, problems_appended
from tests.events.test_fold_state import DATA, START, TYPES, logs


@st.composite
def new_steps(draw, log):
    """A step recorded after `log` (the next seq), on any day: often before steps already there."""
    kind = draw(st.sampled_from(TYPES))
    day = START + dt.timedelta(days=draw(st.integers(0, 400)))
    seq = max((e.seq for e in log), default=0) + 1
    return SimpleNamespace(id="new", seq=seq, type=kind, date=day, voids_event_id=None,
                           data=draw(DATA[kind]) if kind in DATA else {})


def both(log, step, interval):
    try:
        expected = problems_added(log, [step], follow_up_interval_months=interval)
    except AttributeError:  # replay's checks fail on logs no service writes (see test_fold_state)
        reject()
    return expected, problems_appended(log, step, follow_up_interval_months=interval)


@settings(max_examples=500, deadline=None)
@given(data=st.data(), log=logs(), interval=st.sampled_from([1, 3, 6]))
def test_appended_step_problems_equal_the_double_replay(data, log, interval):
    step = data.draw(new_steps(log))
    expected, found = both(log, step, interval)
    assert [(p.event_id, p.field, str(p.message)) for p in found] == \
        [(p.event_id, p.field, str(p.message)) for p in expected]


def event(seq, kind, day, **data):
    return SimpleNamespace(id=f"e{seq}", seq=seq, type=kind, date=dt.date.fromisoformat(day),
                           voids_event_id=None, data=data)


def test_a_backdated_step_that_breaks_a_later_one_is_refused_for_it():
    log = [event(1, "enrolled", "2021-01-01"), event(2, "exited", "2021-06-01", category="work"),
           event(3, "follow_up", "2021-09-01", status="held")]
    early_exit = event(4, "exited", "2021-03-01", category="other")
    problems = problems_appended(log, early_exit)
    assert problems == problems_added(log, [early_exit])
    assert [(p.event_id, str(p.message)) for p in problems] == [
        ("e4", f"{LATER_STEP}Already exited on 2021-03-01.")]


def test_a_newest_step_is_checked_against_the_whole_log():
    log = [event(1, "enrolled", "2021-01-01"), event(2, "exited", "2021-06-01", category="work")]
    problems = problems_appended(log, event(3, "assessment", "2021-07-01"))
    assert [p.message.code for p in problems] == ["event.after_exit"]
    assert problems_appended(log[:1], event(3, "assessment", "2021-07-01")) == []
