import click
from flask.cli import with_appcontext

from app.auth import services
from app.auth.models import Role
from app.errors import DomainError


@click.group(help="Staff accounts.")
def users():
    pass


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="", help="Full name (defaults to the address's local part).")
@click.option(
    "--password",
    default=None,
    help="Prompted for when not given; not needed with LOCAL_LOGIN=0 (sign-in through the agency).",
)
@with_appcontext
def create(email, role, name, password):
    """Create a staff account."""
    if password is None and services.local_login_enabled():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, role, name, password)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.value} {user.email}")
    if not services.local_login_enabled():
        click.echo("Local passwords are off (LOCAL_LOGIN=0): they sign in with their account of the agency.")
        if password:
            click.echo("The password is kept, but works only when LOCAL_LOGIN is turned on again.")
