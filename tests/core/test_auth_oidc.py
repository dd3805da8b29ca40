"""Staff sign in with the agency's account: the whole redirect dance against a real OpenID Connect
provider (`oidc-provider-mock`, in its own process on loopback, strict about PKCE), and
LOCAL_LOGIN=0 turning the passwords off."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask_login import current_user
from sqlalchemy import func, select

from app import audit, create_app
from app.auth import services
from app.auth.models import Role, User
from app.config import ConfigError
from app.database import dispose_engines
from app.extensions import db
from tests.smtp import free_port
from tests.support import PASSWORD


@pytest.fixture
def provider(oidc_provider):
    return oidc_provider


@pytest.fixture
def app_config(app_config, provider):
    return {
        **app_config,
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": "startklaar",
        "OIDC_CLIENT_SECRET": "startklaar-secret",
    }


def user_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User))


def is_logged_in(client) -> bool:
    response = client.get("/beheer/")
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path == "/login"
        return False
    assert response.status_code == 200
    return True


def start(client, next_page: str | None = None) -> str:
    """Click "Aanmelden met je account van het agentschap"; returns where the browser goes."""
    response = client.get("/login/agentschap" + (f"?{urlencode({'next': next_page})}" if next_page else ""))
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def come_back(client, location: str):
    """The browser follows the provider's redirect back to Startklaar."""
    parts = urlsplit(location)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "localhost", "/login/agentschap/terug")
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, provider, sub: str, next_page: str | None = None, **claims):
    provider.set_user(sub, **claims)
    return come_back(client, provider.authorize(start(client, next_page), sub))


@pytest.fixture
def els(make_user):
    return make_user(Role.EXPERT, email="els.peeters@example.be", name="Els Peeters")


# --------------------------------------------------------------------------- signing in


def test_a_known_colleague_signs_in_with_the_agency_account(client, provider, els):
    response = sign_in(
        client, provider, "agentschap-4711", email="Els.Peeters@Example.BE", email_verified=True
    )

    assert (response.status_code, response.headers["Location"]) == (302, "/beheer/")
    assert is_logged_in(client)
    entry = audit.entries_for("user", els.id)[0]
    assert (entry.action, entry.changes, entry.actor_user_id) == (
        "signed_in",
        {"method": [None, "oidc"]},
        els.id,
    )


def test_the_sign_in_uses_pkce_state_and_nonce(client, provider, els):
    query = parse_qs(urlsplit(start(client)).query)

    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256
    assert query["state"][0] and query["nonce"][0]
    assert query["scope"] == ["openid email profile"]
    assert query["redirect_uri"] == ["http://localhost/login/agentschap/terug"]
    # the provider really holds clients to PKCE: without a challenge it refuses the request
    unprotected = {k: v[0] for k, v in query.items() if not k.startswith("code_challenge")}
    refused = requests.get(f"{provider.issuer}/oauth2/authorize", params=unprotected, timeout=10)
    assert refused.status_code == 400


def test_the_sign_in_returns_to_the_page_that_asked_for_it(client, provider, make_user):
    make_user(Role.ADMIN, email="an@example.be")
    asked = client.get("/beheer/gebruikers/")
    next_page = parse_qs(urlsplit(asked.headers["Location"]).query)["next"][0]

    response = sign_in(client, provider, "an", next_page, email="an@example.be", email_verified=True)

    assert response.headers["Location"] == "/beheer/gebruikers/"


def test_the_sign_in_never_sends_someone_off_site(client, provider, els):
    response = sign_in(client, provider, "els", "//evil.example/x", email=els.email, email_verified=True)

    assert response.headers["Location"] == "/beheer/"


def test_the_login_page_offers_the_agency_account_beside_the_password(client):
    page = client.get("/login?next=/beheer/leads/")

    assert page.status_code == 200
    assert "Aanmelden met je account van het agentschap" in page.text
    assert 'href="/login/agentschap?next=/beheer/leads/"' in page.text
    assert 'name="password"' in page.text


# --------------------------------------------------------------------------- refusals


def test_an_unknown_address_is_refused_with_who_to_ask(client, provider, make_user):
    make_user(Role.ADMIN, email="an@example.be", name="An Beheer")
    make_user(Role.EXPERT)

    response = sign_in(client, provider, "nieuw", email="nieuw@example.be", email_verified=True)

    assert response.status_code == 403
    assert "Startklaar heeft geen account met dat adres" in response.text
    assert "nieuw@example.be" in response.text
    assert "Een beheerder van Startklaar maakt je account aan en geeft je een rol" in response.text
    assert "An Beheer" in response.text
    assert user_count() == 2  # nothing was created
    assert not is_logged_in(client)


