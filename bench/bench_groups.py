"""Benchmark: recording a group session of 12 attendees, beside the same 12 activities appended bare.

    python bench/bench_groups.py [--participants N] [--attendees N] [--runs N]

A fresh SQLite team (bench_list_page's logs, 110 participants by default). Each run records one
session through `record_group_session` (checks: date, kind, hours, leader, every attendee
enrolled on the day; then the row and one `activity` per attendee through `append_event`) and
commits. The floor, measured in the same run: the same number of `activity` events, with the same
note, appended with `append_event` to the same participants and committed, with no session.
"""

import argparse
import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_list_page import populate  # noqa: E402
from benchlib import create_schema, make_app, run_times  # noqa: E402

NOTE = "Skogsgrupp: promenad till tjärnen, eld och fika."


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=110)
    parser.add_argument("--events", type=int, default=30, help="events per participant (about)")
    parser.add_argument("--attendees", type=int, default=12)
    parser.add_argument("--runs", type=int, default=15)
    parser.set_defaults(database_url=None, reset=False)
    return parser.parse_args()


def attendees_of(app, slug: str, count: int) -> list[str]:
    from casework.extensions import db
    from casework.groups.service import enrolled_on
    from casework.participants.models import Participant
    from casework.teams.service import get_team

    with app.app_context():
        team = get_team(slug)
        people = db.session.scalars(db.select(Participant).where(Participant.team_id == team.id)).all()
        enrolled = [p.id for p in people if enrolled_on(p, dt.date.today())]
    if len(enrolled) < count:
        sys.exit(f"only {len(enrolled)} participants are enrolled today; ask for fewer --attendees")
    return enrolled[:count]


def record_session(app, slug: str, ids: list[str], email: str) -> None:
    from casework.auth.models import User
    from casework.extensions import db
    from casework.groups.service import record_group_session
    from casework.teams.service import get_team

    with app.app_context():
        coach = db.session.scalar(db.select(User).where(User.email == email))
        record_group_session(get_team(slug), day=dt.date.today(), kind="forest_group", hours=2, attendee_ids=ids,
                             leader_id=coach.id, note=NOTE, user=coach)
        db.session.commit()


def floor_activities(app, slug: str, ids: list[str], email: str) -> None:
    from casework.auth.models import User
    from casework.events.service import append_event
    from casework.extensions import db
    from casework.participants.models import Participant

    with app.app_context():
        coach = db.session.scalar(db.select(User).where(User.email == email))
        for participant_id in ids:
            append_event(db.session.get(Participant, participant_id), "activity", dt.date.today(),
                         {"kind": "forest_group", "attended": True}, NOTE, user=coach)
        db.session.commit()


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(args, Path(folder))
        create_schema(app, reset=False)
        slug, email, events = populate(app, args)
        ids = attendees_of(app, slug, args.attendees)
        print(f"{args.participants} participants, {events} events; a session of {len(ids)} attendees, "
              f"{args.runs} runs each, taken in turn")
        session_times, floor_times = [], []
        for _ in range(args.runs):  # in turn, so that load on the machine falls on both alike
            session_times += run_times(lambda: record_session(app, slug, ids, email), 1)[0]
            floor_times += run_times(lambda: floor_activities(app, slug, ids, email), 1)[0]
        session, floor = statistics.median(session_times), statistics.median(floor_times)
        print(f"group session: median {session * 1000:.1f} ms (min {min(session_times) * 1000:.1f})")
        print(f"floor ({len(ids)} bare append_event + commit): median {floor * 1000:.1f} ms "
              f"(min {min(floor_times) * 1000:.1f})")
        print(f"ratio {session / floor:.2f}x floor")


if __name__ == "__main__":
    main()
