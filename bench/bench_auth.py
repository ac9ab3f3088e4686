"""Benchmark: two-factor sign-in, and what the security headers and the access-log write add to a page.

    python bench/bench_auth.py                       # fresh SQLite database in a temporary folder
    python bench/bench_auth.py postgresql://postgres@127.0.0.1:5432/scratch --reset
    python bench/bench_auth.py --runs 30 --profile   # also print the top of a cProfile of one sign-in

(a) Sign-in: POST /login with the password, then POST /login/code with the authenticator's code,
through the test client (server time, no network), with the production argon2 parameters
(`casework.auth.passwords.hasher`, printed). Floor: one bare `argon2.PasswordHasher().verify`
with the same parameters plus one `pyotp` verify. A code is accepted once per 30-second step, so
the sign-in clock (`casework.auth.clock.now`) moves a step ahead before each sign-in. Target
(issue 10): under 300 ms.

(b) A participant's page (GET /participants/<id>: facts, decrypted timeline, an access-log entry)
timed as it is, and again with the security-header hook removed and the access-log write
replaced by forgetting the noted reads; the difference is what the two add. Target: under 2 ms.
Runs of the two kinds alternate so that other load on the machine touches both alike.
"""

import argparse
import cProfile
import datetime as dt
import io
import logging
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_list_page import populate  # noqa: E402
from benchlib import PASSWORD, add_database_arguments, create_schema, make_app, sign_in  # noqa: E402

SIGN_IN_TARGET_MS = 300
HOOKS_TARGET_MS = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_arguments(parser)
    parser.add_argument("--runs", type=int, default=20, help="sign-ins, and page requests of each kind")
    parser.add_argument("--events", type=int, default=30, help="events in the participant's log")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of one sign-in")
    return parser.parse_args()


class SteppingClock:
    """The sign-in clock, moved one TOTP step (30 s) ahead by `step`, so every sign-in has a fresh code."""

    def __init__(self):
        self.now = dt.datetime.now(dt.UTC)

    def install(self):
        from casework.auth import clock

        clock.now = lambda: self.now

    def step(self):
        self.now += dt.timedelta(seconds=31)


def totp_secret(app, email: str) -> str:
    from casework.auth.models import User
    from casework.extensions import db

    with app.app_context():
        return db.session.scalar(db.select(User).where(User.email == email)).totp_secret


def one_sign_in(app, email: str, code: str) -> float:
    """Password, then code, in a new browser; the seconds the two requests took."""
    client = app.test_client()
    started = time.perf_counter()
    first = client.post("/login", data={"email": email, "password": PASSWORD})
    second = client.post("/login/code", data={"code": code})
    elapsed = time.perf_counter() - started
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code"), first.status_code
    assert second.status_code == 302, second.status_code
    return elapsed


def time_sign_ins(app, email: str, runs: int, clock: SteppingClock) -> list[float]:
    import pyotp

    totp = pyotp.TOTP(totp_secret(app, email))
    times = []
    for _ in range(runs + 1):  # the first is a warm-up
        clock.step()
        times.append(one_sign_in(app, email, totp.at(clock.now)))
    return times[1:]


def time_floor(runs: int) -> tuple[list[float], dict]:
    """Bare argon2 verify with the service's parameters, plus one pyotp verify."""
    import pyotp
    from argon2 import PasswordHasher

    from casework.auth.passwords import hasher

    bare = PasswordHasher(time_cost=hasher.time_cost, memory_cost=hasher.memory_cost, parallelism=hasher.parallelism,
                          hash_len=hasher.hash_len, salt_len=hasher.salt_len, type=hasher.type)
    stored = bare.hash(PASSWORD)
    totp = pyotp.TOTP(pyotp.random_base32())
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        bare.verify(stored, PASSWORD)
        totp.verify(totp.now(), valid_window=1)
        times.append(time.perf_counter() - started)
    parameters = {"type": hasher.type.name, "time_cost": hasher.time_cost, "memory_cost_kib": hasher.memory_cost,
                  "parallelism": hasher.parallelism, "hash_len": hasher.hash_len, "salt_len": hasher.salt_len}
    return times, parameters


