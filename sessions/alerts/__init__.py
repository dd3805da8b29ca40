"""Session alerts ("Laat me weten wanneer er een sessie is"): an address asks to hear of new
sessions in a province or on a topic, confirms (double opt-in), gets at most one mail a week
when matching sessions are published, and unsubscribes with one click.

The batch is a scheduled job (app/ops/jobs.py). The person's data is part of their export and
erasure, and of the retention purge: the registrations package, which owns those, plugs these
services into its privacy hooks (registrations/__init__.py), as a package further along does.
"""


def init_app(app) -> None:
    from datetime import timedelta

    from app.ops.jobs import register_job
    from app.outbox.kinds import KINDS
    from sessions.alerts import mails, models, services, views  # noqa: F401 - models register their tables

    app.register_blueprint(views.bp)
    KINDS.register_all(app, (mails.CONFIRM, mails.SESSIONS))
    register_job(app, "session-alerts", services.send_alerts, every=timedelta(hours=1))
