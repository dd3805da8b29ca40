"""Security headers on every response.

No page may be shown in a frame (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), except a
response a view marks with `allow_framing`: the embeddable widget, which the websites an admin
lists may show in an <iframe>.
"""

from collections.abc import Iterable

_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
CSP = "; ".join([*_POLICY, "frame-ancestors 'none'"])


def allow_framing(response, origins: Iterable[str] = ()):
    """Let this response be framed by our own pages and by `origins` (each a checked origin,
    `https://host[:port]`), and by nobody else. Returns the response."""
    sources = ["'self'", *origins]
    response.headers["Content-Security-Policy"] = "; ".join(
        [*_POLICY, "frame-ancestors " + " ".join(sources)]
    )
    # X-Frame-Options cannot name another site; with other origins it must go, as browsers that
    # know frame-ancestors ignore it anyway and the others would refuse the frame.
    if len(sources) == 1:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response.framing_allowed = True
    return response


def init_app(app) -> None:
    https = app.config["PREFERRED_URL_SCHEME"] == "https"

    defaults = [
        ("Content-Security-Policy", CSP),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if https:
        defaults.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.after_request
    def set_headers(response):
        # Each header unless the view set its own (one pass over the response's headers).
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}
        framed = getattr(response, "framing_allowed", False)
        for name, value in defaults:
            if name.lower() not in present and not (framed and name == "X-Frame-Options"):
                headers.add(name, value)
        return response
