"""The agency's identity provider, over OpenID Connect, through Authlib's Flask client.

Authorization code flow with PKCE (S256), `state` and `nonce`: Authlib makes all three, keeps
them in the (signed) Flask session between the two legs, and at the return checks the state,
sends the code verifier with the code, and verifies the ID token's signature (the provider's
published keys), issuer, audience, expiry and nonce.

`init_app` only registers the client: the provider's discovery document
(`<OIDC_ISSUER>/.well-known/openid-configuration`) is read at the first sign-in and kept for the
life of the process, so the app starts without the provider and a provider that is down costs
one page that says so, never a server error.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from joserfc.errors import JoseError

from app.config import ConfigError
from app.errors import DomainError

log = logging.getLogger(__name__)

EXTENSION = "startklaar.oidc"
CALLBACK_PATH = "/login/agentschap/terug"  # registered at the provider as <BASE_URL><CALLBACK_PATH>
TIMEOUT_SECONDS = 10
SCOPE = "openid email profile"
REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderUnavailable(DomainError):
    """The provider cannot be reached, or its discovery document is not usable."""


class SignInFailed(DomainError):
    """The way back from the provider is not a sign-in we started, or it did not succeed."""


def init_app(app) -> None:
    """Register the provider's client when OIDC_ISSUER is set; refuse a sign-in nobody can use.

    In production a configuration with which nobody can sign in (passwords off without a
    provider, a provider without its client id or secret) stops the start, like a missing
    SECRET_KEY; elsewhere `flask check` reports it.
    """
    problem = configuration_problem(app.config)
    if problem and app.config.get("ENV_NAME") == "production":
        raise ConfigError(problem)
    issuer = app.config.get("OIDC_ISSUER")
    if not issuer or problem:
        return
    oauth = OAuth(app)
    app.extensions[EXTENSION] = oauth.register(
        "agentschap",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": TIMEOUT_SECONDS},
    )


def configuration_problem(config) -> str | None:
    """What makes the sign-in settings unusable, for the operator (`flask check`, the refusal
    to start in production); None when they can work."""
    issuer = config.get("OIDC_ISSUER")
    if not config.get("LOCAL_LOGIN", True) and not issuer:
        return _(
            "LOCAL_LOGIN=0 zet de wachtwoorden uit, maar OIDC_ISSUER is niet gezet: niemand kan "
            "aanmelden. Zet OIDC_ISSUER, OIDC_CLIENT_ID en OIDC_CLIENT_SECRET, of laat LOCAL_LOGIN=0 weg."
        )
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://")):
        return _(
            "OIDC_ISSUER=%(issuer)r is geen adres: zet het issuer-adres van de provider (https://…).",
            issuer=issuer,
        )
    missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not config.get(name)]
    if missing:
        return _(
            "OIDC_ISSUER is gezet, maar %(missing)s niet: de provider van het agentschap geeft ze "
            "wanneer Startklaar er als client geregistreerd wordt.",
            missing=" en ".join(missing),
        )
    return None


def metadata_problem(metadata: dict, issuer: str) -> str | None:
    """What makes a discovery document unusable for this issuer (for the log and `flask check`)."""
    missing = [key for key in REQUIRED_METADATA if not metadata.get(key)]
    if missing:
        return f"the discovery document lacks {', '.join(missing)}"
    if metadata["issuer"].rstrip("/") != issuer:
        # Trusting it would mean trusting tokens that another issuer signs (a mix-up).
        return f"the discovery document names issuer {metadata['issuer']!r}, not {issuer!r}"
    methods = metadata.get("code_challenge_methods_supported")
    if methods is not None and "S256" not in methods:
        return f"the provider does not offer PKCE with S256 (only {', '.join(methods) or 'nothing'})"
    return None


def enabled() -> bool:
    return EXTENSION in current_app.extensions


def _client():
    return current_app.extensions[EXTENSION]


def _unavailable() -> ProviderUnavailable:
    return ProviderUnavailable(
        _l(
            "De aanmeldservice van het agentschap is nu niet bereikbaar. Probeer het over enkele "
            "minuten opnieuw. Lukt het dan nog niet, verwittig dan de helpdesk van het agentschap."
        )
    )


def _unconfirmed() -> SignInFailed:
    return SignInFailed(_l("De aanmelding bij het agentschap kon niet worden bevestigd. Probeer opnieuw."))


def provider_metadata() -> dict:
    """The provider's discovery document (fetched once per process); raises ProviderUnavailable."""
    try:
        metadata = _client().load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        log.warning("OpenID provider %s not usable: %s", current_app.config["OIDC_ISSUER"], error)
        raise _unavailable() from error
    problem = metadata_problem(metadata, current_app.config["OIDC_ISSUER"])
    if problem:
        log.error("OpenID provider %s not usable: %s", current_app.config["OIDC_ISSUER"], problem)
        raise _unavailable()
    return metadata


def authorization_redirect(redirect_uri: str):
    """The redirect that sends the browser to the provider's sign-in; raises ProviderUnavailable."""
    provider_metadata()
    try:
        return _client().authorize_redirect(redirect_uri)
    except (AuthlibBaseError, RuntimeError) as error:
        log.error("OpenID sign-in could not start: %s", error)
        raise _unavailable() from error


def identity_from_callback() -> dict:
    """The claims the provider vouches for, from the browser's way back to the callback.

    Checks the state (the browser that started is the one that returns), exchanges the code
    with its PKCE verifier, and validates the ID token (signature, issuer, audience, expiry,
    nonce). When the ID token carries no e-mail address, the userinfo endpoint is asked, and
    its answer is used only for the same subject. Raises SignInFailed or ProviderUnavailable.
    """
    error = request.args.get("error")
    if error:
        log.info("OpenID provider returned error %s: %s", error, request.args.get("error_description"))
        if error in ("access_denied", "login_required", "consent_required", "interaction_required"):
            raise SignInFailed(_l("De aanmelding bij het agentschap is geannuleerd. Je bent niet aangemeld."))
        raise SignInFailed(_l("Het agentschap heeft de aanmelding geweigerd. Probeer opnieuw."))
    try:
        token = _client().authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if claims and not claims.get("email") and provider_metadata().get("userinfo_endpoint"):
            extra = _client().userinfo(token=token)
            if extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
    except MismatchingStateError as error:
        log.info("OpenID callback with an unknown state")
        raise SignInFailed(
            _l(
                "Deze aanmelding is verlopen of niet in deze browser begonnen. Begin opnieuw vanaf "
                "de aanmeldpagina."
            )
        ) from error
    except requests.RequestException as error:
        log.warning("OpenID provider not reachable at the callback: %s", error)
        raise _unavailable() from error
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        log.warning("OpenID sign-in refused: %s", error)
        raise _unconfirmed() from error
    if not claims.get("sub"):
        log.warning("OpenID provider returned no ID token")
        raise _unconfirmed()
    return claims
