"""A real OpenID Connect provider on loopback for tests: `oidc-provider-mock` in its own process.

    def test_x(oidc_provider):                 # the fixture (in tests/conftest.py)
        provider = oidc_provider               # a subprocess serving http://127.0.0.1:<port>
        provider.set_user("els", email="els@example.be", email_verified=True)
        location = provider.authorize(url, "els")  # what the provider's "Authorize" button does

The mock does not check PKCE itself, so the process that serves it adds the check of RFC 7636
(4.6) around it with Flask's own hooks: an authorization request without an S256
`code_challenge` is refused, and the token endpoint refuses a code whose `code_verifier` does not
hash to that challenge. A client that got PKCE wrong cannot sign in here, as with a strict
provider. Run as a module (`python -m tests.support.oidc_provider`) it prints its port and serves until
it is killed.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]  # the project, from which `python -m tests.support…` runs


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _provider_app():
    """The mock's Flask app with a strict PKCE check around its two endpoints."""
    import flask
    import oidc_provider_mock

    app = oidc_provider_mock.app(require_nonce=True)
    challenges: dict[str, str] = {}  # authorization code -> code_challenge

    def _refuse(description: str):
        return flask.jsonify(error="invalid_request", error_description=description), 400

    @app.before_request
    def require_pkce():
        request = flask.request
        pkce = request.args.get("code_challenge_method") == "S256" and request.args.get("code_challenge")
        if request.path == "/oauth2/authorize" and not pkce:
            return _refuse("PKCE with S256 is required")
        if request.path == "/oauth2/token" and request.form.get("grant_type") == "authorization_code":
            challenge = challenges.pop(request.form.get("code", ""), None)
            verifier = request.form.get("code_verifier") or ""
            if challenge is None or _s256(verifier) != challenge:
                body = {"error": "invalid_grant", "error_description": "code_verifier does not match"}
                return flask.jsonify(body), 400
        return None

    @app.after_request
    def remember_challenge(response):
        request = flask.request
        if request.path == "/oauth2/authorize" and request.method == "POST" and response.location:
            code = parse_qs(urlsplit(response.location).query).get("code", [None])[0]
            if code:
                challenges[code] = request.args["code_challenge"]
        return response

    @app.after_request
    def stay_on_loopback(response):
        # The mock's pages link a stylesheet on a CDN; a test browser must never leave loopback.
        if response.mimetype == "text/html" and not response.direct_passthrough:
            response.set_data(re.sub(r"<link[^>]*https?://[^>]*>", "", response.get_data(as_text=True)))
        return response

    return app


def main() -> None:
    from werkzeug.serving import make_server

    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on loopback, as the mock's CLI does
    server = make_server(HOST, 0, _provider_app(), threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


@dataclass
class OidcProvider:
    process: subprocess.Popen
    port: int

    @property
    def issuer(self) -> str:
        return f"http://{HOST}:{self.port}"

    @classmethod
    def start(cls) -> OidcProvider:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.oidc_provider"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = process.stdout.readline().strip()
        if not line.isdigit():
            process.kill()
            process.wait()
            process.stdout.close()
            raise RuntimeError(f"the OpenID provider did not start (said {line!r})")
        provider = cls(process, int(line))
        requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=10).raise_for_status()
        return provider

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()

    def set_user(self, sub: str, **claims) -> None:
        """The claims the provider gives this subject (its e-mail, whether it is verified, ...)."""
        response = requests.put(f"{self.issuer}/users/{quote(sub, safe='')}", json=claims, timeout=10)
        response.raise_for_status()

    def authorize(self, authorization_url: str, sub: str) -> str:
        """Sign in at the provider as `sub` (the "Authorize" button); returns the redirect back."""
        response = requests.post(authorization_url, data={"sub": sub}, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    def deny(self, authorization_url: str) -> str:
        """The person refuses at the provider ("Deny"); returns the redirect back."""
        response = requests.post(
            authorization_url, data={"action": "deny"}, allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@pytest.fixture(scope="session")
def oidc_provider():
    """One provider process for the whole run; each test gives its users their own subjects."""
    provider = OidcProvider.start()
    try:
        yield provider
    finally:
        provider.stop()


if __name__ == "__main__":
    main()
