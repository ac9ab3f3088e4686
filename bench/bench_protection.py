"""Data-protection benchmark on a fresh SQLite database with synthetic participants.

Prints the time of: a master-key rotation (re-wrapping every data key), a blind-index rotation
(decrypting every personnummer and rebuilding the index), `audit verify` over the access log,
one erasure including the freed-space wipe, and a retention dry run.

    .venv/bin/python bench/bench_protection.py [--participants 5000] [--log-entries 100000]

Every name and personnummer is synthetic.
"""

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchlib import synthetic_personnummer  # noqa: E402


def timed(label: str, func, unit_count: int | None = None, unit: str = ""):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    rate = f" ({unit_count / seconds:,.0f} {unit}/s)" if unit_count else ""
    print(f"{label}: {seconds:.2f} s{rate}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--log-entries", type=int, default=100_000)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from casework import create_app
    from casework.audit.access_log import log_access, verify_chain
    from casework.crypto.keyring import init_key_file
    from casework.crypto.rotation import rotate_blind_index_key, rotate_master_key
    from casework.events.service import append_event
    from casework.extensions import db
    from casework.participants.models import Participant
    from casework.participants.service import register_participant
    from casework.protection.erasure import erase_participant, wipe_freed_space
    from casework.protection.retention import due_for_erasure
    from casework.teams.service import save_team

    folder = Path(tempfile.mkdtemp(prefix="casework-bench-"))
    init_key_file(folder / "master.key")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "MASTER_KEY_FILE": str(folder / "master.key")})
    with app.app_context():
        upgrade()
        team = save_team("bench-team", "Bench", "Bench förbund", {})
        ids = []
        for i in range(args.participants):
            birth = dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
            person = register_participant(team, {"gender": "woman", "birth_year": birth.year, "personal": {
                "name": f"Syntet Person {i}", "personnummer": synthetic_personnummer(birth, i % 1000)}})
            append_event(person, "referral_received", "2015-01-05", {"referrer_org": "fk"}, "Synthetic note")
            append_event(person, "referral_withdrawn", "2015-02-01")
            ids.append(person.id)
            if i % 500 == 499:
                db.session.commit()
        db.session.commit()
        print(f"{args.participants} participants, SQLite at {folder}")
        batch = 1000
        for start in range(0, args.log_entries, batch):
            log_access(None, [ids[(start + k) % len(ids)] for k in range(batch)], "bench")
            db.session.commit()
        timed("master key rotation", lambda: rotate_master_key(db.session.commit), args.participants, "data keys")
        timed("blind-index rotation", lambda: rotate_blind_index_key(db.session.commit), args.participants,
              "participants")
        check = timed("audit verify", verify_chain, args.log_entries, "entries")
        assert check.ok
        due = timed("retention dry run", lambda: due_for_erasure(dt.date(2026, 1, 1)), args.participants,
                    "participants")
        print(f"  due: {len(due)}")

        def erase_one():
            erase_participant(db.session.get(Participant, ids[0]), "Benchmark")
            db.session.commit()
            return wipe_freed_space()

        timed("one erasure with wipe", erase_one)


if __name__ == "__main__":
    main()
