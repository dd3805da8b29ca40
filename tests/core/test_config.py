"""Configuration from the environment, and what every response carries: security headers, safe
cookies, CSRF, friendly error pages, a health check."""

import re
from pathlib import Path

import pytest

from app import create_app
from app.auth.models import Role
from app.config import ConfigError, load_config
from app.extensions import db
from tests.support import PASSWORD

CSP_PARTS = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


def set_cookies(response) -> dict[str, str]:
    """Set-Cookie headers by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


@pytest.fixture
def clean_environment(monkeypatch, tmp_path):
    for name in ("STARTKLAAR_ENV", "SECRET_KEY", "DATABASE_URL", "BASE_URL", "REDIS_URL", "SMTP_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'startklaar.sqlite'}")
    return monkeypatch


def built(config: dict | None = None):
    """create_app() as a server would call it; the engine is closed again afterwards."""
    app = create_app(config)
    with app.app_context():
        db.engine.dispose()
    return app


# --------------------------------------------------------------------------- the environment


@pytest.mark.parametrize("secret", [None, ""], ids=["unset", "empty"])
def test_production_refuses_to_start_without_a_secret_key(clean_environment, secret):
    clean_environment.setenv("STARTKLAAR_ENV", "production")
    if secret is not None:
        clean_environment.setenv("SECRET_KEY", secret)

    with pytest.raises(ConfigError) as caught:
        create_app()

    assert "SECRET_KEY" in str(caught.value)
    assert "set SECRET_KEY" in str(caught.value)  # it says what to do, not only what is wrong


def test_production_starts_with_a_secret_key(clean_environment):
    clean_environment.setenv("STARTKLAAR_ENV", "production")
    clean_environment.setenv("SECRET_KEY", "a" * 64)

    app = built()

    assert (app.config["ENV_NAME"], app.config["SECRET_KEY"]) == ("production", "a" * 64)


def test_development_starts_without_any_setting(clean_environment):
    clean_environment.delenv("DATABASE_URL")

    config = load_config(Path("/srv/startklaar/instance"))

    assert config["ENV_NAME"] == "development"
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/startklaar/instance/startklaar.sqlite"
    assert config["BABEL_DEFAULT_LOCALE"] == "nl_BE"
    assert config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Brussels"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://user@host/db", "postgresql+psycopg://user@host/db"),
        (
            "postgres://user:geheim@db.example:5432/startklaar",
            "postgresql+psycopg://user:geheim@db.example:5432/startklaar",
        ),
        ("postgresql+psycopg://user@host/db", "postgresql+psycopg://user@host/db"),
        ("sqlite:////var/lib/startklaar/data.sqlite", "sqlite:////var/lib/startklaar/data.sqlite"),
    ],
)
def test_database_url_works_as_written(clean_environment, tmp_path, given, used):
    clean_environment.setenv("DATABASE_URL", given)

    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == used


def test_a_plain_postgresql_url_is_served_by_psycopg_3(clean_environment):
    clean_environment.setenv("DATABASE_URL", "postgresql://user@db.invalid/startklaar")

    app = create_app()  # no connection is made while building the app

    with app.app_context():
        assert (db.engine.dialect.name, db.engine.dialect.driver) == ("postgresql", "psycopg")
        db.engine.dispose()


# --------------------------------------------------------------------------- every response


@pytest.mark.parametrize("path", ["/login", "/sessies", "/healthz", "/bestaat-niet"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)

    csp = response.headers["Content-Security-Policy"]
    assert all(part in csp for part in CSP_PARTS), csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http on a developer's machine


def test_no_page_carries_an_inline_script_the_policy_would_block(client):
    page = client.get("/login").text

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " onclick=" not in page and " style=" not in page


def test_the_session_cookies_are_http_only_and_same_site(client, make_user):
    user = make_user(Role.EXPERT)

    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})

    cookies = set_cookies(response)
    for name in ("session", "remember_token"):
        assert "HttpOnly" in cookies[name], name
        assert "SameSite=Lax" in cookies[name], name
        assert "Secure" not in cookies[name], name


class TestBehindHttps:
    @pytest.fixture
    def app_config(self, app_config, monkeypatch):
        monkeypatch.setenv("BASE_URL", "https://startklaar.example.be")
        return {**app_config, "BASE_URL": "https://startklaar.example.be"}

    def test_the_session_cookies_are_secure(self, client, make_user):
        user = make_user(Role.EXPERT)

        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})

        assert response.status_code == 302
        cookies = set_cookies(response)
        for name in ("session", "remember_token"):
            assert "Secure" in cookies[name] and "HttpOnly" in cookies[name], name

    def test_browsers_are_told_to_stay_on_https(self, client):
        response = client.get("/healthz")

        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


class TestWithCsrfProtection:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_a_form_posted_without_its_token_gets_a_dutch_page_not_an_error(self, client, make_user):
        user = make_user(Role.EXPERT)

        response = client.post("/login", data={"email": user.email, "password": PASSWORD})

        assert response.status_code == 400
        assert "Het formulier was verlopen. Laad de pagina opnieuw en probeer nog eens." in response.text
        assert '<html lang="nl">' in response.text
        assert client.get("/beheer/").status_code == 302  # not logged in

    def test_a_form_posted_with_its_token_goes_through(self, client, make_user):
        user = make_user(Role.EXPERT)
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page
        )

        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token.group(1)}
        )

        assert (response.status_code, response.headers["Location"]) == (302, "/beheer/")

    def test_logging_out_needs_the_token_too(self, client):
        assert client.post("/logout").status_code == 400


# --------------------------------------------------------------------------- errors and health


def test_an_unknown_page_gets_a_friendly_dutch_404(client):
    response = client.get("/bestaat-niet")

    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    assert "Deze pagina bestaat niet (meer). Controleer het adres." in response.text
    assert 'href="/sessies"' in response.text  # a way back to the sessions


def test_an_unknown_api_address_answers_in_json(client):
    response = client.get("/api/v1/bestaat-niet")

    assert response.status_code == 404
    assert response.json == {
        "error": {"code": 404, "message": "Deze pagina bestaat niet (meer). Controleer het adres."}
    }


def test_the_health_check_reports_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OUTBOX_RETENTION_DAYS", "drie maanden"),
        ("MAIL_BATCH_SIZE", "0"),
        ("MAIL_RETRY_SECONDS", "snel"),
        ("MAIL_POLL_SECONDS", "inf"),
        ("PAGE_VERSION_MAX_AGE", "-1"),
        ("PAGE_VERSION_MAX_AGE", "nan"),
    ],
)
def test_a_wrong_operations_setting_stops_the_start_and_names_the_variable(clean_environment, name, value):
    clean_environment.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        create_app()


@pytest.mark.parametrize(("value", "seconds"), [(None, 1), ("0", 0), ("2.5", 2.5)])
def test_a_session_page_s_version_is_trusted_for_a_second_or_as_set(clean_environment, value, seconds):
    if value is not None:
        clean_environment.setenv("PAGE_VERSION_MAX_AGE", value)
    assert create_app().config["PAGE_VERSION_MAX_AGE"] == seconds


def test_only_the_configuration_reads_the_environment():
    """Every setting is read in app/config.py, so one file documents them all (README's table)."""
    root = Path(__file__).resolve().parents[2]
    readers = [
        path.relative_to(root).as_posix()
        for package in ("app", "sessions", "registrations", "materials", "dossiers", "reports")
        for path in (root / package).rglob("*.py")
        if "os.environ" in path.read_text() or "getenv(" in path.read_text()
    ]
    assert readers == ["app/config.py"]
