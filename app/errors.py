"""One family of errors for broken rules, and friendly error pages."""

from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
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


def _render(code: int, title=None, text=None):
    default_title, default_text = MESSAGES.get(code, MESSAGES[500])
    title, text = title or default_title, text or default_text
    if _wants_json():
        response = jsonify(error={"code": code, "message": str(text)})
        response.headers["Access-Control-Allow-Origin"] = "*"  # the API is public, its errors too
        return response, code
    return render_template("errors/error.html", code=code, title=title, text=text), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400, text=_l("Het formulier was verlopen. Laad de pagina opnieuw en probeer nog eens.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code and 300 <= error.code < 400:
            return error
        return _render(error.code or 500)

    @app.errorhandler(InternalServerError)
    def unexpected(error):
        # Flask logs the original exception; in tests it propagates instead of landing here.
        return _render(500)
