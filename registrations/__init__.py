"""Registrations: the form, confirmation, waiting list, cancellation, reminders."""


def init_app(app) -> None:
    from datetime import time, timedelta

    from app.cli import demo_loaders
    from app.home import dashboard_widgets
    from app.ops.jobs import register_job
    from app.outbox.kinds import KINDS
    from registrations import (  # noqa: F401 - models register their tables
        attendance,
        certificate_views,
        checkin_views,
        cli,
        dashboard,
        demo,
        labels,
        mails,
        models,
        privacy,
        questions,
        services,
        staff_views,
        views,
    )
    from sessions import signals
    from sessions.alerts import services as alerts
    from sessions.views import admin_session_panels, session_page_panels, session_page_version_parts

    KINDS.register_all(app, mails.MAIL_KINDS)
    app.register_blueprint(views.bp)
    from registrations.questions import services as question_services
    from registrations.questions import views as question_views

    app.register_blueprint(question_views.bp)
    app.register_blueprint(staff_views.bp)
    app.register_blueprint(checkin_views.bp)
    app.register_blueprint(checkin_views.qr_bp)
    app.register_blueprint(certificate_views.bp)
    admin_session_panels.register(app, staff_views.staff_panel)
    demo_loaders.register(app, demo.load)
    session_page_panels.register(app, views.registration_panel)
    # The form asks the team's questions: a changed question must change the cached page.
    session_page_version_parts.register(app, question_services.page_version_parts)
    dashboard_widgets.register(app, dashboard.next_sessions_widget)
    register_job(app, "expire-holds", services.expire_holds, every=timedelta(minutes=5))
    register_job(app, "reminders", services.send_reminders, every=timedelta(minutes=5))
    register_job(app, "privacy-purge", privacy.purge, daily_at=time(3, 30))
    app.cli.add_command(cli.reminders)
    app.cli.add_command(cli.registrations)
    app.cli.add_command(cli.privacy)
    app.jinja_env.globals.update(
        registration_status_label=lambda value: labels.label(labels.STATUSES, value),
        answer_rows=question_services.answer_rows,
    )
    # Session alerts hold an address: part of a person's export, erasure and the retention purge.
    privacy.export_hooks.register(app, alerts.export_alerts)
    privacy.erase_hooks.register(app, alerts.erase_alerts)
    privacy.purge_hooks.register(app, alerts.purge_alerts)
    # Receivers run inside the sessions service's transaction (the session row is locked).
    signals.session_rescheduled.register(app, services.on_session_rescheduled)
    signals.session_cancelled.register(app, services.on_session_cancelled)
    signals.session_capacity_raised.register(app, services.on_capacity_raised)
    signals.session_completed.register(app, attendance.on_session_completed)
