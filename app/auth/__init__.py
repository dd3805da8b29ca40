"""Staff accounts: login, roles, user administration."""


def init_app(app) -> None:
    from app.auth import cli, oidc, views
    from app.auth.services import load_user
    from app.extensions import login_manager

    oidc.init_app(app)  # registers the agency's provider, if any; no network call
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    app.cli.add_command(cli.users)
    app.jinja_env.globals["role_label"] = role_label


def role_label(role) -> str:
    from app.auth.forms import ROLE_CHOICES

    return str(dict(ROLE_CHOICES).get(getattr(role, "value", role), role))
