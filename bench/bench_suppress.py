"""Benchmark of small-cell suppression (readers outside the team) on reports of three sizes.

    python bench/bench_suppress.py [--participants N ...]

Each report is computed from synthetic statistical facts (no database), with many small cells
(a team-year) or few (a federation). Prints the median of seven runs of `suppress` beside its
floor, `copy.deepcopy` of the same report (the copy suppression must make in any case), and
beside the report's own computation, whose time the page pays anyway.
"""

import argparse
import copy
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from casework.reports.compute import compute_report  # noqa: E402
from casework.reports.facts import EventFact, ParticipantFacts  # noqa: E402
from casework.reports.periods import half_year  # noqa: E402
from casework.reports.suppress import suppress  # noqa: E402
from casework.teams.settings import TeamSettings  # noqa: E402
from casework.vocab import EXIT_CATEGORIES, GENDERS, INCOME_SOURCES, REFERRER_ORGS  # noqa: E402

SETTINGS = TeamSettings()
PERIOD = half_year("2021H1")


def synthetic_facts(rnd: random.Random, count: int):
    people, events = [], []
    for n in range(count):
        pid = f"p{n}"
        people.append(ParticipantFacts(pid, "t", rnd.choice(list(GENDERS)), rnd.randint(1960, 2003),
                                       "unknown", rnd.choice([None, 6, 24, 80, 130])))
        referred = dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randrange(800))
        events.append(EventFact(f"r{n}", pid, "referral_received", referred,
                                {"referrer_org": rnd.choice(list(REFERRER_ORGS)),
                                 "income_sources": [rnd.choice(list(INCOME_SOURCES))]}, 1))
        enrolled = referred + dt.timedelta(days=rnd.randint(5, 60))
        events.append(EventFact(f"e{n}", pid, "enrolled", enrolled, {}, 2))
        if rnd.random() < 0.6:
            events.append(EventFact(f"x{n}", pid, "exited", enrolled + dt.timedelta(days=rnd.randint(30, 700)),
                                    {"category": rnd.choice(list(EXIT_CATEGORIES))}, 3))
    return people, events


def median_ms(action, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, nargs="+", default=[60, 400, 5000])
    args = parser.parse_args()
    rnd = random.Random(11)
    print(f"{'participants':>12} {'suppress':>10} {'floor deepcopy':>15} {'ratio':>6} {'compute':>9}")
    for count in args.participants:
        people, events = synthetic_facts(rnd, count)
        sizes: dict = {}
        report = compute_report(people, events, PERIOD, {"t": SETTINGS}, SETTINGS, {"team": "t"}, sizes)
        compute = median_ms(lambda p=people, e=events: compute_report(p, e, PERIOD, {"t": SETTINGS}, SETTINGS,
                                                                      {"team": "t"}, {}))
        hide = median_ms(lambda r=report, s=sizes: suppress(r, s, SETTINGS))
        floor = median_ms(lambda r=report: copy.deepcopy(r))
        print(f"{count:>12} {hide:>8.1f}ms {floor:>13.2f}ms {hide / floor:>6.1f} {compute:>7.1f}ms")


if __name__ == "__main__":
    main()
