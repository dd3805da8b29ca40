"""Leads as staff work them: the inbox and its filters, one person's history, the status
table in action (`rules.TRANSITIONS`), owners, call-backs and notes; and what other packages
ask of a lead (conversion to a dossier, intake outcomes, the privacy keep hook).

How leads are made (rules, backfill, intake requests) lives in `dossiers.leads.capture`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.database import atomic, begin_write
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.geo import PROVINCES
from app.parsing import InvalidValue, id_or_none, parse_month
from app.timezone import local
from dossiers.leads import rules
from dossiers.leads.models import (
    ConversationStatus,
    IntakeConversation,
    Lead,
    LeadNote,
    LeadRegistration,
    LeadStatus,
    LeadTrigger,
    NoteKind,
    new_secret,
)
from registrations.models import ChildcareType, Registration
from sessions.models import InfoSession

S = LeadStatus
PER_PAGE = 25
STATUS_LABELS = {
    S.NEW: _l("nieuw"),
    S.CONTACTED: _l("gecontacteerd"),
    S.INTAKE_PLANNED: _l("gesprek gepland"),
    S.CONVERTED: _l("omgezet naar dossier"),
    S.DROPPED: _l("afgevoerd"),
}
TRIGGER_LABELS = {
    LeadTrigger.REGISTRATION: _l("bij inschrijving (e-mailadres bevestigd)"),
    LeadTrigger.ATTENDANCE: _l("bij aanwezigheid op de sessie"),
    LeadTrigger.INTAKE_REQUEST: _l("bij een vraag om een kennismakingsgesprek"),
}


def _today() -> date:
    return local(utcnow()).date()


def _printable(text: str | None, keep: str = "") -> str:
    return "".join(c for c in (text or "") if c in keep or unicodedata.category(c) != "Cc").strip()


def log_event(lead: Lead, body: str, author: User | None = None) -> None:
    db.session.add(
        LeadNote(lead=lead, author_id=author.id if author else None, kind=NoteKind.EVENT, body=body)
    )


# --------------------------------------------------------------------------- the inbox


@dataclass(frozen=True)
class LeadFilters:
    childcare_type: ChildcareType | None = None
    province: str | None = None
    start_before: date | None = None  # planned start in or before this month
    session_id: int | None = None
    owner_id: int | None = None  # -1: nobody
    status: LeadStatus | None = None
    open_only: bool = False  # hide converted and dropped

    @classmethod
    def from_args(cls, args, me: User | None = None) -> LeadFilters:
        def enum_or_none(enum_cls, raw):
            try:
                return enum_cls(raw) if raw else None
            except ValueError:
                return None

        try:
            start = parse_month((args.get("start") or "").strip())
        except InvalidValue:
            start = None
        owner = args.get("eigenaar")
        province = (args.get("provincie") or "").strip() or None
        return cls(
            childcare_type=enum_or_none(ChildcareType, args.get("type")),
            province=province if province in PROVINCES else None,
            start_before=start,
            session_id=id_or_none(args.get("sessie")),
            owner_id=(me.id if me else None) if owner == "mij" else id_or_none(owner),
            status=enum_or_none(LeadStatus, args.get("status")),
            open_only=args.get("open") == "1",
        )


def list_leads(filters: LeadFilters, page: int = 1):
    """New leads first, then the rest by most recent change of status."""
    query = select(Lead)
    if filters.childcare_type is not None:
        query = query.where(Lead.childcare_type == filters.childcare_type)
    if filters.province:
        query = query.where(Lead.province == filters.province)
    if filters.start_before is not None:
        query = query.where(Lead.planned_start <= filters.start_before)
    if filters.session_id is not None:
        query = query.where(
            Lead.id.in_(
                select(LeadRegistration.lead_id)
                .join(Registration, Registration.id == LeadRegistration.registration_id)
                .where(Registration.session_id == filters.session_id)
            )
        )
    if filters.owner_id == -1:
        query = query.where(Lead.owner_id.is_(None))
    elif filters.owner_id is not None:
        query = query.where(Lead.owner_id == filters.owner_id)
    if filters.status is not None:
        query = query.where(Lead.status == filters.status)
    elif filters.open_only:
        query = query.where(Lead.status.not_in((S.CONVERTED, S.DROPPED)))
    is_new = (Lead.status == S.NEW).desc()
    query = query.order_by(is_new, Lead.status_changed_at.desc(), Lead.id.desc())
    return db.paginate(query, page=max(page, 1), per_page=PER_PAGE, error_out=False)


def get_lead(lead_id: int) -> Lead:
    lead = db.session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(_l("Deze lead bestaat niet."))
    return lead


def history(lead: Lead) -> list[Registration]:
    """All the person's registrations (sessions, status, answers, questions), newest first."""
    return list(
        db.session.scalars(
            select(Registration)
            .join(LeadRegistration, LeadRegistration.registration_id == Registration.id)
            .where(LeadRegistration.lead_id == lead.id)
            .order_by(Registration.created_at.desc())
        )
    )


SESSION_FILTER_MONTHS = 6
SESSION_FILTER_MAX = 100


