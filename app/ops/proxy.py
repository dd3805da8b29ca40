"""Behind a reverse proxy (nginx, a load balancer): whom to believe about the client.

Without this the app sees every request coming from the proxy: the rate limits (login, public
forms) would count all visitors as one address and lock everyone out together. With
TRUSTED_PROXIES=N the app takes the client address, scheme and host from the X-Forwarded-For,
-Proto and -Host headers set by the N proxies in front of it. Only set it when the app cannot be
reached except through those proxies (gunicorn bound to 127.0.0.1 or a private network):
otherwise anyone can claim any address by sending the header themselves.
"""

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import ConfigError


def trusted_proxies() -> int:
    value = os.environ.get("TRUSTED_PROXIES", "0").strip() or "0"
    if not value.isdigit():
        raise ConfigError(
            f"TRUSTED_PROXIES must be the number of proxies in front of the app, not {value!r}."
        )
    return int(value)


def init_app(app) -> None:
    """Call from create_app, after the config is loaded (a test config may set TRUSTED_PROXIES)."""
    count = int(app.config.setdefault("TRUSTED_PROXIES", trusted_proxies()))
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
