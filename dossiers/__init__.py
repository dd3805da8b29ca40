"""Dossiers: leads from the sessions, intake conversations, and intake dossiers with their
checklist, documents, workflow, decision proposal and audit trail.

`dossiers.leads` holds the leads, the lead rules and the intake conversations; the package root
holds the dossiers themselves. Leads live here rather than in registrations (as DESIGN.md first
drew it) because a lead is the start of a dossier: registrations only send signals
(`registrations.signals`) and never need to know a lead rule.
"""


def init_app(app) -> None:
    from dossiers import leads

    leads.init_app(app)
    # The intake dossiers themselves (after the leads: their demo loader uses the leads').
    from app.cli import demo_loaders
    from app.outbox.kinds import KINDS
    from dossiers import cli, demo, mails, models, organiser_views, views  # noqa: F401 - models register tables

    KINDS.register_all(app, mails.MAIL_KINDS)
    app.register_blueprint(views.bp)
    app.register_blueprint(organiser_views.bp)
    app.cli.add_command(cli.dossiers)
    demo_loaders.register(app, demo.load)
    views.init_app(app)
    from datetime import time

    from app.ops.jobs import register_job
    from dossiers.services import items

    # Mail organisers whose checklist items passed their due date (once per item and date).
    register_job(app, "dossier-reminders", items.remind_overdue, daily_at=time(8, 0))
