import click
from flask.cli import with_appcontext

from reports import aggregates


@click.group(help="The reports' aggregates.")
def reports():
    pass


@reports.command("rebuild")
@with_appcontext
def rebuild():
    """Count every report from scratch: after a bulk import or a change made outside the app
    (the app's own changes are counted as they happen, and this also runs every night)."""
    aggregates.rebuild()
    click.echo("Reports rebuilt.")
