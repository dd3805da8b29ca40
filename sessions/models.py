import enum
import functools
import uuid
from datetime import datetime, timedelta

from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    and_,
    case,
    event,
    func,
    inspect,
    not_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TimestampMixin, UTCDateTime, str_enum, utcnow
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


class AttendMode(enum.StrEnum):
    """How one person attends: in the room, or through the meeting link."""

    ON_SITE = "on_site"
    ONLINE = "online"


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
    capacity: Mapped[int]  # on a hybrid session: the seats on site
    # Hybrid sessions only: the online places (NULL: as many as come).
    online_capacity: Mapped[int | None]
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
    # Of those, the ones who attend online (a hybrid session counts them against its online places).
    online_seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    online_waitlist_count: Mapped[int] = mapped_column(default=0, server_default="0")
    series_id: Mapped[str | None] = mapped_column(String(32), index=True)
    reminder_offsets: Mapped[list | None] = mapped_column(JSON)  # per-session override, in hours
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When something the calendars and feeds show of this session last changed: `updated_at`
    # moves with the seat counters too, and a registration must not make every calendar feed
    # rebuild and every subscriber download it again. Stamped by `_stamp_details` below.
    # (The server default only fills rows that code without this column inserts: migration 0042.)
    details_changed_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, server_default="1970-01-01 00:00:00+00:00"
    )
    # Raised with it, in the database (`details_revision + 1`): the feeds' version sums it, which
    # a commit raises whatever order two edits commit in (a maximum of stamps would not).
    details_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    topic: Mapped[Topic] = relationship(lazy="joined", innerjoin=True)
    venue: Mapped[Venue | None] = relationship(lazy="joined")
    presenters: Mapped[list[User]] = relationship(secondary=session_presenters, order_by=User.name)

    @property
    def display_title(self) -> str:
        return self.title or self.topic.title

    # ----------------------------------------------------------------- the capacity rule
    # The one place that says how many seats a session has left, per way of attending. A hybrid
    # session has two pools: the seats on site (`capacity`) and the online places
    # (`online_capacity`, None: unlimited). Any other session has one pool, `capacity`, whoever
    # attends. Services change the counters only through take_seat/give_back_seat and
    # join_waitlist/leave_waitlist, with the session locked (sessions.lock_session).

    @property
    def is_hybrid(self) -> bool:
        return self.format == SessionFormat.HYBRID

    @property
    def modes(self) -> tuple[AttendMode, ...]:
        """The ways of attending this session offers."""
        if self.is_hybrid:
            return (AttendMode.ON_SITE, AttendMode.ONLINE)
        return (self.attend_mode(None),)

    def attend_mode(self, chosen: AttendMode | str | None) -> AttendMode:
        """How someone attends: their choice on a hybrid session (on site unless they chose),
        otherwise what the session is."""
        if self.is_hybrid:
            return AttendMode(chosen) if chosen else AttendMode.ON_SITE
        return AttendMode.ONLINE if self.format == SessionFormat.ONLINE else AttendMode.ON_SITE

    def capacity_for(self, mode: AttendMode, fmt: SessionFormat | None = None) -> int | None:
        """The seats of the pool `mode` attends from; None: unlimited."""
        if (fmt or self.format) == SessionFormat.HYBRID and mode == AttendMode.ONLINE:
            return self.online_capacity
        return self.capacity

    def seats_taken_for(self, mode: AttendMode, fmt: SessionFormat | None = None) -> int:
        """Seats held in the pool `mode` attends from (`fmt`: as if the session had that format)."""
        if (fmt or self.format) != SessionFormat.HYBRID:
            return self.seats_taken
        online = self.online_seats_taken or 0
        return online if mode == AttendMode.ONLINE else self.seats_taken - online

    def waitlist_count_for(self, mode: AttendMode) -> int:
        if not self.is_hybrid:
            return self.waitlist_count
        online = self.online_waitlist_count or 0
        return online if mode == AttendMode.ONLINE else self.waitlist_count - online

    def seats_left_for(self, mode: AttendMode) -> int | None:
        """Free seats for someone attending `mode`; None: unlimited."""
        capacity = self.capacity_for(mode)
        if capacity is None:
            return None
        return max(capacity - self.seats_taken_for(mode), 0)

    def has_seat_for(self, mode: AttendMode) -> bool:
        left = self.seats_left_for(mode)
        return left is None or left > 0

    @property
    def seats_left(self) -> int:
        """Free seats on site (or, on an online session, online places)."""
        return self.seats_left_for(self.modes[0])

    @property
    def seats_left_by_mode(self) -> dict[str, int | None]:
        """{"on_site": 3, "online": None} for every way of attending offered; None: unlimited."""
        return {mode.value: self.seats_left_for(mode) for mode in self.modes}

    @hybrid_property
    def is_full(self) -> bool:
        """No seat left in any way of attending: whoever registers joins a waiting list."""
        return not any(self.has_seat_for(mode) for mode in self.modes)

    @is_full.inplace.expression
    @classmethod
    def _is_full_in_sql(cls) -> ColumnElement[bool]:
        """The same rule in SQL, for a query that lists only sessions with room (the widget):
        the seats on site (on a hybrid session, the seats held minus the online ones) against
        `capacity`, and on a hybrid session the online places against `online_capacity`."""
        hybrid = cls.format == SessionFormat.HYBRID
        online_taken = func.coalesce(cls.online_seats_taken, 0)
        on_site_taken = case((hybrid, cls.seats_taken - online_taken), else_=cls.seats_taken)
        online_room = and_(hybrid, or_(cls.online_capacity.is_(None), online_taken < cls.online_capacity))
        return not_(or_(on_site_taken < cls.capacity, online_room))

    def take_seat(self, mode: AttendMode) -> None:
        self.seats_taken += 1
        if mode == AttendMode.ONLINE:
            self.online_seats_taken = (self.online_seats_taken or 0) + 1

    def give_back_seat(self, mode: AttendMode) -> None:
        self.seats_taken -= 1
        if mode == AttendMode.ONLINE:
            self.online_seats_taken -= 1

    def join_waitlist(self, mode: AttendMode) -> None:
        self.waitlist_count += 1
        if mode == AttendMode.ONLINE:
            self.online_waitlist_count = (self.online_waitlist_count or 0) + 1

    def leave_waitlist(self, mode: AttendMode) -> None:
        self.waitlist_count -= 1
        if mode == AttendMode.ONLINE:
            self.online_waitlist_count -= 1

    @classmethod
    def not_ended_by(cls, now, *, started_after=None) -> ColumnElement[bool]:
        """Has not ended by `now`, in SQL. The start is bounded too (a session lasts at most
        LONGEST_SESSION), so an index on `starts_at` skips every session of the past. `now` may
        be a bind parameter; then `started_after` is one too, for `now - LONGEST_SESSION`."""
        if started_after is None:
            started_after = now - LONGEST_SESSION
        return and_(cls.ends_at > now, cls.starts_at > started_after)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<InfoSession {self.id} {self.starts_at:%Y-%m-%d %H:%M}>"


