"""Every route of the URL map, fed odd values, answers without a server error.

A stranger and an admin each try every rule with each of its path parts replaced by something a
mistyped link, a scanner or a curious person would send (zero, negative, 2^63, huge strings,
unicode, an encoded NUL, `..`), while the other parts keep a value that exists, so a nested route
is reached past its first lookup. GET everywhere; POST (without a CSRF token, as the tests run)
where the rule allows it. Then every GET rule once more with odd values in the query parameters
the app reads (months, page numbers, ids, filters). Anything in the 500s, or an exception that
escapes the app, fails.

The rules are read from the map itself, so a route added tomorrow is walked too.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest

from app.auth.models import Role
from app.extensions import db
from app.parsing import MAX_ID

ODD_VALUES = (
    "0",
    "-1",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    "9" * 40,
    "1e3",
    "١٢",  # Arabic-Indic digits: str.isdigit() says yes
    "niet-bestaand",
    "ünïcødé-☕",
    "%00",
    "%2e%2e",
    "..",
    "a" * 300,  # a very long token
    "x" * 5000,  # a huge string
    "null",
)

# The query parameters the views and services read (grep request.args / args.get); a new one
# belongs here too. Each odd value is sent in all of them at once.
QUERY_NAMES = (
    "page", "per_page", "maand", "month", "van", "tot", "start", "q", "r", "lead", "sessie",
    "eigenaar", "status", "fase", "type", "provincie", "province", "thema", "topic", "formaat",
    "format", "moment", "soort", "scope", "wanneer", "when", "wachtlijst", "gegenereerd", "open",
    "achterstand", "lang", "next",
)  # fmt: skip
ODD_QUERY_VALUES = (
    "0",
    "-1",
    str(2**63),
    "9" * 30,
    "1e400",
    "0000-01",
    "0001-01",
    "9999-12",
    "2027-13",
    "\x00",
    "ünïcødé",
    "x" * 3000,
)

_PART = re.compile(r"<(?:([a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


def _fill(rule: str, values: dict[str, str]) -> str:
    """The rule's path with each <converter:name> replaced by the given raw value."""

    def replace(match: re.Match) -> str:
        value = values[match.group(2)]
        # Values with a % are sent as they are (already encoded); others percent-encoded.
        return value if "%" in value else quote(value, safe="")

    return _PART.sub(replace, rule)


def _base_value(converter: str | None, name: str, existing: dict[str, str]) -> str:
    if name in existing:
        return existing[name]
    if converter == "int":
        return "1"
    if converter == "any":
        return "csv"
    return "abc"


@pytest.fixture
def existing(make_session, make_user):
    """Values that exist, for the path parts that are not being varied."""
    session = make_session()
    user = make_user(Role.STAFF)
    return {
        "session_id": str(session.id),
        "topic_id": str(session.topic_id),
        "venue_id": str(session.venue_id),
        "user_id": str(user.id),
    }


def _requests(app, existing):
    """(method, path) pairs: each path part of each rule in turn made odd, then odd queries."""
    for rule in app.url_map.iter_rules():
        parts = [(m.group(1), m.group(2)) for m in _PART.finditer(rule.rule)]
        methods = [m for m in ("GET", "POST") if m in rule.methods]
        base = {name: _base_value(conv, name, existing) for conv, name in parts}
        for _conv, name in parts:
            for odd in ODD_VALUES:
                path = _fill(rule.rule, {**base, name: odd})
                for method in methods:
                    yield method, path
        if "GET" in methods:
            path = _fill(rule.rule, base)
            yield "GET", path
            for odd in ODD_QUERY_VALUES:
                yield "GET", f"{path}?{urlencode(dict.fromkeys(QUERY_NAMES, odd))}"
        if "POST" in methods:
            yield "POST", _fill(rule.rule, base)


def _walk(app, client, existing) -> list[str]:
    failures = []
    for method, path in dict.fromkeys(_requests(app, existing)):
        try:
            response = client.open(path, method=method)
        except Exception as error:  # noqa: BLE001 - every escape is a finding
            failures.append(f"{method} {path[:150]}: {type(error).__name__}: {str(error)[:200]}")
            db.session.rollback()  # as the end of a real request would; the next one starts clean
            continue
        if response.status_code >= 500:
            failures.append(f"{method} {path[:150]}: {response.status_code}")
    return failures


def test_a_stranger_gets_no_server_error_on_any_route(app, client, existing):
    failures = _walk(app, client, existing)
    assert not failures, "\n".join(failures)


def test_an_admin_gets_no_server_error_on_any_route(app, client, existing, login):
    login(Role.ADMIN)
    failures = _walk(app, client, existing)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/leads/9223372036854775808",
        "/beheer/gebruikers/18446744073709551616",
        "/beheer/sessies/9223372036854775808/aanwezigheden",
        "/beheer/outbox/0",
        "/beheer/themas/١",  # another script's digits are no id
    ],
)
def test_a_staff_page_with_an_id_no_database_holds_is_not_found(client, login, path):
    login(Role.ADMIN)

    response = client.get(path)

    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_the_largest_id_a_database_holds_is_looked_up(client, login):
    login(Role.ADMIN)

    assert client.get(f"/beheer/leads/{MAX_ID}").status_code == 404  # no such lead, no overflow
    assert client.get(f"/beheer/leads/{MAX_ID + 1}").status_code == 404
