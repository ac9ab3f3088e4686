"""Every figure of DOMAIN.md §3 for a period, as a pure function over plain rows.

Input: participants' statistical facts and their events (`facts.py`), the settings of each team
(deciding trial months, goal categories and exclusions per exit) and the settings whose brackets
and columns the report uses. Output: the JSON object of DOMAIN.md §3/§6, every category, gender and
bracket present (zeros included), an `outside` bucket where a value can fall outside them (an age
outside the brackets, an enrolment without a referral, no income source given), means with one
decimal, shares with three, null when no data.
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable

from dateutil.relativedelta import relativedelta

from casework.reports.facts import EventFact, HistoryFigures, ParticipantFacts
from casework.reports.groups import group_figures
from casework.reports.numbers import mean, round_half_up, share
from casework.reports.paths import Episode, Path, effective_facts, log_key, path_of
from casework.reports.periods import Period, add_months, half_year_ends
from casework.reports.previous import previous_or_history, previous_period_of, trend_with_history, without_trend
from casework.reports.splits import OUTSIDE, Populations, by_income, by_referrer, split_figures
from casework.reports.surveys import post_exit_cohorts, survey_figures
from casework.teams.settings import TeamSettings
from casework.vocab import (
    EDUCATION_LEVELS,
    EXIT_CATEGORIES,
    GENDERS,
    INCOME_SOURCES,
    POST_EXIT_MONTHS,
    POST_EXIT_STATUSES,
)

DAYS_PER_MONTH = 30.4375
ON_TIME_DAYS = 14
TREND_POINTS = 5
NOT_WORK_OR_STUDIES = frozenset(EXIT_CATEGORIES) - {"work", "studies"}


def whole_or_decimal(value: float | None):
    if value is None:
        return None
    value = round_half_up(value, 1)
    return int(value) if value == int(value) else value


def age_bracket_labels(brackets: tuple[int, ...]) -> list[tuple[str, int, int]]:
    """(18, 31, 46, 65) → [("18-30", 18, 30), ("31-45", 31, 45), ("46-64", 46, 64)]."""
    return [(f"{low}-{high - 1}", low, high - 1) for low, high in zip(brackets, brackets[1:], strict=False)]


def age_bracket(age: int, labels) -> str | None:
    return next((label for label, low, high in labels if low <= age <= high), None)


def support_bracket_labels(brackets: tuple[int, ...]) -> list[str]:
    return [f"<={b}" for b in brackets] + [f">{brackets[-1]}", "unknown"]


def support_bracket(months: int | None, brackets: tuple[int, ...]) -> str:
    if months is None:
        return "unknown"
    return next((f"<={b}" for b in brackets if months <= b), f">{brackets[-1]}")


def months_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def by_gender(items: Iterable, value: Callable | None = None) -> dict:
    """Counts per gender (every gender present), or when `value` is given the mean per gender."""
    items = list(items)
    if value is None:
        counts = dict.fromkeys(GENDERS, 0)
        for item in items:
            counts[item.gender] = counts.get(item.gender, 0) + 1
        return counts
    result = {"all": mean([value(i) for i in items])}
    for gender in GENDERS:
        result[gender] = mean([value(i) for i in items if i.gender == gender])
    return result


def zeros(keys) -> dict:
    return dict.fromkeys(keys, 0)


def compute_report(participants: Iterable[ParticipantFacts], events: Iterable[EventFact], period: Period,
                   settings_by_team: dict[str, TeamSettings], settings: TeamSettings,
                   header: dict | None = None, sizes: dict | None = None,
                   history: tuple[HistoryFigures, ...] = ()) -> dict:
    """The report of DOMAIN.md §3 for `period` over these participants' logs (one pass per log),
    with `previous_period` derived from the same paths (or from `history`, see `previous.py`): every
    key but the throughput trend, whose windows the report's own trend already shows.

    When `sizes` is given it is filled with the number of people behind each mean and share that
    the report does not show as a count (what suppression for readers outside the team needs);
    those of the previous period under `sizes["previous_period"]`.
    """
    paths = paths_of(participants, events, settings_by_team, settings)
    return report_with_previous(paths, period, settings, settings_by_team, header, sizes, history)


def paths_of(participants: Iterable[ParticipantFacts], events: Iterable[EventFact],
             settings_by_team: dict[str, TeamSettings], settings: TeamSettings) -> list[Path]:
    """Every participant's path (one pass over each log): what any number of reports can share."""
    by_participant = effective_logs(events)
    no_events: list[EventFact] = []
    return [path_of(p, by_participant.get(p.id, no_events), settings_by_team.get(p.team_id, settings))
            for p in participants]


