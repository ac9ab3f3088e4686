"""Small-cell suppression for readers outside the team (analysts of the federation).

Generic over the report's structure, so that a new key is covered the day it lands:

* every whole number in the report that is not a measure (mean, share, age, months …), not a
  header and not an organisation figure is a *count cell*; a count of 1 or 2 is shown as "<3"
  (primary suppression; zeros are shown, "<3" never stands on a value of 3 or more);
* every *slice* of a table of counts (the cells of a dict; in a nested dict its rows, columns
  and whole) whose sum is shown somewhere in the report as a count cell forms a group with
  that total; so do the relations between the headline figures (`enrolled_at_start +
  new_enrolments − exits_total = enrolled_at_end` …) and the team's own result columns;
* secondary suppression: while some group holds exactly one hidden cell (which its total would
  give away), one more cell of the group is hidden, shown as ".." (Statistics Sweden's sign for
  a figure not shown), never as "<3", which would read as a false value;
* means, medians, extremes and shares built on fewer than 3 people, or on a hidden count, are
  shown as "..".

A nested report (`previous_period`) is suppressed the same way on its own, with the sizes the
computation gives for it in `sizes["previous_period"]`; a measure whose size is not known is hidden.
"""

import copy
import itertools
from collections import defaultdict

from casework.reports.splits import split_groups
from casework.reports.surveys import hide_survey_measures, survey_groups
from casework.teams.settings import TeamSettings
from casework.vocab import GENDERS

SUPPRESSED = "<3"
HIDDEN = ".."
THRESHOLD = 3
# Leaves and subtrees that are not counts of people or events: never primary cells.
MEASURE_KEYS = frozenset({
    "age", "throughput_months", "support_years_before", "throughput_trend", "share", "result_share",
    "result_share_excluding_transfers", "top_two_share", "mean", "median", "min", "max", "change", "months",
    "longest_months", "shortest_months", "hours", "cost_per_participant", "mean_first", "mean_latest",
})
HEADER_KEYS = frozenset({"team", "federation", "teams", "from", "to", "frozen", "changed_since_frozen",
                         "suppressed", "source", "settings"})
# Figures about the organisation (staff, budget, meetings), not about people: shown as they are.
ORGANISATION_KEYS = frozenset({"staff", "economy", "meetings"})
NESTED_REPORTS = ("previous_period",)
SKIPPED = MEASURE_KEYS | HEADER_KEYS | ORGANISATION_KEYS | frozenset(NESTED_REPORTS)
AGE_POPULATIONS = {"participants": ("participants_in_period", "participants_in_period_by_gender"),
                   "active_at_end": ("enrolled_at_end", "enrolled_at_end_by_gender"),
                   "exits": ("exits_total", "exits_by_gender")}
MEASURES_BY_SIZE = ("throughput_months", "support_years_before")


def dig(report: dict, *keys):
    """A figure deep in a report (dicts by key, lists by index, as `_walk` names its paths), or
    None where the report has no such key (an imported history's previous period, or `economy`
    before budget lines exist)."""
    value = report
    for key in keys:
        if isinstance(value, dict):
            if key not in value:
                return None
        elif not (isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value)):
            return None
        value = value[key]
    return value


def _set(report: dict, path: tuple, value) -> None:
    dig(report, *path[:-1])[path[-1]] = value


def is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _walk(node, path: tuple = ()):
    """(path, value) of every leaf outside the skipped keys; lists are walked by index."""
    if isinstance(node, dict):
        for key, inner in node.items():
            if key not in SKIPPED:
                yield from _walk(inner, (*path, key))
    elif isinstance(node, list):
        for index, inner in enumerate(node):
            yield from _walk(inner, (*path, index))
    else:
        yield path, node


def count_cells(report: dict) -> list[tuple]:
    """Paths of every count (people or events) in the report, outside nested reports."""
    return [path for path, value in _walk(report) if is_count(value)]


def _grids(report: dict):
    """Every table: a dict whose count cells all lie at one depth below it, and which is not
    itself a row of a larger table; with that depth and its cells."""
    by_node: dict[tuple, list[tuple]] = defaultdict(list)
    for path in count_cells(report):
        for depth in range(len(path)):
            by_node[path[:depth]].append(path)
    uniform = {node: len({len(p) for p in leaves}) == 1 for node, leaves in by_node.items()}
    for node, leaves in by_node.items():
        if uniform[node] and len(leaves) > 1 and not (node and uniform.get(node[:-1])):
            yield node, len(leaves[0]) - len(node), leaves


