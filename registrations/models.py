import enum
import secrets
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import TimestampMixin, UTCDateTime, str_enum
from app.extensions import db
from sessions.models import AttendMode, InfoSession


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"  # seat held until the e-mail address is confirmed
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # never confirmed: the held seat went back
    ATTENDED = "attended"
    NO_SHOW = "no_show"

    @property
    def holds_seat(self) -> bool:
        return self in (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)

    @property
    def is_active(self) -> bool:
        return self in (
            RegistrationStatus.PENDING,
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITLISTED,
        )


class ChildcareType(enum.StrEnum):
    GEZINSOPVANG = "gezinsopvang"
    GROEPSOPVANG = "groepsopvang"
    BSO = "bso"
    ONBEKEND = "onbekend"


class LegalForm(enum.StrEnum):
    EENMANSZAAK = "eenmanszaak"
    BV = "bv"
    VOF = "vof"
    COMMV = "commv"
    MAATSCHAP = "maatschap"
    VZW = "vzw"
    FEITELIJKE_VERENIGING = "feitelijke_vereniging"
    NOG_NIET_BEPAALD = "nog_niet_bepaald"


class Statute(enum.StrEnum):
    ZELFSTANDIGE = "zelfstandige"
    ONTHAALOUDER_SUI_GENERIS = "onthaalouder_sui_generis"
    ONTHAALOUDER_WERKNEMER = "onthaalouder_werknemer"
    WERKNEMER_ORGANISATOR = "werknemer_organisator"
    NOG_NIET_BEPAALD = "nog_niet_bepaald"


class Experience(enum.StrEnum):
    GEEN = "geen"
    MINDER_DAN_2_JAAR = "minder_dan_2_jaar"
    TWEE_TOT_5_JAAR = "2_tot_5_jaar"
    MEER_DAN_5_JAAR = "meer_dan_5_jaar"


class Qualification(enum.StrEnum):
    JA = "ja"
    IN_OPLEIDING = "in_opleiding"
    NEE = "nee"


class LocationStatus(enum.StrEnum):
    GEVONDEN = "gevonden"
    OP_ZOEK = "op_zoek"
    NOG_NIET = "nog_niet"


class RegistrationSource(enum.StrEnum):
    ONLINE = "online"
    STAFF = "staff"
    WALK_IN = "walk_in"


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Registration(TimestampMixin, db.Model):
    """One person's place (or place in line) for one session, with their interest profile."""

    __tablename__ = "registrations"
    __table_args__ = (
        # One registration per address per session: a double click or a resubmitted form can
        # never make two, whatever the timing.
        UniqueConstraint("session_id", "email", name="uq_registrations_session_email"),
        # A session's registrations by status; the waiting list also by when each joined (its
        # order, and the lapsed places every registration for a full session looks for).
        Index("ix_registrations_session_status_waitlisted", "session_id", "status", "waitlisted_at"),
        Index("ix_registrations_status_hold", "status", "hold_expires_at"),
        Index("ix_registrations_email", "email"),
        Index("ix_registrations_companion_of_id", "companion_of_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("info_sessions.id", ondelete="CASCADE"))
    # Random and secret: signed links carry it, so a link stops working once it is rotated.
    token: Mapped[str] = mapped_column(String(32), default=new_token, unique=True)
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus))
    source: Mapped[RegistrationSource] = mapped_column(
        str_enum(RegistrationSource), default=RegistrationSource.ONLINE
    )

    # How they attend: chosen on a hybrid session, otherwise what the session is (see
    # InfoSession.attend_mode); their seat or waiting-list place is counted in that pool.
    attends: Mapped[AttendMode] = mapped_column(
        str_enum(AttendMode, 20), default=AttendMode.ON_SITE, server_default=AttendMode.ON_SITE.value
    )

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # None only for a companion registered without an address: the registrant manages them.
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    postcode: Mapped[str | None] = mapped_column(String(4))
    municipality: Mapped[str | None] = mapped_column(String(120))
    province: Mapped[str | None] = mapped_column(String(30))

    childcare_type: Mapped[ChildcareType] = mapped_column(
        str_enum(ChildcareType), default=ChildcareType.ONBEKEND
    )
    planned_places: Mapped[int | None]
    planned_start: Mapped[date | None]  # first day of the planned month
    legal_form: Mapped[LegalForm] = mapped_column(str_enum(LegalForm), default=LegalForm.NOG_NIET_BEPAALD)
    enterprise_number: Mapped[str | None] = mapped_column(String(12))  # 0123.456.789
    statute: Mapped[Statute] = mapped_column(str_enum(Statute), default=Statute.NOG_NIET_BEPAALD)
    experience: Mapped[Experience | None] = mapped_column(str_enum(Experience))
    qualification: Mapped[Qualification | None] = mapped_column(str_enum(Qualification))
    is_21_or_older: Mapped[bool | None]
    location: Mapped[LocationStatus | None] = mapped_column(str_enum(LocationStatus))
    questions: Mapped[str] = mapped_column(Text, default="")
    # Answers to the questions the team defined (registrations.questions): a list of
    # {"key", "label", "kind", "value", "text"}, the label and the answer's words as they were
    # asked, so that changing or deleting a question later keeps the answer readable.
    answers: Mapped[list | None] = mapped_column(JSON)

    privacy_version: Mapped[str] = mapped_column(String(20))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime)
    news_opt_in: Mapped[bool] = mapped_column(default=False)

    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The first time the registration became attended; never cleared by an undo, so that
    # `registration_attended` goes out once per registration (see registrations.attendance).
    first_attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    staff_note: Mapped[str] = mapped_column(Text, default="")

    # A companion (partner, co-founder) someone registered along with themselves: a registration
    # of its own, with its own seat, check-in and certificate; this points to the registrant.
    companion_of_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"))

    session: Mapped[InfoSession] = relationship(lazy="joined", innerjoin=True)
    companion_of: Mapped["Registration | None"] = relationship(
        remote_side="Registration.id",
        foreign_keys=[companion_of_id],
        lazy="select",
        back_populates="companions",
    )
    companions: Mapped[list["Registration"]] = relationship(
        foreign_keys=[companion_of_id],
        lazy="select",
        order_by="Registration.id",
        back_populates="companion_of",
    )

    @property
    def mode(self) -> AttendMode:
        """How they attend the session as it is now (what they chose, if it is still hybrid)."""
        return self.session.attend_mode(self.attends)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status} session={self.session_id}>"
