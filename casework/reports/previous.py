"""The previous period beside a report, and imported history where the log has nothing.

History (DOMAIN.md §6) holds aggregate figures of periods before the team used Casework. It is
shown as imported and marked `"source": "history"` with the history's own source text, and only
for a window where the log has nothing: never mixed with figures derived from the log.
"""

import datetime as dt

from casework.reports.facts import HistoryFigures
from casework.reports.periods import Period, add_months

LOG = "log"
HISTORY = "history"


def previous_period_of(period: Period) -> Period:
    """The period of equal length just before `period`: as many whole months when it is made of whole
    months (a half-year, a year: the one before, leap days or not), else as many days."""
    end = period.start - dt.timedelta(days=1)
    months = whole_months(period)
    if months:
        return Period(add_months(period.start, -months), end)
    return Period(end - (period.end - period.start), end)


def whole_months(period: Period) -> int | None:
    """How many calendar months the period spans, when it starts on a first and ends on a last day."""
    after = period.end + dt.timedelta(days=1)
    if period.start.day != 1 or after.day != 1:
        return None
    return (after.year - period.start.year) * 12 + after.month - period.start.month


def without_trend(previous: dict, sizes: dict | None) -> dict:
    """The previous period's report without its throughput trend: the report's own trend shows those
    windows already, and leaving it out spares loading the logs of yet another half-year."""
    previous.pop("throughput_trend")
    if sizes is not None:
        sizes.pop("throughput_trend")
    return previous


def log_is_silent(report: dict) -> bool:
    """Nobody in the period, no exit, nobody queuing and no intake step: the log has nothing for it."""
    intake = report["intake"]
    return not (report["participants_in_period"] or report["exits_total"] or report["queue_at_end"]["count"]
                or intake["study_visits"]["total"] or sum(intake["referrals_received"].values())
                or intake["referrals_withdrawn"])


def history_for(history: tuple[HistoryFigures, ...], start: dt.date, end: dt.date) -> HistoryFigures | None:
    return next((h for h in history if (h.start, h.end) == (start, end)), None)


def history_report(record: HistoryFigures) -> dict:
    return {"from": record.start.isoformat(), "to": record.end.isoformat(), "source": HISTORY,
            "history_source": record.source, **record.figures}


def previous_or_history(previous: dict, history: tuple[HistoryFigures, ...]) -> dict:
    """The log's report of the previous period, or the history imported for exactly that period
    when the log has nothing for it."""
    record = history_for(history, dt.date.fromisoformat(previous["from"]), dt.date.fromisoformat(previous["to"]))
    if record is not None and log_is_silent(previous):
        return history_report(record)
    return {**previous, "source": LOG}


def history_throughput(record: HistoryFigures | None) -> float | None:
    if record is None:
        return None
    value = record.figures.get("throughput_months", {}).get("all", {}).get("all")
    return value if isinstance(value, int | float) else None


def history_size(record: HistoryFigures) -> int:
    """The people behind a history's means, as far as its figures say (suppression needs it)."""
    for key in ("result_denominator", "exits_total"):
        value = record.figures.get(key)
        if isinstance(value, int | float):
            return int(value)
    return 0


def trend_with_history(points: list[dict], sizes: list[int], history: tuple[HistoryFigures, ...]) -> None:
    """Fill the trend's windows without a counted exit from history for exactly that window (in place)."""
    for index, point in enumerate(points):
        if point["months"] is not None:
            continue
        record = history_for(history, dt.date.fromisoformat(point["from"]), dt.date.fromisoformat(point["to"]))
        months = history_throughput(record)
        if months is not None:
            point.update(months=months, source=HISTORY, history_source=record.source)
            sizes[index] = history_size(record)
