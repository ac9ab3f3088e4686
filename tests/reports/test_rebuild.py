"""`casework reports rebuild`: the projection made anew from the log, in one transaction."""

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing

import sqlalchemy as sa

from casework.cli import main
from casework.extensions import db
from casework.reports.models import ReportPath
from tests.exchange.conftest import make_casework_process  # noqa: F401  (a fixture: the command in a process)

# Runs the command with a pause after its first batch of participants, announced on stdout.
PAUSED_REBUILD = """
import sys, time
from casework.reports import projection
projection.BATCH = 2
project = projection._project_batch
def announce_and_wait(*args):
    rows = project(*args)
    print("batch", flush=True)
    time.sleep(120)
    return rows
projection._project_batch = announce_and_wait
from casework.cli import main
main()
"""


def test_the_command_rebuilds_every_team_or_one(app, kraften_example, make_team, make_participant, record):
    team, _ = kraften_example
    other = make_team()
    stranger = make_participant(other, None)
    record(stranger, "referral_received", "2021-01-05", {"referrer_org": "af"})
    kept = db.session.execute(sa.select(ReportPath.__table__).order_by(ReportPath.participant_id)).all()
    db.session.execute(sa.delete(ReportPath))
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["reports", "rebuild", "--team", other.slug], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 participant(s)" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportPath)) == 1
    result = runner.invoke(main, ["reports", "rebuild"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert db.session.execute(sa.select(ReportPath.__table__).order_by(ReportPath.participant_id)).all() == kept


def test_an_unknown_team_is_refused(app):
    result = app.test_cli_runner().invoke(main, ["reports", "rebuild", "--team", "finns-inte"])
    assert result.exit_code == 1
    assert "finns-inte" in result.output or "team" in result.output.lower()


def _rows(database) -> list[tuple]:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT * FROM report_paths ORDER BY participant_id").fetchall()


def test_a_rebuild_killed_midway_leaves_the_projection_as_it_was(make_casework_process):  # noqa: F811
    run = make_casework_process("killed")
    assert run("demo", "--no-serve").returncode == 0
    database = run.instance / "casework.sqlite"
    whole = _rows(database)
    assert len(whole) > 4
    with closing(sqlite3.connect(database)) as connection, connection:  # stale, as a finished rebuild would mend
        connection.execute("DELETE FROM report_paths WHERE participant_id IN "
                           "(SELECT participant_id FROM report_paths ORDER BY participant_id LIMIT 3)")
    stale = _rows(database)
    env = {**os.environ, "CASEWORK_INSTANCE_PATH": str(run.instance),
           "CASEWORK_DATABASE_URL": f"sqlite:///{database}", "CASEWORK_MASTER_KEY_FILE": str(run.key_file)}
    with subprocess.Popen([sys.executable, "-c", PAUSED_REBUILD, "reports", "rebuild"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
        try:
            assert child.stdout.readline().strip() == "batch"  # rows deleted, a batch written, nothing committed
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert _rows(database) == stale
    finished = run("reports", "rebuild")
    assert finished.returncode == 0, finished.stderr
    assert _rows(database) == whole