class Hooks:
    """Switches the security-header hook and the access-log write off and on again."""

    def __init__(self, app):
        from casework.web.commands import WRITERS

        self.app = app
        self.writers = app.extensions[WRITERS]
        self.kept_writers = list(self.writers)

    def off(self):
        from casework.audit import access_log
        from casework.web.headers import secure_headers

        self.app.after_request_funcs[None].remove(secure_headers)
        self.writers[:] = [(pending, access_log.discard_pending) if write is access_log.write_pending else (pending, write)
                           for pending, write in self.kept_writers]

    def on(self):
        from casework.web.headers import secure_headers

        self.app.after_request_funcs[None].append(secure_headers)
        self.writers[:] = self.kept_writers


def participant_page(app, slug: str) -> str:
    from casework.extensions import db
    from casework.participants.models import Participant
    from casework.teams.models import Team

    with app.app_context():
        team = db.session.scalar(db.select(Team).where(Team.slug == slug))
        return f"/participants/{db.session.scalar(db.select(Participant.id).where(Participant.team_id == team.id))}"


def log_entries(app) -> int:
    from casework.audit.models import AccessLogEntry
    from casework.extensions import db

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AccessLogEntry))


def time_page(app, client, url: str, runs: int) -> tuple[list[float], list[float]]:
    """(with, without) the headers and the log write, alternating; checks that each did what it says."""
    hooks = Hooks(app)
    with_hooks, without = [], []
    client.get(url)  # warm-up
    for _ in range(runs):
        before = log_entries(app)
        started = time.perf_counter()
        response = client.get(url)
        with_hooks.append(time.perf_counter() - started)
        assert response.status_code == 200 and "Content-Security-Policy" in response.headers
        assert log_entries(app) == before + 1
        hooks.off()
        try:
            started = time.perf_counter()
            response = client.get(url)
            without.append(time.perf_counter() - started)
        finally:
            hooks.on()
        assert response.status_code == 200 and "Content-Security-Policy" not in response.headers
        assert log_entries(app) == before + 1
    return with_hooks, without


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def report_sign_in(times: list[float], floor: list[float], parameters: dict) -> None:
    print("argon2 parameters (casework.auth.passwords.hasher): "
          + ", ".join(f"{name}={value}" for name, value in parameters.items()))
    sign_in_median, floor_median = statistics.median(times), statistics.median(floor)
    print(f"sign-in (password + code): median {ms(sign_in_median)} over {len(times)} (min {ms(min(times))}, "
          f"max {ms(max(times))}); floor (argon2 verify + TOTP verify) median {ms(floor_median)}; "
          f"{sign_in_median / floor_median:.2f}x floor; target < {SIGN_IN_TARGET_MS} ms")


def report_page(with_hooks: list[float], without: list[float]) -> None:
    added = [a - b for a, b in zip(with_hooks, without, strict=True)]
    print(f"participant page: with headers and access-log write median {ms(statistics.median(with_hooks))}, "
          f"without (floor) {ms(statistics.median(without))}; added: median {ms(statistics.median(added))} "
          f"(difference of medians {ms(statistics.median(with_hooks) - statistics.median(without))}); "
          f"target < {HOOKS_TARGET_MS} ms")


def profile_sign_in(app, email: str, clock: SteppingClock) -> None:
    import pyotp

    clock.step()
    code = pyotp.TOTP(totp_secret(app, email)).at(clock.now)
    profiler = cProfile.Profile()
    profiler.enable()
    one_sign_in(app, email, code)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    print(out.getvalue())


def main():
    args = parse_args()
    logging.getLogger("casework.security").setLevel(logging.WARNING)  # a line per sign-in otherwise
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(args, Path(tmp))
        create_schema(app, args.reset)
        slug, email, events = populate(app, SimpleNamespace(participants=1, events=args.events))
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}; one participant, {events} events")
        client = sign_in(app, email)  # enrols the second factor

        with_hooks, without = time_page(app, client, participant_page(app, slug), args.runs)
        report_page(with_hooks, without)
        clock = SteppingClock()
        clock.install()
        times = time_sign_ins(app, email, args.runs, clock)
        floor, parameters = time_floor(args.runs)
        report_sign_in(times, floor, parameters)
        if args.profile:
            profile_sign_in(app, email, clock)


if __name__ == "__main__":
    main()
