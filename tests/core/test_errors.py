"""Error pages: friendly, in Dutch, and still saying what the protocol needs said.

The friendly page replaces the body of an error, never its headers: a 405 names the methods
that do work (`Allow`, RFC 9110), a 429 says when to try again (`Retry-After`), a 401 how to
authenticate (`WWW-Authenticate`).
"""

import pytest
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import TooManyRequests, Unauthorized


def test_a_wrong_method_on_a_page_gets_the_friendly_page_with_allow(client):
    response = client.delete("/sessies")

    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.mimetype == "text/html"
    assert "Niet toegestaan" in response.get_data(as_text=True)


def test_a_wrong_method_on_the_api_is_json_with_allow(client):
    response = client.post("/api/v1/sessions")

    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert response.json["error"]["code"] == 405
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_error_page_keeps_retry_after_and_www_authenticate(app, client):
    def busy():
        raise TooManyRequests(retry_after=30)

    def locked():
        raise Unauthorized(www_authenticate=WWWAuthenticate("Bearer", {"realm": "startklaar"}))

    app.add_url_rule("/test/druk", view_func=busy)
    app.add_url_rule("/test/slot", view_func=locked)

    response = client.get("/test/druk")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert "Even geduld" in response.get_data(as_text=True)

    response = client.get("/test/slot")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer realm=")
    assert response.mimetype == "text/html"  # the friendly page's own type, not the exception's


class TestRateLimited:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "FEED_RATE_LIMIT": "2 per minute"}

    def test_a_rate_limited_feed_says_when_to_come_back(self, client):
        codes = [client.get("/sessies.ics").status_code for _ in range(3)]

        assert codes == [200, 200, 429]
        response = client.get("/sessies.ics")
        assert response.status_code == 429
        assert 0 < int(response.headers["Retry-After"]) <= 60
        assert "Te veel pogingen" in response.get_data(as_text=True)
