"""Follow-up mailings: one mail to a segment of one or more sessions' registrants, the people it
went to, and the addresses that asked for no more news."""

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import TimestampMixin, UTCDateTime, str_enum, utcnow
from app.extensions import db
from sessions.models import InfoSession


class Segment(enum.StrEnum):
    ATTENDEES = "attendees"
    NO_SHOWS = "no_shows"
    WAITLISTED = "waitlisted_never_seated"
    CANCELLED = "cancelled"

    @property
    def is_news(self) -> bool:
        """Whether the mailing is news rather than about a session the person booked.

        Thanks and materials to those who came are about the session they booked. Inviting
        no-shows, the waiting list or those who cancelled to *other* dates is news about later
        sessions: it goes only to people who asked for news (Registration.news_opt_in) and never
        to an unsubscribed address, and it carries one-click unsubscribe (RFC 8058).
        """
        return self != Segment.ATTENDEES

    @property
    def needs_completed_session(self) -> bool:
        """Who came and who did not is known only once the session's check-in is closed."""
        return self in (Segment.ATTENDEES, Segment.NO_SHOWS)


class MailingStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"


mailing_sessions = Table(
    "mailing_sessions",
    db.metadata,
    Column("mailing_id", ForeignKey("mailings.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", ForeignKey("info_sessions.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Mailing(TimestampMixin, db.Model):
    __tablename__ = "mailings"
    __table_args__ = (Index("ix_mailings_status_scheduled_at", "status", "scheduled_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The session it was made for; `sessions` holds it and any others of the same topic.
    session_id: Mapped[int] = mapped_column(ForeignKey("info_sessions.id", ondelete="CASCADE"), index=True)
    segment: Mapped[Segment] = mapped_column(str_enum(Segment))
    status: Mapped[MailingStatus] = mapped_column(str_enum(MailingStatus, 20), default=MailingStatus.DRAFT)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Filters on the interest profile; None means "everyone".
    childcare_type: Mapped[str | None] = mapped_column(String(30))
    province: Mapped[str | None] = mapped_column(String(30))
    planned_start_from: Mapped[date | None]
    planned_start_until: Mapped[date | None]
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Prepared in advance: goes out at `scheduled_at`, but only once every session is completed.
    automatic: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How many people the mailing was going to when sending started: the progress bar's 100%.
    planned_count: Mapped[int | None]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[InfoSession] = relationship()
    sessions: Mapped[list[InfoSession]] = relationship(
        secondary=mailing_sessions, order_by=InfoSession.starts_at
    )

    def __repr__(self) -> str:
        return f"<Mailing {self.id} {self.segment} {self.status}>"


class MailingRecipient(db.Model):
    """One address a mailing went to. Unique per mailing: a second click or a rerun of the worker
    adds nobody twice. Its delivery state is the outbox row's (same `outbox_key`)."""

    __tablename__ = "mailing_recipients"
    __table_args__ = (UniqueConstraint("mailing_id", "email", name="uq_mailing_recipients_mailing_id_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailings.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(201), default="")
    outbox_key: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Unsubscribe(db.Model):
    """An address that wants no more news (honoured from the moment it is written)."""

    __tablename__ = "mailing_unsubscribes"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mailing_id: Mapped[int | None] = mapped_column(ForeignKey("mailings.id", ondelete="SET NULL"))
