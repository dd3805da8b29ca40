"""The base of every form, and helpers shared by every form."""

from flask import flash
from flask_babel import get_locale
from flask_wtf import FlaskForm

from app.errors import DomainError


class Form(FlaskForm):
    """FlaskForm with CSRF, and WTForms' own messages ("Dit veld is verplicht.", "Geen geldig
    getal.") in the page's language.

    Through WTForms' documented hook: `Meta.locales` names the language, and WTForms loads that
    language's catalogue once per process and keeps it (`Meta.cache_translations`, on by
    default). Flask-WTF's own i18n, which reads the catalogue from disk again in every request,
    is off (`WTF_I18N_ENABLED = False` in app/config.py): with it on, Flask-WTF would ignore
    `locales`.
    """

    class Meta(FlaskForm.Meta):
        @property
        def locales(self):
            locale = get_locale()  # nl_BE or en_GB; gettext also tries nl and en
            return [str(locale)] if locale else False


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
