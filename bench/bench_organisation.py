"""Benchmark: the report's organisation keys (`staff`, `economy`, `meetings`) for a federation of
40 teams and for one team, a year with its previous period, as `reports.service` adds them.

    python bench/bench_organisation.py                      # fresh SQLite database in a temporary folder
    python bench/bench_organisation.py postgresql://postgres@127.0.0.1:5432/scratch --reset

Each team gets 12 staff periods (some changing extent mid-year), the four budget lines for three
years and two meetings a month for three years. Times `with_organisation_figures` on a report of
the year and its previous year (six queries and the sums), median of N runs; the floor, in the
same run, is the same six SELECTs with their rows fetched and nothing computed.
"""

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import add_database_arguments, create_schema, make_app, median_ms  # noqa: E402

TEAMS = 40
YEARS = (2019, 2020, 2021)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_arguments(parser)
    parser.add_argument("--runs", type=int, default=30)
    return parser.parse_args()


def populate(app) -> list[str]:
    from casework.extensions import db
    from casework.organisation.models import BudgetLine, Meeting, StaffPeriod
    from casework.teams.service import save_team
    from casework.vocab import BUDGET_LINES, EMPLOYERS

    employers = list(EMPLOYERS)
    with app.app_context():
        ids = []
        for number in range(TEAMS):
            team = save_team(f"org-bench-{number}", f"Org Bench {number}", "Benchförbundet", {})
            ids.append(team.id)
            for person in range(12):
                ref, employer = f"S{person:02d}", employers[person % len(employers)]
                db.session.add(StaffPeriod(team_id=team.id, staff_ref=ref, name=f"Person {person}", role="coach",
                                           employer=employer, extent_percent=50, start_date=dt.date(2019, 1, 1),
                                           end_date=dt.date(2020, 6, 30)))
                db.session.add(StaffPeriod(team_id=team.id, staff_ref=ref, name=f"Person {person}", role="coach",
                                           employer=employer, extent_percent=100, start_date=dt.date(2020, 7, 1)))
            for year in YEARS:
                for line in BUDGET_LINES:
                    db.session.add(BudgetLine(team_id=team.id, line=line, start_date=dt.date(year, 1, 1),
                                              end_date=dt.date(year, 12, 31), decided=500000, outcome=480000))
                for month in range(1, 13):
                    for day, kind in ((5, "steering_group"), (20, "collaboration")):
                        db.session.add(Meeting(team_id=team.id, date=dt.date(year, month, day), kind=kind))
        db.session.commit()
        return ids


def report_shell(year: int) -> dict:
    return {"from": f"{year}-01-01", "to": f"{year}-12-31", "participants_in_period": 1200,
            "previous_period": {"from": f"{year - 1}-01-01", "to": f"{year - 1}-12-31",
                                "participants_in_period": 1100, "source": "log"}}


def figures_run(app, team_ids: list[str]) -> None:
    from casework.reports.service import with_organisation_figures

    with app.app_context():
        report = report_shell(2020)
        with_organisation_figures(report, team_ids)
        assert report["economy"]["total"]["decided"] == 4 * 500000 * len(team_ids)


def floor_run(app, team_ids: list[str]) -> None:
    from casework.organisation.figures import _budget, _meeting_kinds, _staff

    with app.app_context():
        for year in (2020, 2019):
            _staff(team_ids), _budget(team_ids), _meeting_kinds(team_ids, dt.date(year, 1, 1), dt.date(year, 12, 31))


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(args, Path(tmp))
        create_schema(app, args.reset)
        team_ids = populate(app)
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}; {TEAMS} teams; {args.runs} runs")
        for label, ids in (("federation (40 teams)", team_ids), ("one team", team_ids[:1])):
            figures = median_ms(lambda ids=ids: figures_run(app, ids), args.runs)
            floor = median_ms(lambda ids=ids: floor_run(app, ids), args.runs)
            print(f"{label}: organisation keys, year + previous {figures:.1f} ms; floor (the six SELECTs) "
                  f"{floor:.1f} ms; {figures / floor:.2f}x floor")


if __name__ == "__main__":
    main()
