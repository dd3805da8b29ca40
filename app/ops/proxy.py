"""Behind a reverse proxy (nginx, a load balancer): whom to believe about the client.

Without this the app sees every request coming from the proxy: the rate limits (login, public
forms) would count all visitors as one address and lock everyone out together. With
TRUSTED_PROXIES=N the app takes the client address, scheme and host from the X-Forwarded-For,
-Proto and -Host headers set by the N proxies in front of it. Only set it when the app cannot be
reached except through those proxies (gunicorn bound to 127.0.0.1 or a private network):
otherwise anyone can claim any address by sending the header themselves.
"""

from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app) -> None:
    """Call from create_app, after the config is loaded (a test config may set TRUSTED_PROXIES;
    app/config.py reads the environment variable)."""
    count = int(app.config["TRUSTED_PROXIES"])
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
