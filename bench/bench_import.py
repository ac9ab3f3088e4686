"""Import benchmark: a synthetic exchange file of 10,000 participants and 300,000 events.

Imports it into a fresh SQLite database and into PostgreSQL (the schema is recreated) and
prints events per second for each (check, write and commit included). Target: ≥ 5,000 events/s.

    .venv/bin/python bench/bench_import.py [--participants 10000] [--events-each 30]
        [--postgresql postgresql://postgres@127.0.0.1:5432/test_exchange] [--no-postgresql]

The URL may also come from CASEWORK_BENCH_DATABASE_URL. Every name, personnummer and note is
synthetic.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchlib import empty_public_schema, synthetic_personnummer  # noqa: E402

FIRST = ["Anna", "Per", "Lena", "Mikael", "Sara", "Johan", "Maria", "Erik", "Karin", "Lars", "Eva", "Anders",
         "Sofia", "Nils", "Emma", "Olof", "Ida", "Gustav", "Elin", "Hassan", "Amina", "Ali", "Fatima", "Jonas"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
        "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Berg", "Holm", "Ahmed", "Lund"]
NOTES = ["Samtal om mål och nästa steg.", "Deltog i gruppen, gick bra.", "Uppföljning med remittent.",
         "Planerar arbetsträning.", "Mår sämre denna vecka.", "Kartläggning påbörjad."]
ACTIVITIES = ["meeting_point", "forest_group", "start_group", "individual", "gym"]
ORGS = ["soc", "fk", "af", "region_psychiatry", "self"]
INCOME = ["social_assistance", "sickness_benefit", "activity_compensation", "unemployment_insurance", "none"]
EXITS = ["work", "studies", "vocational_rehab", "sickness_compensation", "other", "dropout"]
TEAM = "bench-team"


def participant_log(rng: random.Random, ref: str, start: dt.date, count: int, next_id) -> list[dict]:
    """A valid path of exactly `count` events (count ≥ 12): referral to exit and post-exit."""
    day = start

    def step(days: int) -> dt.date:
        nonlocal day
        day += dt.timedelta(days=days)
        return day

    def event(type_name: str, date: dt.date, data: dict | None = None, note: bool = False) -> dict:
        record = {"record": "event", "id": next_id(), "ref": ref, "type": type_name, "date": date.isoformat(),
                  "data": data or {}}
        if note:
            record["note"] = rng.choice(NOTES)
        return record

    org = rng.choice(ORGS)
    income = [rng.choice(INCOME)]
    events = [
        event("study_visit", step(0), {"referrer_present": True, "mode": "physical"}),
        event("referral_received", step(7), {"referrer_org": org, "income_sources": income}),
        event("enrolled", step(20), {"consents": ["documentation", "statistics"]}, note=True),
        event("trial_completed", step(45)),
        event("assessment", step(5), note=True),
        event("action_plan", step(5)),
        event("work_training_started", step(3), {"kind": "work_training", "extent_percent": 25,
                                                  "workplace": "Verkstaden AB"}),
    ]
    middle = count - len(events) - 4
    since_follow_up = 0
    for i in range(middle):
        since_follow_up += 1
        if since_follow_up >= 4:
            events.append(event("follow_up", step(6), {"status": "held"}, note=True))
            since_follow_up = 0
        elif i == middle // 2:
            events.append(event("income_changed", step(4), {"income_sources": ["activity_support"]}))
        elif i == middle // 3:
            events.append(event("survey", step(4), {"instrument": "ors", "score": rng.randint(5, 40)}))
        else:
            events.append(event("activity", step(4), {"kind": rng.choice(ACTIVITIES), "attended": rng.random() > 0.1},
                                note=rng.random() < 0.3))
    events.append(event("work_training_ended", step(3)))
    events.append(event("half_year_review", step(3), note=True))
    category = rng.choice(EXITS)
    events.append(event("exited", step(10), {"category": category, "income_sources": ["salary"] if category == "work"
                                              else ["activity_support"], "closing_document": True}))
    events.append(event("post_exit_follow_up", step(183), {"months_after": 6, "status": "other"}))
    return events


def synthetic_file(participants: int, events_each: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    counter = iter(range(1, 10**9))

    def next_id() -> str:
        return f"E{next(counter):07d}"

    lines = [json.dumps({"record": "team", "slug": TEAM, "name": "Benchmarkteamet",
                         "federation": "Benchmarkförbundet", "settings": {}})]
    events: list[dict] = []
    used: set[str] = set()
    latest_start = (dt.date.today() - dt.timedelta(days=4 * 365)).toordinal()
    for number in range(1, participants + 1):
        ref = f"B{number:05d}"
        while True:
            birth = dt.date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28))
            pnr = synthetic_personnummer(birth, rng.randint(0, 999))
            if pnr not in used:
                used.add(pnr)
                break
        lines.append(json.dumps({
            "record": "participant", "ref": ref, "team": TEAM, "gender": rng.choice(["woman", "man"]),
            "birth_year": birth.year, "education": "unknown", "support_months_before": rng.randint(0, 120),
            "personal": {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "personnummer": pnr,
                         "phone": f"070-{rng.randint(0, 9999999):07d}"},
        }, ensure_ascii=False))
        start = dt.date.fromordinal(rng.randint(dt.date(2012, 1, 1).toordinal(), latest_start))
        events.extend(participant_log(rng, ref, start, events_each, next_id))
    lines.extend(json.dumps(e, ensure_ascii=False) for e in events)
    return lines


def run(url: str, lines: list[str], instance: Path) -> tuple[float, float, dict]:
    from flask_migrate import upgrade

    from casework import create_app
    from casework.crypto.keyring import init_key_file
    from casework.exchange.service import import_lines
    from casework.extensions import db

    if not (instance / "master.key").exists():
        init_key_file(instance / "master.key")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MASTER_KEY_FILE": str(instance / "master.key")},
                     check_keys=False)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            empty_public_schema(db.engine)
        upgrade()
        started, cpu = time.perf_counter(), time.process_time()
        summary = import_lines(lines)
        db.session.commit()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        db.session.remove()
        db.engine.dispose()
    return elapsed, cpu, summary.to_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--events-each", type=int, default=30)
    parser.add_argument("--postgresql", default=os.environ.get(
        "CASEWORK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test_exchange"))
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()

    lines = synthetic_file(args.participants, args.events_each)
    print(f"synthetic file: {args.participants} participants, {args.participants * args.events_each} events, "
          f"{len(lines)} lines")
    targets = [("sqlite", None)]
    if not args.no_postgresql:
        targets.append(("postgresql", "postgresql+psycopg://" + args.postgresql.split("://", 1)[1]))
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        os.environ["CASEWORK_INSTANCE_PATH"] = str(instance)
        for name, url in targets:
            url = url or f"sqlite:///{instance / 'bench.sqlite'}"
            elapsed, cpu, summary = run(url, lines, instance)
            events = summary["events_added"]
            print(f"{name:<11} {summary['participants_added']} participants, {events} events in {elapsed:.1f} s: "
                  f"{events / elapsed:,.0f} events/s (this process's CPU: {cpu:.1f} s, "
                  f"{events / cpu:,.0f} events per CPU-second)")


if __name__ == "__main__":
    main()
