import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TimestampMixin, UTCDateTime, str_enum
from app.extensions import db


class SessionFormat(enum.StrEnum):
    ON_SITE = "on_site"
    ONLINE = "online"
    HYBRID = "hybrid"

    @property
    def needs_venue(self) -> bool:
        return self in (SessionFormat.ON_SITE, SessionFormat.HYBRID)

    @property
    def needs_link(self) -> bool:
        return self in (SessionFormat.ONLINE, SessionFormat.HYBRID)


class SessionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Topic(TimestampMixin, db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    default_duration_minutes: Mapped[int] = mapped_column(default=120)
    active: Mapped[bool] = mapped_column(default=True)

    agenda_blocks: Mapped[list["AgendaBlock"]] = relationship(
        back_populates="topic", order_by="AgendaBlock.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"


class AgendaBlock(db.Model):
    """One block of a topic's default agenda ("the starterstraject", 20 minutes)."""

    __tablename__ = "agenda_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(String(80))  # stable code, e.g. "welkom", "starterstraject"
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int]

    topic: Mapped[Topic] = relationship(back_populates="agenda_blocks")


class Venue(TimestampMixin, db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(4))
    municipality: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(30), index=True)
    capacity: Mapped[int]
    step_free: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.municipality}"

    def __repr__(self) -> str:
        return f"<Venue {self.name}>"


session_presenters = Table(
    "session_presenters",
    db.metadata,
    Column("session_id", ForeignKey("info_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class InfoSession(TimestampMixin, db.Model):
    __tablename__ = "info_sessions"
    __table_args__ = (
        Index("ix_info_sessions_status_starts_at", "status", "starts_at"),
        # The catalogue selects "published and not yet ended": counting its total uses this.
        Index("ix_info_sessions_status_ends_at", "status", "ends_at"),
        Index("ix_info_sessions_venue_starts_at", "venue_id", "starts_at"),
        # Sessions newest first, stopping early (the lead inbox's menu of sessions with leads).
        Index("ix_info_sessions_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: uuid.uuid4().hex)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    format: Mapped[SessionFormat] = mapped_column(str_enum(SessionFormat, 20))
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    meeting_url: Mapped[str | None] = mapped_column(String(500))  # never shown publicly
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Derived from the local (Europe/Brussels) start on every save, so catalogue filters are
    # plain indexed comparisons on every database.
    is_evening: Mapped[bool] = mapped_column(default=False)
    is_weekend: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int]
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    status: Mapped[SessionStatus] = mapped_column(str_enum(SessionStatus, 20), default=SessionStatus.DRAFT)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    # RFC 5545 SEQUENCE: raised on every change of time or place.
    sequence: Mapped[int] = mapped_column(default=0)
    # Seats held by pending and confirmed registrations, and the waiting list's length. Kept by
    # the registrations package under a lock on this row, so reading them needs no join.
    seats_taken: Mapped[int] = mapped_column(default=0)
    waitlist_count: Mapped[int] = mapped_column(default=0)
    series_id: Mapped[str | None] = mapped_column(String(32), index=True)
    reminder_offsets: Mapped[list | None] = mapped_column(JSON)  # per-session override, in hours
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)
    venue: Mapped[Venue | None] = relationship(lazy="joined")
    presenters: Mapped[list[User]] = relationship(secondary=session_presenters, order_by=User.name)

    @property
    def display_title(self) -> str:
        return self.title or self.topic.title

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<InfoSession {self.id} {self.starts_at:%Y-%m-%d %H:%M}>"