def sessions_with_leads() -> list[InfoSession]:
    """The sessions the inbox can filter on: those of the last six months (and later) that
    brought in at least one lead, newest first, a hundred at most — a menu of every session of
    past years would be thousands long and slow to build (bench/load.py)."""
    since = utcnow() - timedelta(days=31 * SESSION_FILTER_MONTHS)
    with_leads = (
        select(Registration.session_id)
        .join(LeadRegistration, LeadRegistration.registration_id == Registration.id)
        .distinct()
    )
    return list(
        db.session.scalars(
            select(InfoSession)
            .where(InfoSession.id.in_(with_leads), InfoSession.starts_at >= since)
            .order_by(InfoSession.starts_at.desc())
            .limit(SESSION_FILTER_MAX)
        )
    )


def staff_members() -> list[User]:
    """Who can own a lead."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


def callbacks(user: User) -> list[Lead]:
    """The user's open leads with a call-back date, soonest (and overdue) first."""
    return list(
        db.session.scalars(
            select(Lead)
            .where(
                Lead.owner_id == user.id,
                Lead.callback_on.is_not(None),
                Lead.status.not_in((S.CONVERTED, S.DROPPED)),
            )
            .order_by(Lead.callback_on, Lead.id)
        )
    )


def is_overdue(lead: Lead, today: date | None = None) -> bool:
    return lead.callback_on is not None and lead.callback_on < (today or _today())


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
    reason = _printable(reason, keep="\r\n")
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
    begin_write()
    lead = db.session.scalar(
        select(Lead)
        .where(Lead.id == lead.id)
        .with_for_update(of=Lead)
        .execution_options(populate_existing=True)
    )
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
    body = _printable(body, keep="\r\n\t")
    if not body:
        raise DomainError(_l("Schrijf eerst iets in de notitie."), field="body")
    if len(body) > 5000:
        raise DomainError(_l("Een notitie is hoogstens 5000 tekens lang."), field="body")
    note = LeadNote(lead=lead, author_id=by_user.id, kind=NoteKind.NOTE, body=body)
    db.session.add(note)
    db.session.commit()
    return note


# --------------------------------------------------------------------------- for other packages


def intake_outcomes(lead: Lead) -> list[IntakeConversation]:
    """The intake conversations of this lead whose outcome is recorded, oldest first (the
    dossier page shows them)."""
    return list(
        db.session.scalars(
            select(IntakeConversation)
            .where(
                IntakeConversation.lead_id == lead.id, IntakeConversation.status == ConversationStatus.HELD
            )
            .order_by(IntakeConversation.starts_at)
        )
    )


def belongs_to_lead(registration: Registration) -> bool:
    """Privacy keep hook: a registration a lead gathered stays until the lead is dealt with."""
    return (
        db.session.scalar(
            select(LeadRegistration.id).where(LeadRegistration.registration_id == registration.id)
        )
        is not None
    )


def export_lead(email: str) -> dict:
    """Privacy export hook: the person's lead, its notes and intake conversations, if any."""
    lead = db.session.scalar(select(Lead).where(Lead.email == email))
    if lead is None:
        return {}
    fields = (
        "first_name", "last_name", "email", "phone", "postcode", "municipality", "province",
        "childcare_type", "planned_places", "planned_start", "legal_form", "enterprise_number",
        "statute", "status", "message", "created_at", "intake_requested_at",
    )  # fmt: skip
    conversations = db.session.scalars(
        select(IntakeConversation).where(IntakeConversation.lead_id == lead.id)
    )
    return {
        "lead": {
            **{name: _exported(getattr(lead, name)) for name in fields},
            "notes": [{"at": note.created_at.isoformat(), "text": note.body} for note in lead.notes],
            "intake_conversations": [
                {"status": c.status.value, "created_at": c.created_at.isoformat()} for c in conversations
            ],
        }
    }


def _exported(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return getattr(value, "value", value)


def erase_lead(email: str, now: datetime) -> None:
    """Privacy erase hook: the person asked to be forgotten. A lead that did not become a
    dossier is anonymised, its notes and messages blanked and its conversations cancelled; a
    converted lead stays with its dossier, which is a licence case the agency must keep (its
    own retention rules apply, see SECURITY.md)."""
    lead = db.session.scalar(select(Lead).where(Lead.email == email))
    if lead is None or lead.status == LeadStatus.CONVERTED:
        return
    lead.first_name, lead.last_name = "(gewist)", ""
    lead.email = f"gewist-lead-{lead.id}@anoniem.invalid"
    lead.phone = lead.postcode = lead.enterprise_number = None
    lead.message = ""
    lead.status, lead.status_changed_at = LeadStatus.DROPPED, now
    lead.drop_reason = str(_l("Gegevens gewist op vraag van de persoon."))
    lead.token = new_secret()  # every link to it stops working
    for note in lead.notes:
        note.body = "(gewist)"
    for conversation in db.session.scalars(
        select(IntakeConversation).where(
            IntakeConversation.lead_id == lead.id, IntakeConversation.status == ConversationStatus.BOOKED
        )
    ):
        conversation.status, conversation.slot_id = ConversationStatus.CANCELLED, None


def my_leads_widget(user: User):
    """Dashboard: the user's call-backs (staff) — overdue ones first."""
    if user.role not in (Role.STAFF, Role.ADMIN, Role.EXPERT):
        return None
    due = callbacks(user)
    new_count = db.session.scalar(select(func.count()).select_from(Lead).where(Lead.status == S.NEW))
    if not due and not new_count:
        return None
    return {
        "title": _l("Leads"),
        "template": "dossiers/leads/_widget.html",
        "callbacks": due,
        "new_count": new_count,
        "today": _today(),
    }