def _slices(report: dict) -> list[tuple[tuple, tuple, int, list[tuple]]]:
    """(table, fixed coordinates, axes summed over, cells) for every way of adding up each table
    over some of its axes: a one-way table's line, a two-way table's rows, columns and whole."""
    slices = []
    for node, depth, leaves in _grids(report):
        for summed in itertools.chain.from_iterable(
                itertools.combinations(range(depth), n) for n in range(1, depth + 1)):
            along: dict[tuple, list[tuple]] = defaultdict(list)
            for leaf in leaves:
                rest = leaf[len(node):]
                along[tuple(k for axis, k in enumerate(rest) if axis not in summed)].append(leaf)
            slices += [(node, fixed, len(summed), sorted(cells, key=repr))
                       for fixed, cells in along.items() if len(cells) > 1]
    return slices


def _declared_relations(report: dict, settings: TeamSettings) -> list[list[tuple]]:
    """Linear relations between headline figures, and the team's result columns (sums of categories)."""
    categories = report.get("exits_by_category", {})
    excluded = [("exits_by_category", c) for c in settings.exclude_from_result if c in categories]
    within_trial = [("exits_within_trial",)] if settings.excludes_within_trial else []
    relations = [
        [("enrolled_at_start",), ("new_enrolments",), ("exits_total",), ("enrolled_at_end",)],
        [("enrolled_at_start",), ("new_enrolments",), ("participants_in_period",)],
        [("result_denominator",), ("exits_total",), *excluded, *within_trial],
    ]
    if not within_trial:
        relations.append([("goal_reached",), *[("exits_by_category", c) for c in settings.goal_categories
                                               if c in categories and c not in settings.exclude_from_result]])
    for columns in (settings.report_columns or {}).values():
        relations.append([("exits_by_category", c) for c in columns if c in categories])
    return relations


def _split_relations(report: dict) -> list[list[tuple]]:
    """The new splits' relations to their populations (`income_by_payer` counts a person once per
    payer, so its parts add up only with `extra_payer_counts` taken off); none for a report without them."""
    splits = split_groups(report) if "exits_by_category_gender" in report else []
    return [*splits, *survey_groups(report)]


class _TotalsIndex:
    """The count cells that may be the total of a slice of a table, in the report's order: a count
    named by a coordinate the slice holds fixed (`exits_by_gender.woman` for the women's column of
    `exits_by_category_gender`), or a count beside or above the table (`exits_total` for
    `exits_by_category`). A single row or column of a table of two or more ways is not matched with
    the counts beside the table: its sum equals one of them by chance more often than not.

    Cells are looked up by value and by what matches (their last key, their parent): scanning every
    cell of the slice's value instead is quadratic in the zeros a report holds.
    """

    def __init__(self, report: dict, cells: list[tuple]):
        self.position = {path: index for index, path in enumerate(cells)}
        self.by_last: dict[tuple, list[tuple]] = defaultdict(list)
        self.by_parent: dict[tuple, list[tuple]] = defaultdict(list)
        for path in cells:
            value = dig(report, *path)
            if len(path) > 1:
                self.by_last[value, path[-1]].append(path)
            self.by_parent[value, path[:-1]].append(path)

    def candidates(self, total: int, node: tuple, fixed: tuple, summed: int) -> list[tuple]:
        found = {path for key in set(fixed) for path in self.by_last.get((total, key), ())}
        if not (fixed and summed == 1):
            found.update(path for depth in range(len(node)) for path in self.by_parent.get((total, node[:depth]), ()))
        return sorted(found, key=self.position.__getitem__)


def additive_groups(report: dict, settings: TeamSettings) -> list[list[tuple]]:
    """Cells bound by a sum or difference shown in the same report: one hidden cell would be derivable.

    A slice's total is any count cell that may be one (`_TotalsIndex`) holding the slice's sum; a
    coincidence only hides more than needed, never less.
    """
    cells = count_cells(report)
    totals = _TotalsIndex(report, cells)
    groups = []
    for node, fixed, summed, parts in _slices(report):
        total = sum(dig(report, *p) for p in parts)
        own = set(parts)
        groups += [[*parts, candidate] for candidate in totals.candidates(total, node, fixed, summed)
                   if candidate not in own]
    known = set(cells)
    for relation in [*_declared_relations(report, settings), *_split_relations(report)]:
        if len(relation) > 1 and all(p in known for p in relation):
            groups.append(relation)
    return groups


def suppress(report: dict, sizes: dict, settings: TeamSettings) -> dict:
    """A copy of the report fit for readers outside the team; `settings` are those the report used."""
    result = copy.deepcopy(report)
    primary = {p for p in count_cells(report) if 0 < dig(report, *p) < THRESHOLD}
    hidden = set(primary)
    groups = additive_groups(report, settings)
    _secondary(report, groups, hidden)
    _release_unneeded(report, groups, hidden, primary)
    for path in hidden:
        _set(result, path, SUPPRESSED if path in primary else HIDDEN)
    _derived(result, report, sizes or {}, hidden)
    _hide_cost_of_hidden_count(result, hidden)
    for key in NESTED_REPORTS:
        if isinstance(report.get(key), dict):
            result[key] = _suppressed_nested(report[key], (sizes or {}).get(key, {}), settings)
    result["suppressed"] = True
    return result


