"""Reading dossiers: one by its reference, the filtered list, the trail, the owners to choose from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app import audit
from app.auth.models import Role, User
from app.errors import NotFound
from app.extensions import db
from dossiers.models import ChecklistItem, Dossier, DossierState, ItemStatus
from dossiers.services.dossiers import ENTITY
from registrations.models import ChildcareType


def get_dossier(reference: str) -> Dossier:
    """Raises NotFound."""
    dossier = db.session.scalar(select(Dossier).where(Dossier.reference == (reference or "").upper()))
    if dossier is None:
        raise NotFound(_l("Dit dossier bestaat niet."))
    return dossier


def open_dossier_of_lead(lead_id: int) -> Dossier | None:
    return db.session.scalar(
        select(Dossier)
        .where(Dossier.lead_id == lead_id)
        .order_by(Dossier.state.in_([DossierState.CLOSED, DossierState.WITHDRAWN]), Dossier.id.desc())
    )


@dataclass
class DossierFilters:
    state: DossierState | None = None
    childcare_type: ChildcareType | None = None
    province: str | None = None
    owner_id: int | None = None
    overdue: bool = False
    search: str = ""


def list_dossiers(filters: DossierFilters, *, today: date, page: int = 1, per_page: int = 50):
    """Dossiers matching the filters, the most recently moved first; a page (Flask-SQLAlchemy)."""
    query = select(Dossier).order_by(Dossier.state_changed_at.desc(), Dossier.id.desc())
    if filters.state is not None:
        query = query.where(Dossier.state == filters.state)
    if filters.childcare_type is not None:
        query = query.where(Dossier.childcare_type == filters.childcare_type)
    if filters.province:
        query = query.where(Dossier.province == filters.province)
    if filters.owner_id is not None:
        query = query.where(Dossier.owner_id == filters.owner_id)
    if filters.overdue:
        overdue = (
            select(ChecklistItem.dossier_id)
            .where(
                ChecklistItem.status.in_([ItemStatus.MISSING, ItemStatus.REJECTED]),
                ChecklistItem.due_on < today,
            )
            .scalar_subquery()
        )
        query = query.where(
            Dossier.id.in_(overdue), Dossier.state.not_in([DossierState.CLOSED, DossierState.WITHDRAWN])
        )
    if filters.search.strip():
        term = f"%{filters.search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Dossier.reference).like(term),
                func.lower(Dossier.last_name).like(term),
                func.lower(Dossier.organisation_name).like(term),
                func.lower(Dossier.municipality).like(term),
            )
        )
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)


def overdue_counts(dossier_ids: list[int], today: date) -> dict[int, int]:
    """How many open items are past their due date, per dossier (for the list)."""
    if not dossier_ids:
        return {}
    rows = db.session.execute(
        select(ChecklistItem.dossier_id, func.count())
        .where(
            ChecklistItem.dossier_id.in_(dossier_ids),
            ChecklistItem.status.in_([ItemStatus.MISSING, ItemStatus.REJECTED]),
            ChecklistItem.due_on < today,
        )
        .group_by(ChecklistItem.dossier_id)
    ).all()
    return dict(rows)


def owners() -> list[User]:
    """Who can own a dossier."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.role.in_([Role.STAFF, Role.ADMIN]))
            .order_by(User.name)
        )
    )


def trail(dossier: Dossier) -> list[audit.AuditEntry]:
    return audit.entries_for(ENTITY, dossier.id)


def has_dossier(registration) -> bool:
    """Privacy keep hook: a registration whose person has a dossier is not anonymised."""
    if not registration.email:  # a companion registered without an address
        return False
    return (
        db.session.scalar(select(Dossier.id).where(Dossier.email == registration.email.lower()).limit(1))
        is not None
    )
