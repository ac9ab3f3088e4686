"""An import killed in the middle of writing leaves the database as it was (issue 15)."""

import json
import os
import re
import signal
import subprocess
import sys

import pytest
import sqlalchemy as sa

from casework.exchange.demo import DEFAULT_EXAMPLE
from tests.exchange.conftest import on_postgresql

# `casework` with a line on stdout after each batch of events the import has inserted (not committed).
RUNNER = """
from casework.exchange import writing
insert = writing._insert
def _insert(table, rows):
    insert(table, rows)
    if table.name == "events":
        print("events inserted", flush=True)
writing._insert = _insert
from casework.cli import main
main()
"""
SCHEMA = "import_crash"


def copies(lines: list[str], count: int) -> str:
    """The example file `count` times over, each copy a team of its own (so ~11,600 events for 4)."""
    out = []
    for number in range(1, count + 1):
        for line in lines:
            record = json.loads(line)
            slug = f"{record.get('slug') or record.get('team', 'kraften-hedemora')}-{number}"
            if record["record"] == "team":
                record["slug"] = slug
            elif record["record"] in ("participant", "event", "history", "group_session", "staff", "budget",
                                      "meeting"):
                record["team"] = slug
            out.append(json.dumps(record, ensure_ascii=False))
    return "".join(f"{line}\n" for line in out)


@pytest.fixture
def database_url(tmp_path):
    """SQLite: a file of the test's own; PostgreSQL: a schema of its own in the test database."""
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL")
    if not on_postgresql():
        yield f"sqlite:///{tmp_path / 'crash.sqlite'}"
        return
    url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{SCHEMA}"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def contents(url: str) -> dict[str, list]:
    """Every row of every table, sorted (the audit anchor file is checked by `audit verify`)."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
        found = {t: sorted(map(repr, connection.execute(sa.text(f"SELECT * FROM {t}")))) for t in tables}
    engine.dispose()
    return found


def test_an_import_killed_while_it_writes_leaves_the_database_as_it_was(make_casework_process, database_url,
                                                                          tmp_path):
    run = make_casework_process("crash")
    env = {**os.environ, "CASEWORK_INSTANCE_PATH": str(run.instance), "CASEWORK_DATABASE_URL": database_url,
           "CASEWORK_MASTER_KEY_FILE": str(run.key_file)}

    def casework(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", "from casework.cli import main; main()", *args], env=env,
                              capture_output=True, text=True, timeout=300)

    assert casework("db", "upgrade").returncode == 0
    result = casework("import", str(DEFAULT_EXAMPLE))
    assert result.returncode == 0, result.stderr
    before = contents(database_url)
    big = tmp_path / "big.jsonl"
    big.write_text(copies(DEFAULT_EXAMPLE.read_text(encoding="utf-8").splitlines(), 4), encoding="utf-8")

    with subprocess.Popen([sys.executable, "-c", RUNNER, "import", str(big)], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as process:
        try:
            assert process.stdout.readline() == "events inserted\n"  # the first batch is in, more are coming
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    assert contents(database_url) == before
    verified = casework("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    again = casework("import", str(big))  # nothing is left locked or half-written
    assert again.returncode == 0, again.stderr
    assert "events: 0 added" not in again.stdout