def report_with_previous(paths: list[Path], period: Period, settings: TeamSettings,
                         settings_by_team: dict[str, TeamSettings], header: dict | None = None,
                         sizes: dict | None = None, history: tuple[HistoryFigures, ...] = ()) -> dict:
    """The report of these paths for `period` with its `previous_period` (see `compute_report`)."""
    report = report_from_paths(paths, period, settings, settings_by_team, header, sizes, history)
    previous_sizes: dict | None = {} if sizes is not None else None
    previous = report_from_paths(paths, previous_period_of(period), settings, settings_by_team,
                                 sizes=previous_sizes, history=history)
    report["previous_period"] = previous_or_history(without_trend(previous, previous_sizes), history)
    if sizes is not None:
        sizes["previous_period"] = previous_sizes
    return report


def effective_logs(events: Iterable[EventFact]) -> dict[str, list[EventFact]]:
    """Each participant's effective events in log order: `paths.effective_facts` per participant,
    with corrections (rare) resolved only for the participants who have any."""
    by_participant: dict[str, list[EventFact]] = defaultdict(list)
    corrected = set()
    for event in events:
        by_participant[event.participant_id].append(event)
        if event.type == "correction":
            corrected.add(event.participant_id)
    for pid in corrected:
        by_participant[pid] = effective_facts(by_participant[pid])
    for pid, log in by_participant.items():
        if pid not in corrected:
            log.sort(key=log_key)
    return by_participant


