"""The report's `staff`, `economy` and `meetings` keys, and Avesta's budget table (issue 14's check)."""

import datetime as dt
import json

from casework.exchange.service import import_lines
from casework.organisation.figures import economy_figures, staff_figures
from casework.reports.periods import Period
from casework.reports.service import build_report, figures, team_scope
from casework.teams.service import get_team

YEAR_2020 = Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31), "2020")
AVESTA = "samverkansteam-avesta"
# Avesta's "Tabell: budgetutfall per 2020-12-31": the first line as DOMAIN.md gives it, the others made
# up so that the remaining amounts add up to the seed's total of 99 868.
AVESTA_BUDGET = [("own_staff", 1900000, 1860162), ("external_services", 300000, 270000),
                 ("premises", 150000, 140030), ("other_costs", 80000, 59940)]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


PEOPLE = (("A1", "2019-11-04", None), ("A2", "2020-02-03", "2020-10-01"), ("A3", "2020-05-04", None),
          ("A4", "2020-09-01", None), ("A5", "2021-02-01", None))


def avesta_lines(people=PEOPLE) -> list[str]:
    records = [{"record": "team", "slug": AVESTA, "name": "Samverkansteam Avesta",
                "federation": "Södra Dalarnas Samordningsförbund"}]
    for ref, enrolled, exited in people:
        records.append({"record": "participant", "ref": ref, "team": AVESTA, "gender": "woman", "birth_year": 1985,
                        "anonymous": True})
        records.append({"record": "event", "id": f"{ref}-1", "ref": ref, "type": "enrolled", "date": enrolled,
                        "data": {"consents": ["documentation", "statistics"]}})
        if exited:
            records.append({"record": "event", "id": f"{ref}-2", "ref": ref, "type": "exited", "date": exited,
                            "data": {"category": "work"}})
    records += [{"record": "budget", "team": AVESTA, "from": "2020-01-01", "to": "2020-12-31", "line": line,
                 "decided": decided, "outcome": outcome, "forecast": None} for line, decided, outcome in AVESTA_BUDGET]
    return [json.dumps(r, ensure_ascii=False) for r in records]


def test_avesta_budget_gives_the_seeds_remaining_amounts_and_cost_per_participant():
    import_lines(avesta_lines())
    report = build_report(team_scope(get_team(AVESTA)), YEAR_2020)
    economy = report["economy"]
    assert economy["own_staff"] == {"decided": 1900000, "outcome": 1860162, "remaining": 39838, "forecast": None}
    assert [economy[line]["remaining"] for line, _, _ in AVESTA_BUDGET] == [39838, 30000, 9970, 20060]
    assert economy["total"]["remaining"] == 99868
    assert economy["total"]["outcome"] == 2330132
    assert report["participants_in_period"] == 4
    assert economy["cost_per_participant"] == round(2330132 / 4, 1)
    assert report["previous_period"]["economy"]["total"]["decided"] is None  # nothing budgeted for 2019


def test_analysts_see_the_budget_but_not_a_cost_that_gives_away_a_hidden_count():
    import_lines(avesta_lines())
    seen = figures(team_scope(get_team(AVESTA)), YEAR_2020, suppressed=True)
    assert seen["economy"]["total"]["remaining"] == 99868
    assert seen["participants_in_period"] == ".."  # total outcome / cost would give it back
    assert seen["economy"]["cost_per_participant"] == ".."


def test_analysts_see_the_cost_per_participant_when_the_count_is_shown():
    people = [(f"B{n}", f"2020-{n:02d}-01", None) for n in range(1, 11)]
    import_lines(avesta_lines(people))
    seen = figures(team_scope(get_team(AVESTA)), YEAR_2020, suppressed=True)
    assert seen["participants_in_period"] == 10
    assert seen["economy"]["cost_per_participant"] == round(2330132 / 10, 1)


def test_a_budget_line_counts_only_when_its_period_lies_in_the_report_period():
    lines = [("own_staff", day("2020-01-01"), day("2020-12-31"), 100, 60, None),
             ("premises", day("2020-07-01"), day("2021-06-30"), 50, 50, 55)]
    year = economy_figures(lines, day("2020-01-01"), day("2020-12-31"), 10)
    assert year["total"] == {"decided": 100, "outcome": 60, "remaining": 40, "forecast": None}
    assert year["premises"]["decided"] is None and year["partly_overlapping_lines"] == 1
    assert year["cost_per_participant"] == 6.0
    assert economy_figures(lines, day("2020-01-01"), day("2020-12-31"), 0)["cost_per_participant"] is None
    operational = economy_figures(lines, day("2020-07-01"), day("2021-06-30"), 10)
    assert operational["total"]["forecast"] == 55 and operational["partly_overlapping_lines"] == 1


def test_staff_as_full_time_equivalents_per_employer_with_starts_and_ends():
    periods = [("t", "S01", "af", 50, day("2019-01-01"), day("2020-03-31")),
               ("t", "S01", "af", 20, day("2020-04-01"), None),  # extent lowered: a change, not an end
               ("t", "S02", "municipality", 100, day("2020-02-01"), day("2020-10-31")),
               ("t", "S03", "municipality", 75, day("2018-01-01"), None)]
    staff = staff_figures(periods, day("2020-01-01"), day("2020-12-31"))
    assert staff["af"] == {"fte_at_start": 0.5, "fte_at_end": 0.2, "started": 0, "ended": 0}
    assert staff["municipality"] == {"fte_at_start": 0.75, "fte_at_end": 0.75, "started": 1, "ended": 1}
    assert staff["total"] == {"fte_at_start": 1.25, "fte_at_end": 0.95, "started": 1, "ended": 1}
    assert staff["fk"]["fte_at_start"] == 0


def test_meetings_by_kind_in_the_period(make_user, team):
    from casework.organisation.service import add_record

    lead = make_user("team_lead", [team])
    for date, kind in (("2020-03-10", "steering_group"), ("2020-09-10", "steering_group"),
                       ("2020-05-05", "collaboration"), ("2019-12-10", "steering_group")):
        add_record(lead, "meeting", team, {"date": date, "kind": kind})
    meetings = build_report(team_scope(team), YEAR_2020)["meetings"]
    assert meetings == {"steering_group": 2, "management_group": 0, "collaboration": 1, "other": 0, "total": 3}
