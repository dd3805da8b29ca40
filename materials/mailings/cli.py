"""`flask mailings send-due`: scheduled mailings and automatic follow-ups whose time has come."""

import click
from flask.cli import with_appcontext

from materials.mailings import services


@click.group("mailings")
def mailings():
    """Follow-up mailings."""


@mailings.command("send-due")
@with_appcontext
def send_due():
    """Send what is due (idempotent: run it every few minutes); the outbox delivers the mail."""
    sent = services.send_due()
    click.echo(f"Mailings sent: {len(sent)}" + (f" ({', '.join(map(str, sent))})" if sent else ""))
