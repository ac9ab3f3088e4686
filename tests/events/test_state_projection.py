"""The state projection: the kept row always equals what the log folds to (`fold_state` is the reference),
whatever the way in, and a rebuild makes the same rows."""

import datetime as dt
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.cli import main
from casework.db import new_id
from casework.errors import ValidationFailed
from casework.events.models import Event, KeptState
from casework.events.ordering import TYPE_RANK, unvoided
from casework.events.projection import (
    EpisodeMarks,
    Projected,
    decoded,
    encoded,
    episode_marks,
    kept_states,
    project,
    rebuild_states,
    refresh_states,
)
from casework.events.service import correct_event, log_entries, states_of
from casework.events.state import fold_state
from casework.exchange.demo import DEFAULT_EXAMPLE
from casework.exchange.service import import_lines
from casework.extensions import db
from casework.participants.models import Participant
from casework.protection.erasure import erase_participant
from casework.teams.service import get_team

START = dt.date(2020, 1, 1)
SCOPES = ["documentation", "information_sharing", "statistics"]
INCOMES = ["salary", "none", "social_assistance"]


def _day(offset: int) -> str:
    return (START + dt.timedelta(days=offset)).isoformat()


DATA = {
    "referral_received": st.fixed_dictionaries({"referrer_org": st.sampled_from(["af", "fk"]),
                                                "income_sources": st.lists(st.sampled_from(INCOMES), max_size=2)}),
    "referrer_changed": st.fixed_dictionaries({"referrer_org": st.sampled_from(["af", "soc"])}),
    "enrolled": st.fixed_dictionaries({"consents": st.lists(st.sampled_from(SCOPES), max_size=3, unique=True)}),
    "consent_given": st.fixed_dictionaries({"scope": st.sampled_from(SCOPES)}),
    "consent_withdrawn": st.fixed_dictionaries({"scope": st.sampled_from(SCOPES)}),
    "income_changed": st.fixed_dictionaries({"income_sources": st.lists(st.sampled_from(INCOMES), min_size=1,
                                                                        max_size=2)}),
    "exited": st.fixed_dictionaries({"category": st.sampled_from(["work", "other"])}),
    "survey": st.fixed_dictionaries({"instrument": st.sampled_from(["nns_ongoing", "nns_3m", "nns_exit", "csq"])}),
    "post_exit_follow_up": st.fixed_dictionaries({"months_after": st.sampled_from([6, 18])}),
    "follow_up": st.one_of(
        st.fixed_dictionaries({"status": st.sampled_from(["held", "cancelled", "missed"])}),
        st.fixed_dictionaries({"status": st.just("booked"), "scheduled_for": st.integers(0, 400).map(_day),
                               "scheduled_time": st.one_of(st.none(), st.sampled_from(["09:00", "13:30"]))})),
}
TYPES = sorted(set(TYPE_RANK) - {"correction"})


@st.composite
def steps(draw):
    """A log in recorded order, as (type, day offset, data, index of the event a correction voids):
    any types on any days, corrections of earlier events and of earlier corrections (which restores
    what they voided), an erasure among them."""
    found = []
    for number in range(draw(st.integers(1, 18))):
        if number and draw(st.integers(0, 4)) == 0:
            found.append(("correction", draw(st.integers(0, 400)), {}, draw(st.integers(0, number - 1))))
            continue
        kind = draw(st.sampled_from(TYPES))
        found.append((kind, draw(st.integers(0, 400)), draw(DATA[kind]) if kind in DATA else {}, None))
    return found


def append_row(participant, seq: int, kind: str, offset: int, data: dict, voids: str | None) -> Event:
    """An event row through the ORM without the services' checks (any log, however inconsistent)."""
    event_id = new_id()
    event = Event(id=event_id, ext_id=event_id, team_id=participant.team_id, participant_id=participant.id, seq=seq,
                  type=kind, date=START + dt.timedelta(days=offset), data=data, voids_event_id=voids)
    db.session.add(event)
    db.session.flush()
    return event


def kept_row(participant) -> Projected:
    text = db.session.scalar(sa.select(KeptState.state).where(KeptState.participant_id == participant.id))
    return decoded(text, 3)


def folded(participant, interval: int = 3) -> Projected:
    """The reference: the state `fold_state` derives from the log read afresh, and the marks from it."""
    log = log_entries(participant.id)
    state = fold_state(log, follow_up_interval_months=interval)
    return Projected(state, episode_marks(unvoided(log), state))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(log=steps())