# The longest an information session may last (sessions.services.planning refuses longer). So a
# session that has not ended by `now` started after `now - LONGEST_SESSION`: what lets a query
# for the sessions still to come start its index scan there instead of at the first session ever.
LONGEST_SESSION = timedelta(hours=12)

# What a registration, a cancellation or the waiting list changes on the session's row: the
# counters of the capacity rule, which no calendar or feed shows.
SEAT_COUNTERS = frozenset({"seats_taken", "waitlist_count", "online_seats_taken", "online_waitlist_count"})
_NOT_DETAILS = SEAT_COUNTERS | {"updated_at", "details_changed_at"}


@functools.cache
def _details(mapper) -> tuple[str, ...]:
    """The attributes whose change is a change of details: every column but the seat counters
    and the stamps, and the presenters (a link table). Listed once per mapper."""
    return (*(attr.key for attr in mapper.column_attrs if attr.key not in _NOT_DETAILS), "presenters")


@event.listens_for(InfoSession, "before_update")
def _stamp_details(mapper, _connection, session: InfoSession) -> None:
    """Stamp `details_changed_at` when anything but the seat counters changed (the presenters,
    a link table, too): the one place that decides it, whichever service made the change."""
    state = inspect(session)
    details = _details(mapper)
    # Only an attribute that was set can have changed: a seat taken sets the counters alone, so
    # registering asks no attribute's history.
    touched = set(details).difference(state.unmodified_intersection(details))
    if any(state.attrs[key].history.has_changes() for key in touched):
        session.details_changed_at = utcnow()
        session.details_revision = InfoSession.details_revision + 1


class WidgetOrigin(db.Model):
    """A website (scheme, host and port) allowed to show the widget in an <iframe>."""

    __tablename__ = "widget_origins"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(255), unique=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