def report_from_paths(paths: list[Path], period: Period, settings: TeamSettings,
                      settings_by_team: dict[str, TeamSettings], header: dict | None = None,
                      sizes: dict | None = None, history: tuple[HistoryFigures, ...] = ()) -> dict:
    start, end = period.start, period.end
    episodes = [e for p in paths for e in p.episodes]
    at_start = [e for e in episodes if e.enrolled_on < start and (e.exited_on is None or e.exited_on >= start)]
    new = [e for e in episodes if period.contains(e.enrolled_on)]
    exits = [e for e in episodes if period.contains(e.exited_on)]
    at_end = [e for e in episodes if e.active_on(end)]
    counted = [e for e in exits if e.counted]
    goal = [e for e in counted if e.goal]
    in_period = at_start + new
    jobseekers = [e for e in counted if e.exit.get("active_jobseeker") and e.exit.get("category") in NOT_WORK_OR_STUDIES]
    not_transferred = [e for e in counted if not e.exit.get("transfer")]
    age_labels = age_bracket_labels(settings.age_brackets)

    report = dict(header or {})
    report.update({
        "from": start.isoformat(),
        "to": end.isoformat(),
        "enrolled_at_start": len(at_start),
        "new_enrolments": len(new),
        "exits_total": len(exits),
        "exits_by_category": _count(exits, lambda e: e.exit.get("category"), EXIT_CATEGORIES),
        "enrolled_at_end": len(at_end),
        "exits_within_trial": sum(1 for e in exits if e.within_trial),
        "goal_reached": len(goal),
        "result_denominator": len(counted),
        "result_share": share(len(goal), len(counted)),
        "result_share_excluding_transfers": share(sum(1 for e in not_transferred if e.goal), len(not_transferred)),
        "active_jobseekers": {"count": len(jobseekers), "share": share(len(jobseekers), len(counted))},
        "participants_in_period": len(in_period),
        "participants_in_period_by_gender": by_gender(in_period),
        "new_by_gender": by_gender(new),
        "exits_by_gender": by_gender(exits),
        "goal_reached_by_gender": by_gender(goal),
        "enrolled_at_end_by_gender": by_gender(at_end),
        "new_by_age": _count(new, lambda e: age_bracket(e.enrolled_on.year - e.person.birth_year, age_labels)
                             or OUTSIDE, [*[label for label, _, _ in age_labels], OUTSIDE]),
        "new_by_referrer": by_referrer(new),
        "new_by_income": by_income(new),
        "new_by_education": _count(new, lambda e: e.person.education, EDUCATION_LEVELS),
        "new_by_support_time": _count(
            new, lambda e: support_bracket(e.person.support_months_before, settings.support_brackets_months),
            support_bracket_labels(settings.support_brackets_months)),
        "throughput_months": {"all": by_gender(counted, _throughput), "goal_reached": by_gender(goal, _throughput)},
        "support_years_before": {
            "all": by_gender([e for e in counted if e.person.support_months_before is not None], _support_years),
            "goal_reached": by_gender([e for e in goal if e.person.support_months_before is not None],
                                      _support_years),
        },
        "age": {
            "participants": _age_stats([(e, end.year - e.person.birth_year) for e in in_period]),
            "active_at_end": _age_stats([(e, end.year - e.person.birth_year) for e in at_end]),
            "exits": _age_stats([(e, e.exited_on.year - e.person.birth_year) for e in exits]),
        },
        "income_before_after": _income_before_after(exits),
        "queue_at_end": _queue(paths, end),
        "work_training_participants": sum(
            1 for p in paths if any(s <= end and (e is None or e >= start) for s, e in p.work_training)),
        "follow_ups": _follow_ups(episodes, period, settings_by_team, settings),
        "post_exit": _post_exit(paths, period),
        "post_exit_cohorts": post_exit_cohorts(paths, period),
        "throughput_trend": _trend(episodes, end),
        "results_by_age_gender": _results_by_age_gender(counted, age_labels),
    })
    report.update(split_figures(paths, period, Populations(at_start, new, exits, counted, in_period)))
    report["groups"] = group_figures(paths, period)
    report.update(survey_figures(paths, period, settings, settings_by_team))
    trend_sizes = [len(_window(episodes, w)) for w in half_year_ends(end, TREND_POINTS)] if (
        sizes is not None or history) else [0] * TREND_POINTS
    trend_with_history(report["throughput_trend"], trend_sizes, history)
    if sizes is not None:
        with_support = [e for e in counted if e.person.support_months_before is not None]
        sizes.update({
            "throughput_months": {"all": _sizes(counted), "goal_reached": _sizes(goal)},
            "support_years_before": {"all": _sizes(with_support),
                                     "goal_reached": _sizes([e for e in with_support if e.goal])},
            "result_share_excluding_transfers": (sum(1 for e in not_transferred if e.goal), len(not_transferred)),
            "throughput_trend": trend_sizes,
        })
    return report


def _sizes(episodes: list[Episode]) -> dict:
    return {"all": len(episodes), **by_gender(episodes)}


def _count(items, key: Callable, keys) -> dict:
    counts = zeros(keys)
    for item in items:
        value = key(item)
        if value in counts:
            counts[value] += 1
    return counts


def _count_many(items, key: Callable, keys) -> dict:
    counts = zeros(keys)
    for item in items:
        for value in set(key(item)):
            if value in counts:
                counts[value] += 1
    return counts


def _throughput(episode: Episode) -> float:
    return months_between(episode.enrolled_on, episode.exited_on)


def _support_years(episode: Episode) -> float:
    return episode.person.support_months_before / 12


def _age_stats(pairs: list[tuple[Episode, int]]) -> dict:
    ages = [age for _, age in pairs]
    result = {
        "mean": mean(ages),
        "median": whole_or_decimal(statistics.median(ages)) if ages else None,
        "min": min(ages, default=None),
        "max": max(ages, default=None),
    }
    for gender in GENDERS:
        result[gender] = mean([age for e, age in pairs if e.gender == gender])
    return result


def _income_before_after(exits: list[Episode]) -> dict:
    before = _count_many(exits, lambda e: e.income_before, INCOME_SOURCES)
    after = _count_many(exits, lambda e: e.exit.get("income_sources") or (), INCOME_SOURCES)
    return {k: {"before": before[k], "after": after[k], "change": after[k] - before[k]} for k in INCOME_SOURCES}


