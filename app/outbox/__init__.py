"""The outbox: every e-mail is a row, queued as an intent in the transaction of the change that
causes it, rendered and delivered by `flask mail send` / `flask mail worker`; admins read it
under /beheer/outbox. Packages register their kinds of mail in `app.outbox.kinds`."""

import os

from app.config import ConfigError

# Delivery settings, each overridable by an environment variable of the same name.
SETTINGS = {
    "MAIL_MAX_ATTEMPTS": 8,  # temporary failures before a mail is given up (failed)
    "MAIL_CLAIM_SECONDS": 300,  # how long a worker's claim on a batch lasts
    "MAIL_RETRY_SECONDS": 60,  # first backoff after a temporary failure; it doubles each time
    "MAIL_RETRY_MAX_SECONDS": 6 * 3600,  # the longest backoff
    "MAIL_BATCH_SIZE": 100,  # mails claimed and sent over one connection
    "MAIL_POLL_SECONDS": 5,  # the worker's pause when nothing is due
}


def _from_environment(name: str, default: int) -> float:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = float(value)
    except ValueError as error:
        raise ConfigError(f"{name} must be a number, not {value!r}.") from error
    if number <= 0:
        raise ConfigError(f"{name} must be positive.")
    return int(number) if number.is_integer() else number


def init_app(app) -> None:
    from app.outbox import cli, html, models, views  # noqa: F401 - models register their table
    from app.outbox.transport import SmtpSettings

    for name, default in SETTINGS.items():
        app.config.setdefault(name, _from_environment(name, default))
    if app.config.get("SMTP_URL"):
        SmtpSettings.from_url(app.config["SMTP_URL"])  # a wrong URL stops the start, with the reason
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.mail)
    app.jinja_env.globals["mail_status_label"] = views.status_label
    app.jinja_env.globals["mail_kind_label"] = views.kind_label
    app.jinja_env.filters["mail_paragraphs"] = html.paragraphs
    app.extensions.setdefault("dashboard_widgets", []).append(views.dashboard_widget)
