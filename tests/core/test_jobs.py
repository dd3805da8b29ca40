"""Scheduled jobs under a lock in the database: each due job runs once however many machines
ask at the same moment, a killed run's lock lapses, a failing job does not stop the others.

The cross-process tests start real Python processes on the test database (the SQLite file, or
PostgreSQL with TEST_DATABASE_URL); each registers the same jobs, which append a line to a file.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, update

from app.db import utcnow
from app.extensions import db
from app.ops import jobs
from app.ops.models import JobLock
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.services import enqueue
from tests.support.outbox import literal

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# A process that registers `names` as hourly jobs (each appends "<name> <pid>" to LOG and then
# sleeps), waits until START (so all processes ask at once) and runs what is due.
WORKER = textwrap.dedent(
    """
    import os, sys, time
    from datetime import timedelta
    from app import create_app
    from app.ops.jobs import register_job, run_due

    log, start, sleep, timeout = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    names = sys.argv[5:]
    app = create_app()

    def make(name):
        def run():
            with open(log, "a") as fh:
                fh.write(f"{name} {os.getpid()}\\n")
            time.sleep(sleep)
        return run

    for name in names:
        register_job(app, name, make(name), every=timedelta(hours=1), timeout=timedelta(seconds=timeout))
    with app.app_context():
        while time.time() < start:
            time.sleep(0.005)
        report = run_due(only=set(names))
    print("ran", " ".join(report.ran), "| skipped", " ".join(report.skipped), flush=True)
    """
)


def spawn(database_url: str, log: Path, names: list[str], *, start: float, sleep: float, timeout: float = 60):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SMTP_URL", "REDIS_URL", "STARTKLAAR_ENV", "UPLOAD_FOLDER")
    }
    env["DATABASE_URL"] = database_url
    command = [sys.executable, "-c", WORKER, str(log), str(start), str(sleep), str(timeout), *names]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def lines(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def runs_of(log: Path, name: str) -> int:
    return sum(1 for line in lines(log) if line.split()[0] == name)


def row(name: str) -> JobLock:
    db.session.commit()
    return db.session.scalars(select(JobLock).where(JobLock.name == name)).one()


@pytest.fixture
def calls(app):
    """Register jobs on the test app; `calls[name]` counts their runs."""
    counts: dict[str, int] = {}

    def add(name: str, *, fail: bool = False, **schedule):
        schedule = schedule or {"every": timedelta(hours=1)}

        def run():
            counts[name] = counts.get(name, 0) + 1
            if fail:
                raise RuntimeError(f"{name} kon de databank niet bijwerken")
            return counts[name]

        jobs.register_job(app, name, run, **schedule)
        return name

    add.counts = counts
    return add


# --------------------------------------------------------------------------- in one process


def test_a_due_job_runs_once_however_often_the_timer_fires(app, calls):
    name = calls("herinneringen")
    first = jobs.run_due(only={name})
    second = jobs.run_due(only={name})
    assert first.ran == [name] and second.skipped == [name]
    assert calls.counts[name] == 1
    assert row(name).last_ok_at is not None and row(name).holder is None


def test_an_interval_job_runs_again_once_its_interval_has_passed(app, calls):
    name = calls("wachtrij-opruimen", every=timedelta(minutes=5))
    jobs.run_due(only={name})
    db.session.execute(
        update(JobLock).where(JobLock.name == name).values(last_run_at=utcnow() - timedelta(minutes=5))
    )
    db.session.commit()
    assert jobs.run_due(only={name}).ran == [name]
    assert calls.counts[name] == 2


def test_a_failing_job_records_its_error_and_the_others_still_run(app, calls):
    broken = calls("a-kapot", fail=True)
    fine = calls("b-gezond")
    report = jobs.run_due(only={broken, fine})
    assert report.ran == [fine] and list(report.failed) == [broken]
    assert "kon de databank niet bijwerken" in row(broken).last_error
    assert row(broken).last_ok_at is None and row(broken).holder is None
    assert row(fine).last_error is None and row(fine).last_ok_at is not None


def test_a_job_that_works_again_clears_its_old_error(app, calls):
    name = calls("herstelt")
    db.session.add(
        JobLock(name=name, last_run_at=utcnow() - timedelta(days=1), last_error="RuntimeError: weg")
    )
    db.session.commit()
    jobs.run_due(only={name})
    assert row(name).last_error is None


def test_jobs_run_exits_non_zero_and_names_the_job_that_failed(app, runner, calls):
    calls("kapot", fail=True)
    result = runner.invoke(args=["jobs", "run", "--only", "kapot"])
    assert result.exit_code == 1
    assert "failed: kapot" in result.output and "kon de databank niet bijwerken" in result.output


def test_jobs_run_refuses_an_unknown_job_name(app, runner):
    result = runner.invoke(args=["jobs", "run", "--only", "bestaat-niet"])
    assert result.exit_code == 2 and "outbox-purge" in result.output


def test_jobs_list_shows_the_schedule_and_the_last_error(app, runner, calls):
    calls("kapot", fail=True, daily_at=dtime(3, 30))
    jobs.run_due(only={"kapot"})
    output = runner.invoke(args=["jobs", "list"]).output
    assert "daily at 03:30 Europe/Brussels" in output
    assert "error: RuntimeError: kapot kon de databank niet bijwerken" in output


@pytest.mark.parametrize(
    ("now", "threshold"),
    [
        # Before 03:30 in Brussels the last due moment was yesterday's 03:30 (winter: UTC+1).
        (datetime(2026, 11, 29, 2, 0, tzinfo=UTC), datetime(2026, 11, 28, 2, 30, tzinfo=UTC)),
        (datetime(2026, 11, 29, 2, 30, tzinfo=UTC), datetime(2026, 11, 29, 2, 30, tzinfo=UTC)),
        # Summer time (UTC+2): 03:30 in Brussels is 01:30 UTC.
        (datetime(2027, 7, 1, 12, 0, tzinfo=UTC), datetime(2027, 7, 1, 1, 30, tzinfo=UTC)),
    ],
)
def test_a_daily_job_is_due_from_its_brussels_time_on(now, threshold):
    job = jobs.Job("privacy", lambda: None, daily_at=dtime(3, 30))
    assert job.threshold(now) == threshold


def test_a_job_needs_exactly_one_schedule(app):
    with pytest.raises(ValueError, match="exactly one"):
        jobs.register_job(app, "geen", lambda: None)
    with pytest.raises(ValueError, match="twice"):
        jobs.register_job(app, "outbox-purge", lambda: None, every=timedelta(minutes=1))


def test_the_outbox_purge_job_deletes_old_sent_mail_and_keeps_queued_mail(app):
    old = utcnow() - timedelta(days=app.config["OUTBOX_RETENTION_DAYS"] + 1)
    for n, status in enumerate([MailStatus.SENT, MailStatus.QUEUED, MailStatus.SENT], start=1):
        message = enqueue(
            literal({"subject": "Dag", "text": "Tot morgen."}, to=f"k{n}@example.com", dedup_key=f"k{n}")
        )
        message.status = status
        message.created_at = old if n < 3 else utcnow()
    db.session.commit()
    assert jobs.run_due(only={"outbox-purge"}).ran == ["outbox-purge"]
    db.session.commit()
    left = db.session.scalars(select(OutboxMessage.recipient).order_by(OutboxMessage.recipient)).all()
    assert left == ["k2@example.com", "k3@example.com"]


REGISTRATION_JOBS = {
    # The registration the lead moves into registrations/__init__.py (see docs/production.md).
    "expire-holds": ("registrations.services", "expire_holds", {"every": timedelta(minutes=5)}),
    "reminders": ("registrations.services", "send_reminders", {"every": timedelta(minutes=5)}),
    "privacy-purge": ("registrations.privacy", "purge", {"daily_at": dtime(3, 30)}),
}


def test_the_registrations_housekeeping_runs_as_scheduled_jobs(app, make_session):
    make_session()
    known = {job.name for job in jobs.scheduled_jobs.items()}
    for name, (module, function, schedule) in REGISTRATION_JOBS.items():
        if name not in known:
            jobs.register_job(app, name, getattr(importlib.import_module(module), function), **schedule)
    report = jobs.run_due(only=set(REGISTRATION_JOBS))
    assert report.failed == {} and sorted(report.ran) == sorted(REGISTRATION_JOBS)


def test_the_job_lock_table_matches_its_model(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    mine = [d for d in differences if "job_locks" in repr(d)]
    assert mine == []


# --------------------------------------------------------------------------- across processes


def test_four_machines_running_the_jobs_at_once_run_each_job_once(app, database_url, tmp_path):
    log = tmp_path / "runs.log"
    names = ["herinneringen", "vervallen-reservaties", "privacy-opschonen"]
    db.session.commit()
    start = time.time() + 4  # every process is up and waiting by then
    processes = [spawn(database_url, log, names, start=start, sleep=0.5) for _ in range(4)]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=90)
        outputs.append(out.decode())
        assert process.returncode == 0, err.decode()
    assert {name: runs_of(log, name) for name in names} == {name: 1 for name in names}, outputs
    for name in names:
        assert row(name).last_ok_at is not None and row(name).holder is None


def test_a_lock_left_by_a_killed_run_lapses_and_the_job_runs_again(app, database_url, tmp_path):
    log = tmp_path / "runs.log"
    db.session.commit()
    process = spawn(database_url, log, ["mailing-opvolgen"], start=0, sleep=120, timeout=3)
    try:
        deadline = time.monotonic() + 60
        while not lines(log):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the job never started: {process.stderr.read().decode()}")
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
        process.stderr.close()

    ran = []
    jobs.register_job(app, "mailing-opvolgen", lambda: ran.append(1), every=timedelta(hours=1))
    held = row("mailing-opvolgen")
    assert held.holder and held.locked_until > utcnow()
    assert jobs.run_due(only={"mailing-opvolgen"}).skipped == ["mailing-opvolgen"]  # still held

    time.sleep(max((held.locked_until - utcnow()).total_seconds(), 0) + 0.2)
    assert jobs.run_due(only={"mailing-opvolgen"}).ran == ["mailing-opvolgen"]
    assert ran == [1] and row("mailing-opvolgen").holder is None


def test_flask_jobs_run_works_from_the_command_line(app, database_url):
    env = {key: value for key, value in os.environ.items() if key not in ("SMTP_URL", "REDIS_URL")}
    env["DATABASE_URL"] = database_url
    db.session.commit()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "outbox-purge" in done.stdout.decode()
    assert row("outbox-purge").last_ok_at is not None


def test_flask_jobs_worker_runs_due_jobs_and_stops_cleanly_on_sigterm(app, database_url):
    env = {key: value for key, value in os.environ.items() if key not in ("SMTP_URL", "REDIS_URL")}
    env["DATABASE_URL"] = database_url
    db.session.commit()
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--poll", "0.2"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while db.session.scalar(select(JobLock.last_ok_at).where(JobLock.name == "outbox-purge")) is None:
            db.session.commit()
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker ran nothing: {worker.stderr.read().decode()}")
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(15) == 0
        log = worker.stderr.read().decode()
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stderr.close()
    assert "job outbox-purge: done" in log and "stopped" in log
