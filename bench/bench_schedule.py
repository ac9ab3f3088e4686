"""Schedule benchmark: referrer links and the schedule reads on a synthetic deployment.

Four teams of `--participants` enrolled participants each (every one referred by one of
`--referrers` referrer e-mails, enrolled, with a held follow-up and a booking), written into a
fresh SQLite database (or the PostgreSQL URL given). Prints the time to reconcile the referrer
links after the load (`sync_links`, once for every referral event), the time of a reconcile with
nothing new (paid by every schedule read), a referrer's `GET /api/v1/schedule`, a coach's team
overview page and a calendar feed.

    .venv/bin/python bench/bench_schedule.py [--participants 110] [--referrers 30]
        [--postgresql postgresql://postgres@127.0.0.1:5432/test_schedule]

The PostgreSQL schema is dropped and recreated. Every name is synthetic.
"""

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import sqlalchemy as sa  # noqa: E402
from benchlib import empty_public_schema  # noqa: E402
from dateutil.relativedelta import relativedelta  # noqa: E402

PASSWORD = "benchmark password"


def timed(label: str, func, repeat: int = 1):
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
    parser.add_argument("--postgresql", default=os.environ.get("CASEWORK_BENCH_DATABASE_URL"))
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="casework-bench-"))
    os.environ["CASEWORK_INSTANCE_PATH"] = str(instance)
    url = args.postgresql or f"sqlite:///{instance / 'bench.sqlite'}"
    url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)

    from argon2 import PasswordHasher

    from casework import create_app
    from casework.auth import service as auth
    from casework.crypto.keyring import init_key_file
    from casework.extensions import db

    if not (instance / "master.key").exists():
        init_key_file(instance / "master.key")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MASTER_KEY_FILE": str(instance / "master.key"),
                      "WTF_CSRF_ENABLED": False, "SERVER_NAME": "bench.local"}, check_keys=False)
    auth.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            empty_public_schema(db.engine)
        from flask_migrate import upgrade

        upgrade()
        print(f"database: {db.engine.dialect.name}; {4 * args.participants} participants, {args.referrers} referrers")
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

    linked = timed("sync_links after the load (first reconcile)", sync_links)
    db.session.commit()
    print(f"{'  links made':58s} {linked:9d}")
    timed("sync_links with nothing new (every schedule read)", sync_links, repeat=20)

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

    count = timed("GET /api/v1/schedule as a referrer", api_get, repeat=10)
    print(f"{'  participants in it':58s} {count:9d}")
    timed("GET /schedule/feed/<token>.ics (a referrer's feed)",
          lambda: client.get(f"/schedule/feed/{feed_token}.ics").status_code, repeat=10)
    page_client = app.test_client()
    page_client.post("/login", data={"email": coach.email, "password": PASSWORD})

    def team_page():
        response = page_client.get("/schedule/team")
        assert response.status_code == 200

    timed(f"GET /schedule/team as a coach ({args.participants} enrolled)", team_page, repeat=5)


if __name__ == "__main__":
    main()
