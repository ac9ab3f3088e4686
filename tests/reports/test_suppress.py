"""Small cells hidden for readers outside the team, and none derivable from what is shown."""

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.reports.compute import compute_report
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.periods import Period
from casework.reports.suppress import SUPPRESSED, _get, additive_groups, count_cells, suppress
from casework.teams.settings import TeamSettings
from casework.vocab import EXIT_CATEGORIES, GENDERS

SETTINGS = TeamSettings()
PERIOD = Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def build(exits: list[tuple[str, str]], stayers: int):
    people, events, number = [], [], itertools.count()
    for gender, category in [*exits, *[("woman", None)] * stayers]:
        n = next(number)
        people.append(ParticipantFacts(f"p{n}", "t", gender, 1980 + n % 20, "unknown", 24))
        events.append(EventFact(f"r{n}", f"p{n}", "referral_received", dt.date(2020, 3, 1), {"referrer_org": "fk"}, 1))
        events.append(EventFact(f"e{n}", f"p{n}", "enrolled", dt.date(2020, 4, 1), {}, 2))
        if category:
            events.append(EventFact(f"x{n}", f"p{n}", "exited", dt.date(2021, 5, 1), {"category": category}, 3))
    sizes: dict = {}
    report = compute_report(people, events, PERIOD, {"t": SETTINGS}, SETTINGS, {"team": "t"}, sizes)
    return report, suppress(report, sizes, SETTINGS)


def test_small_counts_and_their_complements_are_hidden():
    report, hidden = build([("woman", "work")] * 5 + [("man", "studies")] + [("woman", "other")] * 4, stayers=6)
    assert hidden["exits_by_category"]["studies"] == SUPPRESSED
    assert hidden["exits_by_category"]["work"] == 5
    assert hidden["exits_total"] == 10
    assert hidden["exits_by_gender"]["man"] == SUPPRESSED and hidden["exits_by_gender"]["other"] == SUPPRESSED
    assert hidden["age"]["exits"]["man"] == SUPPRESSED


def test_a_lone_small_cell_takes_its_smallest_neighbour_along():
    exits = [("woman", "work")] * 5 + [("man", "work")] * 4 + [("other", "work")]
    report, hidden = build(exits, stayers=0)
    assert report["exits_by_gender"] == {"woman": 5, "man": 4, "other": 1}
    assert hidden["exits_by_gender"] == {"woman": 5, "man": SUPPRESSED, "other": SUPPRESSED}
    assert hidden["exits_total"] == 10


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(GENDERS)), st.sampled_from(list(EXIT_CATEGORIES))), max_size=25),
       st.integers(0, 8))
def test_no_group_has_a_lone_hidden_cell(exits, stayers):
    report, hidden = build(exits, stayers)
    for path in count_cells(report):
        value = _get(hidden, path)
        assert value == SUPPRESSED or value >= 3
    for group in additive_groups(report, SETTINGS):
        assert sum(1 for p in group if _get(hidden, p) == SUPPRESSED) != 1, group
