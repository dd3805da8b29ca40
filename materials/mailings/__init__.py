"""materials.mailings: follow-up mailings to a segment of a session's registrants."""


def init_app(app) -> None:
    from app.cli import demo_loaders
    from app.outbox.kinds import KINDS
    from materials.mailings import cli, demo, mails, models, privacy, views  # noqa: F401 - models register their tables
    from sessions.views import admin_session_panels

    KINDS.register_all(app, mails.MAIL_KINDS)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.public_bp)
    app.cli.add_command(cli.mailings)
    admin_session_panels.register(app, views.session_panel)
    demo_loaders.register(app, demo.load)
    privacy.init_app(app)
    from datetime import timedelta

    from app.ops.jobs import register_job
    from materials.mailings import services

    # Scheduled mailings and the automatic next-morning follow-ups (resumes interrupted ones).
    register_job(app, "mailings-send-due", services.send_due, every=timedelta(minutes=5))
