"""`flask mail send` (deliver what is due, once) and `flask mail worker` (keep delivering)."""

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from app.config import ConfigError
from app.outbox import services


@click.group("mail")
def mail():
    """Deliver the outbox."""


@mail.command("send")
@click.option("--batch-size", type=click.IntRange(min=1), help="Mails per SMTP connection.")
@with_appcontext
def send(batch_size: int | None):
    """Render and deliver every mail that is due, once, and say how many were sent, failed and left."""
    try:
        report = services.deliver_all_due(batch_size or current_app.config["MAIL_BATCH_SIZE"])
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    left = services.count_queued()
    if not report.configured:
        click.echo(f"SMTP_URL is not set: nothing sent. {left} mail(s) wait in the outbox (/beheer/outbox).")
        return
    click.echo(
        f"Sent {report.sent}, failed {report.failed}, to retry later {report.retrying}, "
        f"left in the outbox {left}."
    )
    if report.dropped:
        click.echo(f"Not sent, as what they were about was gone when rendered: {report.dropped}.")
    for line in report.errors[:20]:
        click.echo(f"  {line}", err=True)
    if report.error:
        raise click.ClickException(f"Stopped early: {report.error}")


@mail.command("worker")
@click.option("--poll", type=click.FloatRange(min=0.1), help="Seconds to wait when nothing is due.")
@click.option("--batch-size", type=click.IntRange(min=1), help="Mails per SMTP connection.")
@with_appcontext
def worker(poll: float | None, batch_size: int | None):
    """Keep delivering until stopped (SIGTERM or Ctrl-C finishes the message in flight first)."""
    config = current_app.config
    stop = threading.Event()

    def request_stop(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    current_app.logger  # noqa: B018 - attaches Flask's stderr handler to the "app" loggers
    outbox_log = logging.getLogger("app.outbox")
    if outbox_log.level == logging.NOTSET:
        outbox_log.setLevel(logging.INFO)
    try:
        services.run_worker(
            poll_seconds=poll or config["MAIL_POLL_SECONDS"],
            stop_event=stop,
            batch_size=batch_size or config["MAIL_BATCH_SIZE"],
        )
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
