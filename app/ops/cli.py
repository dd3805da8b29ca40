"""`flask check`, `flask backup [PATH]`, `flask jobs run|worker|list`."""

import logging
import signal
import sys
import threading
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.ops import backup as backups
from app.ops import check as checks
from app.ops import jobs as scheduled

COLOURS = {checks.Status.OK: "green", checks.Status.WARN: "yellow", checks.Status.FAIL: "red"}


@click.command("check")
@with_appcontext
def check():
    """Check configuration, database, migrations, SMTP, Redis and the upload folder; exit 1 on
    any FAIL."""
    results = checks.run_checks()
    for result in results:
        click.secho(result.line(), fg=COLOURS[result.status] if sys.stdout.isatty() else None)
    failed = sum(r.status is checks.Status.FAIL for r in results)
    warned = sum(r.status is checks.Status.WARN for r in results)
    click.echo(f"{len(results)} checks: {failed} FAIL, {warned} WARN.")
    if failed:
        sys.exit(1)


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path | None):
    """Write a consistent copy of the SQLite database (default: instance/backups/<timestamp>)."""
    try:
        made = backups.backup_sqlite(path)
    except backups.BackupRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        _(
            "Back-up geschreven: %(path)s (%(size)s KB, %(tables)s tabellen, integrity_check ok).",
            path=made.path,
            size=made.size // 1024,
            tables=made.tables,
        )
    )
    click.echo(_("Vergeet de map met uploads niet (UPLOAD_FOLDER): die staat niet in de databank."))


@click.group("jobs")
def jobs():
    """Scheduled jobs (reminders, expired holds, purges), safe on several machines at once."""


def _log_to_stderr() -> None:
    current_app.logger  # noqa: B018 - attaches Flask's stderr handler to the "app" loggers
    log = logging.getLogger("app.ops")
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)


@jobs.command("run")
@click.option("--only", multiple=True, help="Run only this job (repeatable).")
@with_appcontext
def run(only: tuple[str, ...]):
    """Run every job that is due, once, and exit (for cron or a systemd timer); exit 1 when a
    job failed."""
    known = {job.name for job in scheduled.registered_jobs()}
    unknown = set(only) - known
    if unknown:
        raise click.UsageError(
            f"unknown job(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
        )
    _log_to_stderr()
    report = scheduled.run_due(only=set(only) or None)
    click.echo(
        f"ran: {', '.join(report.ran) or '-'}; failed: {', '.join(report.failed) or '-'}; "
        f"not due or running elsewhere: {', '.join(report.skipped) or '-'}"
    )
    for name, error in report.failed.items():
        click.echo(f"  {name}: {error}", err=True)
    if report.failed:
        sys.exit(1)


@jobs.command("worker")
@click.option(
    "--poll", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds between rounds."
)
@with_appcontext
def worker(poll: float):
    """Keep running due jobs until stopped (SIGTERM or Ctrl-C lets the job in flight finish)."""
    stop = threading.Event()

    def request_stop(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    _log_to_stderr()
    scheduled.run_worker(stop, poll_seconds=poll)


@jobs.command("list")
@with_appcontext
def list_jobs():
    """Every job, its schedule, and how its last run went."""
    for job, row in scheduled.job_states():
        last = row.last_run_at.isoformat(timespec="seconds") if row and row.last_run_at else "never"
        if row and row.last_error:
            state = "error: " + row.last_error.splitlines()[-1]
        else:
            state = "ok" if row and row.last_ok_at else "-"
        held = f", running on {row.holder}" if row and row.holder else ""
        click.echo(f"{job.name:<24} {job.describe():<40} last run {last} ({state}){held}")
