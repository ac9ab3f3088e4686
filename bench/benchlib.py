"""What the benchmark scripts share: the app on a fresh database, signing a user in, timing and
profiling, synthetic personnummer and an emptied PostgreSQL schema.

Imports of `casework` are made inside the functions: a script sets CASEWORK_INSTANCE_PATH
(`make_app`) before the package is first imported.
"""

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from stdnum import luhn

PASSWORD = "benchmark password 1"


def synthetic_personnummer(birth: dt.date, serial: int) -> str:
    """A valid personnummer (Luhn check digit) for a synthetic person born on `birth`."""
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(body)}"


def empty_public_schema(engine) -> None:
    """Drop and recreate PostgreSQL's public schema, so the migrations start from nothing."""
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))


def add_database_arguments(parser: argparse.ArgumentParser) -> None:
    """The positional PostgreSQL URL and `--reset`, as `make_app` and `create_schema` read them."""
    parser.add_argument("database_url", nargs="?", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the PostgreSQL schema first")


def sqlalchemy_url(url: str | None, folder: Path) -> str:
    """The URL given (PostgreSQL through psycopg 3), or a fresh SQLite file in `folder`."""
    url = url or f"sqlite:///{folder / 'bench.sqlite'}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_app(args, folder: Path):
    """The application on `args.database_url` (or SQLite in `folder`), with a master key in `folder`."""
    os.environ["CASEWORK_INSTANCE_PATH"] = str(folder)
    from casework import create_app
    from casework.crypto.keyring import init_key_file

    if not (folder / "master.key").exists():
        init_key_file(folder / "master.key")
    return create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(args.database_url, folder),
                       "MASTER_KEY_FILE": str(folder / "master.key"),
                       "WTF_CSRF_ENABLED": False, "SERVER_NAME": "casework.bench"}, check_keys=False)


def create_schema(app, reset: bool) -> None:
    """Run the migrations; a PostgreSQL database that has tables is emptied only with `reset`."""
    from flask_migrate import upgrade

    from casework.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                tables = conn.execute(sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar()
                if tables and not reset:
                    sys.exit("The PostgreSQL database is not empty; pass --reset to drop its public schema.")
            empty_public_schema(db.engine)
        upgrade()


def sign_in(app, email: str, password: str = PASSWORD):
    """Password, then the first-time set-up of the second factor, as a new user would do it."""
    import pyotp

    from casework.auth.models import User
    from casework.extensions import db

    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/enrol"), response.status_code
    assert client.get("/login/enrol").status_code == 200
    with app.app_context():
        secret = db.session.scalar(db.select(User).where(User.email == email)).totp_secret
    response = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200, response.status_code
    return client


def run_times(work, runs: int, warm_up: bool = True) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of `runs` calls of `work()`, after one warm-up call."""
    if warm_up:
        work()
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    return walls, cpus


def timed(runs: int, work) -> tuple[float, float, float]:
    """(median wall-clock, min wall-clock, median CPU) seconds of `work()` after one warm-up."""
    walls, cpus = run_times(work, runs)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def median_ms(work, runs: int) -> float:
    """The median wall-clock milliseconds of `work()` over `runs` runs after one warm-up."""
    return statistics.median(run_times(work, runs)[0]) * 1000


def get_page(client, url: str, must_contain: str):
    """A call that GETs `url` and checks that the page came (200) with `must_contain` in it."""

    def get():
        response = client.get(url)
        assert response.status_code == 200 and must_contain in response.get_data(as_text=True), response.status_code

    return get


def print_figures(label: str, figures: tuple[float, float, float], floor: float | None = None,
                  floor_name: str = "the list page") -> None:
    """One line of `timed` figures, and their ratio to a floor's median when one is given."""
    median, least, cpu = figures
    ratio = f"; {median / floor:.1f}× {floor_name}" if floor else ""
    print(f"{label}: median {median * 1000:.1f} ms (min {least * 1000:.1f}, CPU {cpu * 1000:.1f}){ratio}")


def read_events_once(app, slug: str):
    """A floor: the one query of a team's events (what deriving states reads), rows fetched,
    nothing done with them."""
    from casework.events.models import Event
    from casework.events.service import STATE_COLUMNS
    from casework.extensions import db
    from casework.teams.models import Team

    def read():
        with app.app_context():
            team_id = db.session.scalar(sa.select(Team.id).where(Team.slug == slug))
            assert db.session.execute(sa.select(*STATE_COLUMNS).where(Event.team_id == team_id)).all()

    return read


def read_kept_states_once(app, slug: str):
    """A floor: the team's participants and their kept states read once (what the list page reads
    instead of the logs), rows fetched, nothing decoded."""
    from casework.events.models import KeptState
    from casework.extensions import db
    from casework.participants.models import Participant
    from casework.teams.models import Team

    def read():
        with app.app_context():
            team_id = db.session.scalar(sa.select(Team.id).where(Team.slug == slug))
            assert db.session.execute(sa.select(Participant).where(Participant.team_id == team_id)).all()
            assert db.session.execute(sa.select(KeptState.participant_id, KeptState.state).join(
                Participant, Participant.id == KeptState.participant_id).where(Participant.team_id == team_id)).all()

    return read


def rebuild_projection(app) -> None:
    """Make the state projection from the log (after a generator inserted events as plain rows) and
    print how long it took."""
    from casework.events.projection import rebuild_states
    from casework.extensions import db

    with app.app_context():
        started = time.perf_counter()
        counts = rebuild_states()
        db.session.commit()
        print(f"state projection rebuilt: {counts.participants} participants, {counts.events} events "
              f"in {time.perf_counter() - started:.2f} s")


def print_profile(work, sort: str = "cumulative", lines: int = 30) -> None:
    """The top of a cProfile of one call of `work()`."""
    profiler = cProfile.Profile()
    profiler.runcall(work)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(lines)
    print(out.getvalue())
