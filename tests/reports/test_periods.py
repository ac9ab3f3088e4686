"""Naming report periods."""

import datetime as dt

import pytest

from casework.errors import ValidationFailed
from casework.reports import periods

D = dt.date


def test_shortcuts():
    assert periods.half_year("2021H1") == periods.Period(D(2021, 1, 1), D(2021, 6, 30))
    assert periods.half_year("2021h2") == periods.Period(D(2021, 7, 1), D(2021, 12, 31))
    assert periods.calendar_year("2020") == periods.Period(D(2020, 1, 1), D(2020, 12, 31))
    assert periods.operational_year("2020/21") == periods.Period(D(2020, 7, 1), D(2021, 6, 30))
    assert periods.operational_year("1999/2000") == periods.Period(D(1999, 7, 1), D(2000, 6, 30))
    assert periods.named("2021H2").start == D(2021, 7, 1)
    assert periods.named("2019/20").end == D(2020, 6, 30)


@pytest.mark.parametrize("call", [
    lambda: periods.half_year("2021"), lambda: periods.calendar_year("20x0"),
    lambda: periods.operational_year("2020/2022"), lambda: periods.parse_date("2021-02-30", "from"),
    lambda: periods.Period(D(2021, 2, 1), D(2021, 1, 31)), lambda: periods.resolve(start="2021-01-01"),
])
def test_bad_periods_are_refused(call):
    with pytest.raises(ValidationFailed):
        call()


def test_add_months_clips_to_the_month_end():
    assert periods.add_months(D(2021, 1, 31), 1) == D(2021, 2, 28)
    assert periods.add_months(D(2021, 3, 31), -1) == D(2021, 2, 28)


def test_half_year_ends_and_ended_periods():
    assert periods.half_year_ends(D(2021, 6, 29), 3) == [
        D(2019, 12, 31), D(2020, 6, 30), D(2020, 12, 31)]
    assert periods.half_year_ends(D(2021, 6, 30), 2) == [D(2020, 12, 31), D(2021, 6, 30)]
    ended = periods.ended_periods(D(2020, 9, 1), D(2021, 7, 2), 7)
    assert [name for name, _ in ended] == ["2020H2", "2020/21", "2021H1"]
    calendar = periods.ended_periods(D(2020, 9, 1), D(2021, 7, 2), 1)
    assert [name for name, _ in calendar] == ["2020", "2020H2", "2021H1"]
