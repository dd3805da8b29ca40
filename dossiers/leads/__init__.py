"""dossiers.leads: leads made by the lead rules from registrations and intake requests, the
staff's lead inbox, and the intake conversations (kennismakingsgesprekken)."""


def init_app(app) -> None:
    from app.cli import demo_loaders
    from app.home import dashboard_widgets
    from app.labels import label
    from app.outbox.kinds import KINDS
    from dossiers.leads import capture, cli, demo, intake_views, mails, models, services, views  # noqa: F401 - models register tables
    from registrations import privacy, signals

    KINDS.register_all(app, mails.MAIL_KINDS)
    app.register_blueprint(views.bp)
    app.register_blueprint(intake_views.bp)
    app.cli.add_command(cli.leads)
    demo_loaders.register(app, demo.load)
    # Receivers run inside the registrations service's transaction and never commit.
    signals.registration_confirmed.register(app, capture.on_registration_confirmed)
    signals.registration_attended.register(app, capture.on_registration_attended)
    privacy.keep_hooks.register(app, services.belongs_to_lead)
    privacy.export_hooks.register(app, services.export_lead)
    privacy.erase_hooks.register(app, services.erase_lead)
    dashboard_widgets.register(app, services.my_leads_widget)
    app.jinja_env.globals["lead_status_label"] = lambda value: label(services.STATUS_LABELS, value)
