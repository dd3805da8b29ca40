"""`flask backup`: a whole, consistent copy of the SQLite database while another process writes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app import create_app
from app.database import dispose_engines
from app.extensions import db
from app.ops import backup

sqlite_only = pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
    reason="copies the SQLite test database; PostgreSQL is refused (see the test below)",
)

# Another process writing rows as fast as it can, each in its own transaction, like the app does.
WRITER = textwrap.dedent(
    """
    import sqlite3, sys, time
    connection = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    stop_file, n = sys.argv[2], 0
    import os
    while not os.path.exists(stop_file):
        n += 1
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO job_locks (name, last_error) VALUES (?, ?)", (f"schrijver-{n:06d}", "x" * 2000)
        )
        connection.execute("COMMIT")
        if n == 1:
            open(sys.argv[3], "w").close()
    print(n, flush=True)
    """
)


def database_file(app) -> Path:
    return Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)


def fill(path: Path, rows: int) -> None:
    """Bulk the database up so a copy takes long enough for the writer to get in between."""
    with sqlite3.connect(path, timeout=30) as connection:
        connection.executemany(
            "INSERT INTO job_locks (name, last_error) VALUES (?, ?)",
            ((f"vulling-{n:06d}", "y" * 4000) for n in range(rows)),
        )


def names(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM job_locks ORDER BY name")]


@sqlite_only
def test_a_backup_taken_while_another_process_writes_is_whole_and_has_the_rows(app, runner, tmp_path):
    source = database_file(app)
    db.session.commit()
    fill(source, 20_000)  # about 80 MB
    stop, started = tmp_path / "stop", tmp_path / "started"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(source), str(stop), str(started)], stdout=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while not started.exists():
            assert writer.poll() is None and time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.01)
        before = len(names(source))  # committed before the backup began
        target = tmp_path / "kopie.sqlite"
        result = runner.invoke(args=["backup", str(target)])
        during = len(names(source))
    finally:
        stop.touch()
        written = int(writer.communicate(timeout=30)[0])

    assert result.exit_code == 0, result.output
    assert "integrity_check ok" in result.output
    assert during > before, "the writer was not writing while the backup ran"
    copied = names(target)
    assert before <= len(copied) <= before + written
    assert sum(name.startswith("vulling-") for name in copied) == 20_000
    # A snapshot: the writer's rows in the copy are its first k, with no gap.
    ours = sorted(name for name in copied if name.startswith("schrijver-"))
    assert ours == [f"schrijver-{n:06d}" for n in range(1, len(ours) + 1)]
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not list(tmp_path.glob(".*.partial"))


@sqlite_only
def test_without_a_path_the_backup_lands_in_instance_backups_with_a_timestamp(app, runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    made = Path(result.output.split("Back-up geschreven: ", 1)[1].split(" (", 1)[0])
    try:
        assert made.parent == Path(app.instance_path) / "backups"
        assert made.name.startswith("startklaar-") and made.suffix == ".sqlite"
        assert "job_locks" in {
            row[0] for row in sqlite3.connect(made).execute("SELECT name FROM sqlite_master")
        }
    finally:
        made.unlink()


@sqlite_only
def test_an_existing_backup_is_never_overwritten(app, runner, tmp_path):
    target = tmp_path / "kopie.sqlite"
    target.write_bytes(b"een oudere back-up")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "bestaat al" in result.output
    assert target.read_bytes() == b"een oudere back-up"


@sqlite_only
def test_the_copy_can_be_used_as_the_database(app, runner, tmp_path):
    target = tmp_path / "kopie.sqlite"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    restored = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}"})
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["check"])
        db.session.remove()
        dispose_engines()
    assert "OK    migrations" in result.output, result.output


def test_postgresql_is_refused_with_the_pg_dump_way(app_config):
    config = {
        **app_config,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://startklaar@127.0.0.1:1/startklaar",
    }
    other = create_app(config)
    result = other.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output and "pg_restore" in result.output
    with other.app_context(), pytest.raises(backup.BackupRefused):
        backup.backup_sqlite()
