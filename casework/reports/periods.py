"""Report periods: custom [from, to] (both inclusive), half-years, calendar and operational years."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from casework.errors import ValidationFailed

# Reports look back years before a period (trend, follow-ups) and a little after it: a period far
# outside any case's time would only overflow the calendar. The earliest birth year the register takes.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass(frozen=True)
class Period:
    """`name` is set when the period was asked for by name (2021H1, 2020, 2020/21): readers outside
    the team get named periods only. Two periods with the same days are equal, named or not."""

    start: dt.date
    end: dt.date
    name: str | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.end < self.start:
            raise ValidationFailed("period.ends_before_start", "The period ends before it starts.", "to")
        for day, field_name in ((self.start, "from"), (self.end, "to")):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise ValidationFailed("period.out_of_range", f"A report period lies within {FIRST_YEAR}–{LAST_YEAR}.",
                                       field_name, first=FIRST_YEAR, last=LAST_YEAR)

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


@lru_cache(maxsize=1 << 16)
def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, clipped to the month's end (31 Jan + 1 month = 28/29 Feb), as
    dateutil's relativedelta does; plain arithmetic, since reports do this for every episode
    (remembered: a federation's follow-up dates repeat over a few thousand days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day <= 28:
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(text, field: str) -> dt.date:
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat((text or "").strip())
    except (ValueError, TypeError, AttributeError):
        raise ValidationFailed("date.invalid", "Not a date (YYYY-MM-DD).", field) from None


def _in_range(year: int, field_name: str) -> int:
    """A named period's year, refused before a date is made of it (year 0 is no date at all)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed("period.out_of_range", f"A report period lies within {FIRST_YEAR}–{LAST_YEAR}.",
                               field_name, first=FIRST_YEAR, last=LAST_YEAR)
    return year


def half_year(text: str) -> Period:
    """`2021H1` is Jan–Jun 2021, `2021H2` Jul–Dec 2021."""
    match = re.fullmatch(r"(\d{4})H([12])", (text or "").strip().upper())
    if not match:
        raise ValidationFailed("period.half_year_invalid", "A half-year is written like 2021H1 or 2021H2.", "half_year")
    year, half = _in_range(int(match[1]), "half_year"), int(match[2])
    if half == 1:
        return Period(dt.date(year, 1, 1), dt.date(year, 6, 30), f"{year}H1")
    return Period(dt.date(year, 7, 1), dt.date(year, 12, 31), f"{year}H2")


def calendar_year(text) -> Period:
    match = re.fullmatch(r"\d{4}", str(text or "").strip())
    if not match:
        raise ValidationFailed("period.year_invalid", "A year is written like 2020.", "year")
    year = _in_range(int(match[0]), "year")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


def operational_year(text: str) -> Period:
    """`2020/21` (or `2020/2021`) is 2020-07-01 – 2021-06-30."""
    match = re.fullmatch(r"(\d{4})/(\d{2}|\d{4})", (text or "").strip())
    if not match or int(match[2][-2:]) != (int(match[1]) + 1) % 100:
        raise ValidationFailed("period.operational_year_invalid",
                               "An operational year is written like 2020/21.", "operational_year")
    year = _in_range(int(match[1]), "operational_year")
    return Period(dt.date(year, 7, 1), dt.date(year + 1, 6, 30), f"{year}/{(year + 1) % 100:02d}")


def year_of(start_year: int, year_start_month: int) -> Period:
    """The team's year starting in `start_year` (calendar when the year starts in January)."""
    start = dt.date(start_year, year_start_month, 1)
    return Period(start, start + relativedelta(years=1, days=-1))


def resolve(*, start=None, end=None, half=None, year=None, op_year=None) -> Period:
    """Exactly one way of naming the period: from+to, a half-year, a year or an operational year."""
    given = [name for name, value in (("from", start or end), ("half_year", half), ("year", year),
                                      ("operational_year", op_year)) if value]
    if len(given) != 1:
        raise ValidationFailed("period.one_needed",
                               "Give one period: --from and --to, --half-year, --year or --operational-year.",
                               "period")
    if half:
        return half_year(half)
    if year:
        return calendar_year(year)
    if op_year:
        return operational_year(op_year)
    if not start or not end:
        raise ValidationFailed("period.both_ends",
                               "Both the start and the end of the period are needed.", "to" if start else "from")
    return Period(parse_date(start, "from"), parse_date(end, "to"))


def half_year_ends(up_to: dt.date, count: int) -> list[dt.date]:
    """The last `count` half-year ends (30 June, 31 December) on or before `up_to`, oldest first."""
    year = up_to.year
    end = dt.date(year, 12, 31) if up_to >= dt.date(year, 12, 31) else (
        dt.date(year, 6, 30) if up_to >= dt.date(year, 6, 30) else dt.date(year - 1, 12, 31))
    ends = [end]
    while len(ends) < count:
        last = ends[-1]
        ends.append(dt.date(last.year, 6, 30) if last.month == 12 else dt.date(last.year - 1, 12, 31))
    return list(reversed(ends))


def ended_periods(first_day: dt.date, today: dt.date, year_start_month: int) -> list[tuple[str, Period]]:
    """Every half-year and (team) year that lies within [first_day's half-year, today) and has ended."""
    periods = []
    for year in range(max(first_day.year - 1, FIRST_YEAR), min(today.year, LAST_YEAR - 1) + 1):
        for key in (f"{year}H1", f"{year}H2"):
            periods.append((key, half_year(key)))
        name = str(year) if year_start_month == 1 else f"{year}/{(year + 1) % 100:02d}"
        periods.append((name, year_of(year, year_start_month)))
    return sorted(((k, p) for k, p in periods if p.end < today and p.end >= first_day),
                  key=lambda kp: (kp[1].end, kp[1].start))


def named(text: str) -> Period:
    """A period by name, as the report page offers them: 2021H1, 2020 or 2020/21."""
    text = (text or "").strip()
    if "H" in text.upper():
        return half_year(text)
    if "/" in text:
        return operational_year(text)
    return calendar_year(text)


def recent_choices(today: dt.date, year_start_month: int, count: int = 6) -> list[tuple[str, str]]:
    """(value, label) of the latest half-years and years, the most recent first."""
    choices = []
    for year in range(today.year, today.year - 4, -1):
        for half in (2, 1):
            key = f"{year}H{half}"
            if half_year(key).start <= today:
                choices.append((key, f"{'Första' if half == 1 else 'Andra'} halvåret {year}"))
    years = []
    for year in range(today.year, today.year - 4, -1):
        years.append((str(year), f"Kalenderåret {year}"))
        if dt.date(year, 7, 1) <= today:
            years.append((f"{year}/{(year + 1) % 100:02d}", f"Verksamhetsåret {year}/{(year + 1) % 100:02d}"))
    if year_start_month == 7:
        years.sort(key=lambda c: "/" not in c[0])
    return choices[:count] + years[:count]
