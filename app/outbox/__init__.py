"""The outbox: every e-mail is a row, queued as an intent in the transaction of the change that
causes it, rendered and delivered by `flask mail send` / `flask mail worker`; admins read it
under /beheer/outbox. Packages register their kinds of mail in `app.outbox.kinds`.

The delivery settings (MAIL_MAX_ATTEMPTS, MAIL_BATCH_SIZE, …) are read by app/config.py."""


def init_app(app) -> None:
    from app.home import dashboard_widgets
    from app.outbox import cli, html, layout, models, views  # noqa: F401 - models register their table
    from app.outbox.transport import SmtpSettings

    if app.config.get("SMTP_URL"):
        SmtpSettings.from_url(app.config["SMTP_URL"])  # a wrong URL stops the start, with the reason
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.mail)
    app.jinja_env.globals["mail_status_label"] = views.status_label
    app.jinja_env.globals["mail_kind_label"] = views.kind_label
    app.jinja_env.globals["mail_reference_label"] = views.reference_label
    app.jinja_env.filters["mail_paragraphs"] = html.paragraphs
    app.jinja_env.filters["mail_blocks"] = layout.blocks
    app.jinja_env.filters["mail_linked"] = layout.linked
    dashboard_widgets.register(app, views.dashboard_widget)
