"""Benchmark: appending events through the JSON API with a bearer token, against gunicorn.

    python bench/bench_api.py                                   # fresh SQLite file in a temporary folder
    python bench/bench_api.py postgresql://postgres@127.0.0.1:5432/scratch --schema bench_api
    python bench/bench_api.py --requests 300 --workers 4 --threads 4

Builds a team, a coach with a bearer token and one participant per client through the services,
starts gunicorn (gthread workers) on the app factory in a subprocess, and POSTs
`/api/v1/participants/<id>/events` (an activity with an encrypted note) over keep-alive HTTP
connections: first one client, then four concurrent clients each on their own participant, then
four clients on one and the same participant (the worst case for the per-participant lock).
Prints requests per second and the median / 95th percentile latency. Every answer must be 201.

The floor is measured in the same run, round by round beside Casework's: the same clients against
`bench/floor_app.py` (a bare Flask route that checks a bearer token and inserts and commits one
row in the same database) under the same gunicorn settings: an authenticated durable append
over HTTP by the simplest means.

On PostgreSQL `--schema` puts the tables in a schema of their own (created, and dropped at the
end unless --keep), so that a database holding other data is left alone.
"""

import argparse
import hashlib
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", nargs="?", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--schema", help="PostgreSQL: create and use this schema (dropped afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    parser.add_argument("--requests", type=int, default=200, help="requests per client in each round")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    return parser.parse_args()


def database_url(args, folder: Path) -> str:
    if not args.database_url:
        return f"sqlite:///{folder / 'bench.sqlite'}"
    url = args.database_url
    if args.schema:
        url += ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={args.schema}")
    return url


def prepare(url: str, schema: str | None, clients: int) -> tuple[str, list[str]]:
    """Schema, team, coach, token and participants; returns the token and the participant ids."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from casework import create_app
    from casework.auth.service import create_user, issue_token
    from casework.extensions import db
    from casework.participants.service import register_participant
    from casework.teams.service import save_team

    app = create_app({})
    with app.app_context():
        if schema:
            with db.engine.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        upgrade()
        stamp = str(int(time.time()))
        team = save_team(f"bench-{stamp}", "Bench", "Bänkförbundet", {})
        coach = create_user({"email": f"bench{stamp}@example.org", "role": "coach", "teams": [team.slug]})
        people = [register_participant(team, {"gender": "woman", "birth_year": 1980 + i,
                                              "personal": {"name": f"Bänk Person {i}"}}) for i in range(clients)]
        token = issue_token(coach, scope="write")
        ids = [p.id for p in people]
        db.session.commit()
        db.engine.dispose()
    return token, ids


def drop_schema(url: str, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine("postgresql+psycopg://" + url.split("://", 1)[1].split("?", 1)[0])
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_floor(url: str) -> str:
    """The floor's table, and the hash of its token (returns the token)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from floor_app import TABLE, engine_for

    engine = engine_for(url)
    TABLE.create(engine, checkfirst=True)
    engine.dispose()
    token = secrets.token_urlsafe(32)
    os.environ["BENCH_FLOOR_TOKEN_HASH"] = hashlib.sha256(token.encode()).hexdigest()
    return token


def start_gunicorn(env: dict, port: int, workers: int, threads: int, app: str = "casework:create_app()",
                   probe: str = "/api/v1/openapi.json") -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--worker-class", "gthread", "--keep-alive", "30", "--log-level", "warning",
         "--pythonpath", str(ROOT / "bench"), app],
        env=env, cwd=ROOT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", probe)
            if conn.getresponse().status in (200, 405):
                return server
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not start (exit status {server.poll()})")


def run_client(server: tuple[int, str, str], pid: str, count: int, latencies: list, statuses: list, start) -> None:
    port, prefix, token = server
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"type": "activity", "date": "2024-03-01", "data": {"kind": "gym", "attended": True},
                       "note": "Deltog i gympass, fungerade bra."})
    start.wait()
    for _ in range(count):
        began = time.perf_counter()
        conn.request("POST", f"{prefix}/participants/{pid}/events", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - began)
        statuses.append(response.status)
    conn.close()


def round_(server: tuple[int, str, str], pids: list[str], count: int) -> dict:
    """`count` appends by each client (one per id in `pids`); `server` is (port, path prefix, token)."""
    latencies: list[float] = []
    statuses: list[int] = []
    start = threading.Barrier(len(pids) + 1)
    threads = [threading.Thread(target=run_client, args=(server, pid, count, latencies, statuses, start))
               for pid in pids]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {"requests": len(statuses), "failed": sum(s != 201 for s in statuses), "seconds": elapsed,
            "rps": len(statuses) / elapsed, "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))]}


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = database_url(args, folder)
        env = os.environ | {"CASEWORK_INSTANCE_PATH": str(folder), "CASEWORK_DATABASE_URL": url,
                            "CASEWORK_MASTER_KEY_FILE": str(folder / "master.key"),
                            "CASEWORK_SECRET_KEY": "bench-only-secret"}
        os.environ.update(env)
        from casework.crypto.keyring import init_key_file

        init_key_file(folder / "master.key")
        token, pids = prepare(url, args.schema, 5)
        floor_token = prepare_floor(url)
        env = os.environ.copy()
        servers = []
        try:
            port, floor_port = free_port(), free_port()
            servers.append(start_gunicorn(env, port, args.workers, args.threads))
            servers.append(start_gunicorn(env, floor_port, args.workers, args.threads, "floor_app:create_app()",
                                          "/participants/x/events"))
            casework, floor = (port, "/api/v1", token), (floor_port, "", floor_token)
            for server in (casework, floor):
                round_(server, pids[4:5], 20)  # warm-up: every worker imports and connects
            backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
            print(f"API appends on {backend}, gunicorn {args.workers} workers x {args.threads} threads, "
                  f"{args.requests} requests per client; floor: bench/floor_app.py, same settings, run in turn")
            for label, ids in (("1 client", pids[:1]), ("4 clients, own participants", pids[:4]),
                               ("4 clients, one participant", [pids[4]] * 4)):
                result = round_(casework, ids, args.requests)
                bare = round_(floor, ids, args.requests)
                print(f"  {label:30} {result['rps']:7.1f} req/s   p50 {result['p50_ms']:6.1f} ms   "
                      f"p95 {result['p95_ms']:6.1f} ms   {result['requests']} requests, {result['failed']} failed")
                print(f"  {'  floor':30} {bare['rps']:7.1f} req/s   p50 {bare['p50_ms']:6.1f} ms   "
                      f"p95 {bare['p95_ms']:6.1f} ms   {bare['requests']} requests, {bare['failed']} failed;  "
                      f"Casework {result['rps'] / bare['rps']:.2f}x the floor's rate")
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
            if args.schema and not args.keep:
                drop_schema(url, args.schema)


if __name__ == "__main__":
    main()
