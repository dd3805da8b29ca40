import click
from flask.cli import with_appcontext

from registrations import privacy as privacy_services
from registrations import services


@click.group(help="Reminders to confirmed registrants.")
def reminders():
    pass


@reminders.command("send")
@with_appcontext
def send_reminders():
    """Queue the reminders that are due (each goes once per registration, however often run)."""
    click.echo(f"{services.send_reminders()} reminders queued.")


@click.group(help="Registrations housekeeping.")
def registrations():
    pass


@registrations.command("expire-holds")
@with_appcontext
def expire_holds():
    """Release seats held for registrations that were never confirmed; the waiting lists move."""
    click.echo(f"{services.expire_holds()} lapsed holds released.")


@click.group(help="Personal data.")
def privacy():
    pass


@privacy.command("purge")
@with_appcontext
def purge():
    """Anonymise registrations past the retention period that did not become a lead or dossier."""
    click.echo(f"{privacy_services.purge()} registrations anonymised.")
