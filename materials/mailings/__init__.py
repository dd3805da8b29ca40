"""materials.mailings: follow-up mailings to a segment of a session's registrants."""


def init_app(app) -> None:
    from app.cli import register_demo_loader
    from materials.mailings import cli, demo, models, privacy, views  # noqa: F401 - models register their tables

    app.register_blueprint(views.bp)
    app.register_blueprint(views.public_bp)
    app.cli.add_command(cli.mailings)
    app.extensions.setdefault("admin_session_panels", []).append(views.session_panel)
    register_demo_loader(app, demo.load)
    privacy.init_app(app)
    from datetime import timedelta

    from app.ops.jobs import register_job
    from materials.mailings import services

    # Scheduled mailings and the automatic next-morning follow-ups (resumes interrupted ones).
    register_job(app, "mailings-send-due", services.send_due, every=timedelta(minutes=5))
