"""The base of every form, and helpers shared by every form."""

from functools import cache

from babel import support
from flask import flash
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

from app.errors import DomainError


@cache
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _Translations:
    """WTForms' own messages in the request's language, read from disk once per process.

    Flask-WTF reads and parses the catalogue again in every request (a twentieth of a
    registration's time); the catalogue never changes while the process runs."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


_TRANSLATIONS = _Translations()


class Form(FlaskForm):
    """FlaskForm with CSRF, and WTForms' messages translated without per-request disk reads."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _TRANSLATIONS


class ActionForm(Form):
    """A button that changes something (confirm, cancel, tick, delete…): a POST with only its
    CSRF token, so no change is ever a GET and every change is covered by CSRF."""


def apply_domain_error(form, error: DomainError, field_names: dict[str, str] | None = None) -> None:
    """Show a rule's message beside its field, or at the top of the form when it has none.

    `field_names` maps a service's field name to the form's where they differ.
    """
    name = (field_names or {}).get(error.field, error.field) if error.field else None
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))
        flash(str(error), "error")


def form_status(form) -> int:
    """422 when the form shows errors (its fields' or a rule's), else 200."""
    return 422 if form.errors or form.form_errors else 200
