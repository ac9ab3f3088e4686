"""Small cells hidden for readers outside the team, and none derivable from what is shown."""

import datetime as dt
import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.reports.compute import compute_report
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.periods import Period
from casework.reports.suppress import (
    HIDDEN,
    SUPPRESSED,
    _declared_relations,
    _slices,
    _split_relations,
    additive_groups,
    count_cells,
    dig,
    suppress,
)
from casework.teams.settings import TeamSettings
from casework.vocab import EXIT_CATEGORIES, GENDERS, REFERRER_ORGS

SETTINGS = TeamSettings()
COLUMNS = TeamSettings(report_columns={"Arbete eller studier": ("work", "studies"), "Övrigt": ("other", "moved")})
PERIOD = Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
NOT_SHOWN = {SUPPRESSED, HIDDEN}


def build(exits: list[tuple[str, str]], stayers: int, referrers=("fk",), team_settings=SETTINGS):
    people, events, number = [], [], itertools.count()
    for gender, category in [*exits, *[("woman", None)] * stayers]:
        n = next(number)
        people.append(ParticipantFacts(f"p{n}", "t", gender, 1980 + n % 20, "unknown", 24))
        referrer = referrers[n % len(referrers)]
        events.append(EventFact(f"r{n}", f"p{n}", "referral_received", dt.date(2020, 3, 1),
                                {"referrer_org": referrer}, 1))
        events.append(EventFact(f"e{n}", f"p{n}", "enrolled", dt.date(2020, 4, 1), {}, 2))
        if category:
            events.append(EventFact(f"x{n}", f"p{n}", "exited", dt.date(2021, 5, 1), {"category": category}, 3))
    sizes: dict = {}
    report = compute_report(people, events, PERIOD, {"t": team_settings}, team_settings, {"team": "t"}, sizes)
    return report, sizes


def with_new_keys(report: dict, exits: list[tuple[str, str]], stayers: int, referrers) -> dict:
    """Keys another part of the work adds (a 2-D table and another split), built here from the same
    people, so the test shows suppression covers keys it was not written for."""
    grid = {c: dict.fromkeys(GENDERS, 0) for c in EXIT_CATEGORIES}
    for gender, category in exits:
        grid[category][gender] += 1
    by_referrer = dict.fromkeys(REFERRER_ORGS, 0)
    by_referrer.update(Counter(referrers[n % len(referrers)] for n in range(len(exits) + stayers)))
    return {**report, "exits_by_category_gender": grid, "participants_by_referrer": by_referrer}


def relations(report: dict, team_settings: TeamSettings) -> list[tuple[list[tuple], tuple]]:
    """(parts, total) that the report shows, written out by hand (independent of the module)."""
    found = [([("exits_by_category", c) for c in EXIT_CATEGORIES], ("exits_total",))]
    for split, total in (("participants_in_period_by_gender", "participants_in_period"),
                         ("new_by_gender", "new_enrolments"), ("exits_by_gender", "exits_total"),
                         ("goal_reached_by_gender", "goal_reached"), ("enrolled_at_end_by_gender", "enrolled_at_end"),
                         ("participants_by_referrer", "participants_in_period")):
        if split in report:
            found.append(([(split, k) for k in report[split]], (total,)))
    if "exits_by_category_gender" in report:
        found += [([("exits_by_category_gender", c, g) for g in GENDERS], ("exits_by_category", c))
                  for c in EXIT_CATEGORIES]
        found += [([("exits_by_category_gender", c, g) for c in EXIT_CATEGORIES], ("exits_by_gender", g))
                  for g in GENDERS]
    cells = report["results_by_age_gender"]
    for kind, total in (("exits", "result_denominator"), ("goal_reached", "goal_reached")):
        paths = [("results_by_age_gender", b, g, kind) for b in cells for g in cells[b]]
        if sum(dig(report, *p) for p in paths) == report[total]:
            found.append((paths, (total,)))
    found.append(([("enrolled_at_start",), ("new_enrolments",), ("exits_total",)], ("enrolled_at_end",)))
    found.append(([("exits_by_category", c) for c in team_settings.goal_categories], ("goal_reached",)))
    return found


def assert_fit_for_outside(report: dict, shown: dict, team_settings: TeamSettings) -> None:
    for path in count_cells(report):
        true, seen = dig(report, *path), dig(shown, *path)
        assert (seen == SUPPRESSED) == (true in (1, 2)), (path, true, seen)
        assert seen in (true, SUPPRESSED, HIDDEN), (path, true, seen)
    for parts, total in relations(report, team_settings):
        if dig(shown, *total) not in NOT_SHOWN:
            assert sum(1 for p in parts if dig(shown, *p) in NOT_SHOWN) != 1, (parts, total)


def test_small_counts_and_what_would_give_them_away_are_hidden():
    report, sizes = build([("woman", "work")] * 5 + [("man", "studies")] + [("woman", "other")] * 4, stayers=6)
    hidden = suppress(report, sizes, SETTINGS)
    assert hidden["exits_by_category"]["studies"] == SUPPRESSED
    # goal_reached (6) = work + studies + vocational_rehab (0): work shown would give studies away.
    assert hidden["exits_by_category"]["work"] == HIDDEN
    # The category × gender table's women's column (work 5 + other 4 = 9 women) would give work away.
    assert hidden["exits_by_category"]["other"] == HIDDEN
    assert hidden["exits_total"] == 10
    assert hidden["exits_by_gender"] == {"woman": HIDDEN, "man": SUPPRESSED, "other": 0}
    assert hidden["age"]["exits"]["man"] == HIDDEN


