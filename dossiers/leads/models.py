"""Leads (one per person who may go on to a dossier), the rules that make them, and the intake
conversations (kennismakingsgesprekken) with their time slots and outcome."""

import enum
import secrets
import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db
from registrations.models import ChildcareType, LegalForm, Registration, Statute
from sessions.models import Venue


class LeadStatus(enum.StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    INTAKE_PLANNED = "intake_planned"
    CONVERTED = "converted"
    DROPPED = "dropped"


class LeadTrigger(enum.StrEnum):
    REGISTRATION = "registration"  # the e-mail address of a registration is confirmed
    ATTENDANCE = "attendance"  # the person came to the session
    INTAKE_REQUEST = "intake_request"  # the person asked for an intake conversation


def new_secret() -> str:
    return secrets.token_urlsafe(18)


class Lead(TimestampMixin, db.Model):
    """One person (matched on their normalised e-mail address) who may start a childcare setting.

    The profile is the most recent one the person gave (registration form, intake request).
    """

    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_status_created_at", "status", "created_at"),
        Index("ix_leads_owner_id_callback_on", "owner_id", "callback_on"),
        # The inbox: new leads, then the rest, each by latest change (services.inbox.NewFirst).
        Index("ix_leads_status_changed", "status", "status_changed_at", "id"),
        Index("ix_leads_changed", "status_changed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One person, one lead: concurrent triggers for the same address meet on this constraint.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Random and secret: the signed links to pick an intake slot carry it, never the id.
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_secret)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    postcode: Mapped[str | None] = mapped_column(String(4))
    municipality: Mapped[str | None] = mapped_column(String(120))
    province: Mapped[str | None] = mapped_column(String(30), index=True)
    childcare_type: Mapped[ChildcareType] = mapped_column(
        str_enum(ChildcareType), default=ChildcareType.ONBEKEND, index=True
    )
    planned_places: Mapped[int | None]
    planned_start: Mapped[date | None]  # first day of the planned month
    legal_form: Mapped[LegalForm] = mapped_column(str_enum(LegalForm), default=LegalForm.NOG_NIET_BEPAALD)
    enterprise_number: Mapped[str | None] = mapped_column(String(12))  # 0123.456.789
    statute: Mapped[Statute] = mapped_column(str_enum(Statute), default=Statute.NOG_NIET_BEPAALD)

    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus), default=LeadStatus.NEW)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    drop_reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[LeadTrigger] = mapped_column(str_enum(LeadTrigger))  # what made the lead
    intake_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message: Mapped[str] = mapped_column(Text, default="")  # from the intake request form
    # The privacy notice the person accepted on the intake request form, and when.
    privacy_version: Mapped[str | None] = mapped_column(String(20))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the person gave the answers the profile holds: older answers never overwrite newer.
    profile_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    callback_on: Mapped[date | None]
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User | None] = relationship(lazy="joined")
    links: Mapped[list["LeadRegistration"]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadRegistration.id"
    )
    notes: Mapped[list["LeadNote"]] = relationship(
        back_populates="lead", cascade="all, delete-orphan", order_by="LeadNote.id.desc()"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def __repr__(self) -> str:
        return f"<Lead {self.id} {self.email} {self.status}>"


class LeadRegistration(db.Model):
    """A registration gathered by a lead. A registration belongs to at most one lead."""

    __tablename__ = "lead_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    # The rule that gathered it (None: gathered because the person already was a lead).
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("lead_rules.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="links")
    registration: Mapped[Registration] = relationship(lazy="joined", innerjoin=True)


class LeadRule(TimestampMixin, db.Model):
    """When to make a lead: a trigger, and filters on the interest profile (empty = any)."""

    __tablename__ = "lead_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    trigger: Mapped[LeadTrigger] = mapped_column(str_enum(LeadTrigger))
    active: Mapped[bool] = mapped_column(default=True)
    childcare_types: Mapped[list] = mapped_column(JSON, default=list)
    provinces: Mapped[list] = mapped_column(JSON, default=list)
    legal_forms: Mapped[list] = mapped_column(JSON, default=list)
    # Planned start at most this many months ahead (a start in the past counts too).
    start_within_months: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<LeadRule {self.id} {self.trigger}>"


class NoteKind(enum.StrEnum):
    NOTE = "note"  # written by staff
    EVENT = "event"  # written by the app: a status change, an intake booked


class LeadNote(db.Model):
    __tablename__ = "lead_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[NoteKind] = mapped_column(str_enum(NoteKind, 10), default=NoteKind.NOTE)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lead: Mapped[Lead] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship(lazy="joined")


class SlotMode(enum.StrEnum):
    ON_SITE = "on_site"
    ONLINE = "online"


class IntakeSlot(TimestampMixin, db.Model):
    """A time a staff member offers for one intake conversation."""

    __tablename__ = "intake_slots"
    __table_args__ = (Index("ix_intake_slots_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[SlotMode] = mapped_column(str_enum(SlotMode, 10))
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    address: Mapped[str | None] = mapped_column(String(300))  # when not at one of our venues
    meeting_url: Mapped[str | None] = mapped_column(String(500))  # only for the booked lead
    staff_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    venue: Mapped[Venue | None] = relationship(lazy="joined")
    staff: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    conversation: Mapped["IntakeConversation | None"] = relationship(
        back_populates="slot", uselist=False, lazy="joined"
    )

    @property
    def place(self) -> str:
        if self.mode == SlotMode.ONLINE:
            return ""
        if self.venue is not None:
            return f"{self.venue.name}, {self.venue.address}"
        return self.address or ""

    def __repr__(self) -> str:
        return f"<IntakeSlot {self.id} {self.starts_at:%Y-%m-%d %H:%M}>"


class ConversationStatus(enum.StrEnum):
    BOOKED = "booked"
    HELD = "held"  # the outcome is recorded
    CANCELLED = "cancelled"


class Assessment(enum.StrEnum):
    """The expert's view on the candidate's beleidsvoerend vermogen."""

    SUFFICIENT = "sufficient"
    DOUBTFUL = "doubtful"
    INSUFFICIENT = "insufficient"


class Guidance(enum.StrEnum):
    """What follows for the begeleidingstraject."""

    NOT_NEEDED = "not_needed"
    RECOMMENDED = "recommended"
    REQUIRED = "required"


class IntakeConversation(TimestampMixin, db.Model):
    """A lead's booking of a slot, kept after a cancellation (the slot is then freed) and
    carrying the outcome once the conversation took place."""

    __tablename__ = "intake_conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    # UNIQUE: one booking per slot, whatever the timing; NULL once cancelled, which frees it.
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("intake_slots.id", ondelete="SET NULL"), unique=True
    )
    status: Mapped[ConversationStatus] = mapped_column(
        str_enum(ConversationStatus, 20), default=ConversationStatus.BOOKED
    )
    # The invitation's identity: the UID stays, SEQUENCE goes up on every move (RFC 5546).
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: uuid.uuid4().hex)
    sequence: Mapped[int] = mapped_column(default=0)
    # Copied from the slot, so a cancelled or past conversation still says when and with whom.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assessment: Mapped[Assessment | None] = mapped_column(str_enum(Assessment, 20))
    guidance: Mapped[Guidance | None] = mapped_column(str_enum(Guidance, 20))
    exemption_intake: Mapped[bool] = mapped_column(default=False)
    exemption_guidance: Mapped[bool] = mapped_column(default=False)
    outcome_notes: Mapped[str] = mapped_column(Text, default="")
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lead: Mapped[Lead] = relationship(lazy="joined", innerjoin=True)
    slot: Mapped[IntakeSlot | None] = relationship(back_populates="conversation")
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id], lazy="joined")
    outcome_by: Mapped[User | None] = relationship(foreign_keys=[outcome_by_id])

    def __repr__(self) -> str:
        return f"<IntakeConversation {self.id} lead={self.lead_id} {self.status}>"
