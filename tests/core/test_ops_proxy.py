"""Behind a reverse proxy: with TRUSTED_PROXIES the rate limits count each visitor apart, without
it a forged X-Forwarded-For header changes nothing."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "2 per minute"}


def failed_login(client, address: str) -> int:
    """A wrong password from `address` (each address tries its own account: the login is also
    limited per account, whatever the address)."""
    response = client.post(
        "/login",
        data={"email": f"niemand-{address}@example.com", "password": "fout"},
        headers={"X-Forwarded-For": address},
    )
    return response.status_code


class TestBehindOneProxy:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTED_PROXIES": 1}

    def test_one_visitors_failed_logins_do_not_lock_out_another(self, client):
        assert [failed_login(client, "203.0.113.7") for _ in range(3)][-1] == 429
        assert failed_login(client, "198.51.100.4") != 429


def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(app, client):
    assert app.config["TRUSTED_PROXIES"] == 0
    assert [failed_login(client, "203.0.113.7") for _ in range(3)][-1] == 429
    assert failed_login(client, "198.51.100.4") == 429


def test_a_wrong_trusted_proxies_value_stops_the_start(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "ja")
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        create_app()
