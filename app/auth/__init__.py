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
    # "basic": a session used from another network address or browser is marked not fresh.
    # "strong" would end it instead, which logs an expert out when their phone moves from the
    # venue's wifi to 4G during check-in, and (on an anonymous session that holds only a CSRF
    # token) rewrites the session cookie and deletes the remember-me cookie on every request.
    login_manager.session_protection = "basic"
    app.register_blueprint(views.bp)
    app.register_blueprint(views.admin_bp)
    app.cli.add_command(cli.users)
    app.jinja_env.globals["role_label"] = role_label


def role_label(role) -> str:
    from app.auth.forms import ROLE_CHOICES

    return str(dict(ROLE_CHOICES).get(getattr(role, "value", role), role))
