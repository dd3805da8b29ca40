"""Staff changes to a lead: the status table in action (`rules.TRANSITIONS`), owners,
call-backs and notes; and the moves other packages make (a conversion, an intake booked)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.database import atomic, begin_write, lock_row
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from dossiers.leads import rules
from dossiers.leads.models import Lead, LeadNote, LeadStatus, NoteKind
from dossiers.leads.services.common import STATUS_LABELS, S, log_event, printable

# --------------------------------------------------------------------------- staff changes


def _move(
    lead: Lead, new: LeadStatus, by_user: User | None, now: datetime, reason: str | None = None
) -> None:
    """Move a lead under the transition table, without committing. Raises DomainError."""
    new = LeadStatus(new)
    if not rules.allowed(lead.status, new):
        raise DomainError(
            _l(
                "Van „%(old)s” kan een lead niet naar „%(new)s”.",
                old=STATUS_LABELS[lead.status],
                new=STATUS_LABELS[new],
            ),
            field="status",
        )
    reason = printable(reason, keep="\r\n")
    if new == S.DROPPED and not reason:
        raise DomainError(_l("Geef een reden waarom de lead afgevoerd wordt."), field="reason")
    old = lead.status
    lead.status, lead.status_changed_at = new, now
    lead.drop_reason = reason if new == S.DROPPED else None
    if new == S.CONVERTED:
        lead.converted_at = now
    text = str(_l("Status: %(old)s → %(new)s", old=STATUS_LABELS[old], new=STATUS_LABELS[new]))
    log_event(lead, f"{text}. {reason}" if reason else text, by_user)


@atomic
def change_status(
    lead: Lead, new: LeadStatus, by_user: User, *, reason: str | None = None, now: datetime | None = None
) -> Lead:
    """Move a lead along `rules.TRANSITIONS`; dropping needs a reason. Raises DomainError."""
    lead = lock_row(Lead, lead.id)
    _move(lead, new, by_user, now or utcnow(), reason)
    db.session.commit()
    return lead


def mark_converted(lead: Lead, by_user: User, now: datetime | None = None) -> Lead:
    """The dossiers package made a dossier from this lead. Call it inside the caller's
    transaction: it flushes but never commits, so the dossier and the lead's new status go
    in together (or not at all). Raises DomainError when the lead cannot be converted
    (already converted, or dropped)."""
    _move(lead, S.CONVERTED, by_user, now or utcnow())
    db.session.flush()
    return lead


def move_for_intake(lead: Lead, new: LeadStatus, now: datetime) -> None:
    """Booking or cancelling an intake conversation moves the lead when the table allows it
    (a converted lead stays converted); never commits."""
    if lead.status != new and rules.allowed(lead.status, new):
        _move(lead, new, None, now)


@atomic
def assign(lead: Lead, owner_id: int | None, by_user: User) -> Lead:
    """Give the lead an owner (or none). Raises DomainError for an unknown or inactive user."""
    begin_write()
    owner = None
    if owner_id is not None:
        owner = db.session.get(User, owner_id)
        if owner is None or not owner.active:
            raise DomainError(_l("Kies een actieve medewerker."), field="owner_id")
    lead.owner_id = owner.id if owner else None
    log_event(lead, str(_l("Eigenaar: %(name)s", name=owner.name if owner else "—")), by_user)
    db.session.commit()
    return lead


@atomic
def set_callback(lead: Lead, day: date | None, by_user: User) -> Lead:
    """Set or clear the "call back on" date; it shows up in the owner's list."""
    begin_write()
    lead.callback_on = day
    from app.i18n import long_date

    text = _l("Terugbellen op %(day)s", day=long_date(day)) if day else _l("Terugbeldatum gewist")
    log_event(lead, str(text), by_user)
    db.session.commit()
    return lead


@atomic
def add_note(lead: Lead, body: str, by_user: User) -> LeadNote:
    begin_write()
    body = printable(body, keep="\r\n\t")
    if not body:
        raise DomainError(_l("Schrijf eerst iets in de notitie."), field="body")
    if len(body) > 5000:
        raise DomainError(_l("Een notitie is hoogstens 5000 tekens lang."), field="body")
    note = LeadNote(lead=lead, author_id=by_user.id, kind=NoteKind.NOTE, body=body)
    db.session.add(note)
    db.session.commit()
    return note
