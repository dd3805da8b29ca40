"""Helpers shared by the tests: plain functions and values, no fixtures and no tests. Fixtures
are shared through conftest.py; a test imports helpers from here, never from a test module or a
conftest."""

import http.client
import re

PASSWORD = "correct horse battery staple"  # every test user's

_CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the (first) form on a page."""
    found = _CSRF_TOKEN.search(html)
    assert found, "no form with a CSRF token on this page"
    return found.group(1)


def open_form(port: int, path: str) -> tuple[str, str]:
    """GET a page with a form from a real server on 127.0.0.1, as a browser does: (its CSRF
    token, the cookies it set, as a Cookie header)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        html = response.read().decode(errors="replace")
    finally:
        connection.close()
    assert response.status == 200, f"no page at {path} ({response.status})"
    cookies = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    return csrf_token(html), cookies
