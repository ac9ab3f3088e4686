"""Schedule benchmark: referrer links and the schedule reads on a synthetic deployment.

Four teams of `--participants` enrolled participants each (every one referred by one of
`--referrers` referrer e-mails, enrolled, with a held follow-up and a booking), written into a
fresh SQLite database (or the PostgreSQL URL given). Prints the time to reconcile the referrer
links after the load (`sync_links`, once for every referral event), the time of a reconcile with
nothing new (paid by every schedule read), a referrer's `GET /api/v1/schedule`, a coach's team
overview page and a calendar feed. Beside the overview, in the same run, two floors: reading the
team's events once (the one query of the log it needs, nothing done with the rows), and the
team's participant list page (the same logs read, the same names decrypted, by the page that
does it). Target (issue 15): the overview under 150 ms.

    .venv/bin/python bench/bench_schedule.py [--participants 110] [--referrers 30] [--runs 10]
        [--postgresql postgresql://postgres@127.0.0.1:5432/test_schedule] [--profile]

The PostgreSQL schema is dropped and recreated. Every name is synthetic.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sqlalchemy as sa  # noqa: E402
from benchlib import (  # noqa: E402
    PASSWORD,
    create_schema,
    get_page,
    make_app,
    print_figures,
    print_profile,
    read_events_once,
    sign_in,
    timed,
)
from dateutil.relativedelta import relativedelta  # noqa: E402


def print_median(label: str, func, repeat: int = 1):
    runs = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        runs.append(time.perf_counter() - start)
    print(f"{label:58s} {statistics.median(runs) * 1000:9.1f} ms" + (f" (median of {repeat})" if repeat > 1 else ""))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=110, help="enrolled participants per team (4 teams)")
    parser.add_argument("--referrers", type=int, default=30)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--postgresql", dest="database_url", default=os.environ.get("CASEWORK_BENCH_DATABASE_URL"))
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of one overview")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="casework-bench-") as folder:
        app = make_app(args, Path(folder))
        from argon2 import PasswordHasher

        from casework.auth import service as auth
        from casework.extensions import db

        auth.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        create_schema(app, reset=True)
        with app.app_context():
            print(f"database: {db.engine.dialect.name}; {4 * args.participants} participants, "
                  f"{args.referrers} referrers")
            load(args)
            measure(app, args)


def load(args) -> None:
    from casework.auth.service import create_user
    from casework.events.service import append_event
    from casework.extensions import db
    from casework.participants.service import register_participant
    from casework.teams.service import save_team

    today = dt.date.today()
    emails = [f"referrer{i}@bench.example" for i in range(args.referrers)]
    start = time.perf_counter()
    for t in range(4):
        team = save_team(f"bench-{t}", f"Bench {t}", "Benchförbundet", {})
        if t == 0:
            create_user({"email": "coach@bench.example", "role": "coach", "teams": [team.slug], "password": PASSWORD})
        for i in range(args.participants):
            p = register_participant(team, {"gender": "woman", "birth_year": 1980 + i % 30,
                                            "personal": {"name": f"Person {t} {i}"}})
            enrolled = today - relativedelta(months=1 + i % 7, days=i % 20)
            email = emails[(t * args.participants + i) % len(emails)]
            append_event(p, "referral_received", enrolled - dt.timedelta(days=14),
                         {"referrer_org": "fk", "referrer": {"name": "Bench", "email": email}})
            append_event(p, "enrolled", enrolled, {"consents": ["information_sharing"]})
            if i % 3 == 0 and enrolled + relativedelta(months=3) <= today:
                append_event(p, "follow_up", enrolled + relativedelta(months=3), {"status": "held"})
            if i % 4 == 0:
                append_event(p, "follow_up", today, {"status": "booked",
                                                     "scheduled_for": (today + dt.timedelta(days=i % 30)).isoformat(),
                                                     "scheduled_time": "10:00"})
        db.session.commit()
    for email in emails:
        create_user({"email": email, "role": "referrer", "password": PASSWORD})
    db.session.commit()
    print(f"{'load (append_event for every step)':58s} {(time.perf_counter() - start) * 1000:9.1f} ms")


def measure(app, args) -> None:
    from casework.auth.models import User
    from casework.auth.service import issue_token
    from casework.extensions import db
    from casework.schedule import calendar
    from casework.schedule.links import sync_links

    linked = print_median("sync_links after the load (first reconcile)", sync_links)
    db.session.commit()
    print(f"{'  links made':58s} {linked:9d}")
    print_median("sync_links with nothing new (every schedule read)", sync_links, repeat=20)

    referrer = db.session.scalar(sa.select(User).where(User.email == "referrer0@bench.example"))
    coach = db.session.scalar(sa.select(User).where(User.email == "coach@bench.example"))
    headers = {"Authorization": f"Bearer {issue_token(referrer)}"}
    feed_token = calendar.renew_feed(referrer)
    db.session.commit()
    client = app.test_client()

    def api_get():
        response = client.get("/api/v1/schedule", headers=headers)
        assert response.status_code == 200
        return len(response.get_json()["participants"])

    count = print_median("GET /api/v1/schedule as a referrer", api_get, repeat=10)
    print(f"{'  participants in it':58s} {count:9d}")
    print_median("GET /schedule/feed/<token>.ics (a referrer's feed)",
                 lambda: client.get(f"/schedule/feed/{feed_token}.ics").status_code, repeat=10)
    measure_overview(app, args, sign_in(app, coach.email))


def measure_overview(app, args, client) -> None:
    """The coach's team overview beside its floors, median of `--runs` after a warm-up each."""
    overview = get_page(client, "/schedule/team", "Uppföljningsöversikt")
    events_floor = timed(args.runs, read_events_once(app, "bench-0"))
    list_floor = timed(args.runs, get_page(client, "/teams/bench-0/participants", "/participants/"))
    figures = timed(args.runs, overview)
    print_figures("floor: reading the team's events once", events_floor)
    print_figures("floor: the team's participant list page", list_floor)
    print_figures(f"GET /schedule/team as a coach ({args.participants} enrolled)", figures, list_floor[0])
    print(f"target: the overview under 150 ms — {'met' if figures[0] < 0.150 else 'not met'}")
    if args.profile:
        print_profile(overview)


if __name__ == "__main__":
    main()
