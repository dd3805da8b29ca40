"""Faults in production: the database drops every connection of a running gunicorn (as on a
PostgreSQL restart or failover) while visitors load pages. Requests may fail, but only with a
friendly page, and the app serves again without being restarted (pool_pre_ping in app/config.py).

Other faults are covered where their code is tested:
- the SMTP server down during a mailing: tests/core/test_mail_delivery.py,
  test_while_the_server_is_down_mail_waits_and_arrives_once_when_it_is_back and
  test_a_server_closing_mid_batch_costs_one_attempt_and_the_rest_go_next_time;
- a mail worker killed mid-batch: test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing;
- a scheduled job killed mid-run: tests/core/test_jobs.py,
  test_a_lock_left_by_a_killed_run_lapses_and_the_job_runs_again.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from app.extensions import db
from tests.support import open_form
from tests.support.registrations import FORM_DEFAULTS

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
# The gunicorn's connections carry this name so a test can drop exactly them: one name per test
# process, or a test on another pytest-xdist worker would drop this one's connections too.
APPLICATION_NAME = f"startklaar-faults-{os.getpid()}"
FRIENDLY = "Er ging bij ons iets mis"

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgres"),
    reason="drops the app's PostgreSQL connections with pg_terminate_backend (set TEST_DATABASE_URL)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


@pytest.fixture
def server(app, database_url, tmp_path):
    """gunicorn (2 workers x 4 threads, as in production) on the test database; its connections
    carry an application_name so the test can find and drop exactly them."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    separator = "&" if "?" in database_url else "?"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SMTP_URL", "REDIS_URL", "DATABASE_URL", "STARTKLAAR_ENV")
    }
    env.update(
        DATABASE_URL=f"{database_url}{separator}application_name={APPLICATION_NAME}",
        SECRET_KEY="faults-test-secret",
        RATELIMIT_ENABLED="0",
        BASE_URL=f"http://127.0.0.1:{port}",
        # Every visit checks its page's version, so every visit after the drop meets a dead
        # connection (not only the first one a second, app.cache.RecentReads).
        PAGE_VERSION_MAX_AGE="0",
    )
    command = [
        sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4",
        "-b", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
        "--error-logfile", "-", "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield port, process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _drop_app_connections(admin) -> int:
    with admin.connect() as connection:
        dropped = connection.execute(
            text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": APPLICATION_NAME},
        ).scalar_one()
        connection.commit()
    return dropped


def _drop_every_app_connection() -> None:
    """Drop the gunicorn's connections at once, as a PostgreSQL restart would."""
    admin = create_engine(db.engine.url)
    try:
        dropped = _drop_app_connections(admin)
    finally:
        admin.dispose()
    assert dropped > 0, "no connection of the app was dropped: the test did not test anything"


def test_dropped_database_connections_fail_cleanly_and_the_app_recovers_without_a_restart(
    server, make_session
):
    port, process, log = server
    for _ in range(3):
        make_session()
    db.session.commit()
    admin = create_engine(db.engine.url)
    outcomes: list[tuple[str, int, str]] = []
    broken: list[str] = []
    stop = threading.Event()

    def visitor(path: str) -> None:
        while not stop.is_set():
            try:
                status, body = _get(port, path)
                outcomes.append((path, status, body))
            except (OSError, http.client.HTTPException) as error:  # a reset, not an answer
                broken.append(f"{path}: {error!r}")

    visitors = [threading.Thread(target=visitor, args=(p,)) for p in ["/healthz", "/sessies"] * 3]
    for thread in visitors:
        thread.start()
    dropped = 0
    try:
        for _ in range(5):
            time.sleep(0.6)
            dropped += _drop_app_connections(admin)
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in visitors:
            thread.join(30)
        admin.dispose()

    assert dropped > 0, "no connection of the app was dropped: the test did not test anything"
    assert not broken, f"connections broke instead of getting an answer: {broken[:3]}"
    statuses = {(path, status) for path, status, _ in outcomes}
    assert statuses <= {("/healthz", 200), ("/healthz", 503), ("/sessies", 200), ("/sessies", 500)}, statuses
    for path, status, body in outcomes:
        if path == "/sessies" and status == 500:
            assert FRIENDLY in body, body[:500]
        if path == "/healthz" and status == 503:
            assert '"database":"unreachable"' in body.replace(" ", "")

    # Without a restart: the same gunicorn answers every request again.
    assert process.poll() is None
    after = [_get(port, path)[0] for path in ["/healthz", "/sessies"] * 10]
    assert after == [200] * 20, (after, log.read_text(errors="replace")[-3000:])


def test_a_session_page_answers_at_once_after_its_version_check_lost_its_connection(server, make_session):
    """The check a cached session page makes on every visit runs on a pool without a liveness
    ping (app.database.read_first): a connection the database dropped is found dead when used,
    and the check runs again on a new one. The visitor sees the page, not an error."""
    port, _process, log = server
    session = make_session()
    db.session.commit()
    path = f"/sessies/{session.id}"
    # Both workers serve the page, so each holds a pooled connection for the check.
    assert [_get(port, path)[0] for _ in range(10)] == [200] * 10
    _drop_every_app_connection()
    after = [_get(port, path)[0] for _ in range(10)]
    assert after == [200] * 10, (after, log.read_text(errors="replace")[-3000:])


def _register(port: int, path: str, token: str, cookie: str, email: str) -> tuple[int, str]:
    fields = {**FORM_DEFAULTS, "email": email, "csrf_token": token}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            f"{path}/inschrijven",
            body=urlencode(fields),
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def test_a_registration_goes_through_at_once_after_the_connection_its_questions_are_read_on_was_dropped(
    server, make_session
):
    """The form's post reads the session's questions outside its transaction, on the pool
    without a liveness ping (app.database.read_objects): a dropped connection is found dead
    when used and the read runs again. The person is registered; nobody sees an error."""
    port, _process, log = server
    session = make_session()
    db.session.commit()
    path = f"/sessies/{session.id}"
    # Visitors open the page first (their token and cookies); some register, so that both
    # workers hold pooled connections for the questions.
    visitors = [open_form(port, path) for _ in range(20)]
    before = [_register(port, path, *visitors[n], f"voor-{n}@example.com")[0] for n in range(10)]
    assert before == [302] * 10, log.read_text(errors="replace")[-3000:]
    _drop_every_app_connection()
    after = [_register(port, path, *visitors[10 + n], f"na-{n}@example.com") for n in range(10)]
    assert [status for status, _where in after] == [302] * 10, (
        after,
        log.read_text(errors="replace")[-3000:],
    )
    assert all("/ingeschreven" in where for _status, where in after), after
