"""Registrations: the form, confirmation, waiting list, cancellation, reminders."""


def init_app(app) -> None:
    from app.cli import register_demo_loader
    from registrations import cli, demo, labels, models, services, views  # noqa: F401 - models register their tables
    from sessions import signals

    app.register_blueprint(views.bp)
    from registrations import staff_views

    app.register_blueprint(staff_views.bp)
    from registrations import attendance, checkin_views

    app.register_blueprint(checkin_views.bp)
    app.register_blueprint(checkin_views.qr_bp)
    app.extensions.setdefault("admin_session_panels", []).append(staff_views.staff_panel)
    register_demo_loader(app, demo.load)
    app.extensions.setdefault("session_page_panels", []).append(views.registration_panel)
    from registrations import dashboard

    app.extensions.setdefault("dashboard_widgets", []).append(dashboard.next_sessions_widget)
    from datetime import time, timedelta

    from app.ops.jobs import register_job
    from registrations import privacy

    register_job(app, "expire-holds", services.expire_holds, every=timedelta(minutes=5))
    register_job(app, "reminders", services.send_reminders, every=timedelta(minutes=5))
    register_job(app, "privacy-purge", privacy.purge, daily_at=time(3, 30))
    app.cli.add_command(cli.reminders)
    app.cli.add_command(cli.registrations)
    app.cli.add_command(cli.privacy)
    app.jinja_env.globals.update(
        registration_status_label=lambda value: labels.label(labels.STATUSES, value),
    )
    # Receivers run inside the sessions service's transaction (the session row is locked).
    signals.session_rescheduled.connect(services.on_session_rescheduled, weak=False)
    signals.session_cancelled.connect(services.on_session_cancelled, weak=False)
    signals.session_capacity_raised.connect(services.on_capacity_raised, weak=False)
    signals.session_completed.connect(attendance.on_session_completed, weak=False)
