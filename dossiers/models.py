"""Intake dossiers: the dossier, its checklist, documents, arguments and complaints.

The rules about them live elsewhere, each in one place: the transition table in
`dossiers.workflow`, the catalogue of checklist elements in `dossiers.checklist`, everything
that writes in `dossiers.services`.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import audit  # noqa: F401 - registers the audit table with the metadata
from app.auth.models import User
from app.db import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.labels import choices, label  # noqa: F401 - the one helper; callers write labels.choices(...)
from dossiers.leads.models import Lead
from registrations.models import ChildcareType, LegalForm, Statute


class DossierState(enum.StrEnum):
    """The codes are stable: the export carries them to the agency's case system."""

    INTAKE = "intake"
    DOCUMENTS = "documents"
    COMPLETENESS_CHECK = "completeness_check"
    ANALYSIS = "analysis"
    DECISION_PROPOSAL = "decision_proposal"
    DECISION = "decision"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"
    ON_HOLD = "on_hold"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        return self not in (DossierState.CLOSED, DossierState.WITHDRAWN)


class OrganiserKind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class ItemStatus(enum.StrEnum):
    MISSING = "missing"
    RECEIVED = "received"
    APPROVED = "approved"
    REJECTED = "rejected"


class ProposalOutcome(enum.StrEnum):
    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"


class ArgumentSide(enum.StrEnum):
    FOR = "for"
    AGAINST = "against"


class ComplaintKind(enum.StrEnum):
    COMPLAINT = "complaint"
    APPEAL = "appeal"


class ComplaintChannel(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    LETTER = "letter"
    DESK = "desk"
    WEBFORM = "webform"


def new_token() -> str:
    return secrets.token_urlsafe(18)


class DossierCounter(db.Model):
    """The last reference number handed out per year; its row is locked while a dossier is made."""

    __tablename__ = "dossier_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Dossier(TimestampMixin, db.Model):
    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_state", "state"),
        Index("ix_dossiers_enterprise_postcode", "enterprise_number", "postcode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)  # KO-2027-00042
    # Random and secret: the organiser's signed link carries it, never the id or the reference.
    token: Mapped[str] = mapped_column(String(32), default=new_token, unique=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[DossierState] = mapped_column(str_enum(DossierState), default=DossierState.INTAKE)
    held_from: Mapped[DossierState | None] = mapped_column(str_enum(DossierState))
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organiser_kind: Mapped[OrganiserKind] = mapped_column(str_enum(OrganiserKind))
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    legal_form: Mapped[LegalForm] = mapped_column(str_enum(LegalForm), default=LegalForm.NOG_NIET_BEPAALD)
    enterprise_number: Mapped[str | None] = mapped_column(String(12))  # 0123.456.789
    statute: Mapped[Statute] = mapped_column(str_enum(Statute), default=Statute.NOG_NIET_BEPAALD)
    is_21_or_older: Mapped[bool | None]

    childcare_type: Mapped[ChildcareType] = mapped_column(str_enum(ChildcareType))
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(4))
    municipality: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(30))
    planned_places: Mapped[int | None]
    planned_start: Mapped[date | None]

    analysis: Mapped[str] = mapped_column(Text, default="")
    proposal_outcome: Mapped[ProposalOutcome | None] = mapped_column(str_enum(ProposalOutcome))
    proposal_text: Mapped[str] = mapped_column(Text, default="")

    owner: Mapped[User | None] = relationship(lazy="joined")
    lead: Mapped[Lead | None] = relationship()
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="dossier", order_by="ChecklistItem.position", cascade="all, delete-orphan"
    )
    documents: Mapped[list[DossierDocument]] = relationship(
        back_populates="dossier", order_by="DossierDocument.id.desc()", cascade="all, delete-orphan"
    )
    arguments: Mapped[list[DossierArgument]] = relationship(
        order_by="DossierArgument.id", cascade="all, delete-orphan"
    )
    complaints: Mapped[list[Complaint]] = relationship(
        order_by="Complaint.received_on.desc(), Complaint.id.desc()", cascade="all, delete-orphan"
    )

    @property
    def organiser_name(self) -> str:
        person = f"{self.first_name} {self.last_name}".strip()
        if self.organiser_kind == OrganiserKind.ORGANISATION and self.organisation_name:
            return self.organisation_name
        return person

    @property
    def contact_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __repr__(self) -> str:
        return f"<Dossier {self.reference} {self.state}>"


