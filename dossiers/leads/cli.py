"""`flask leads …`: apply the lead rules to every registration so far."""

import click
from flask.cli import with_appcontext

from app.errors import DomainError
from dossiers.leads import capture


@click.group("leads")
def leads():
    """Leads from the info sessions."""


@leads.command("apply-rules")
@click.option("--rule", "rule_id", type=int, default=None, help="Only this rule (its id).")
@with_appcontext
def apply_rules(rule_id):
    """Apply the active lead rules to all registrations, past sessions included (safe to rerun)."""
    try:
        result = capture.backfill(rule_id)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{result.leads_made} new leads, {result.registrations_gathered} registrations gathered.")