def test_the_kept_row_equals_the_folded_log_after_every_append(log, make_participant, team):
    person = make_participant(team, name=None)
    events = []
    for seq, (kind, offset, data, target) in enumerate(log, start=1):
        voids = events[target].id if target is not None else None
        events.append(append_row(person, seq, kind, offset, {"voids": voids} if voids else data, voids))
        assert kept_row(person) == folded(person)
    kept = db.session.scalar(sa.select(KeptState.state).where(KeptState.participant_id == person.id))
    refresh_states([person.id])
    assert db.session.scalar(sa.select(KeptState.state).where(KeptState.participant_id == person.id)) == kept


@settings(max_examples=300, deadline=None)
@given(log=steps(), interval=st.sampled_from([1, 3, 6]))
def test_encoding_keeps_everything_and_the_interval_is_applied_when_read(log, interval):
    events = []
    for seq, (kind, offset, data, target) in enumerate(log, start=1):
        voids = events[target].id if target is not None else None
        events.append(SimpleNamespace(id=f"e{seq}", seq=seq, type=kind, date=START + dt.timedelta(days=offset),
                                      voids_event_id=voids, data=data))
    projected = project(events)
    again = decoded(encoded(projected), interval)
    assert again.marks == projected.marks
    assert again.state == fold_state(events, follow_up_interval_months=interval)
    assert again.state.next_follow_up_due == fold_state(events, follow_up_interval_months=interval).next_follow_up_due


def test_appends_corrections_and_erasure_through_the_services_keep_the_row(enrolled, record, coach):
    record(enrolled, "survey", "2021-05-02", {"instrument": "nns_ongoing", "answers": {}})
    review = record(enrolled, "half_year_review", "2021-08-01")
    assert kept_row(enrolled).marks.last_review_on == dt.date(2021, 8, 1)
    correction = correct_event(enrolled, review.id, "Fel datum", user=coach)
    assert kept_row(enrolled) == folded(enrolled) and kept_row(enrolled).marks.last_review_on is None
    correct_event(enrolled, correction.id, "Rätt ändå", user=coach)
    assert kept_row(enrolled).marks.last_review_on == dt.date(2021, 8, 1)
    record(enrolled, "exited", "2021-09-01", {"category": "work"})
    erase_participant(enrolled, "Begäran")
    assert kept_row(enrolled) == folded(enrolled) and kept_row(enrolled).state.erased


def test_a_refused_append_changes_nothing(enrolled, record):
    before = kept_row(enrolled)
    with pytest.raises(ValidationFailed):
        record(enrolled, "enrolled", "2021-03-01", {"consents": []})
    assert kept_row(enrolled) == before


def test_an_import_keeps_the_rows_of_the_participants_it_wrote():
    import_lines(DEFAULT_EXAMPLE.read_text(encoding="utf-8").splitlines())
    people = list(db.session.scalars(sa.select(Participant).where(
        Participant.team_id == get_team("kraften-hedemora").id)))
    assert people
    interval = people[0].team.settings.follow_up_interval_months
    kept = kept_states(people, {people[0].team_id: interval})
    assert {p.id: kept[p.id] for p in people} == {p.id: folded(p, interval) for p in people}


def test_rebuild_makes_the_same_rows(enrolled, make_participant, team, record, app):
    queued = make_participant(team, "Kim Kö")
    record(queued, "referral_received", "2021-03-01", {"referrer_org": "af"})
    make_participant(team, "Ingen Händelse")
    before = dict(db.session.execute(sa.select(KeptState.participant_id, KeptState.state)).all())
    db.session.execute(sa.delete(KeptState))
    counts = rebuild_states()
    assert counts.participants == len(before)
    assert dict(db.session.execute(sa.select(KeptState.participant_id, KeptState.state)).all()) == before
    db.session.execute(sa.delete(KeptState))
    result = app.test_cli_runner().invoke(main, ["participants", "rebuild-states"], catch_exceptions=False)
    assert result.exit_code == 0 and "Rebuilt the states of" in result.output
    assert dict(db.session.execute(sa.select(KeptState.participant_id, KeptState.state)).all()) == before


def test_a_participant_without_events_reads_as_the_initial_state(make_participant, team):
    person = make_participant(team, "Ny Person")
    assert states_of([person])[person.id] == fold_state([], follow_up_interval_months=3)
    assert kept_states([person], {team.id: 3})[person.id].marks == EpisodeMarks()
