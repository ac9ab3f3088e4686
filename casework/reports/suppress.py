"""Small-cell suppression for readers outside the team (analysts of the federation).

Every count below 3 becomes "<3". Secondary suppression: in every group of cells whose total
(or linear relation) is shown in the same table, a lone suppressed cell would be derivable, so the
smallest other cell of the group is suppressed too, repeated until nothing changes. Means, medians,
extremes and shares built on fewer than 3 people, or on a suppressed count, are suppressed as well.
"""

import copy

from casework.reports.splits import split_count_paths, split_groups
from casework.teams.settings import TeamSettings
from casework.vocab import GENDERS

SUPPRESSED = "<3"
THRESHOLD = 3
GENDER_POPULATIONS = {
    "participants_in_period_by_gender": "participants_in_period",
    "new_by_gender": "new_enrolments",
    "exits_by_gender": "exits_total",
    "goal_reached_by_gender": "goal_reached",
    "enrolled_at_end_by_gender": "enrolled_at_end",
}
NEW_SPLITS = ("new_by_age", "new_by_referrer", "new_by_education", "new_by_support_time")
AGE_POPULATIONS = {"participants": "participants_in_period", "active_at_end": "enrolled_at_end",
                   "exits": "exits_total"}


def _get(report: dict, path: tuple):
    value = report
    for key in path:
        value = value[key]
    return value


def _set(report: dict, path: tuple, value) -> None:
    target = _get(report, path[:-1])
    target[path[-1]] = value


def count_cells(report: dict) -> list[tuple]:
    """Paths of every count (people or episodes) in the report."""
    paths = [(k,) for k in ("enrolled_at_start", "new_enrolments", "exits_total", "enrolled_at_end",
                            "exits_within_trial", "goal_reached", "result_denominator", "participants_in_period",
                            "work_training_participants")]
    paths.append(("active_jobseekers", "count"))
    paths.append(("queue_at_end", "count"))
    for key in ("exits_by_category", *GENDER_POPULATIONS, *NEW_SPLITS, "new_by_income"):
        paths += [(key, k) for k in report[key]]
    paths += [("income_before_after", k, c) for k in report["income_before_after"] for c in ("before", "after")]
    paths += [("follow_ups", k) for k in report["follow_ups"]]
    paths += [("post_exit", m, s) for m in report["post_exit"] for s in report["post_exit"][m]]
    paths += [("results_by_age_gender", b, g, k) for b in report["results_by_age_gender"]
              for g in report["results_by_age_gender"][b] for k in ("exits", "goal_reached")]
    return paths + split_count_paths(report)


def additive_groups(report: dict, settings: TeamSettings) -> list[list[tuple]]:
    """Cells bound by a sum or difference shown in the same table: one hidden cell would be derivable."""
    excluded = [("exits_by_category", c) for c in settings.exclude_from_result if c in report["exits_by_category"]]
    within_trial = [("exits_within_trial",)] if settings.excludes_within_trial else []
    groups = [
        [("enrolled_at_start",), ("new_enrolments",), ("exits_total",), ("enrolled_at_end",)],
        [("enrolled_at_start",), ("new_enrolments",), ("participants_in_period",)],
        [("exits_total",), *[("exits_by_category", c) for c in report["exits_by_category"]]],
        [("result_denominator",), ("exits_total",), *excluded, *within_trial],
    ]
    if not within_trial:
        groups.append([("goal_reached",), *[("exits_by_category", c) for c in settings.goal_categories
                                            if c not in settings.exclude_from_result]])
    for split, total in GENDER_POPULATIONS.items():
        groups.append([(total,), *[(split, g) for g in report[split]]])
    for split in NEW_SPLITS:
        if sum(report[split].values()) == report["new_enrolments"]:
            groups.append([("new_enrolments",), *[(split, k) for k in report[split]]])
    cells = report["results_by_age_gender"]
    for kind, total in (("exits", "result_denominator"), ("goal_reached", "goal_reached")):
        paths = [("results_by_age_gender", b, g, kind) for b in cells for g in cells[b]]
        if sum(_get(report, p) for p in paths) == report[total]:
            groups.append([(total,), *paths])
    return groups + split_groups(report)


def suppress(report: dict, sizes: dict, settings: TeamSettings) -> dict:
    """A copy of the report fit for readers outside the team; `settings` are those the report used."""
    result = copy.deepcopy(report)
    hidden = {p for p in count_cells(report) if _get(report, p) < THRESHOLD}
    _secondary(report, additive_groups(report, settings), hidden)
    for path in hidden:
        _set(result, path, SUPPRESSED)
    _derived(result, report, sizes, hidden)
    if "previous_period" in report:
        result["previous_period"] = _suppressed_previous(report["previous_period"], sizes, settings)
    result["suppressed"] = True
    return result


def _suppressed_previous(previous: dict, sizes: dict, settings: TeamSettings) -> dict:
    """The previous period as the report itself; imported history (aggregates of unknown sizes) with
    every whole number below the threshold hidden."""
    if previous.get("source") == "history":
        return _hide_small_numbers(previous)
    return suppress(previous, sizes["previous_period"], settings)


def _hide_small_numbers(value):
    if isinstance(value, dict):
        return {k: _hide_small_numbers(v) for k, v in value.items()}
    if isinstance(value, int) and not isinstance(value, bool) and value < THRESHOLD:
        return SUPPRESSED
    return value


def _secondary(report: dict, groups: list[list[tuple]], hidden: set) -> None:
    changed = True
    while changed:
        changed = False
        for group in groups:
            lone = [p for p in group if p in hidden]
            if len(lone) == 1:
                shown = sorted((p for p in group if p not in hidden), key=lambda p: _get(report, p))
                if shown:
                    hidden.add(shown[0])
                    changed = True


def _hide_if(result: dict, path: tuple, condition: bool) -> None:
    if condition and _get(result, path) is not None:
        _set(result, path, SUPPRESSED)


def _derived(result: dict, report: dict, sizes: dict, hidden: set) -> None:
    small = lambda n: n < THRESHOLD  # noqa: E731
    _hide_if(result, ("result_share",), {("goal_reached",), ("result_denominator",)} & hidden)
    num, den = sizes["result_share_excluding_transfers"]
    _hide_if(result, ("result_share_excluding_transfers",), small(num) or small(den) or bool(
        {("goal_reached",), ("result_denominator",)} & hidden))
    _hide_if(result, ("active_jobseekers", "share"), ("active_jobseekers", "count") in hidden)
    for key in ("throughput_months", "support_years_before"):
        for population, counts in sizes[key].items():
            for cell, n in counts.items():
                _hide_if(result, (key, population, cell), small(n))
    for population, total in AGE_POPULATIONS.items():
        split = {"participants": "participants_in_period_by_gender", "active_at_end": "enrolled_at_end_by_gender",
                 "exits": "exits_by_gender"}[population]
        for stat in ("mean", "median", "min", "max"):
            _hide_if(result, ("age", population, stat), small(report[total]))
        for gender in GENDERS:
            _hide_if(result, ("age", population, gender), small(report[split][gender]))
    for source in report["income_before_after"]:
        either = {("income_before_after", source, "before"), ("income_before_after", source, "after")} & hidden
        _hide_if(result, ("income_before_after", source, "change"), bool(either))
    for key in ("longest_months", "shortest_months"):
        _hide_if(result, ("queue_at_end", key), ("queue_at_end", "count") in hidden)
    for point, n in zip(result.get("throughput_trend", []), sizes.get("throughput_trend", []), strict=False):
        if small(n) and point["months"] is not None:
            point["months"] = SUPPRESSED
