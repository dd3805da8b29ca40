"""Walk the whole URL map: every staff route refuses anonymous visitors and the wrong roles."""

import pytest
from werkzeug.routing import Rule

from app.auth.models import Role

ALL_ROLES = (Role.ADMIN, Role.EXPERT, Role.STAFF)


def _staff_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/beheer")]


def _url(rule: Rule) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg].__class__.__name__
        values[arg] = 1 if "Integer" in converter else "x"
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
