"""Planning one session: the rules it must meet (time, capacity, venue, presenters free, the
registration window, public holidays), and its life from draft to published, completed or
cancelled. Every change of state reads the session under its lock (`lock_session`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select

from app.auth.models import User
from app.database import atomic, begin_write, lock_row
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.geo import holiday_name
from app.timezone import from_local, local
from sessions import signals
from sessions.models import (
    LONGEST_SESSION,
    AttendMode,
    InfoSession,
    SessionFormat,
    SessionStatus,
    Venue,
    session_presenters,
)
from sessions.services.topics import get_topic
from sessions.services.venues import get_venue

TRAVEL_MARGIN = timedelta(minutes=30)
EVENING_FROM = time(18, 0)
EVENING_DEFAULT_START, EVENING_DEFAULT_END = time(19, 30), time(21, 30)

# Allowed status changes; everything else is refused with a reason.
TRANSITIONS = {
    SessionStatus.DRAFT: {SessionStatus.PUBLISHED, SessionStatus.CANCELLED},
    SessionStatus.PUBLISHED: {SessionStatus.COMPLETED, SessionStatus.CANCELLED},
    SessionStatus.COMPLETED: set(),
    SessionStatus.CANCELLED: set(),
}


def slot_flags(starts_at: datetime) -> tuple[bool, bool]:
    """(evening, weekend) of a start time, judged on the Brussels clock."""
    start = local(starts_at)
    return start.time() >= EVENING_FROM, start.weekday() >= 5


@dataclass
class SessionData:
    """What an expert enters for a session; times are aware datetimes."""

    topic_id: int
    format: SessionFormat
    starts_at: datetime
    ends_at: datetime
    capacity: int
    presenter_ids: list[int]
    venue_id: int | None = None
    meeting_url: str | None = None
    title: str | None = None
    language: str = "nl"
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    notes: str = ""
    allow_holiday: bool = False
    online_capacity: int | None = None  # hybrid only: the online places; None = unlimited


class HolidayWarning(DomainError):
    """A public holiday: the expert may confirm and plan anyway."""


def _overlap_condition(starts_at: datetime, ends_at: datetime, margin: timedelta):
    return and_(InfoSession.starts_at < ends_at + margin, InfoSession.ends_at > starts_at - margin)


def _conflicts(data: SessionData, exclude_id: int | None) -> None:
    """Presenters in two places at once, or a venue booked twice: raise DomainError."""
    active = InfoSession.status.in_((SessionStatus.DRAFT, SessionStatus.PUBLISHED))
    others = InfoSession.id != (exclude_id or -1)
    if data.venue_id and data.format.needs_venue:
        clash = db.session.scalar(
            select(InfoSession)
            .where(active, others, InfoSession.venue_id == data.venue_id)
            .where(_overlap_condition(data.starts_at, data.ends_at, timedelta(0)))
            .limit(1)
        )
        if clash:
            raise DomainError(
                _l(
                    "Deze locatie is dan al geboekt voor een andere infosessie (%(when)s).", when=_when(clash)
                ),
                field="venue_id",
            )
    if not data.presenter_ids:
        return
    on_site = data.format.needs_venue
    candidates = db.session.execute(
        select(InfoSession, User)
        .join(session_presenters, session_presenters.c.session_id == InfoSession.id)
        .join(User, User.id == session_presenters.c.user_id)
        .where(active, others, session_presenters.c.user_id.in_(data.presenter_ids))
        .where(_overlap_condition(data.starts_at, data.ends_at, TRAVEL_MARGIN))
    ).all()
    for other, presenter in candidates:
        # 30 minutes to travel between two sessions that both need the presenter on site.
        margin = TRAVEL_MARGIN if on_site and other.format.needs_venue else timedelta(0)
        if other.starts_at < data.ends_at + margin and other.ends_at > data.starts_at - margin:
            if margin:
                message = _l(
                    "%(name)s presenteert dan al een andere sessie (%(when)s); tussen twee sessies "
                    "ter plaatse is minstens 30 minuten nodig om te verplaatsen.",
                    name=presenter.name,
                    when=_when(other),
                )
            else:
                message = _l(
                    "%(name)s presenteert dan al een andere sessie (%(when)s).",
                    name=presenter.name,
                    when=_when(other),
                )
            raise DomainError(message, field="presenter_ids")


def _check_taken(data: SessionData, current: InfoSession | None) -> None:
    """Neither pool below what is taken: the seats (on site) and, on a hybrid session, the online places."""
    hybrid = data.format == SessionFormat.HYBRID
    if hybrid and data.online_capacity is not None and data.online_capacity < 1:
        raise DomainError(
            _l("Geef minstens 1 online plaats, of laat leeg voor onbeperkt."), field="online_capacity"
        )
    if current is None:
        return
    taken = current.seats_taken_for(AttendMode.ON_SITE, data.format)
    if data.capacity < taken:
        raise DomainError(
            _l("Er zijn al %(n)s plaatsen ingenomen; de capaciteit kan niet lager.", n=taken),
            field="capacity",
        )
    online = current.seats_taken_for(AttendMode.ONLINE, data.format)
    if hybrid and data.online_capacity is not None and data.online_capacity < online:
        raise DomainError(
            _l("Er zijn al %(n)s online plaatsen ingenomen; het aantal kan niet lager.", n=online),
            field="online_capacity",
        )


def _when(session: InfoSession) -> str:
    from app.i18n import long_datetime

    return long_datetime(session.starts_at)


def validate_session(
    data: SessionData, *, exclude_id: int | None = None, current: InfoSession | None = None
) -> Venue | None:
    """Check every planning rule; raise the first broken one as a DomainError with its field.

    Rules: end after start; capacity at least 1, at most the venue's, not below the seats already
    taken in `current` (the session as it is), nor a hybrid session's online places; a venue for
    on-site sessions; presenters and venue free; the registration window closes no later than the
    start. A public holiday raises HolidayWarning unless allowed.
    """
    if data.ends_at <= data.starts_at:
        raise DomainError(_l("Het einde moet na het begin liggen."), field="ends_at")
    if data.ends_at - data.starts_at > LONGEST_SESSION:
        raise DomainError(_l("Een infosessie duurt hoogstens 12 uur."), field="ends_at")
    if data.capacity < 1:
        raise DomainError(_l("De capaciteit moet minstens 1 zijn."), field="capacity")
    _check_taken(data, current)
    get_topic(data.topic_id)
    venue = None
    if data.format.needs_venue and data.venue_id:
        venue = get_venue(data.venue_id)
        if data.capacity > venue.capacity:
            raise DomainError(
                _l(
                    "%(venue)s heeft plaats voor %(n)s personen; de capaciteit kan niet hoger.",
                    venue=venue.name,
                    n=venue.capacity,
                ),
                field="capacity",
            )
    if data.meeting_url and not re.match(r"^https://\S+$", data.meeting_url):
        raise DomainError(_l("De vergaderlink moet met https:// beginnen."), field="meeting_url")
    presenters = db.session.scalars(select(User).where(User.id.in_(data.presenter_ids))).all()
    if len(presenters) != len(set(data.presenter_ids)):
        raise DomainError(_l("Kies bestaande presentatoren."), field="presenter_ids")
    closes = data.registration_closes_at
    if closes and closes > data.starts_at:
        raise DomainError(
            _l("De inschrijvingen sluiten ten laatste bij de start."), field="registration_closes_at"
        )
    opens = data.registration_opens_at
    if opens and closes and opens >= closes:
        raise DomainError(
            _l("De inschrijvingen moeten openen voor ze sluiten."), field="registration_opens_at"
        )
    _conflicts(data, exclude_id)
    holiday = holiday_name(local(data.starts_at).date())
    if holiday and not data.allow_holiday:
        raise HolidayWarning(
            _l(
                "%(day)s is een feestdag (%(name)s). Bevestig als je toch op die dag wilt plannen.",
                day=_when(InfoSession(starts_at=data.starts_at)),
                name=holiday,
            ),
            field="allow_holiday",
        )
    return venue


def copy_onto(session: InfoSession, data: SessionData) -> set[str]:
    """Copy data onto the session; return what changed that a calendar cares about."""
    changes = set()
    if session.id is not None:
        if (session.starts_at, session.ends_at) != (data.starts_at, data.ends_at):
            changes.add("time")
        new_venue = data.venue_id if data.format.needs_venue else None
        if session.venue_id != new_venue or session.format != data.format:
            changes.add("place")
    session.topic_id, session.format, session.title = data.topic_id, data.format, (data.title or None)
    session.venue_id = data.venue_id if data.format.needs_venue else None
    session.meeting_url = data.meeting_url if data.format.needs_link else None
    session.starts_at, session.ends_at, session.capacity = data.starts_at, data.ends_at, data.capacity
    session.online_capacity = data.online_capacity if data.format == SessionFormat.HYBRID else None
    session.language, session.notes = data.language, data.notes
    session.registration_opens_at = data.registration_opens_at
    session.registration_closes_at = data.registration_closes_at
    session.is_evening, session.is_weekend = slot_flags(data.starts_at)
    presenters = list(db.session.scalars(select(User).where(User.id.in_(data.presenter_ids))))
    if session.id is not None and {p.id for p in session.presenters} != {p.id for p in presenters}:
        # A link row of its own: stamp the session so its cached public page shows the change.
        session.updated_at = utcnow()
    session.presenters = presenters
    return changes


@atomic
def create_session(
    data: SessionData, created_by: User | None = None, *, series_id: str | None = None
) -> InfoSession:
    """Plan a new session as a draft. Raises DomainError (or HolidayWarning) for a broken rule.

    The rules (a venue or presenter free at that time) are read under the write lock."""
    begin_write()
    validate_session(data)
    session = InfoSession(
        status=SessionStatus.DRAFT, series_id=series_id, created_by_id=created_by.id if created_by else None
    )
    copy_onto(session, data)
    db.session.add(session)
    db.session.commit()
    return session


def lock_session(session_id: int) -> InfoSession:
    """Start a write transaction and re-read the session with its row locked until the commit.

    Every rule about a session's seats is checked after this call, on what it returns: PostgreSQL
    holds the row (FOR UPDATE), SQLite the database's write lock (BEGIN IMMEDIATE). Call it
    before reading anything a rule depends on and before changing anything: the transaction the
    caller had open ends first (it must hold no pending work: `begin_write` raises PendingWork).
    """
    session = lock_row(InfoSession, session_id)
    if session is None:
        raise NotFound(_l("Deze infosessie bestaat niet."))
    return session


@atomic
def update_session(session: InfoSession, data: SessionData) -> InfoSession:
    """Change a draft or published session.

    A change of time or place raises the calendar SEQUENCE and tells registrants (signal);
    a larger capacity lets the waiting list move. Raises DomainError for a broken rule and for a
    session that is completed or cancelled (as the locked row says, not the caller's copy).
    """
    session = lock_session(session.id)
    if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
        raise DomainError(_l("Een afgelopen of geannuleerde sessie kan niet meer gewijzigd worden."))
    validate_session(data, exclude_id=session.id, current=session)
    if session.status == SessionStatus.PUBLISHED:
        require_publishable(data.format, data.venue_id, data.meeting_url)
    old_capacity = session.capacity
    old_left = {mode: session.seats_left_for(mode) for mode in session.modes}
    changes = copy_onto(session, data)
    if changes:
        session.sequence += 1
    if session.status == SessionStatus.PUBLISHED:
        if changes:
            signals.session_rescheduled.send(session, changes=changes)
        if _more_room(session, old_left):
            signals.session_capacity_raised.send(session, old_capacity=old_capacity)
    db.session.commit()
    return session


def _more_room(session: InfoSession, old_left: dict) -> bool:
    """Does some way of attending have more free seats than before (None: unlimited)?"""
    for mode in session.modes:
        left, before = session.seats_left_for(mode), old_left.get(mode, 0)
        if before is not None and (left is None or left > before):
            return True
    return False


def require_publishable(fmt: SessionFormat, venue_id: int | None, meeting_url: str | None) -> None:
    if fmt.needs_venue and not venue_id:
        raise DomainError(
            _l("Een sessie ter plaatse kan pas gepubliceerd worden met een locatie."), field="venue_id"
        )
    if fmt.needs_link and not meeting_url:
        raise DomainError(
            _l("Een online sessie kan pas gepubliceerd worden met een vergaderlink."), field="meeting_url"
        )


def transition(session: InfoSession, target: SessionStatus) -> None:
    if target not in TRANSITIONS[session.status]:
        labels = {
            SessionStatus.DRAFT: _l("een ontwerp"),
            SessionStatus.PUBLISHED: _l("gepubliceerd"),
            SessionStatus.COMPLETED: _l("afgerond"),
            SessionStatus.CANCELLED: _l("geannuleerd"),
        }
        raise DomainError(_l("Dit kan niet: de sessie is %(status)s.", status=labels[session.status]))
    session.status = target


@atomic
def publish_session(session: InfoSession) -> InfoSession:
    """Make a draft visible in the catalogue, feeds and API.

    Raises DomainError without a venue (on site) or meeting link (online), when the session
    has already started, or when it is no draft (any more): all read under the session's lock.
    """
    session = lock_session(session.id)
    require_publishable(session.format, session.venue_id, session.meeting_url)
    if session.starts_at <= utcnow():
        raise DomainError(_l("Een sessie in het verleden kan niet gepubliceerd worden."))
    transition(session, SessionStatus.PUBLISHED)
    session.published_at = utcnow()
    db.session.commit()
    return session


@atomic
def cancel_session(session: InfoSession, reason: str) -> InfoSession:
    """Cancel a draft or published session with a reason registrants will read; its status is
    read under the session's lock. Raises DomainError without a reason or for a session that is
    completed or cancelled already."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Geef een reden op; de ingeschrevenen krijgen ze te lezen."), field="reason")
    session = lock_session(session.id)
    was_published = session.status == SessionStatus.PUBLISHED
    transition(session, SessionStatus.CANCELLED)
    session.cancel_reason = reason
    session.sequence += 1
    if was_published:
        signals.session_cancelled.send(session)
    db.session.commit()
    return session


