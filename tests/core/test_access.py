"""Walk the whole URL map: every staff route refuses anonymous visitors and the wrong roles,
no route answers made-up input with a server error, every POST needs its CSRF token, and
SECURITY.md's access matrix is the one the routes have."""

from pathlib import Path

import pytest
from werkzeug.routing import Rule

from app.auth.access import access_matrix
from app.auth.models import Role
from tests.support import PASSWORD, csrf_token

ALL_ROLES = (Role.ADMIN, Role.EXPERT, Role.STAFF)


def _staff_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/beheer")]


def _url(rule: Rule) -> str:
    """The rule with made-up values: ids that do not exist, tokens that do not verify."""
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        name = converter.__class__.__name__
        if name == "AnyConverter":
            values[arg] = sorted(converter.items)[0]
        else:
            values[arg] = 1 if "Integer" in name else "x"
    return rule.build(values, append_unknown=False)[1]


def _methods(rule: Rule) -> list[str]:
    return sorted(m for m in rule.methods if m in {"GET", "POST"})


def test_every_staff_route_declares_its_roles(app):
    missing = [
        r.rule for r in _staff_rules(app) if not hasattr(app.view_functions[r.endpoint], "allowed_roles")
    ]
    assert not missing, f"staff routes without role_required: {missing}"


def test_every_staff_route_sends_anonymous_visitors_to_login(app, client):
    for rule in _staff_rules(app):
        for method in _methods(rule):
            response = client.open(_url(rule), method=method)
            assert response.status_code == 302, (method, rule.rule, response.status_code)
            assert response.headers["Location"].startswith("/login"), rule.rule


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_staff_route_refuses_the_wrong_role(app, client, login, role):
    login(role)
    refused = [r for r in _staff_rules(app) if role not in app.view_functions[r.endpoint].allowed_roles]
    for rule in refused:
        for method in _methods(rule):
            response = client.open(_url(rule), method=method)
            assert response.status_code == 403, (role, method, rule.rule, response.status_code)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_allowed_roles_get_past_the_door(app, client, login, role):
    """An allowed role never meets a 403 (a 404 for the made-up id is fine)."""
    login(role)
    for rule in _staff_rules(app):
        if role not in app.view_functions[rule.endpoint].allowed_roles or "GET" not in rule.methods:
            continue
        response = client.get(_url(rule))
        assert response.status_code in (200, 302, 404), (role, rule.rule, response.status_code)


def _all_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


@pytest.mark.parametrize("role", [None, *ALL_ROLES])
def test_no_route_answers_made_up_input_with_a_server_error(app, client, login, role):
    if role is not None:
        login(role)
    errors = []
    for rule in _all_rules(app):
        if rule.rule in ("/logout", "/login"):
            continue
        for method in _methods(rule):
            response = client.open(_url(rule), method=method, data={"x": "y"})
            if response.status_code >= 500:
                errors.append(f"{method} {rule.rule}: {response.status_code}")
    assert errors == []


# --------------------------------------------------------------------------- CSRF

# Routes that take a POST without the CSRF token, and why (SECURITY.md repeats this).
CSRF_EXEMPT = {
    "mailings_public.unsubscribe": "RFC 8058 one-click unsubscribe: mail clients post it without our form; "
    "the signed token in the address is the authority, and it only stops news to that address",
    "alerts.unsubscribe": "RFC 8058 one-click unsubscribe from session alerts: the same reason; the short "
    "link is the authority, and it only forgets that address's alerts",
}


class TestCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_every_post_needs_the_csrf_token(self, app, client, make_user):
        admin = make_user(Role.ADMIN)
        page = client.get("/login").get_data(as_text=True)
        token = csrf_token(page)
        response = client.post(
            "/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
        unprotected = []
        for rule in _all_rules(app):
            if "POST" not in rule.methods or rule.endpoint in CSRF_EXEMPT:
                continue
            response = client.post(_url(rule), data={"x": "y"})
            if response.status_code != 400:
                unprotected.append(f"POST {rule.rule}: {response.status_code}")
        assert unprotected == []


# --------------------------------------------------------------------------- SECURITY.md

SECURITY = Path(__file__).resolve().parents[2] / "SECURITY.md"
MARKERS = ("<!-- access-matrix:start -->", "<!-- access-matrix:end -->")


def matrix_markdown(app) -> str:
    lines = ["| methods | route | who |", "| --- | --- | --- |"]
    lines += [f"| {methods} | `{rule}` | {who} |" for methods, rule, who in access_matrix(app)]
    return "\n".join(lines)


def test_security_md_lists_every_route_with_who_may_use_it(app):
    text = SECURITY.read_text(encoding="utf-8")
    start, end = (text.index(marker) for marker in MARKERS)
    documented = text[start + len(MARKERS[0]) : end].strip()
    assert documented == matrix_markdown(app), (
        "SECURITY.md's access matrix is out of date; replace it with:\n" + matrix_markdown(app)
    )


@pytest.mark.parametrize("header", ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"])
def test_every_kind_of_page_carries_the_security_headers(client, header):
    for url in ("/sessies", "/login", "/beheer/", "/bestaat-niet", "/api/v1/sessions"):
        assert header in client.get(url).headers, url
