"""Fixtures for the exchange tests: the Kraften Hedemora example and helpers to edit its lines."""

import json
import os
import subprocess
import sys

import pytest

from casework.crypto.keyring import init_key_file
from casework.exchange.demo import DEFAULT_EXAMPLE

EXAMPLE_TEAM = "kraften-hedemora"


@pytest.fixture(scope="session")
def example_lines() -> list[str]:
    return DEFAULT_EXAMPLE.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def example_records(example_lines) -> list[dict]:
    return [json.loads(line) for line in example_lines]


def first_line(records: list[dict], **match) -> int:
    """The 1-based number of the first record with the given values."""
    return next(i for i, r in enumerate(records, start=1) if all(r.get(k) == v for k, v in match.items()))


def with_line(lines: list[str], number: int, record: dict | str) -> list[str]:
    """A copy of the file with line `number` (1-based) replaced."""
    copy = list(lines)
    copy[number - 1] = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
    return copy


def on_postgresql() -> bool:
    return (os.environ.get("CASEWORK_TEST_DATABASE_URL") or "").startswith("postgres")


@pytest.fixture
def make_casework_process(tmp_path):
    """A runner of the `casework` command in fresh processes on a fresh SQLite instance of its own
    (with a key file made as `casework keys init` makes it, unless `key_file` is false)."""

    def make(name: str, key_file: bool = True):
        instance = tmp_path / name / "instance"
        env = {**os.environ, "CASEWORK_INSTANCE_PATH": str(instance),
               "CASEWORK_DATABASE_URL": f"sqlite:///{instance / 'casework.sqlite'}",
               "CASEWORK_MASTER_KEY_FILE": str(tmp_path / name / "keys" / "master.key")}

        if key_file:
            init_key_file(tmp_path / name / "keys" / "master.key")

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, "-c", "from casework.cli import main; main()", *args],
                                  env=env, capture_output=True, text=True, timeout=300)

        run.instance = instance
        run.key_file = tmp_path / name / "keys" / "master.key"
        return run

    return make


@pytest.fixture
def casework_process(make_casework_process):
    return make_casework_process("first")
