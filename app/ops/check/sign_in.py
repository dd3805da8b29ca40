"""Staff sign-in: local passwords and/or the agency's OpenID Connect provider."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from app.ops.check.results import NETWORK_TIMEOUT, Result, fail, in_production, ok, warn


def check_sign_in() -> list[Result]:
    """Local passwords and/or the agency's OpenID Connect provider: can anyone sign in?"""
    import requests

    from app.auth import oidc

    config, name = current_app.config, "sign-in"
    problem = oidc.configuration_problem(config)
    if problem:
        return [fail(name, problem)]
    issuer = config.get("OIDC_ISSUER")
    if not issuer:
        return [ok(name, _("lokale wachtwoorden (geen OIDC_ISSUER: geen aanmelding via het agentschap)."))]
    if in_production() and not issuer.startswith("https://"):
        return [
            fail(name, _("OIDC_ISSUER=%(issuer)s gebruikt geen https: zet het https-adres.", issuer=issuer))
        ]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=NETWORK_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
        reason = oidc.metadata_problem(metadata, issuer) if isinstance(metadata, dict) else "no JSON object"
    except (requests.RequestException, ValueError) as error:
        reason = str(error)
    if reason:
        return [
            fail(
                name,
                _(
                    "de provider van het agentschap is niet bruikbaar: %(url)s (%(reason)s). Controleer "
                    "OIDC_ISSUER en of deze machine de provider mag bereiken.",
                    url=url,
                    reason=reason,
                ),
            )
        ]
    redirect_uri = config["BASE_URL"].rstrip("/") + oidc.CALLBACK_PATH
    if "code_challenge_methods_supported" not in metadata:
        return [
            warn(
                name,
                _(
                    "%(issuer)s bereikbaar, maar de provider vermeldt niet dat hij PKCE (S256) "
                    "ondersteunt; vraag het na. Terugkeeradres bij de provider: %(redirect)s.",
                    issuer=issuer,
                    redirect=redirect_uri,
                ),
            )
        ]
    if config.get("LOCAL_LOGIN", True):
        message = _(
            "via het agentschap (%(issuer)s) en met wachtwoorden. "
            "Terugkeeradres bij de provider: %(redirect)s.",
            issuer=issuer,
            redirect=redirect_uri,
        )
    else:
        message = _(
            "alleen via het agentschap (%(issuer)s). Terugkeeradres bij de provider: %(redirect)s.",
            issuer=issuer,
            redirect=redirect_uri,
        )
    return [ok(name, message)]
