"""Test fixtures: a real database (a SQLite file, or PostgreSQL via TEST_DATABASE_URL), schema
made by the migrations once per run, every table emptied after each test; the factories every
package's tests use (users, topics, venues, sessions, registrations, leads).

Fixtures are shared through conftest.py files only; plain helpers (reading mails, counting rows)
live in tests/support, never in a test module or a conftest."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta

import pytest
from flask import g, template_rendered
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from app import create_app
from app.auth.models import Role
from app.database import dispose_engines
from app.db import utcnow
from app.extensions import db
from dossiers.leads import capture
from dossiers.leads.models import LeadTrigger
from registrations import services as registrations
from registrations.models import RegistrationStatus
from tests.smtp import smtp_certificate, smtp_server  # noqa: F401 - shared fixtures
from tests.support import PASSWORD
from tests.support.dossiers import lead_of
from tests.support.oidc_provider import oidc_provider  # noqa: F401 - shared fixture
from tests.support.registrations import fresh

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own, next to the given one
    (`<name>_gw0`, …), made here and dropped when the worker's run ends."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    _WORKER_DATABASES.append((base, name))
    return base.set(database=name).render_as_string(hide_password=False)


_WORKER_DATABASES: list = []


def pytest_sessionfinish(session, exitstatus):
    for base, name in _WORKER_DATABASES:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()


def _database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as error:  # a PostgreSQL that cannot be reached fails the run, never skips
            pytest.exit(f"TEST_DATABASE_URL is set but unreachable: {error}", returncode=3)
        finally:
            engine.dispose()
        return _worker_database(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    app = create_app(_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()  # the schema comes from the migrations, as in production
        dispose_engines()
    return url


def _config(url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        # Cheap hashes keep the suite fast; production uses argon2's RFC 9106 defaults.
        "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
    }


def _empty_all_tables() -> None:
    """Every table emptied, and on PostgreSQL every sequence back at 1, as after TRUNCATE …
    RESTART IDENTITY — which costs close to a second per test (it replaces each table's files)
    where DELETE on a test's few rows costs milliseconds. Tables guarded by a trigger against
    DELETE (the append-only audit trail) are still truncated: TRUNCATE fires no row triggers."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        guarded = set(
            db.session.scalars(
                text(
                    "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal"
                )
            )
        )
        if guarded:
            db.session.execute(text("TRUNCATE " + ", ".join(f'"{name}"' for name in sorted(guarded))))
        for table in tables:
            if table.name not in guarded:
                db.session.execute(table.delete())
        db.session.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app_config(database_url, tmp_path):
    """Override per test by redefining this fixture or updating the dict before `app` is built.

    Each test stores its uploads in its own folder, so no test sees another's files."""
    return {**_config(database_url), "UPLOAD_FOLDER": str(tmp_path / "uploads")}


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty `g`, as it does in production.

    The `app` fixture keeps one app context open for the whole test so tests can use the
    database directly; requests reuse that context, so without this `g` (Flask-Login's user,
    Flask-Babel's locale, a form kept for re-rendering) would leak into the next request.
    """

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
        dispose_engines()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def rendered(app):
    """How many times each template (by name) was rendered since the fixture was set up: a cache
    hit renders nothing, a miss renders its template."""
    counts: Counter[str] = Counter()

    def count(sender, template, context, **extra):
        counts[template.name] += 1

    template_rendered.connect(count, app)
    yield counts
    template_rendered.disconnect(count, app)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --------------------------------------------------------------------------- factories


@pytest.fixture
def make_user(app):
    from app.auth.services import create_user

    counter = iter(range(1, 10_000))

    def make(role: Role | str = Role.EXPERT, email: str | None = None, name: str | None = None, **kw):
        n = next(counter)
        return create_user(email or f"user{n}@example.com", role, name or f"Gebruiker {n}", PASSWORD)

    return make


@pytest.fixture
def login(client, make_user):
    """login(role) → the user, with the test client logged in as them."""

    def do(role: Role | str = Role.EXPERT, user=None):
        user = user or make_user(role)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.data
        return user

    return do


@pytest.fixture
def make_topic(app):
    from sessions.services import save_topic

    counter = iter(range(1, 10_000))

    def make(title: str | None = None, agenda=None, **kw):
        n = next(counter)
        return save_topic(
            None,
            title=title or f"Kinderopvang starten {n}",
            description="Van idee tot vergunning.",
            agenda=agenda if agenda is not None else [("Welkom", 10), ("Het starterstraject", 20)],
            **kw,
        )

    return make


@pytest.fixture
def make_venue(app):
    from sessions.services import save_venue

    counter = iter(range(1, 10_000))

    def make(postcode: str = "9000", capacity: int = 40, **kw):
        n = next(counter)
        kw.setdefault("name", f"Zaal {n}")
        kw.setdefault("street", f"Kouter {n}")
        return save_venue(None, postcode=postcode, capacity=capacity, **kw)

    return make


@pytest.fixture
def make_session(app, make_topic, make_venue, make_user):
    """make_session(days=10, hour=19, ...) → a session; published unless status='draft'."""
    from datetime import time as dtime

    from app.timezone import from_local, local
    from sessions import services
    from sessions.models import SessionFormat

    def make(
        *,
        days: int = 10,
        hour: int = 19,
        minute: int = 30,
        minutes: int = 120,
        capacity: int = 20,
        format: SessionFormat = SessionFormat.ON_SITE,
        topic=None,
        venue=None,
        presenters=None,
        status: str = "published",
        meeting_url: str | None = None,
        starts_at=None,
        **kw,
    ):
        topic = topic or make_topic()
        if format.needs_venue and venue is None:
            venue = make_venue()
        if format.needs_link and meeting_url is None:
            meeting_url = "https://meet.example.com/abc-defg-hij"
        presenters = presenters if presenters is not None else [make_user(Role.EXPERT)]
        if starts_at is None:
            day = local(utcnow()).date() + timedelta(days=days)
            starts_at = from_local(day, dtime(hour, minute))
        data = services.SessionData(
            topic_id=topic.id,
            format=format,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            capacity=capacity,
            presenter_ids=[p.id for p in presenters],
            venue_id=venue.id if venue else None,
            meeting_url=meeting_url,
            allow_holiday=True,
            **kw,
        )
        session = services.create_session(data)
        if status == "published":
            services.publish_session(session)
        return session

    return make


# --------------------------------------------------------------------------- registrations and leads


@pytest.fixture
def registration_data():
    """registration_data(email=..., **fields) → RegistrationData a service accepts."""
    counter = iter(range(1, 100_000))

    def make(email: str | None = None, **overrides) -> registrations.RegistrationData:
        n = next(counter)
        values = {
            "first_name": "An",
            "last_name": f"Peeters{n}",
            "email": email or f"persoon{n}@example.com",
            "privacy_accepted": True,
            "postcode": "9000",
            "planned_start": date(2027, 9, 1),
        }
        values.update(overrides)
        return registrations.RegistrationData(**values)

    return make


@pytest.fixture
def make_registration(app, make_session, registration_data):
    """make_registration(session=None, email=None, status="pending", now=None, **fields).

    Registers through the service, as the form does; "confirmed" also clicks the confirm link,
    "waitlisted" registers for a full session and confirms the waiting-list place.
    """

    def make(session=None, email: str | None = None, status: str = "pending", now=None, **fields):
        session = session or make_session()
        outcome = registrations.register(session.id, registration_data(email, **fields), now=now)
        registration = outcome.registration
        if status in ("confirmed", "waitlisted"):
            registrations.confirm_registration(registration, now=now)
        registration = fresh(registration)
        wanted = RegistrationStatus(status)
        assert registration.status == wanted, f"wanted {status}, got {registration.status}"
        return registration

    return make


@pytest.fixture
def make_rule(app):
    """make_rule(trigger="registration", **filters) → an active LeadRule."""

    def make(trigger: LeadTrigger | str = LeadTrigger.REGISTRATION, name: str = "Regel", **filters):
        return capture.save_rule(None, capture.RuleData(name=name, trigger=LeadTrigger(trigger), **filters))

    return make


@pytest.fixture
def make_lead(app, make_rule, make_registration):
    """make_lead(email=None, **registration_fields) → a Lead made by a confirmed registration
    (through a catch-all registration rule, created on first use)."""
    state = {"rule": None}

    def make(email: str | None = None, **fields):
        if state["rule"] is None:
            state["rule"] = make_rule(LeadTrigger.REGISTRATION, name="Iedereen")
        registration = make_registration(email=email, status="confirmed", **fields)
        lead = lead_of(registration.email)
        assert lead is not None
        return lead

    return make
