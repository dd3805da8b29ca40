"""The scheduled jobs: each one ran lately, and without an error."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from app.ops.check.results import Result, ok, warn

# --------------------------------------------------------------------------- scheduled jobs


def check_jobs() -> list[Result]:
    """Jobs that never ran, stopped running or failed: the timer is off, or a job is broken."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import utcnow
    from app.extensions import db
    from app.ops import jobs

    try:
        states = jobs.job_states()
    except SQLAlchemyError:
        db.session.rollback()
        return []  # no database or no job_locks table yet: the database checks said so
    now, problems = utcnow(), []
    for job, row in states:
        if row is None or row.last_run_at is None:
            problems.append(_("%(job)s liep nog nooit", job=job.name))
        elif row.last_error:
            error = row.last_error.splitlines()[-1]
            problems.append(_("%(job)s faalde: %(error)s", job=job.name, error=error))
        elif row.last_run_at < job.threshold(now) - (job.every or timedelta(days=1)) - timedelta(minutes=5):
            when = f"{row.last_run_at:%Y-%m-%d %H:%M} UTC"
            problems.append(_("%(job)s liep niet meer sinds %(when)s", job=job.name, when=when))
    if problems:
        return [
            warn(
                "jobs",
                _(
                    "%(problems)s. Staat startklaar-jobs.timer (of `flask --app wsgi jobs worker`) aan? "
                    "Details: `flask --app wsgi jobs list`.",
                    problems="; ".join(problems),
                ),
            )
        ]
    return [ok("jobs", _("%(count)s taken op schema.", count=len(states)))]
