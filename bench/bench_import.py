"""Import benchmark: a synthetic exchange file of 10,000 participants and 300,000 events.

Imports it into a fresh SQLite database and into PostgreSQL (the schema is recreated), each in
a process of its own, and prints events per second (check, write and commit included) and the
process's peak RSS. Beside it, the floor in the same run: decoding every line as JSON, plus
writing the same event rows again by bare executemany (SQLite) or COPY (PostgreSQL) into an
emptied database. Target (issue 15): ≥ 20,000 events/s, under 500 MB.

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
import resource
import subprocess
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


def prepare(url: str, instance: Path) -> None:
    """A fresh, migrated database (PostgreSQL: the public schema emptied first) and a key file."""
    from flask_migrate import upgrade

    from casework.crypto.keyring import init_key_file
    from casework.extensions import db

    if not (instance / "master.key").exists():
        init_key_file(instance / "master.key")
    with _app(url, instance).app_context():
        if db.engine.dialect.name == "postgresql":
            empty_public_schema(db.engine)
        upgrade()
        db.engine.dispose()


def _app(url: str, instance: Path):
    from casework import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "MASTER_KEY_FILE": str(instance / "master.key")},
                      check_keys=False)


def child(url: str, path: Path, instance: Path) -> None:
    """In a process of its own, so that its peak RSS is the import's: import the file, print JSON."""
    from casework.exchange.service import import_lines
    from casework.extensions import db

    with _app(url, instance).app_context():
        started, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as handle:
            summary = import_lines(handle)
        db.session.commit()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"elapsed": elapsed, "cpu": cpu, "peak_mb": peak, "summary": summary.to_dict()}))


def run(url: str, path: Path, instance: Path) -> dict:
    prepare(url, instance)
    out = subprocess.run([sys.executable, __file__, "--child", url, str(path)], check=True, capture_output=True,
                         text=True, env={**os.environ, "CASEWORK_INSTANCE_PATH": str(instance)})
    return json.loads(out.stdout.strip().splitlines()[-1])


TABLES = ("federations", "teams", "participants", "data_keys", "events")


def bare_insert(url: str, instance: Path) -> tuple[float, float, int]:
    """The floor of writing: the imported rows read back, then written again into an emptied,
    migrated database by bare executemany (SQLite) or COPY (PostgreSQL): no parsing, no checks,
    no encryption. Only the events are timed (the rest, 1/30 of the rows, goes in first)."""
    import sqlalchemy as sa

    from casework.extensions import db

    with _app(url, instance).app_context():
        with db.engine.connect() as connection:
            rows = {table: _read(connection, table) for table in TABLES}
        db.engine.dispose()
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink()
        for suffix in ("-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    prepare(url, instance)
    with _app(url, instance).app_context():
        with db.engine.begin() as connection:
            for table in TABLES[:-1]:
                _write(connection, table, *rows[table])
            started, cpu = time.perf_counter(), time.process_time()
            _write(connection, "events", *rows["events"])
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        count = db.session.scalar(sa.text("SELECT count(*) FROM events"))
        db.engine.dispose()
    return elapsed, cpu, count


def _read(connection, table: str) -> tuple[list[str], list[tuple]]:
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute(f"SELECT * FROM {table}")
    names = [d[0] for d in cursor.description]
    return names, [tuple(json.dumps(v) if isinstance(v, dict) else v for v in row) for row in cursor.fetchall()]


def _write(connection, table: str, names: list[str], rows: list[tuple]) -> None:
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        raw.cursor().executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                                 rows)


def parse_floor(path: Path) -> float:
    """The floor of reading: every line of the file decoded as JSON, nothing else."""
    started = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            json.loads(line)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--events-each", type=int, default=30)
    parser.add_argument("--postgresql", default=os.environ.get(
        "CASEWORK_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test_exchange"))
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(os.environ["CASEWORK_INSTANCE_PATH"]))
        return

    targets = [("sqlite", None)]
    if not args.no_postgresql:
        targets.append(("postgresql", "postgresql+psycopg://" + args.postgresql.split("://", 1)[1]))
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        os.environ["CASEWORK_INSTANCE_PATH"] = str(instance)
        path = instance / "bench.jsonl"
        lines = synthetic_file(args.participants, args.events_each)
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        print(f"synthetic file: {args.participants} participants, {args.participants * args.events_each} events, "
              f"{len(lines)} lines, {path.stat().st_size / 1e6:.0f} MB")
        del lines
        parse = parse_floor(path)
        for name, url in targets:
            url = url or f"sqlite:///{instance / 'bench.sqlite'}"
            result = run(url, path, instance)
            elapsed, cpu, events = result["elapsed"], result["cpu"], result["summary"]["events_added"]
            print(f"{name:<11} {result['summary']['participants_added']} participants, {events} events in "
                  f"{elapsed:.1f} s: {events / elapsed:,.0f} events/s (CPU {cpu:.1f} s, {events / cpu:,.0f} events per "
                  f"CPU-second); peak RSS {result['peak_mb']:.0f} MB")
            write, write_cpu, count = bare_insert(url, instance)
            floor = parse + write
            print(f"{'':<11} floor: JSON decoding of every line {parse:.1f} s + bare "
                  f"{'COPY' if name == 'postgresql' else 'executemany'} of the {count} event rows {write:.1f} s "
                  f"(CPU {write_cpu:.1f} s) = {floor:.1f} s, {events / floor:,.0f} events/s; "
                  f"the import takes {elapsed / floor:.1f}× the floor")


if __name__ == "__main__":
    main()
