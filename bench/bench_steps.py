"""Benchmark: recording a step from the participant page (POST and the page after it) for a
participant with 60 events.

    python bench/bench_steps.py                      # fresh SQLite database in a temporary folder
    python bench/bench_steps.py postgresql://postgres@127.0.0.1:5432/scratch --reset
    python bench/bench_steps.py --runs 50 --profile  # also print the top of a cProfile

Builds a team and one participant whose log holds `--events` events (personal data and notes
encrypted), signs a coach in through the login page, then times, through the test client, the
POST of an activity step from the page's form followed by the GET of the page it redirects to
(the timeline with the new step and every step form): one warm-up, then the median of N runs,
wall-clock and CPU time. Each run adds one event, so the log grows from 60 as it would.

The floor, in the same run: the same event appended by the bare service call
(`events.service.append_event`, committed) plus the rendering of an empty page of the layout for
the same signed-in coach. Target (issue 13): under 150 ms on the server.
"""

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_list_page import a_path, personnummer  # noqa: E402
from benchlib import add_database_arguments, create_schema, make_app, print_profile, run_times, sign_in  # noqa: E402

EMAIL = "coach@bench.example.org"
PASSWORD = "benchmark password 1"
TARGET_MS = 150


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_arguments(parser)
    parser.add_argument("--events", type=int, default=60, help="events in the participant's log")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of one step")
    return parser.parse_args()


def populate(app, events: int) -> str:
    """A team, its coach and one participant with `events` events; returns the participant's id."""
    from casework.auth.service import create_user
    from casework.events.service import build_event, validated_payload
    from casework.extensions import db
    from casework.participants.service import register_participant
    from casework.teams.service import save_team

    rng = random.Random(60)
    today = dt.date.today()
    with app.app_context():
        team = save_team("steg-bench", "Steg Bench", "Södra Dalarnas Samordningsförbund", {})
        coach = create_user({"email": EMAIL, "role": "coach", "teams": [team.slug], "password": PASSWORD,
                             "name": "Bench Coach"})
        participant = register_participant(team, {
            "gender": "woman", "birth_year": 1984, "education": "upper_secondary", "support_months_before": 30,
            "personal": {"name": "Bench Person", "personnummer": personnummer(rng, 1984), "phone": "070-1234567"}})
        path = a_path(rng, today - dt.timedelta(days=1500), today, events)
        for seq, (type_name, day, data) in enumerate(path, start=1):
            public, personal = validated_payload(type_name, data)
            db.session.add(build_event(participant, type_name, day, public, personal,
                                       f"Anteckning {seq}: samtal om mål och nästa steg.", seq=seq, user=coach))
        db.session.commit()
        assert len(path) == events, f"the path has {len(path)} events, not {events}"
        return participant.id


def step_form(day: str) -> dict:
    return {"type": "activity", "activity-date": day, "activity-kind": "meeting_point", "activity-attended": "y",
            "activity-note": "Träffpunkt, deltog hela passet."}


def record_step(client, participant_id: str) -> None:
    """POST the page's activity form, then GET the page the redirect names (as the browser does)."""
    response = client.post(f"/participants/{participant_id}/events", data=step_form(dt.date.today().isoformat()))
    assert response.status_code == 302, response.status_code
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Aktivitet" in page.get_data(as_text=True)


def floor_step(app, participant_id: str) -> None:
    """The same event by the bare service call, committed, and an empty page of the layout."""
    from flask import render_template_string
    from flask_login import login_user

    from casework.auth.models import User
    from casework.events.service import append_event
    from casework.extensions import db
    from casework.participants.models import Participant

    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        coach = db.session.scalar(db.select(User).where(User.email == EMAIL))
        append_event(participant, "activity", dt.date.today(), {"kind": "meeting_point", "attended": True},
                     "Träffpunkt, deltog hela passet.", user=coach)
        db.session.commit()
    with app.test_request_context("/"):
        login_user(db.session.scalar(db.select(User).where(User.email == EMAIL)))
        assert "<main" in render_template_string('{% extends "base.html" %}')


def report(name: str, times: list[float], cpu_times: list[float]) -> float:
    median = statistics.median(times)
    print(f"{name}: median {median * 1000:.1f} ms (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}); "
          f"CPU median {statistics.median(cpu_times) * 1000:.1f} ms")
    return median


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = make_app(args, folder)
        create_schema(app, args.reset)
        participant_id = populate(app, args.events)
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}; one participant with "
              f"{args.events} events; {args.runs} runs each")
        client = sign_in(app, EMAIL)
        step = report("record a step (POST + page after it)",
                      *run_times(lambda: record_step(client, participant_id), args.runs))
        floor = report("floor (append_event + empty page)", *run_times(lambda: floor_step(app, participant_id), args.runs))
        print(f"ratio step / floor: {step / floor:.1f}; target: step < {TARGET_MS} ms "
              f"({'met' if step * 1000 < TARGET_MS else 'MISSED'})")
        if args.profile:
            print_profile(lambda: record_step(client, participant_id))


if __name__ == "__main__":
    main()
