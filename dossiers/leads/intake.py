"""Intake conversations: the slots staff publish, a lead's booking through a signed link
(book, move, cancel), and the outcome staff record afterwards.

One booking per slot is a rule of the database (UNIQUE intake_conversations.slot_id); the
services also take the write lock first (SQLite) or lock the slot row (PostgreSQL) and read
the slot's state after it, so two people clicking the same time at once get one booking and
one friendly refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.database import atomic, begin_write
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from dossiers.leads import links, mails
from dossiers.leads import services as leads
from dossiers.leads.models import (
    Assessment,
    ConversationStatus,
    Guidance,
    IntakeConversation,
    IntakeSlot,
    Lead,
    LeadStatus,
    SlotMode,
)
from sessions.models import Venue

C = ConversationStatus
MAX_MINUTES = 240


@dataclass
class SlotData:
    starts_at: datetime
    ends_at: datetime
    mode: SlotMode
    staff_id: int
    venue_id: int | None = None
    address: str | None = None
    meeting_url: str | None = None


# --------------------------------------------------------------------------- slots (staff)


@atomic
def create_slot(data: SlotData, now: datetime | None = None) -> IntakeSlot:
    """Publish a time for one intake conversation. Raises DomainError for a slot in the past,
    one that ends before it starts or lasts over 4 hours, a place missing for an on-site slot,
    a link missing for an online one, or a staff member who already has a slot then."""
    now = now or utcnow()
    if data.starts_at <= now:
        raise DomainError(_l("Kies een moment in de toekomst."), field="day")
    minutes = (data.ends_at - data.starts_at).total_seconds() / 60
    if not 0 < minutes <= MAX_MINUTES:
        raise DomainError(_l("Een gesprek duurt tussen 1 minuut en 4 uur."), field="minutes")
    staff = db.session.get(User, data.staff_id)
    if staff is None or not staff.active:
        raise DomainError(_l("Kies een actieve medewerker."), field="staff_id")
    address = (data.address or "").strip() or None
    url = (data.meeting_url or "").strip() or None
    venue = None
    if data.mode == SlotMode.ON_SITE:
        if data.venue_id:
            venue = db.session.get(Venue, data.venue_id)
            if venue is None:
                raise DomainError(_l("Deze locatie bestaat niet."), field="venue_id")
        elif not address:
            raise DomainError(_l("Kies een locatie of vul een adres in."), field="address")
        url = None
    else:
        if not url or not url.startswith("https://"):
            raise DomainError(_l("Geef een vergaderlink die met https:// begint."), field="meeting_url")
        address = None
    begin_write()
    clash = db.session.scalar(
        select(IntakeSlot.id).where(
            IntakeSlot.staff_id == staff.id,
            IntakeSlot.starts_at < data.ends_at,
            IntakeSlot.ends_at > data.starts_at,
        )
    )
    if clash is not None:
        raise DomainError(_l("Deze medewerker heeft dan al een gespreksmoment."), field="day")
    slot = IntakeSlot(
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        mode=data.mode,
        venue_id=venue.id if venue else None,
        address=address,
        meeting_url=url,
        staff_id=staff.id,
    )
    db.session.add(slot)
    db.session.commit()
    return slot


@atomic
def delete_slot(slot_id: int) -> None:
    """Take a free slot back. Raises DomainError when someone booked it (cancel that first)."""
    begin_write()
    slot = _slot(slot_id, lock=True)
    if slot.conversation is not None:
        raise DomainError(_l("Iemand koos dit moment al: annuleer eerst dat gesprek."))
    db.session.delete(slot)
    db.session.commit()


def list_slots(*, upcoming: bool = True, now: datetime | None = None) -> list[IntakeSlot]:
    now = now or utcnow()
    query = select(IntakeSlot)
    query = query.where(IntakeSlot.ends_at >= now) if upcoming else query.where(IntakeSlot.ends_at < now)
    order = IntakeSlot.starts_at if upcoming else IntakeSlot.starts_at.desc()
    return list(db.session.scalars(query.order_by(order).limit(200)).unique())


def free_slots(now: datetime | None = None) -> list[IntakeSlot]:
    """Slots a lead can still pick: in the future and not booked."""
    now = now or utcnow()
    booked = select(IntakeConversation.slot_id).where(IntakeConversation.slot_id.is_not(None))
    return list(
        db.session.scalars(
            select(IntakeSlot)
            .where(IntakeSlot.starts_at > now, IntakeSlot.id.not_in(booked))
            .order_by(IntakeSlot.starts_at)
        ).unique()
    )


def _slot(slot_id: int, *, lock: bool = False) -> IntakeSlot:
    query = select(IntakeSlot).where(IntakeSlot.id == slot_id).execution_options(populate_existing=True)
    if lock:
        query = query.with_for_update(of=IntakeSlot)
    slot = db.session.scalars(query).unique().one_or_none()
    if slot is None:
        raise NotFound(_l("Dit gespreksmoment bestaat niet (meer)."))
    return slot


# --------------------------------------------------------------------------- the lead's link


def get_lead_by_link(signed: str) -> Lead:
    """The lead a signed pick link points to; raises NotFound for a forged or expired link."""
    try:
        token = links.read_token(signed)
    except links.LinkExpired as error:
        raise NotFound(_l("Deze link is verlopen. Vraag ons gerust een nieuwe.")) from error
    except links.LinkInvalid as error:
        raise NotFound(_l("Deze link klopt niet.")) from error
    lead = db.session.scalar(select(Lead).where(Lead.token == token))
    if lead is None:
        raise NotFound(_l("Deze link is niet meer geldig."))
    return lead


def active_booking(lead: Lead) -> IntakeConversation | None:
    return db.session.scalar(
        select(IntakeConversation).where(
            IntakeConversation.lead_id == lead.id, IntakeConversation.status == C.BOOKED
        )
    )


@atomic
def send_pick_link(lead: Lead, by_user: User, now: datetime | None = None) -> None:
    """Staff click "stuur link": the lead gets a mail with the signed link to pick a slot. At
    most one such mail a minute (a double click sends one)."""
    begin_write()
    now = now or utcnow()
    if lead.status in (LeadStatus.DROPPED, LeadStatus.CONVERTED):
        raise DomainError(_l("Deze lead is afgesloten: er gaat geen link meer naartoe."))
    mails.send_pick_link(lead, f"lead:{lead.id}:pick-link:{now:%Y%m%d%H%M}")
    leads.log_event(lead, str(_l("Link om een gesprek te kiezen gemaild.")), by_user)
    db.session.commit()


def _lock_slot_for_booking(slot_id: int, now: datetime, keep: IntakeConversation | None = None) -> IntakeSlot:
    """Under the write lock: the slot, checked to be free and in the future."""
    slot = _slot(slot_id, lock=True)
    if slot.starts_at <= now:
        raise DomainError(_l("Dit moment is voorbij. Kies een ander."), field="slot_id")
    taken = db.session.scalar(select(IntakeConversation.id).where(IntakeConversation.slot_id == slot.id))
    if taken is not None and (keep is None or taken != keep.id):
        raise DomainError(_l("Iemand anders koos dit moment net. Kies een ander."), field="slot_id")
    return slot


def _refused_on_race(error: IntegrityError):
    db.session.rollback()
    return DomainError(_l("Iemand anders koos dit moment net. Kies een ander."), field="slot_id")


@atomic
def book(lead: Lead, slot_id: int, now: datetime | None = None) -> IntakeConversation:
    """The lead picks a free slot (or moves their booking to it). The lead moves to "intake
    planned"; the lead and the staff member get an invitation. Raises DomainError when the
    slot is taken or past, or the lead was dropped."""
    now = now or utcnow()
    begin_write()
    lead = db.session.get(Lead, lead.id, populate_existing=True)
    if lead.status == LeadStatus.DROPPED:
        raise DomainError(_l("Neem contact met ons op om een gesprek te plannen."))
    current = active_booking(lead)
    if current is not None:
        return _move_booking(current, slot_id, now)
    slot = _lock_slot_for_booking(slot_id, now)
    conversation = IntakeConversation(
        lead=lead,
        slot=slot,
        status=C.BOOKED,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        staff_id=slot.staff_id,
    )
    db.session.add(conversation)
    try:
        db.session.flush()
    except IntegrityError as error:  # only when the lock was bypassed: never two bookings
        raise _refused_on_race(error) from error
    leads.move_for_intake(lead, LeadStatus.INTAKE_PLANNED, now)
    leads.log_event(lead, str(_l("Kennismakingsgesprek gekozen.")))
    mails.send_to_both("booked", conversation)
    db.session.commit()
    return conversation


def _move_booking(conversation: IntakeConversation, slot_id: int, now: datetime) -> IntakeConversation:
    if conversation.slot_id == slot_id:
        return conversation
    slot = _lock_slot_for_booking(slot_id, now, keep=conversation)
    old_staff = conversation.staff
    conversation.sequence += 1
    if old_staff is not None and old_staff.id != slot.staff_id:
        # The former staff member's calendar drops the appointment.
        mails.send_one(
            "staff_cancelled",
            old_staff.email,
            conversation.lead,
            f"intake:{conversation.id}:{conversation.sequence}:moved-away:{old_staff.id}",
            conversation,
        )
    conversation.slot_id = None
    db.session.flush()  # free the old slot before taking the new one (UNIQUE slot_id)
    conversation.slot = slot
    conversation.starts_at, conversation.ends_at, conversation.staff_id = (
        slot.starts_at,
        slot.ends_at,
        slot.staff_id,
    )
    try:
        db.session.flush()
    except IntegrityError as error:
        raise _refused_on_race(error) from error
    db.session.refresh(conversation)
    leads.log_event(conversation.lead, str(_l("Kennismakingsgesprek verplaatst.")))
    mails.send_to_both("moved", conversation)
    db.session.commit()
    return conversation


@atomic
def cancel_booking(conversation: IntakeConversation, now: datetime | None = None) -> IntakeConversation:
    """Cancel a booked conversation: the slot is free again, both get a cancellation, and the
    lead goes back to "contacted". Cancelling twice changes nothing."""
    now = now or utcnow()
    begin_write()
    conversation = db.session.get(IntakeConversation, conversation.id, populate_existing=True)
    if conversation.status != C.BOOKED:
        return conversation
    conversation.sequence += 1
    mails.send_to_both("cancelled", conversation)
    conversation.status, conversation.cancelled_at, conversation.slot_id = C.CANCELLED, now, None
    leads.move_for_intake(conversation.lead, LeadStatus.CONTACTED, now)
    leads.log_event(conversation.lead, str(_l("Kennismakingsgesprek geannuleerd.")))
    db.session.commit()
    return conversation


# --------------------------------------------------------------------------- outcome


@dataclass
class OutcomeData:
    assessment: Assessment
    guidance: Guidance
    exemption_intake: bool = False
    exemption_guidance: bool = False
    notes: str = ""


def get_conversation(conversation_id: int) -> IntakeConversation:
    conversation = db.session.get(IntakeConversation, conversation_id)
    if conversation is None:
        raise NotFound(_l("Dit gesprek bestaat niet."))
    return conversation


def conversations_of(lead: Lead) -> list[IntakeConversation]:
    return list(
        db.session.scalars(
            select(IntakeConversation)
            .where(IntakeConversation.lead_id == lead.id)
            .order_by(IntakeConversation.starts_at.desc())
        )
    )


@atomic
def record_outcome(
    conversation: IntakeConversation, data: OutcomeData, by_user: User, now: datetime | None = None
) -> IntakeConversation:
    """After the conversation: the expert's view of the candidate's beleidsvoerend vermogen,
    the guidance track and any exemption. Can be corrected later. Raises DomainError for a
    cancelled conversation, one that has not started yet, or notes over 5000 characters."""
    begin_write()
    now = now or utcnow()
    if conversation.status == C.CANCELLED:
        raise DomainError(_l("Dit gesprek is geannuleerd."))
    if conversation.starts_at > now:
        raise DomainError(_l("Het gesprek heeft nog niet plaatsgevonden."))
    notes = (data.notes or "").strip()
    if len(notes) > 5000:
        raise DomainError(_l("Hoogstens 5000 tekens."), field="notes")
    if data.guidance == Guidance.REQUIRED and data.exemption_guidance:
        raise DomainError(
            _l("Een verplicht begeleidingstraject en een vrijstelling ervan gaan niet samen."),
            field="exemption_guidance",
        )
    conversation.assessment = Assessment(data.assessment)
    conversation.guidance = Guidance(data.guidance)
    conversation.exemption_intake = bool(data.exemption_intake)
    conversation.exemption_guidance = bool(data.exemption_guidance)
    conversation.outcome_notes = notes
    conversation.outcome_by_id, conversation.outcome_at = by_user.id, now
    conversation.status = C.HELD
    leads.log_event(conversation.lead, str(_l("Uitkomst van het kennismakingsgesprek genoteerd.")), by_user)
    db.session.commit()
    return conversation
