"""One person is one lead. The person is their normalised e-mail address, kept UNIQUE by the
database: making a lead and gathering a registration are `INSERT … ON CONFLICT DO NOTHING`
followed by a read, so two triggers for the same person at the same moment (two sessions
confirmed in two requests, a rerun of the backfill next to a live registration) end with one
lead and one link per registration, on PostgreSQL and SQLite alike. None of these commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.database import insert_ignoring
from app.db import utcnow
from app.extensions import db
from dossiers.leads.models import Lead, LeadRegistration, LeadStatus, LeadTrigger
from registrations.models import ChildcareType, LegalForm, Registration, Statute

S = LeadStatus
PROFILE_FIELDS = (
    "first_name", "last_name", "phone", "postcode", "municipality", "province", "childcare_type",
    "planned_places", "planned_start", "legal_form", "enterprise_number", "statute",
)  # fmt: skip
# Answers that say "I don't know yet": they never overwrite something the person told us before.
UNKNOWN = (None, "", ChildcareType.ONBEKEND, LegalForm.NOG_NIET_BEPAALD, Statute.NOG_NIET_BEPAALD)


def lead_for(email: str, source: LeadTrigger) -> tuple[Lead, bool]:
    """The person's lead, made now if they had none; (lead, made_now)."""
    existing = db.session.scalar(select(Lead).where(Lead.email == email))
    if existing is not None:
        return existing, False
    now = utcnow()
    result = db.session.execute(
        insert_ignoring(Lead.__table__, "email", returning=[Lead.__table__.c.id]),
        [
            {
                "email": email,
                "status": S.NEW,
                "source": source,
                "status_changed_at": now,
                "created_at": now,
                "updated_at": now,
            }
        ],
    ).all()
    lead = db.session.scalar(
        select(Lead).where(Lead.email == email).execution_options(populate_existing=True)
    )
    return lead, bool(result)


def link_registration(lead: Lead, registration: Registration, rule_id: int | None) -> bool:
    """Gather a registration into a lead; False when it already was (by this or another call)."""
    result = db.session.execute(
        insert_ignoring(
            LeadRegistration.__table__, "registration_id", returning=[LeadRegistration.__table__.c.id]
        ),
        [
            {
                "lead_id": lead.id,
                "registration_id": registration.id,
                "rule_id": rule_id,
                "created_at": utcnow(),
            }
        ],
    ).all()
    return bool(result)


def take_profile(lead: Lead, source, at: datetime) -> None:
    """The newest answers win (`at`: when the person gave them), except "don't know yet",
    which never erases an earlier answer; older answers only fill in what is still blank."""
    newer = lead.profile_at is None or at >= lead.profile_at
    for name in PROFILE_FIELDS:
        value = getattr(source, name, None)
        if value in UNKNOWN:
            continue
        if newer or getattr(lead, name) in UNKNOWN:
            setattr(lead, name, value)
    if newer:
        lead.profile_at = at


def gather_all(lead: Lead) -> int:
    """Link every registration of the person that no lead holds yet (oldest first, so the
    newest profile ends up on the lead). Only registrations whose address was confirmed: an
    unconfirmed one may carry someone else's address."""
    unlinked = db.session.scalars(
        select(Registration)
        .outerjoin(LeadRegistration, LeadRegistration.registration_id == Registration.id)
        .where(
            Registration.email == lead.email,
            Registration.anonymised_at.is_(None),
            Registration.email_confirmed_at.is_not(None),
            LeadRegistration.id.is_(None),
        )
        .order_by(Registration.created_at, Registration.id)
    ).all()
    linked = 0
    for registration in unlinked:
        if link_registration(lead, registration, None):
            take_profile(lead, registration, registration.created_at)
            linked += 1
    return linked
