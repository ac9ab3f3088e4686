"""Benchmark: the federation's view (every team side by side, issue 14) for 40 teams.

    python bench/bench_federation.py [DATABASE_URL] [--participants N] [--events N] [--runs N] [--profile]

A federation of 40 teams generated straight into a fresh database (bench_reports' generator:
statistical facts and synthetic non-personal payloads only); by default 16,000 participants and
480,000 events over ten years, which gives each team some 90 participants in the measured year
(the teams of DOMAIN.md §1 have 25–110). DATABASE_URL defaults to a fresh SQLite file; a PostgreSQL
database is emptied first.

An analyst signs in through the login page; the page figure is the median of N requests for the
calendar year 2024 through the test client. Beside it, in the same run and run in turn with it:
its floor, the bare federation report (`build_report` for the federation and the year, what the
federation's own report page computes before any team is split out), and the view's computation
alone (`federation_figures`, suppressed as the analyst sees it). Target: page < 300 ms.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_list_page import PASSWORD, sign_in  # noqa: E402
from bench_reports import generate, interleaved, reset  # noqa: E402

FEDERATION = "Benchförbundet"
PERIOD = "2024"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--participants", type=int, default=16_000)
    parser.add_argument("--events", type=int, default=480_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of one page")
    return parser.parse_args()


def make_app(url: str | None, folder: Path):
    os.environ["CASEWORK_INSTANCE_PATH"] = str(folder)
    from casework import create_app
    from casework.crypto.keyring import init_key_file

    url = url or f"sqlite:///{folder / 'bench.sqlite'}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    init_key_file(folder / "master.key")
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "MASTER_KEY_FILE": str(folder / "master.key"),
                       "WTF_CSRF_ENABLED": False, "SERVER_NAME": "casework.bench"}, check_keys=False)


def populate(app, participants: int, events: int) -> str:
    import sqlalchemy as sa

    from casework.auth.service import create_user
    from casework.extensions import db

    with app.app_context():
        reset(db.engine)
        generate(db.engine, participants, events)
        db.session.commit()
        create_user({"email": "analyst@bench.example.org", "role": "analyst", "password": PASSWORD,
                     "federation": FEDERATION, "teams": [], "name": "Bench Analyst"})
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))
        db.session.remove()
        db.engine.dispose()  # SQLite reads the planner's statistics when a connection opens
    return "analyst@bench.example.org"


def in_context(app, func):
    def run():
        with app.app_context():
            func()
    return run


def floor_report():
    from casework.reports.periods import calendar_year
    from casework.reports.service import build_report, federation_scope
    from casework.teams.service import get_federation

    build_report(federation_scope(get_federation(FEDERATION)), calendar_year(PERIOD))


def view_figures():
    from casework.reports.federation import federation_figures
    from casework.reports.periods import calendar_year
    from casework.teams.service import get_federation

    return federation_figures(get_federation(FEDERATION), calendar_year(PERIOD), suppressed=True)


def page(client):
    def get():
        response = client.get("/federation/", query_string={"period": PERIOD})
        assert response.status_code == 200, response.status_code
    return get


def describe(app) -> str:
    with app.app_context():
        figures = view_figures()
        sizes = [figures.reports[t.id]["participants_in_period"] for t in figures.teams]
        shown = [s for s in sizes if isinstance(s, int)]
        return (f"{len(figures.teams)} teams, {figures.total['participants_in_period']} participants in {PERIOD} "
                f"({min(shown)}–{max(shown)} a team)")


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(args.url, Path(tmp))
        started = time.perf_counter()
        email = populate(app, args.participants, args.events)
        print(f"generated {args.participants} participants, {args.events} events in "
              f"{time.perf_counter() - started:.1f} s; {describe(app)}")
        client = sign_in(app, email)
        floor, figures, whole = interleaved(
            [in_context(app, floor_report), in_context(app, view_figures), page(client)], args.runs)
        with app.app_context():
            dialect = app.extensions["sqlalchemy"].engine.dialect.name
        print(f"{dialect}; median of {args.runs} runs, run in turn")
        print(f"floor: the federation's report for {PERIOD} (build_report):   {floor:7.0f} ms")
        print(f"the view's figures (40 team reports + total, suppressed): {figures:7.0f} ms "
              f"({figures / floor:.1f}× floor)")
        print(f"the federation page (analyst, through the test client):   {whole:7.0f} ms "
              f"({whole / floor:.1f}× floor); target < 300 ms")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(page(client))
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