@atomic
def complete_session(session: InfoSession) -> InfoSession:
    """Mark a published session as held; only once it has started (as the locked row says: the
    session may have been moved meanwhile). Raises DomainError otherwise."""
    session = lock_session(session.id)
    if session.starts_at > utcnow():
        raise DomainError(_l("Een sessie kan pas afgerond worden als ze begonnen is."))
    transition(session, SessionStatus.COMPLETED)
    signals.session_completed.send(session)
    db.session.commit()
    return session


def duplicate_session(
    session: InfoSession, created_by: User | None = None, *, weeks_later: int = 1
) -> InfoSession:
    """A new draft with the same topic, place, capacity and presenters, a week later by default.

    The copy keeps the local clock time across a DST change. Raises DomainError when the copy
    would break a rule (then the expert plans it by hand).
    """
    start, end = local(session.starts_at), local(session.ends_at)
    shift = timedelta(weeks=weeks_later)
    data = SessionData(
        topic_id=session.topic_id,
        format=session.format,
        title=session.title,
        starts_at=from_local(start.date() + shift, start.time().replace(tzinfo=None)),
        ends_at=from_local(end.date() + shift, end.time().replace(tzinfo=None)),
        capacity=session.capacity,
        online_capacity=session.online_capacity,
        presenter_ids=[p.id for p in session.presenters],
        venue_id=session.venue_id,
        meeting_url=session.meeting_url,
        language=session.language,
        notes=session.notes,
        allow_holiday=True,
    )
    return create_session(data, created_by)


def session_data_from(session: InfoSession) -> SessionData:
    return SessionData(
        topic_id=session.topic_id,
        format=session.format,
        title=session.title,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=session.capacity,
        online_capacity=session.online_capacity,
        presenter_ids=[p.id for p in session.presenters],
        venue_id=session.venue_id,
        meeting_url=session.meeting_url,
        language=session.language,
        registration_opens_at=session.registration_opens_at,
        registration_closes_at=session.registration_closes_at,
        notes=session.notes,
    )
