"""`flask demo`: fill an empty database with realistic data, domain by domain."""

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app import hooks
from app.auth.models import User
from app.extensions import db


@hooks.hook
def demo_loaders(context: dict) -> None:
    """Add a package's demo data; `context` carries what earlier loaders made (users, sessions …).

    Packages register their loader from init_app, in the order they depend on each other."""


@click.command("demo")
@with_appcontext
def demo():
    """Load demo data into an empty database and print the demo logins."""
    if db.session.scalar(select(func.count()).select_from(User)):
        raise click.ClickException("The database is not empty: the demo loads only into an empty one.")
    context: dict = {}
    demo_loaders.send(context)
    db.session.commit()
    click.echo(f"Demo data loaded. Demo logins (password for all: {context['password']}):")
    for user in context["users"]:
        click.echo(f"  {user.role.value:<7} {user.email}")


def init_app(app) -> None:
    app.cli.add_command(demo)
    from app import demo as core_demo

    demo_loaders.register(app, core_demo.load)