def test_a_deactivated_colleague_cannot_sign_in(client, provider, els, make_user):
    make_user(Role.ADMIN)
    services.update_user(els, Role.EXPERT, active=False)

    response = sign_in(client, provider, "els", email=els.email, email_verified=True)

    assert response.status_code == 403
    assert "is gedeactiveerd" in response.text
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    "claims",
    [{"email_verified": False}, {}, {"email_verified": "false"}],
    ids=["not-verified", "no-verified-claim", "verified-false-as-text"],
)
def test_an_address_the_agency_did_not_verify_is_refused(client, provider, els, claims):
    response = sign_in(client, provider, "els", email=els.email, **claims)

    assert response.status_code == 403
    assert "niet bevestigd" in response.text
    assert not is_logged_in(client)


def test_an_installation_may_trust_unverified_addresses(app, client, provider, els):
    app.config["OIDC_REQUIRE_VERIFIED_EMAIL"] = False

    assert sign_in(client, provider, "els", email=els.email).status_code == 302
    assert is_logged_in(client)


def test_an_account_without_an_address_at_the_agency_is_refused(client, provider, els):
    response = sign_in(client, provider, "els", name="Els")

    assert response.status_code == 403
    assert "gaf geen e-mailadres door" in response.text


def test_a_tampered_state_is_refused(client, provider, els):
    provider.set_user("els", email=els.email, email_verified=True)
    back = urlsplit(provider.authorize(start(client), "els"))
    query = parse_qs(back.query)
    query["state"] = [query["state"][0][:-1] + ("A" if not query["state"][0].endswith("A") else "B")]

    response = client.get(f"{back.path}?{urlencode({k: v[0] for k, v in query.items()})}")

    assert response.status_code == 400
    assert "niet in deze browser begonnen" in response.text
    assert not is_logged_in(client)


def test_a_way_back_started_in_another_browser_is_refused(app, client, provider, els):
    provider.set_user("els", email=els.email, email_verified=True)
    back = provider.authorize(start(client), "els")

    other_browser = app.test_client()
    response = come_back(other_browser, back)

    assert response.status_code == 400
    assert not is_logged_in(other_browser)


def test_a_way_back_used_twice_signs_in_once(client, provider, els):
    provider.set_user("els", email=els.email, email_verified=True)
    back = provider.authorize(start(client), "els")
    assert come_back(client, back).status_code == 302
    client.post("/logout")

    assert come_back(client, back).status_code == 400
    assert not is_logged_in(client)


def test_saying_no_at_the_agency_signs_nobody_in(client, provider, els):
    response = come_back(client, provider.deny(start(client)))

    assert response.status_code == 400
    assert "geannuleerd" in response.text
    assert not is_logged_in(client)


def test_a_provider_that_cannot_be_reached_gives_a_page_not_an_error(app_config):
    # the factory makes no network call: the app starts while the provider is down
    app = create_app({**app_config, "OIDC_ISSUER": f"http://127.0.0.1:{free_port()}"})
    with app.app_context():
        client = app.test_client()
        assert "Aanmelden met je account van het agentschap" in client.get("/login").text

        response = client.get("/login/agentschap")

        assert response.status_code == 503
        assert "De aanmeldservice van het agentschap is nu niet bereikbaar" in response.text
        db.session.remove()
        dispose_engines()


@pytest.fixture
def impostor(provider):
    """A server whose discovery document copies the real provider's, but names another issuer."""
    document = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).json()
    body = json.dumps({**document, "issuer": "https://elders.example"}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_provider_that_names_another_issuer_is_not_trusted(app_config, impostor):
    app = create_app({**app_config, "OIDC_ISSUER": impostor})
    with app.app_context():
        response = app.test_client().get("/login/agentschap")

        assert response.status_code == 503
        assert "niet bereikbaar" in response.text
        db.session.remove()
        dispose_engines()


# --------------------------------------------------------------------------- sessions


def test_logout_ends_the_session(client, provider, els):
    sign_in(client, provider, "els", email=els.email, email_verified=True)

    response = client.post("/logout")

    assert (response.status_code, response.headers["Location"]) == (302, "/sessies")
    assert "Bij het agentschap ben je nog aangemeld" in client.get("/sessies").text
    assert not is_logged_in(client)


def test_deactivating_a_colleague_ends_their_agency_session_at_once(client, provider, els, make_user):
    make_user(Role.ADMIN)
    sign_in(client, provider, "els", email=els.email, email_verified=True)
    assert is_logged_in(client)

    services.update_user(els, Role.EXPERT, active=False)

    assert not is_logged_in(client)


def test_the_signed_in_user_is_the_one_with_that_address(client, provider, els, make_user):
    other = make_user(Role.STAFF, email="sofie@example.be")
    sign_in(client, provider, "sofie", email="SOFIE@example.be", email_verified=True)

    with client:
        client.get("/beheer/")
        assert current_user.id == other.id


# --------------------------------------------------------------------------- throttling


class TestThrottling:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True}

    def test_failed_ways_back_are_limited_like_wrong_passwords(self, client, provider, els):
        for _ in range(5):
            assert client.get("/login/agentschap/terug?code=x&state=guess").status_code == 400

        response = client.get("/login/agentschap/terug?code=x&state=guess")

        assert response.status_code == 429

    def test_successful_sign_ins_are_not_counted(self, client, provider, els):
        for _ in range(6):
            assert sign_in(client, provider, "els", email=els.email, email_verified=True).status_code == 302
            client.post("/logout")