class ChecklistElement(db.Model):
    """One element of the catalogue (DOMAIN.md's table); admins edit names, scope and flags."""

    __tablename__ = "checklist_elements"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stable, exported
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Comma-separated ChildcareType codes this element applies to.
    childcare_types: Mapped[str] = mapped_column(String(100))
    required: Mapped[bool] = mapped_column(default=True)
    # Checked by staff and recorded as such; the document itself is never stored.
    record_only: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    @property
    def types(self) -> set[str]:
        return {code for code in self.childcare_types.split(",") if code}

    def applies_to(self, childcare_type: ChildcareType | str) -> bool:
        return getattr(childcare_type, "value", childcare_type) in self.types


class ChecklistItem(db.Model):
    __tablename__ = "checklist_items"
    __table_args__ = (
        UniqueConstraint("dossier_id", "element_id", name="uq_checklist_items_dossier_element"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    element_id: Mapped[int] = mapped_column(ForeignKey("checklist_elements.id"))
    position: Mapped[int] = mapped_column(default=0)
    # Copied from the element when the dossier is made: a later catalogue edit does not
    # change what was asked of a dossier under way.
    required: Mapped[bool] = mapped_column(default=True)
    status: Mapped[ItemStatus] = mapped_column(str_enum(ItemStatus), default=ItemStatus.MISSING)
    comment: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None]
    # The due date a reminder was last sent for: one reminder per item and due date.
    reminded_for: Mapped[date | None]
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_by_organiser: Mapped[bool] = mapped_column(default=False)

    dossier: Mapped[Dossier] = relationship(back_populates="items")
    element: Mapped[ChecklistElement] = relationship(lazy="joined", innerjoin=True)
    changed_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def is_open(self) -> bool:
        """Still waiting on the organiser (nothing, or something we refused)."""
        return self.status in (ItemStatus.MISSING, ItemStatus.REJECTED)

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


class DossierDocument(db.Model):
    __tablename__ = "dossier_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id", ondelete="SET NULL"))
    storage_key: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_organiser: Mapped[bool] = mapped_column(default=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    item: Mapped[ChecklistItem | None] = relationship()


class DossierArgument(db.Model):
    """One argument for or against a favourable decision, as the analyst wrote it."""

    __tablename__ = "dossier_arguments"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    side: Mapped[ArgumentSide] = mapped_column(str_enum(ArgumentSide, 10))
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="joined")


class Complaint(db.Model):
    __tablename__ = "dossier_complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ComplaintKind] = mapped_column(str_enum(ComplaintKind, 20))
    received_on: Mapped[date]
    channel: Mapped[ComplaintChannel] = mapped_column(str_enum(ComplaintChannel, 20))
    summary: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --------------------------------------------------------------------------- Dutch words for the codes

ORGANISER_KINDS = {
    OrganiserKind.PERSON: _l("een natuurlijke persoon"),
    OrganiserKind.ORGANISATION: _l("een organisatie"),
}
DOSSIER_TYPE_LABELS = {
    ChildcareType.GEZINSOPVANG: _l("gezinsopvang"),
    ChildcareType.GROEPSOPVANG: _l("groepsopvang"),
    ChildcareType.BSO: _l("buitenschoolse opvang"),
}
ARGUMENT_SIDES = {ArgumentSide.FOR: _l("voor"), ArgumentSide.AGAINST: _l("tegen")}
PROPOSAL_OUTCOMES = {ProposalOutcome.FAVOURABLE: _l("gunstig"), ProposalOutcome.UNFAVOURABLE: _l("ongunstig")}
COMPLAINT_KINDS = {ComplaintKind.COMPLAINT: _l("klacht"), ComplaintKind.APPEAL: _l("beroep")}
COMPLAINT_CHANNELS = {
    ComplaintChannel.EMAIL: _l("e-mail"),
    ComplaintChannel.PHONE: _l("telefoon"),
    ComplaintChannel.LETTER: _l("brief"),
    ComplaintChannel.DESK: _l("aan het loket"),
    ComplaintChannel.WEBFORM: _l("webformulier"),
}
