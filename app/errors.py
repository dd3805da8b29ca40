"""One family of errors for broken rules, and friendly error pages."""

from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException, InternalServerError


class DomainError(Exception):
    """A rule said no. The message is translatable and fit to show to the user.

    `field` names the form field the message belongs to, when there is one, so the view can
    show it beside that field.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    """Several rules said no at once: every mistake in what a person sent, so a form can show
    them all in one answer instead of one per submit. `errors` holds one DomainError each."""

    def __init__(self, errors: list[DomainError]):
        super().__init__(errors[0].message, field=errors[0].field)
        self.errors = list(errors)


class Errors:
    """Collects the DomainErrors of several checks, then raises them together (InvalidInput).

    errors = Errors()
    phone = errors.check(normalise_phone, raw_phone)  # None when it said no
    errors.raise_any()
    """

    def __init__(self):
        self.found: list[DomainError] = []

    def check(self, rule, *args, **kwargs):
        try:
            return rule(*args, **kwargs)
        except InvalidInput as error:
            self.found.extend(error.errors)
        except DomainError as error:
            self.found.append(error)
        return None

    def add(self, message, field: str | None = None) -> None:
        self.found.append(DomainError(message, field=field))

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise InvalidInput(self.found)


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


MESSAGES = {
    400: (_l("Ongeldige aanvraag"), _l("Er ging iets mis met wat je stuurde. Probeer het opnieuw.")),
    403: (_l("Geen toegang"), _l("Je hebt geen toegang tot deze pagina.")),
    404: (_l("Pagina niet gevonden"), _l("Deze pagina bestaat niet (meer). Controleer het adres.")),
    405: (_l("Niet toegestaan"), _l("Deze actie kan niet op deze manier.")),
    413: (_l("Bestand te groot"), _l("Het bestand is te groot.")),
    429: (_l("Even geduld"), _l("Te veel pogingen na elkaar. Wacht even en probeer opnieuw.")),
    500: (
        _l("Er ging iets mis"),
        _l("Er ging bij ons iets mis. We bekijken het; probeer het later opnieuw."),
    ),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


# Headers that describe the body the exception would have sent; the error page brings its own.
_BODY_HEADERS = ("Content-Type", "Content-Length", "Content-Encoding", "Content-Range")


def _kept_headers(error: HTTPException) -> Headers:
    """What the original answer said besides its body, kept on the friendly error page.

    `Allow` on a 405 (RFC 9110 requires it), `WWW-Authenticate` on a 401, `Retry-After` on a
    429 or 503, and the headers of a response an exception was raised with (`abort(response)`).
    """
    headers = Headers(error.get_headers())
    if error.response is not None:
        headers.extend(error.response.headers)
    for name in _BODY_HEADERS:
        headers.remove(name)
    return headers


def _render(code: int, title=None, text=None, headers: Headers | None = None):
    default_title, default_text = MESSAGES.get(code, MESSAGES[500])
    title, text = title or default_title, text or default_text
    headers = Headers(headers)
    if _wants_json():
        response = jsonify(error={"code": code, "message": str(text)})
        response.headers["Access-Control-Allow-Origin"] = "*"  # the API is public, its errors too
        response.headers.extend(headers)
        return response, code
    return render_template("errors/error.html", code=code, title=title, text=text), code, headers


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400,
            text=_l("Het formulier was verlopen. Laad de pagina opnieuw en probeer nog eens."),
            headers=_kept_headers(error),
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code and 300 <= error.code < 400:
            return error
        return _render(error.code or 500, headers=_kept_headers(error))

    @app.errorhandler(InternalServerError)
    def unexpected(error):
        # Flask logs the original exception; in tests it propagates instead of landing here.
        return _render(500)
