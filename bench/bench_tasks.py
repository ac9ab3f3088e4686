"""Benchmark: the "Att göra" page of a team of 110 participants with ~30 events each.

    python bench/bench_tasks.py                      # fresh SQLite database in a temporary folder
    python bench/bench_tasks.py postgresql://postgres@127.0.0.1:5432/scratch --reset
    python bench/bench_tasks.py --runs 50 --profile  # also print the top of a cProfile

Builds the team as `bench_list_page.py` does (through the services, everything encrypted), signs a
coach in and times, through the test client, GET /teams/<slug>/tasks with the default filter (due
within 30 days) and with every task of the next two years (?within_days=731). Beside them, in the
same run, two floors: the team's participant list page (the same reading of the log and the same
names decrypted, by the simplest page that does it), and reading the team's events once (the one
query the task list makes, with no work on its rows). Median of N runs after a warm-up, wall-clock
and CPU time. Target (issue 12): the page under 150 ms.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_list_page import populate  # noqa: E402
from benchlib import (  # noqa: E402
    add_database_arguments,
    create_schema,
    get_page,
    make_app,
    print_figures,
    print_profile,
    read_events_once,
    sign_in,
    timed,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_database_arguments(parser)
    parser.add_argument("--participants", type=int, default=110)
    parser.add_argument("--events", type=int, default=30, help="events per participant (about)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of one page")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (cumulative, tottime)")
    return parser.parse_args()


def counts_alone(app, slug: str, email: str):
    """What the counts on the team list add to that page: the task list computed without names."""
    import sqlalchemy as sa

    from casework.auth.models import User
    from casework.extensions import db
    from casework.participants.tasks import task_counts
    from casework.teams.models import Team

    def count():
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == email))
            assert task_counts(user, db.session.scalar(sa.select(Team).where(Team.slug == slug)))["due_soon"]

    return count


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(args, Path(tmp))
        create_schema(app, args.reset)
        started = time.perf_counter()
        slug, email, events = populate(app, args)
        print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}; "
              f"{args.participants} participants, {events} events (built in {time.perf_counter() - started:.1f} s)")
        client = sign_in(app, email)
        tasks_url = f"/teams/{slug}/tasks"
        everything = client.get(f"{tasks_url}?within_days=731").get_data(as_text=True)
        print(f"tasks within two years: {everything.count('step=')}; "
              f"within 30 days: {client.get(tasks_url).get_data(as_text=True).count('step=')}")

        events_floor = timed(args.runs, read_events_once(app, slug))
        list_floor = timed(args.runs, get_page(client, f"/teams/{slug}/participants", "/participants/"))
        counts = timed(args.runs, counts_alone(app, slug, email))
        default = timed(args.runs, get_page(client, tasks_url, "step="))
        widest = timed(args.runs, get_page(client, f"{tasks_url}?within_days=731", "step="))
        print_figures("floor: reading the team's events once", events_floor)
        print_figures("floor: the participant list page", list_floor)
        print_figures("the counts alone (the list page computes them from the kept states it has read)", counts)
        print_figures("Att göra, due within 30 days (target < 150 ms)", default, list_floor[0])
        print_figures("Att göra, every task within two years", widest, list_floor[0])
        if args.profile:
            print_profile(lambda: client.get(tasks_url), args.sort)


if __name__ == "__main__":
    main()
