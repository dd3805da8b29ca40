"""Helpers shared by every form."""

from flask import flash

from app.errors import DomainError


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