def _queue(paths: list[Path], end: dt.date) -> dict:
    waits = [months_between(r.received_on, end) for p in paths for r in p.referrals
             if r.received_on <= end and (r.resolved_on is None or r.resolved_on > end)]
    return {"count": len(waits), "longest_months": round_half_up(max(waits), 1) if waits else None,
            "shortest_months": round_half_up(min(waits), 1) if waits else None}


def _follow_ups(episodes: list[Episode], period: Period, settings_by_team: dict[str, TeamSettings],
                default: TeamSettings) -> dict:
    """Follow-ups with the referrer, due every interval after enrolment or the last held one.

    Each due date is answered by the first held follow-up after the previous anchor; it is held
    on time within 14 days of the due date. A due date after the exit is not due.
    """
    totals = {"due": 0, "held": 0, "held_on_time": 0, "overdue_at_end": 0}
    for episode in episodes:
        if episode.exited_on is not None and episode.exited_on < period.start:
            continue  # every due date is on or before the exit: none due in the period, none overdue at its end
        interval = settings_by_team.get(episode.person.team_id, default).follow_up_interval_months
        _walk_follow_ups(episode, period, interval, totals)
    return totals


def _walk_follow_ups(episode: Episode, period: Period, interval: int, totals: dict) -> None:
    anchor, held = episode.enrolled_on, sorted(episode.held_follow_ups)
    index = 0
    while True:
        due = add_months(anchor, interval)
        if due > period.end or (episode.exited_on is not None and due > episode.exited_on):
            return
        while index < len(held) and held[index] <= anchor:
            index += 1
        answer = held[index] if index < len(held) and held[index] <= period.end else None
        if due >= period.start:
            totals["due"] += 1
            if answer is not None:
                totals["held"] += 1
                totals["held_on_time"] += abs((answer - due).days) <= ON_TIME_DAYS
        if answer is None:
            if episode.active_on(period.end) and due < period.end:
                totals["overdue_at_end"] += 1
            return
        anchor, index = answer, index + 1


def _post_exit(paths: list[Path], period: Period) -> dict:
    result = {str(m): zeros(POST_EXIT_STATUSES) for m in POST_EXIT_MONTHS}
    for path in paths:
        for day, months, status in path.post_exit:
            if period.contains(day) and str(months) in result and status in POST_EXIT_STATUSES:
                result[str(months)][status] += 1
    return result


def _trend(episodes: list[Episode], end: dt.date) -> list[dict]:
    points = []
    for window_end in half_year_ends(end, TREND_POINTS):
        window_start = _window_start(window_end)
        months = [_throughput(e) for e in _window(episodes, window_end)]
        points.append({"from": window_start.isoformat(), "to": window_end.isoformat(), "months": mean(months)})
    return points


def trend_start(end: dt.date) -> dt.date:
    """The first day of the earliest window of the throughput trend of a report ending on `end`."""
    return _window_start(half_year_ends(end, TREND_POINTS)[0])


def _window_start(window_end: dt.date) -> dt.date:
    return window_end - relativedelta(years=1) + dt.timedelta(days=1)


def _window(episodes: list[Episode], window_end: dt.date) -> list[Episode]:
    """Counted exits in the twelve months ending on `window_end`."""
    window_start = _window_start(window_end)
    return [e for e in episodes if e.counted and e.exited_on is not None and window_start <= e.exited_on <= window_end]


def _results_by_age_gender(counted: list[Episode], age_labels) -> dict:
    labels = [*[label for label, _, _ in age_labels], OUTSIDE]
    table = {label: {g: {"exits": 0, "goal_reached": 0} for g in GENDERS} for label in labels}
    for episode in counted:
        label = age_bracket(episode.exited_on.year - episode.person.birth_year, age_labels) or OUTSIDE
        if episode.gender not in GENDERS:
            continue
        table[label][episode.gender]["exits"] += 1
        table[label][episode.gender]["goal_reached"] += episode.goal
    return table
