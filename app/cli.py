"""`flask demo`: fill an empty database with realistic data, domain by domain."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db


def register_demo_loader(app, loader) -> None:
    """Domain packages add their demo data in dependency order (called from their init_app)."""
    app.extensions.setdefault("demo_loaders", []).append(loader)


@click.command("demo")
@with_appcontext
def demo():
    """Load demo data into an empty database and print the demo logins."""
    if db.session.scalar(select(func.count()).select_from(User)):
        raise click.ClickException("The database is not empty: the demo loads only into an empty one.")
    context: dict = {}
    for loader in current_app.extensions.get("demo_loaders", []):
        loader(context)
    db.session.commit()
    click.echo(f"Demo data loaded. Demo logins (password for all: {context['password']}):")
    for user in context["users"]:
        click.echo(f"  {user.role.value:<7} {user.email}")


def init_app(app) -> None:
    app.cli.add_command(demo)
    from app import demo as core_demo

    register_demo_loader(app, core_demo.load)
