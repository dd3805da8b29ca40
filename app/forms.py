"""Helpers shared by every form."""

from flask import flash

from app.errors import DomainError


def apply_domain_error(form, error: DomainError) -> None:
    """Show a rule's message beside its field, or at the top of the form when it has none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))
        flash(str(error), "error")
