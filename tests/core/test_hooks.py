"""Extension points (app/hooks.py): every point a package declares has its implementations after
create_app, the privacy hooks of leads and dossiers among them, and a wrong registration fails
at start-up instead of being skipped when it matters."""

from __future__ import annotations

from datetime import datetime

import pytest

from app import create_app, hooks
from app.cli import demo_loaders
from app.home import dashboard_widgets
from app.ops import jobs
from dossiers import services as dossiers
from dossiers.leads import capture
from dossiers.leads import services as leads
from materials.handouts import services as handout_services
from materials.handouts import views as handouts
from registrations import attendance, privacy
from registrations import services as registrations
from registrations import signals as registration_signals
from registrations import views as registration_views
from sessions import signals as session_signals
from sessions.alerts import services as alerts
from sessions.views import admin_session_panels, session_page_panels, session_page_version_parts

APP_PACKAGES = {"app", "sessions", "registrations", "materials", "dossiers", "reports"}


def names(point, app) -> set[str]:
    return {f"{item.__module__}.{item.__qualname__}" for item in point.items(app)}


def test_every_extension_point_a_package_declares_has_an_implementation(app):
    points = [point for point in hooks.declared() if point.owner in APP_PACKAGES]
    assert len(points) >= 14
    empty = [point.name for point in points if not point.items(app)]
    assert empty == []


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        (privacy.erase_hooks, {leads.erase_lead, alerts.erase_alerts}),
        (privacy.export_hooks, {leads.export_lead, alerts.export_alerts}),
        (privacy.purge_hooks, {alerts.purge_alerts}),
        (privacy.keep_hooks, {leads.belongs_to_lead, dossiers.has_dossier}),
        (registration_signals.registration_confirmed, {capture.on_registration_confirmed}),
        (registration_signals.registration_attended, {capture.on_registration_attended}),
        (session_signals.session_cancelled, {registrations.on_session_cancelled}),
        (session_signals.session_rescheduled, {registrations.on_session_rescheduled}),
        (session_signals.session_capacity_raised, {registrations.on_capacity_raised}),
        (session_signals.session_completed, {attendance.on_session_completed}),
        (session_page_panels, {registration_views.registration_panel, handouts.public_panel}),
        (session_page_version_parts, {handout_services.page_version_parts}),
    ],
    ids=lambda value: getattr(value, "name", None),
)
def test_the_packages_plug_in_where_they_must(app, point, expected):
    assert expected <= set(point.items(app))


def test_demo_data_loads_in_the_order_the_packages_depend_on_each_other(app):
    modules = [loader.__module__.split(".")[0] for loader in demo_loaders.items(app)]
    order = ["app", "sessions", "registrations", "materials", "dossiers", "reports"]
    assert sorted(modules, key=order.index) == modules
    assert modules[0] == "app" and modules[-1] == "reports"


def test_an_implementation_that_does_not_fit_the_signature_is_refused_at_registration(app):
    def erase_everything(email):  # forgot `now`
        pass

    with pytest.raises(TypeError, match="registrations.privacy.erase_hooks"):
        privacy.erase_hooks.register(app, erase_everything)
    with pytest.raises(TypeError, match="changes"):
        session_signals.session_rescheduled.register(app, lambda session: None)
    assert erase_everything not in privacy.erase_hooks.items(app)


def test_a_misspelt_extension_point_fails_at_import_not_silently(app):
    with pytest.raises(AttributeError):
        privacy.erase_hook.register(app, lambda email, now: None)  # noqa: B018 - the typo under test


def test_the_same_implementation_or_job_name_twice_is_refused(app):
    with pytest.raises(ValueError, match="twice"):
        dashboard_widgets.register(app, dashboard_widgets.items(app)[0])
    with pytest.raises(ValueError, match="twice"):
        jobs.register_job(app, "reminders", lambda: None, every=jobs.DEFAULT_TIMEOUT)
    assert jobs.scheduled_jobs.get("reminders", app).name == "reminders"
    with pytest.raises(KeyError):
        jobs.scheduled_jobs.get("herinneringen", app)


def test_each_application_keeps_its_own_implementations(app, app_config):
    seen: list[str] = []

    @hooks.hook
    def announced(message: str) -> None:
        """A point declared by this test."""

    announced.register(app, seen.append)
    other = create_app(app_config)
    assert announced.items(other) == ()
    assert announced.send("hallo") == [None] and seen == ["hallo"]
    assert names(admin_session_panels, other) == names(admin_session_panels, app)


def test_send_passes_keyword_only_arguments_by_name(app):
    received = []

    @hooks.hook
    def moved(what: str, *, when: datetime) -> None:
        """A point declared by this test."""

    moved.register(app, lambda what, **kw: received.append((what, kw)))
    when = datetime(2027, 1, 12, 19, 30)
    moved.send("sessie", when=when)
    assert received == [("sessie", {"when": when})]
