import click
from flask.cli import with_appcontext

from dossiers import services


@click.group(help="Intake dossiers.")
def dossiers():
    pass


@dossiers.command("remind")
@with_appcontext
def remind():
    """Mail organisers whose checklist items passed their due date (once per item and due date,
    however often run: schedule it daily)."""
    report = services.remind_overdue()
    click.echo(f"{report.dossiers} dossiers reminded ({report.items} overdue elements).")
