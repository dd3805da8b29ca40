"""Admins' edits of the checklist catalogue (the elements themselves are in dossiers.checklist)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.database import atomic, begin_write
from app.errors import DomainError, NotFound
from app.extensions import db
from dossiers import checklist
from dossiers.models import ChecklistElement

ENTITY = "checklist_element"
FIELDS = ("name", "description", "childcare_types", "required", "record_only", "active")


@atomic
def catalogue_elements() -> list[ChecklistElement]:
    """The catalogue, seeded with DOMAIN.md's elements the first time it is asked for."""
    if db.session.scalar(select(ChecklistElement.id).limit(1)) is None:
        begin_write()
        checklist.ensure_catalogue()
        db.session.commit()
    return checklist.catalogue()


def get_element(code: str) -> ChecklistElement:
    element = db.session.scalar(select(ChecklistElement).where(ChecklistElement.code == code))
    if element is None:
        raise NotFound(_l("Dit element bestaat niet."))
    return element


@atomic
def save_element(
    code: str,
    *,
    name: str,
    description: str,
    types: list[str],
    required: bool,
    record_only: bool,
    active: bool,
    by: User,
) -> ChecklistElement:
    """Change an element of the catalogue (never its code), and commit. Dossiers already made
    keep their items; new dossiers follow the new version. Raises DomainError, NotFound."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_l("Geef het element een naam."), field="name")
    allowed = {t.value for t in checklist.DOSSIER_TYPES}
    chosen = [t for t in allowed if t in set(types or [])]
    if not chosen or len(chosen) != len(set(types or [])):
        raise DomainError(_l("Kies voor welke types opvang het element nodig is."), field="types")
    begin_write()
    element = get_element(code)
    before = audit.snapshot(element, FIELDS)
    element.name = name[:200]
    element.description = (description or "").strip()[:2000]
    element.childcare_types = ",".join(sorted(chosen))
    element.required, element.record_only, element.active = bool(required), bool(record_only), bool(active)
    changes = audit.diff(before, audit.snapshot(element, FIELDS))
    if changes:
        audit.record(ENTITY, element.code, "updated", actor=by, changes=changes, reference=element.code)
    db.session.commit()
    return element
