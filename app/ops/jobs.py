"""Scheduled jobs that are safe to run from several machines at once.

Packages register their jobs with `register_job(app, name, run, every=… | daily_at=…)` from
their `init_app` (into the registry `scheduled_jobs`, see app/hooks.py); `flask jobs run` (a
cron job or systemd timer, every minute) runs each job that is due once and exits, `flask jobs
worker` keeps doing that.

Each job has a row in `job_locks`. Taking the lock is one UPDATE whose WHERE says both "nobody
holds it" (`locked_until` is empty or past) and "it is due" (`last_run_at` before the threshold):
the database runs it atomically — SQLite under its write lock, PostgreSQL under the row lock,
re-checking the WHERE on the row the other transaction committed — so of two machines asking at
the same moment exactly one gets the row, and one that asks just after the first has finished
finds the job no longer due. A holder that is killed leaves a lock that lapses at `locked_until`
(the job's `timeout`), after which the job is still due and another machine runs it.

The clocks of the machines must agree (NTP): the lock's expiry and the due time are written by
one machine and compared by another.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import or_, select, update

from app import hooks
from app.database import begin_write, insert_ignoring
from app.db import utcnow
from app.extensions import db
from app.ops.models import JobLock
from app.timezone import from_local, local

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = timedelta(minutes=30)
_TABLE = JobLock.__table__


@dataclass(frozen=True)
class Job:
    """A job to run every `every`, or once a day at `daily_at` (Brussels wall-clock time).

    `timeout` is how long a run may hold the lock: a run killed mid-way blocks the job this
    long at most. Choose it well above the longest run, since after it another machine may start
    the job while the first is still busy.
    """

    name: str
    run: Callable[[], object]
    every: timedelta | None = None
    daily_at: time | None = None
    timeout: timedelta = DEFAULT_TIMEOUT

    def threshold(self, now: datetime) -> datetime:
        """The job is due when its last run started before this moment."""
        if self.every is not None:
            # Timers fire a little early or late; a run that started a few seconds short of a
            # whole interval ago counts as a whole interval ago.
            slack = min(self.every / 10, timedelta(seconds=30))
            return now - self.every + slack
        today = local(now).date()
        moment = from_local(today, self.daily_at)
        return moment if moment <= now else from_local(today - timedelta(days=1), self.daily_at)

    def describe(self) -> str:
        if self.every is not None:
            return f"every {_duration(self.every)}"
        return f"daily at {self.daily_at:%H:%M} Europe/Brussels"


#: The jobs of an application, one per name (a second job with a name is refused).
scheduled_jobs: hooks.Registry[Job] = hooks.Registry(
    f"{__name__}.scheduled_jobs", key=lambda job: job.name, doc="Scheduled jobs, by name."
)


def _duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def register_job(
    app,
    name: str,
    run: Callable[[], object],
    *,
    every: timedelta | None = None,
    daily_at: time | None = None,
    timeout: timedelta = DEFAULT_TIMEOUT,
) -> Job:
    """Add a scheduled job (call from a package's init_app). `run` takes no arguments and runs
    inside an application context; it owns its transaction, as the services do."""
    if (every is None) == (daily_at is None):
        raise ValueError(f"job {name!r}: give exactly one of every= or daily_at=")
    if every is not None and every <= timedelta(0):
        raise ValueError(f"job {name!r}: every= must be positive")
    if not name or len(name) > 100:
        raise ValueError("a job name is 1 to 100 characters")
    return scheduled_jobs.register(app, Job(name, run, every, daily_at, timeout))


def registered_jobs() -> list[Job]:
    return list(scheduled_jobs.items())


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


# --------------------------------------------------------------------------- the lock


def _ensure_rows(jobs: list[Job]) -> None:
    if jobs:
        db.session.execute(insert_ignoring(_TABLE, "name"), [{"name": job.name} for job in jobs])
        db.session.commit()


def acquire(job: Job, holder: str, now: datetime | None = None) -> bool:
    """Take the job's lock if nobody holds it and the job is due; commits. True when taken."""
    now = now or utcnow()
    begin_write()
    result = db.session.execute(
        update(_TABLE)
        .where(
            _TABLE.c.name == job.name,
            or_(_TABLE.c.locked_until.is_(None), _TABLE.c.locked_until < now),
            or_(_TABLE.c.last_run_at.is_(None), _TABLE.c.last_run_at < job.threshold(now)),
        )
        .values(locked_until=now + job.timeout, holder=holder)
    )
    db.session.commit()
    return result.rowcount == 1


def release(job: Job, holder: str, started: datetime, error: str | None) -> None:
    """Record how the run went and free the lock (only if still ours: a run that outlived its
    timeout must not free the lock of the machine that took over)."""
    finished = utcnow()
    values: dict = {"locked_until": None, "holder": None, "last_run_at": started}
    if error is None:
        values.update(last_ok_at=finished, last_error=None)
    else:
        values.update(last_error=error[:4000])
    begin_write()
    db.session.execute(
        update(_TABLE).where(_TABLE.c.name == job.name, _TABLE.c.holder == holder).values(**values)
    )
    db.session.commit()


# --------------------------------------------------------------------------- running


@dataclass
class RunReport:
    ran: list[str]
    failed: dict[str, str]
    skipped: list[str]


def run_due(holder: str | None = None, only: set[str] | None = None) -> RunReport:
    """Run every registered job that is due and not held elsewhere, one after the other.

    A job that raises is rolled back, its error recorded on its row, and the next job runs.
    """
    holder = holder or default_holder()
    jobs = [job for job in registered_jobs() if only is None or job.name in only]
    report = RunReport([], {}, [])
    db.session.commit()  # no snapshot from before: the lock is read fresh
    _ensure_rows(jobs)
    for job in jobs:
        started = utcnow()
        if not acquire(job, holder, started):
            report.skipped.append(job.name)
            continue
        log.info("job %s: started by %s", job.name, holder)
        error = None
        try:
            outcome = job.run()
            db.session.commit()
        except Exception as exc:  # noqa: BLE001 - recorded on the job's row, the other jobs go on
            db.session.rollback()
            error = "".join(traceback.format_exception_only(exc)).strip()
            log.exception("job %s failed", job.name)
            report.failed[job.name] = error
        else:
            log.info("job %s: done (%s)", job.name, outcome)
            report.ran.append(job.name)
        release(job, holder, started, error)
    return report


def run_worker(stop_event: threading.Event, poll_seconds: float = 30.0, holder: str | None = None) -> None:
    """Run due jobs until `stop_event` is set; a stop waits for the job in flight to finish."""
    holder = holder or default_holder()
    log.info("jobs worker %s: started", holder)
    while not stop_event.is_set():
        try:
            run_due(holder)
        except Exception:  # the database away for a moment: try again at the next tick
            db.session.rollback()
            log.exception("jobs worker: a round failed")
        finally:
            db.session.remove()
        stop_event.wait(poll_seconds)
    log.info("jobs worker %s: stopped", holder)


def job_states() -> list[tuple[Job, JobLock | None]]:
    """Every registered job with its row (None before its first run), for `flask jobs list`."""
    db.session.commit()
    rows = {row.name: row for row in db.session.scalars(select(JobLock))}
    return [(job, rows.get(job.name)) for job in registered_jobs()]
