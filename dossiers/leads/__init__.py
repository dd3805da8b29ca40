"""dossiers.leads: leads made by the lead rules from registrations and intake requests, the
staff's lead inbox, and the intake conversations (kennismakingsgesprekken)."""


def init_app(app) -> None:
    from app.cli import register_demo_loader
    from dossiers.leads import capture, cli, demo, intake_views, models, services, views  # noqa: F401 - models register tables
    from registrations import signals

    app.register_blueprint(views.bp)
    app.register_blueprint(intake_views.bp)
    app.cli.add_command(cli.leads)
    register_demo_loader(app, demo.load)
    # Receivers run inside the registrations service's transaction and never commit.
    signals.registration_confirmed.connect(capture.on_registration_confirmed, weak=False)
    signals.registration_attended.connect(capture.on_registration_attended, weak=False)
    app.extensions.setdefault("privacy_keep_hooks", []).append(services.belongs_to_lead)
    app.extensions.setdefault("privacy_export_hooks", []).append(services.export_lead)
    app.extensions.setdefault("privacy_erase_hooks", []).append(services.erase_lead)
    app.extensions.setdefault("dashboard_widgets", []).append(services.my_leads_widget)
    app.jinja_env.globals["lead_status_label"] = lambda value: str(services.STATUS_LABELS.get(value, value))
