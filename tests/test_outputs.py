"""`--output` of every exporting command goes through `casework.web.commands.write_output`: a new file
(mode 0600) unless --force, never through a symlink, never a file Casework needs."""

import os
from pathlib import Path

import pytest

from casework.crypto.ledger import ledger_path
from casework.errors import Conflict
from casework.extensions import db
from casework.web.commands import write_output


def test_a_new_file_is_written_with_mode_0600(app, tmp_path):
    target = tmp_path / "export.jsonl"
    write_output(target, "å\n")
    assert target.read_text(encoding="utf-8") == "å\n"
    assert target.stat().st_mode & 0o777 == 0o600


def test_an_existing_file_is_replaced_only_with_force(app, tmp_path):
    target = tmp_path / "export.jsonl"
    target.write_text("old and longer")
    target.chmod(0o644)
    with pytest.raises(Conflict, match="--force"):
        write_output(target, "new")
    assert target.read_text() == "old and longer"
    write_output(target, b"new", force=True)
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o600


def test_a_symlink_is_never_followed_even_with_force(app, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    link = tmp_path / "link"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    for force in (False, True):
        for path in (link, dangling):
            with pytest.raises(Conflict):
                write_output(path, "evil", force=force)
    assert victim.read_text() == "keep" and not (tmp_path / "nowhere").exists()


def _protected(app) -> list[Path]:
    ledger_path().touch()
    return [Path(app.config["MASTER_KEY_FILE"]), ledger_path()]


def test_the_key_file_and_the_ledger_are_refused_even_with_force(app, tmp_path):
    for path in _protected(app):
        before = path.read_bytes()
        with pytest.raises(Conflict, match="Casework needs"):
            write_output(path, "x", force=True)
        relative = os.path.relpath(path, tmp_path)
        cwd = os.getcwd()
        os.chdir(tmp_path)
        try:
            with pytest.raises(Conflict, match="Casework needs"):
                write_output(relative, "x", force=True)  # another spelling of the same path
        finally:
            os.chdir(cwd)
        assert path.read_bytes() == before


def test_a_hard_link_to_the_key_file_is_refused(app, tmp_path):
    key = Path(app.config["MASTER_KEY_FILE"])
    before = key.read_bytes()
    link = key.with_name("innocent-looking.json")
    os.link(key, link)
    try:
        with pytest.raises(Conflict):
            write_output(link, "x", force=True)
    finally:
        link.unlink()
    assert key.read_bytes() == before


def test_the_sqlite_database_file_is_refused(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("the database is not a file")
    with pytest.raises(Conflict, match="Casework needs"):
        write_output(url.split(":///", 1)[1], "x", force=True)


@pytest.mark.parametrize("args", [["export", "--team", "kraften-test"], ["gdpr", "export", "PARTICIPANT"],
                                  ["report", "--team", "kraften-test", "--year", "2021", "--format", "csv"]])
def test_every_exporting_command_refuses_to_overwrite_and_to_follow_a_symlink(app, participant, tmp_path, args):
    args = [participant.id if a == "PARTICIPANT" else a for a in args]
    db.session.commit()  # a refused command rolls back to here (the test's transaction undoes it all)
    runner = app.test_cli_runner()
    existing = tmp_path / "existing"
    existing.write_text("keep")
    result = runner.invoke(args=[*args, "--output", str(existing)])
    assert result.exit_code == 1 and "--force" in result.output and existing.read_text() == "keep"
    link = tmp_path / "link"
    link.symlink_to(existing)
    result = runner.invoke(args=[*args, "--output", str(link), "--force"])
    assert result.exit_code == 1 and existing.read_text() == "keep"
    result = runner.invoke(args=[*args, "--output", app.config["MASTER_KEY_FILE"], "--force"])
    assert result.exit_code == 1 and "Casework needs" in result.output
    result = runner.invoke(args=[*args, "--output", str(existing), "--force"])
    assert result.exit_code == 0, result.output
    assert existing.read_text() != "keep"