def test_a_lone_small_cell_takes_a_neighbour_of_three_or_more_along_shown_as_two_dots():
    exits = [("woman", "work")] * 5 + [("man", "work")] * 4 + [("other", "work")]
    report, sizes = build(exits, stayers=0)
    hidden = suppress(report, sizes, SETTINGS)
    assert report["exits_by_gender"] == {"woman": 5, "man": 4, "other": 1}
    assert hidden["exits_by_gender"] == {"woman": 5, "man": HIDDEN, "other": SUPPRESSED}
    assert hidden["exits_total"] == 10


def test_zeros_are_shown_and_measures_on_few_people_are_two_dots():
    report, sizes = build([("woman", "work")] * 2, stayers=0)
    hidden = suppress(report, sizes, SETTINGS)
    assert hidden["exits_by_gender"]["man"] == 0
    assert hidden["exits_total"] == SUPPRESSED
    assert hidden["age"]["exits"]["mean"] == HIDDEN
    assert hidden["throughput_months"]["all"]["all"] == HIDDEN
    assert hidden["result_share"] == HIDDEN


def test_a_category_alone_in_a_team_column_takes_its_column_partner_along():
    exits = [("woman", "work")] * 6 + [("woman", "studies")] + [("woman", "other")] * 5 + [("man", "moved")] * 4
    report, sizes = build(exits, stayers=3, team_settings=COLUMNS)
    hidden = suppress(report, sizes, COLUMNS)
    assert hidden["exits_by_category"]["studies"] == SUPPRESSED
    assert hidden["exits_by_category"]["work"] == HIDDEN


def test_a_previous_period_is_suppressed_as_a_report_of_its_own():
    report, sizes = build([("woman", "work")] * 5 + [("man", "studies")], stayers=4)
    earlier, _ = build([("man", "other")] * 2 + [("woman", "other")] * 7, stayers=4)
    hidden = suppress({**report, "previous_period": earlier}, sizes, SETTINGS)
    assert hidden["previous_period"]["exits_by_gender"]["man"] == SUPPRESSED
    assert hidden["previous_period"]["exits_total"] == 9
    assert hidden["previous_period"]["age"]["exits"]["mean"] == 37.0
    assert hidden["previous_period"]["throughput_months"]["all"]["all"] == HIDDEN  # its sizes unknown: not risked


EXITS = st.lists(st.tuples(st.sampled_from(list(GENDERS)), st.sampled_from(list(EXIT_CATEGORIES))), max_size=30)
REFERRERS = st.lists(st.sampled_from(list(REFERRER_ORGS)), min_size=1, max_size=4).map(tuple)


@settings(max_examples=60, deadline=None)
@given(EXITS, st.integers(0, 8), REFERRERS, st.sampled_from([SETTINGS, COLUMNS]))
def test_a_whole_suppressed_report_has_no_false_small_cell_and_none_derivable(exits, stayers, referrers,
                                                                               team_settings):
    report, sizes = build(exits, stayers, referrers, team_settings)
    report = with_new_keys(report, exits, stayers, referrers)
    shown = suppress(report, sizes, team_settings)
    assert_fit_for_outside(report, shown, team_settings)
    for group in additive_groups(report, team_settings):
        assert sum(1 for p in group if dig(shown, *p) in NOT_SHOWN) != 1, group


def may_total(candidate: tuple, node: tuple, fixed: tuple, summed: int) -> bool:
    """The rule of a slice's total, cell by cell (what `_TotalsIndex` looks up by index)."""
    if fixed and candidate[-1] in fixed and len(candidate) > 1:
        return True
    if fixed and summed == 1:
        return False
    parent = candidate[:-1]
    return len(parent) < len(node) and node[:len(parent)] == parent


def groups_by_scanning(report: dict, team_settings: TeamSettings) -> list[list[tuple]]:
    """`additive_groups` the plain way: every cell of the slice's value tested against the rule."""
    cells = count_cells(report)
    groups = []
    for node, fixed, summed, parts in _slices(report):
        total = sum(dig(report, *p) for p in parts)
        groups += [[*parts, c] for c in cells
                   if dig(report, *c) == total and c not in parts and may_total(c, node, fixed, summed)]
    known = set(cells)
    relations = [*_declared_relations(report, team_settings), *_split_relations(report)]
    return groups + [r for r in relations if len(r) > 1 and all(p in known for p in r)]


@settings(max_examples=30, deadline=None)
@given(EXITS, st.integers(0, 8), REFERRERS, st.sampled_from([SETTINGS, COLUMNS]))
def test_the_indexed_totals_give_the_groups_of_scanning_every_cell(exits, stayers, referrers, team_settings):
    report, _ = build(exits, stayers, referrers, team_settings)
    report = with_new_keys(report, exits, stayers, referrers)
    assert additive_groups(report, team_settings) == groups_by_scanning(report, team_settings)


def test_dig_finds_a_figure_by_keys_and_list_indexes_and_none_where_there_is_none():
    report = {"exits": {"work": 3, "none": None}, "rows": [{"n": 1}, {"n": 2}], "shown": "<3"}
    assert dig(report, "exits", "work") == 3 and dig(report, "rows", 1, "n") == 2
    assert dig(report) is report and dig(report, "exits", "none") is None
    assert dig(report, "exits", "moved") is None and dig(report, "staff", "total") is None
    assert dig(report, "rows", 2) is None and dig(report, "rows", -1) is None and dig(report, "rows", "n") is None
    assert dig(report, "shown", 0) is None and dig(report, "exits", "work", "more") is None