def _hide_cost_of_hidden_count(result: dict, hidden: set) -> None:
    """The total outcome divided by the cost per participant would give a hidden participant count."""
    economy = result.get("economy")
    if isinstance(economy, dict) and ("participants_in_period",) in hidden \
            and economy.get("cost_per_participant") is not None:
        economy["cost_per_participant"] = HIDDEN


def _suppressed_nested(nested: dict, sizes: dict, settings: TeamSettings) -> dict:
    """A nested report as a report of its own; imported history (aggregates of unknown sizes, whose
    parts need not add up) with every whole number of 1 or 2 hidden."""
    if nested.get("source") == "history":
        return _hide_small_numbers(nested)
    return suppress(nested, sizes, settings)


def _hide_small_numbers(value):
    if isinstance(value, dict):
        return {k: _hide_small_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide_small_numbers(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD:
        return SUPPRESSED
    return value


def _secondary_choice(report: dict, group: list[tuple], hidden: set) -> tuple | None:
    """The cell to hide with a lone hidden one: a part before the total (the total is worth more
    shown); one above the threshold (".." never stands on 1 or 2, so a hidden 1 beside a hidden 3
    could be told apart from their sum); a zero last (hiding it protects little); then the smallest."""
    deepest = max(len(p) for p in group)

    def order(path):
        value = dig(report, *path)
        tier = 0 if value > THRESHOLD else 1 if value == THRESHOLD else 2 if value else 3
        return len(path) < deepest, tier, value, repr(path)

    shown = [p for p in group if p not in hidden]
    return min(shown, key=order) if shown else None


def _secondary(report: dict, groups: list[list[tuple]], hidden: set) -> None:
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(1 for p in group if p in hidden) == 1:
                choice = _secondary_choice(report, group, hidden)
                if choice is not None:
                    hidden.add(choice)
                    changed = True


def _release_unneeded(report: dict, groups: list[list[tuple]], hidden: set, primary: set) -> None:
    """Show again every secondary cell (the largest first) that no group needs hidden any more:
    the order groups were visited in can hide more than the relations ask for."""
    groups_of: dict[tuple, list[list[tuple]]] = defaultdict(list)
    for group in groups:
        for path in group:
            groups_of[path].append(group)
    for path in sorted(hidden - primary, key=lambda p: (-dig(report, *p), repr(p))):
        hidden.discard(path)
        if any(sum(1 for p in group if p in hidden) == 1 for group in groups_of[path]):
            hidden.add(path)


def _hide_if(result: dict, path: tuple, condition: bool) -> None:
    if condition and dig(result, *path) is not None:
        _set(result, path, HIDDEN)


def _small_or_unknown(n) -> bool:
    """A size the computation did not report counts as small: a measure is hidden rather than risked."""
    return not is_count(n) or n < THRESHOLD


def _derived(result: dict, report: dict, sizes: dict, hidden: set) -> None:
    """Means, extremes and shares over fewer than 3 people or over a hidden count."""
    headline = bool({("goal_reached",), ("result_denominator",)} & hidden)
    _hide_if(result, ("result_share",), headline)
    num, den = sizes.get("result_share_excluding_transfers", (None, None))
    _hide_if(result, ("result_share_excluding_transfers",), headline or _small_or_unknown(num)
             or _small_or_unknown(den))
    _hide_if(result, ("active_jobseekers", "share"), ("active_jobseekers", "count") in hidden)
    for key in MEASURES_BY_SIZE:
        for population, values in (report.get(key) or {}).items():
            for cell in values:
                n = sizes.get(key, {}).get(population, {}).get(cell)
                _hide_if(result, (key, population, cell), _small_or_unknown(n))
    for population, (total, split) in AGE_POPULATIONS.items():
        if dig(report, "age", population) is None:
            continue
        for stat in ("mean", "median", "min", "max"):
            _hide_if(result, ("age", population, stat), _small_or_unknown(report.get(total)))
        for gender in GENDERS:
            _hide_if(result, ("age", population, gender), _small_or_unknown(report.get(split, {}).get(gender)))
    for source in report.get("income_before_after", {}):
        either = {("income_before_after", source, "before"), ("income_before_after", source, "after")} & hidden
        _hide_if(result, ("income_before_after", source, "change"), bool(either))
    for key in ("longest_months", "shortest_months"):
        _hide_if(result, ("queue_at_end", key), ("queue_at_end", "count") in hidden)
    hide_survey_measures(result, hidden, THRESHOLD, HIDDEN)
    trend_sizes = sizes.get("throughput_trend", [])
    for index, point in enumerate(result.get("throughput_trend", [])):
        n = trend_sizes[index] if index < len(trend_sizes) else None
        if _small_or_unknown(n) and point.get("months") is not None:
            point["months"] = HIDDEN
