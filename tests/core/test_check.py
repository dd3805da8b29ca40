"""`flask check` against real parts: a closed port where SMTP or Redis should be, a database that
is not there, one whose migrations are behind, a real SMTP server with STARTTLS and a login."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine

from app import create_app
from app.db import utcnow
from app.extensions import db
from app.ops.models import JobLock
from tests.smtp import SmtpSink, free_port


def run_check(config: dict) -> tuple[int, dict[str, str], str]:
    """Run `flask check` on an app built from `config`; (exit code, {name: line}, output)."""
    app = create_app(config)
    with app.app_context():  # its own context, also when a test holds the `app` fixture's
        result = app.test_cli_runner().invoke(args=["check"])
        db.session.remove()
        db.engine.dispose()
    lines = {}
    for line in result.output.splitlines():
        status, _, rest = line.partition("  ")
        if status.strip() in ("OK", "WARN", "FAIL"):
            name = rest.strip().split(":", 1)[0]
            lines[name] = f"{status.strip()} {rest.strip()}"
    return result.exit_code, lines, result.output


@pytest.fixture
def healthy(app_config, tmp_path):
    """A configuration on which every check passes (the test database is migrated)."""
    return {
        **app_config,
        "ENV_NAME": "production",
        "SECRET_KEY": "x" * 64,
        "BASE_URL": "https://startklaar.example.be",
        "MAIL_FROM": "Startklaar <startklaar@example.be>",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }


def closed_port() -> int:
    return free_port()  # nothing listens on a port just found free


def test_a_healthy_installation_passes_every_check(app, runner, healthy, smtp_server):
    assert runner.invoke(args=["jobs", "run"]).exit_code == 0
    code, lines, output = run_check({**healthy, "SMTP_URL": smtp_server.url})
    assert code == 0, output
    assert all(line.startswith("OK") for name, line in lines.items() if name != "Redis"), output
    assert lines["migrations"].startswith("OK")
    assert "0 FAIL" in output


def test_production_with_the_development_secret_fails(healthy):
    code, lines, _ = run_check({**healthy, "SECRET_KEY": "dev-only-not-secret"})
    assert code == 1
    assert lines["SECRET_KEY"].startswith("FAIL") and "token_hex" in lines["SECRET_KEY"]


def test_production_on_plain_http_fails(healthy):
    code, lines, _ = run_check({**healthy, "BASE_URL": "http://startklaar.example.be"})
    assert code == 1 and lines["BASE_URL"].startswith("FAIL") and "https" in lines["BASE_URL"]


def test_production_with_the_example_sender_fails(healthy):
    code, lines, _ = run_check({**healthy, "MAIL_FROM": "Startklaar <noreply@startklaar.local>"})
    assert code == 1 and lines["MAIL_FROM"].startswith("FAIL")


def test_without_smtp_url_mail_stays_in_the_outbox_and_check_only_warns(healthy):
    code, lines, _ = run_check({**healthy, "SMTP_URL": None})
    assert code == 0
    assert lines["SMTP"].startswith("WARN") and "outbox" in lines["SMTP"]


def test_an_smtp_server_that_is_not_there_fails_quickly_with_the_address(healthy):
    port = closed_port()
    started = time.monotonic()
    code, lines, _ = run_check({**healthy, "SMTP_URL": f"smtp://127.0.0.1:{port}"})
    assert code == 1
    assert lines["SMTP"].startswith("FAIL") and f"127.0.0.1:{port}" in lines["SMTP"]
    assert time.monotonic() - started < 10


def test_smtp_with_starttls_and_login_is_checked_all_the_way(healthy, smtp_certificate):
    with SmtpSink(tls=smtp_certificate, mode="starttls", login=("startklaar", "geheim")) as server:
        code, lines, output = run_check({**healthy, "SMTP_URL": server.url})
        assert code == 0, output
        assert lines["SMTP"].startswith("OK") and "STARTTLS" in lines["SMTP"]
        assert server.logins == ["startklaar"]

        wrong = server.url.replace("geheim", "fout")
        code, lines, _ = run_check({**healthy, "SMTP_URL": wrong})
        assert code == 1 and lines["SMTP"].startswith("FAIL") and "535" in lines["SMTP"]
        assert "fout" not in lines["SMTP"]  # the password is never printed


def test_a_database_that_cannot_be_reached_fails(healthy):
    port = closed_port()
    url = f"postgresql+psycopg://startklaar:geheim@127.0.0.1:{port}/startklaar"
    code, lines, _ = run_check({**healthy, "SQLALCHEMY_DATABASE_URI": url})
    assert code == 1
    assert lines["database"].startswith("FAIL") and "niet bereikbaar" in lines["database"]
    assert "geheim" not in lines["database"]


def test_a_sqlite_file_that_does_not_exist_says_to_run_the_migrations(healthy, tmp_path):
    url = f"sqlite:///{tmp_path / 'nergens.sqlite'}"
    code, lines, _ = run_check({**healthy, "SQLALCHEMY_DATABASE_URI": url})
    assert code == 1 and "db upgrade" in lines["database"]
    assert not (tmp_path / "nergens.sqlite").exists()  # checking created nothing


def test_migrations_that_are_not_applied_fail_with_both_versions(healthy, tmp_path):
    url = f"sqlite:///{tmp_path / 'achter.sqlite'}"
    behind = create_app({**healthy, "SQLALCHEMY_DATABASE_URI": url})
    with behind.app_context():
        upgrade(revision="0008")
        db.engine.dispose()
    code, lines, _ = run_check({**healthy, "SQLALCHEMY_DATABASE_URI": url})
    assert code == 1
    assert lines["migrations"].startswith("FAIL")
    from pathlib import Path

    from alembic.script import ScriptDirectory

    migrations = Path(__file__).resolve().parents[2] / "migrations"
    head = ScriptDirectory(str(migrations)).get_current_head()  # the newest migration, whichever it is
    assert (
        "0008" in lines["migrations"]
        and f"verwacht {head}" in lines["migrations"]
        and "db upgrade" in lines["migrations"]
    )


def test_an_empty_database_says_to_run_the_migrations(healthy, tmp_path):
    path = tmp_path / "leeg.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect():
        pass
    engine.dispose()
    code, lines, _ = run_check({**healthy, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    assert code == 1 and "leeg" in lines["migrations"]


def test_an_upload_folder_that_cannot_be_written_fails(healthy, tmp_path):
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map")
    code, lines, _ = run_check({**healthy, "UPLOAD_FOLDER": str(blocker / "uploads")})
    assert code == 1 and lines["UPLOAD_FOLDER"].startswith("FAIL")


def test_a_redis_that_does_not_answer_fails(healthy):
    code, lines, _ = run_check({**healthy, "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0"})
    assert code == 1 and lines["Redis"].startswith("FAIL")


def test_production_without_redis_warns_that_each_process_counts_alone(healthy):
    code, lines, _ = run_check({**healthy, "REDIS_URL": None})
    assert code == 0 and lines["Redis"].startswith("WARN")


@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def test_a_running_redis_passes(healthy, redis_server):
    code, lines, _ = run_check({**healthy, "REDIS_URL": redis_server})
    assert code == 0 and lines["Redis"].startswith("OK")


def test_the_real_command_prints_one_line_per_check(healthy):
    code, lines, output = run_check(healthy)
    assert set(lines) == {
        "SECRET_KEY", "BASE_URL", "MAIL_FROM", "DATABASE_URL", "database", "migrations", "SMTP", "Redis",
        "UPLOAD_FOLDER", "jobs",
    }  # fmt: skip
    assert output.strip().splitlines()[-1].startswith("10 checks:")


def test_jobs_that_never_ran_are_a_warning_that_names_the_timer(app, healthy):
    code, lines, _ = run_check(healthy)
    assert code == 0
    assert lines["jobs"].startswith("WARN") and "outbox-purge liep nog nooit" in lines["jobs"]
    assert "startklaar-jobs.timer" in lines["jobs"]


def test_a_job_whose_last_run_failed_is_a_warning_with_its_error(app, healthy):
    db.session.add(
        JobLock(name="outbox-purge", last_run_at=utcnow(), last_error="OperationalError: schijf vol")
    )
    db.session.commit()
    _, lines, _ = run_check(healthy)
    assert (
        lines["jobs"].startswith("WARN")
        and "outbox-purge faalde: OperationalError: schijf vol" in lines["jobs"]
    )


def test_a_job_that_stopped_running_is_a_warning(app, healthy):
    db.session.add(JobLock(name="outbox-purge", last_run_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    _, lines, _ = run_check(healthy)
    assert lines["jobs"].startswith("WARN") and "liep niet meer sinds" in lines["jobs"]