# --------------------------------------------------------------------------- passwords off


class TestLocalLoginOff:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "LOCAL_LOGIN": False}

    def test_the_password_form_is_gone(self, client):
        page = client.get("/login")

        assert page.status_code == 200
        assert "Aanmelden met je account van het agentschap" in page.text
        assert 'name="password"' not in page.text

    def test_a_password_is_refused_even_when_it_is_right(self, client, els):
        response = client.post("/login", data={"email": els.email, "password": PASSWORD})

        assert response.status_code == 403
        assert "Aanmelden met een wachtwoord staat uit" in response.text
        assert not is_logged_in(client)

    def test_the_agency_account_still_signs_in(self, client, provider, els):
        assert sign_in(client, provider, "els", email=els.email, email_verified=True).status_code == 302
        assert is_logged_in(client)

    def test_the_cli_creates_an_account_without_asking_for_a_password(self, runner, client, provider):
        result = runner.invoke(args=["users", "create", "Youssef@Example.be", "--role", "staff"])

        assert result.exit_code == 0, result.output
        assert "Password" not in result.output and "LOCAL_LOGIN=0" in result.output
        response = sign_in(client, provider, "y", email="youssef@example.be", email_verified=True)
        assert response.status_code == 302

    def test_an_admin_adds_a_colleague_without_a_password(self, app, provider, make_user):
        admin = make_user(Role.ADMIN, email="an@example.be")
        client = app.test_client()
        sign_in(client, provider, "an", email=admin.email, email_verified=True)
        assert 'name="password"' not in client.get("/beheer/gebruikers/").text

        response = client.post(
            "/beheer/gebruikers/", data={"email": "sofie@example.be", "name": "Sofie", "role": "staff"}
        )

        assert response.status_code == 302
        sofie = services.find_user_by_email("sofie@example.be")
        assert sofie.role == Role.STAFF
        assert 'name="password"' not in client.get(f"/beheer/gebruikers/{sofie.id}").text
        response = client.post(f"/beheer/gebruikers/{sofie.id}", data={"role": "expert", "active": "y"})
        assert response.status_code == 302
        db.session.rollback()
        assert sofie.role == Role.EXPERT


# --------------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"LOCAL_LOGIN": False, "OIDC_ISSUER": None}, "niemand kan aanmelden"),
        ({"OIDC_ISSUER": "https://idp.example.be", "OIDC_CLIENT_ID": None}, "OIDC_CLIENT_ID"),
        ({"OIDC_ISSUER": "https://idp.example.be", "OIDC_CLIENT_SECRET": None}, "OIDC_CLIENT_SECRET"),
    ],
    ids=["passwords-off-without-provider", "no-client-id", "no-client-secret"],
)
def test_production_refuses_to_start_with_a_sign_in_nobody_can_use(app_config, settings, says):
    config = {**app_config, "ENV_NAME": "production", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s"}

    with pytest.raises(ConfigError) as caught:
        create_app({**config, **settings})

    assert says in str(caught.value)


def test_without_a_provider_there_is_no_agency_button_and_no_agency_route(app_config):
    app = create_app({**app_config, "OIDC_ISSUER": None})
    with app.app_context():
        client = app.test_client()
        page = client.get("/login").text
        assert "Aanmelden met je account van het agentschap" not in page and 'name="password"' in page
        assert client.get("/login/agentschap").status_code == 404
        assert client.get("/login/agentschap/terug?code=x&state=y").status_code == 404
        db.session.remove()
        dispose_engines()


def test_turning_passwords_off_ends_sessions_signed_in_with_a_password(app, client, els):
    browser_with_cookie = app.test_client()
    for browser in (client, browser_with_cookie):
        response = browser.post("/login", data={"email": els.email, "password": PASSWORD, "remember": "y"})
        assert response.status_code == 302
    browser_with_cookie.delete_cookie("session")  # closed the browser: only "remember me" is left
    assert is_logged_in(browser_with_cookie)

    app.config["LOCAL_LOGIN"] = False

    assert not is_logged_in(client)
    assert not is_logged_in(browser_with_cookie)


def test_agency_sessions_survive_turning_passwords_off(app, client, provider, els):
    sign_in(client, provider, "els", email=els.email, email_verified=True)

    app.config["LOCAL_LOGIN"] = False

    assert is_logged_in(client)
