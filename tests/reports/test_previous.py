"""The previous period beside a report, derived from the same paths, or from imported history."""

import datetime as dt

from casework.reports.compute import compute_report
from casework.reports.facts import HistoryFigures
from casework.reports.periods import Period, half_year, operational_year
from casework.reports.previous import previous_period_of
from casework.reports.suppress import suppress
from tests.reports.test_splits import SETTINGS, report, small_log

HISTORY_2019 = HistoryFigures(dt.date(2019, 1, 1), dt.date(2019, 12, 31),
                              {"exits_total": 30, "throughput_months": {"all": {"all": 28.5}}}, "Verksamhetsberättelse 2019")


def test_previous_of_a_named_period_is_the_one_before_it():
    assert previous_period_of(half_year("2021H1")) == half_year("2020H2")
    assert previous_period_of(operational_year("2020/21")) == operational_year("2019/20")
    assert previous_period_of(Period(dt.date(2021, 3, 10), dt.date(2021, 3, 19))) == Period(
        dt.date(2021, 2, 28), dt.date(2021, 3, 9))


def test_previous_period_equals_its_own_report():
    people, events = small_log()
    alone = compute_report(people, events, Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31)), {"t": SETTINGS},
                           SETTINGS)
    previous = report()["previous_period"]
    assert previous["source"] == "log"
    assert {k: v for k, v in previous.items() if k != "source"} == {
        k: v for k, v in alone.items() if k not in ("previous_period", "throughput_trend")}
    assert "previous_period" not in previous  # not nested further
    assert previous["new_enrolments"] == 1 and previous["enrolled_at_end"] == 1


def test_history_stands_in_where_the_log_has_nothing():
    r = report(Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31)), history=(HISTORY_2019,))
    assert r["previous_period"] == {"from": "2019-01-01", "to": "2019-12-31", "source": "history",
                                    "history_source": "Verksamhetsberättelse 2019", "exits_total": 30,
                                    "throughput_months": {"all": {"all": 28.5}}}
    point = next(p for p in r["throughput_trend"] if p["to"] == "2019-12-31")
    assert (point["months"], point["source"], point["history_source"]) == (28.5, "history", "Verksamhetsberättelse 2019")


def test_history_is_never_mixed_with_the_log():
    """A history for a period the log has figures for is ignored."""
    history = HistoryFigures(dt.date(2020, 1, 1), dt.date(2020, 12, 31),
                             {"exits_total": 99, "throughput_months": {"all": {"all": 1.0}}}, "hand count")
    r = report(history=(history,))
    assert r["previous_period"]["source"] == "log" and r["previous_period"]["exits_total"] == 0
    assert r["previous_period"]["participants_in_period"] == 1


def test_suppression_reaches_the_previous_period():
    people, events = small_log()
    sizes: dict = {}
    r = compute_report(people, events, Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31)), {"t": SETTINGS},
                       SETTINGS, sizes=sizes)
    hidden = suppress(r, sizes, SETTINGS)
    assert hidden["previous_period"]["new_enrolments"] == "<3"
    assert hidden["unique_persons"] == 3 and hidden["intake"]["referrals_withdrawn"] == "<3"
    history = compute_report(people, events, Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31)), {"t": SETTINGS},
                             SETTINGS, sizes=(sizes := {}), history=(
                                 HISTORY_2019._replace(figures={"exits_total": 2, "goal_reached": 7}),))
    shown = suppress(history, sizes, SETTINGS)["previous_period"]
    assert (shown["exits_total"], shown["goal_reached"]) == ("<3", 7)
