import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from casework import resource_folder
from casework.crypto.keyring import init_key_file
from casework.extensions import db

VERSIONS = resource_folder("migrations") / "versions"


def test_migrated_schema_matches_the_models(session):
    """The session fixture's database was built by `db upgrade` alone; the models add nothing."""
    context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
    assert compare_metadata(context, db.metadata) == []


def test_migration_files_sort_in_the_order_they_are_applied():
    """`ls migrations/versions` reads as the history: 0001_…, 0002_…, one number per revision."""
    script = ScriptDirectory(str(resource_folder("migrations")))
    applied = [Path(revision.path).name for revision in reversed(list(script.walk_revisions()))]
    assert applied == sorted(p.name for p in VERSIONS.glob("*.py"))
    assert [name[:4] for name in applied] == [f"{n:04d}" for n in range(1, len(applied) + 1)]


@pytest.fixture
def scratch_database(app, tmp_path):
    """A database of its own for the suite's kind: a fresh SQLite file, or a fresh schema in the
    suite's PostgreSQL database (the suite's own schema stays at head for the other tests)."""
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}", None
        return
    schema = f"migrations_{uuid.uuid4().hex[:12]}"
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}", schema
    finally:
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


def _tables(url: str, schema: str | None) -> set[str]:
    engine = sa.create_engine(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url))
    try:
        return set(sa.inspect(engine).get_table_names(schema=schema))
    finally:
        engine.dispose()


def test_every_migration_downgrades_and_upgrades_again(scratch_database, tmp_path):
    url, schema = scratch_database
    init_key_file(tmp_path / "keys" / "master.key")
    env = {**os.environ, "CASEWORK_DATABASE_URL": url, "CASEWORK_INSTANCE_PATH": str(tmp_path / "instance"),
           "CASEWORK_MASTER_KEY_FILE": str(tmp_path / "keys" / "master.key")}

    def casework(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-c", "from casework.cli import main; main()", *args],
                                env=env, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        return result

    casework("db", "upgrade")
    at_head = _tables(url, schema)
    assert set(db.metadata.tables) <= at_head
    casework("db", "downgrade", "base")
    assert _tables(url, schema) <= {"alembic_version"}
    casework("db", "upgrade")
    assert _tables(url, schema) == at_head
    casework("db", "check")
