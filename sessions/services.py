"""The rules of planning info sessions, and every query the session pages need.

All writes and state changes of topics, venues and sessions happen here. Views, the API, the
CLI and the demo call these functions; none of them commits on its own.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from app.auth.models import Role, User
from app.database import atomic, begin_write
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.geo import PROVINCES, holiday_name, lookup_postcode
from app.parsing import InvalidValue, parse_month
from app.timezone import from_local, local, local_day_bounds
from sessions import signals
from sessions.models import (
    AgendaBlock,
    InfoSession,
    SessionFormat,
    SessionStatus,
    Topic,
    Venue,
    session_presenters,
)

TRAVEL_MARGIN = timedelta(minutes=30)
# A presenter's own calendar keeps sessions that ended this recently, so last weeks' stay visible.
PRESENTER_PAST = timedelta(days=90)
EVENING_FROM = time(18, 0)
EVENING_DEFAULT_START, EVENING_DEFAULT_END = time(19, 30), time(21, 30)

# The public contract's filter values (DESIGN.md) mapped to the model's values.
FORMAT_SLUGS = {
    "ter-plaatse": SessionFormat.ON_SITE,
    "online": SessionFormat.ONLINE,
    "hybride": SessionFormat.HYBRID,
}
FORMAT_API = {
    "on_site": SessionFormat.ON_SITE,
    "online": SessionFormat.ONLINE,
    "hybrid": SessionFormat.HYBRID,
}
MOMENT_SLUGS = {"avond": "evening", "weekend": "weekend"}
MOMENT_API = {"evening": "evening", "weekend": "weekend"}

# Allowed status changes; everything else is refused with a reason.
TRANSITIONS = {
    SessionStatus.DRAFT: {SessionStatus.PUBLISHED, SessionStatus.CANCELLED},
    SessionStatus.PUBLISHED: {SessionStatus.COMPLETED, SessionStatus.CANCELLED},
    SessionStatus.COMPLETED: set(),
    SessionStatus.CANCELLED: set(),
}


# --------------------------------------------------------------------------- helpers


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "sessie"


def slot_flags(starts_at: datetime) -> tuple[bool, bool]:
    """(evening, weekend) of a start time, judged on the Brussels clock."""
    start = local(starts_at)
    return start.time() >= EVENING_FROM, start.weekday() >= 5


# --------------------------------------------------------------------------- topics and venues


def list_topics(active_only: bool = True) -> list[Topic]:
    query = select(Topic).order_by(Topic.title).options(selectinload(Topic.agenda_blocks))
    if active_only:
        query = query.where(Topic.active)
    return list(db.session.scalars(query))


def list_topic_choices() -> list[tuple[str, str]]:
    """(slug, title) of the active topics, for filter menus: one light query."""
    return list(db.session.execute(select(Topic.slug, Topic.title).where(Topic.active).order_by(Topic.title)))


def get_topic(topic_id: int) -> Topic:
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        raise NotFound(_l("Dit thema bestaat niet."))
    return topic


@atomic
def save_topic(
    topic: Topic | None,
    *,
    title: str,
    description: str = "",
    audience: str = "",
    default_duration_minutes: int = 120,
    agenda: list[tuple[str, int]] | None = None,
    slug: str | None = None,
    active: bool = True,
) -> Topic:
    """Create or update a topic and its default agenda (a list of (title, minutes)).

    Raises DomainError when the slug is taken or the agenda's minutes are not positive.
    """
    slug = slugify(slug or title)
    clash = db.session.scalar(
        select(Topic.id).where(Topic.slug == slug, Topic.id != (topic.id if topic else -1))
    )
    if clash:
        raise DomainError(
            _l("Er bestaat al een thema met deze korte naam (%(slug)s).", slug=slug), field="slug"
        )
    if default_duration_minutes <= 0:
        raise DomainError(_l("De duur moet positief zijn."), field="default_duration_minutes")
    topic = topic or Topic()
    topic.slug, topic.title, topic.description, topic.audience = slug, title.strip(), description, audience
    topic.default_duration_minutes, topic.active = default_duration_minutes, active
    if agenda is not None:
        if any(minutes <= 0 for _, minutes in agenda):
            raise DomainError(_l("Elk agendapunt heeft een positieve duur."), field="agenda")
        existing = {block.key: block for block in topic.agenda_blocks}
        blocks = []
        for position, (block_title, minutes) in enumerate(agenda):
            key = slugify(block_title)
            block = existing.get(key) or AgendaBlock(key=key)
            block.position, block.title, block.minutes = position, block_title.strip(), minutes
            blocks.append(block)
        topic.agenda_blocks = blocks
    db.session.add(topic)
    db.session.commit()
    return topic


def list_venues(active_only: bool = True) -> list[Venue]:
    query = select(Venue).order_by(Venue.province, Venue.municipality, Venue.name)
    if active_only:
        query = query.where(Venue.active)
    return list(db.session.scalars(query))


def get_venue(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise NotFound(_l("Deze locatie bestaat niet."))
    return venue


@atomic
def save_venue(
    venue: Venue | None,
    *,
    name: str,
    street: str,
    postcode: str,
    capacity: int,
    step_free: bool = False,
    notes: str = "",
    active: bool = True,
) -> Venue:
    """Create or update a venue; the postcode fixes municipality and province.

    Raises DomainError for an unknown or Walloon postcode or a capacity below 1.
    """
    place = lookup_postcode(postcode)
    if capacity < 1:
        raise DomainError(_l("De capaciteit moet minstens 1 zijn."), field="capacity")
    venue = venue or Venue()
    venue.name, venue.street, venue.postcode = name.strip(), street.strip(), place.postcode
    venue.municipality, venue.province = place.municipality, place.province
    venue.capacity, venue.step_free, venue.notes, venue.active = capacity, step_free, notes, active
    db.session.add(venue)
    db.session.commit()
    return venue


# --------------------------------------------------------------------------- sessions: reading


def get_session(session_id: int) -> InfoSession:
    session = db.session.get(InfoSession, session_id)
    if session is None:
        raise NotFound(_l("Deze infosessie bestaat niet."))
    return session


def get_public_session(session_id: int) -> InfoSession:
    """A session a visitor may see: published, completed or cancelled, never a draft."""
    session = db.session.get(InfoSession, session_id)
    # A draft, or a session cancelled before it was ever published, was never public.
    if session is None or session.status == SessionStatus.DRAFT or session.published_at is None:
        raise NotFound(_l("Deze infosessie bestaat niet."))
    return session


@dataclass(frozen=True)
class CatalogueFilters:
    province: str | None = None
    format: SessionFormat | None = None
    moment: str | None = None  # "evening" | "weekend"
    topic: str | None = None  # slug
    month: date | None = None  # first day of the month
    invalid: tuple[str, ...] = field(default=())

    @classmethod
    def from_args(cls, args, *, api: bool = False) -> CatalogueFilters:
        """Read the public contract's query parameters; unknown values are ignored, and named."""
        names = (
            ("province", "format", "moment", "topic", "month")
            if api
            else ("provincie", "formaat", "moment", "thema", "maand")
        )
        formats, moments = (FORMAT_API, MOMENT_API) if api else (FORMAT_SLUGS, MOMENT_SLUGS)
        invalid = []
        province = (args.get(names[0]) or "").strip() or None
        if province and province not in PROVINCES:
            invalid.append(names[0])
            province = None
        fmt_raw = (args.get(names[1]) or "").strip()
        fmt = formats.get(fmt_raw)
        if fmt_raw and fmt is None:
            invalid.append(names[1])
        moment_raw = (args.get(names[2]) or "").strip()
        moment = moments.get(moment_raw)
        if moment_raw and moment is None:
            invalid.append(names[2])
        topic = (args.get(names[3]) or "").strip() or None
        try:
            month = parse_month((args.get(names[4]) or "").strip())
        except InvalidValue:
            month = None
            invalid.append(names[4])
        return cls(province, fmt, moment, topic, month, tuple(invalid))

    def as_public_args(self) -> dict[str, str]:
        reverse_format = {v: k for k, v in FORMAT_SLUGS.items()}
        reverse_moment = {v: k for k, v in MOMENT_SLUGS.items()}
        args = {
            "provincie": self.province,
            "formaat": reverse_format.get(self.format) if self.format else None,
            "moment": reverse_moment.get(self.moment) if self.moment else None,
            "thema": self.topic,
            "maand": self.month.strftime("%Y-%m") if self.month else None,
        }
        return {k: v for k, v in args.items() if v}

    @property
    def active(self) -> bool:
        return any((self.province, self.format, self.moment, self.topic, self.month))


def catalogue_query(
    filters: CatalogueFilters,
    *,
    now: datetime | None = None,
    statuses: tuple[SessionStatus, ...] = (SessionStatus.PUBLISHED,),
) -> Select:
    """Upcoming published sessions matching the filters, soonest first.

    The one definition of "what the public sees", shared by the catalogue page, the ICS feed and
    the JSON API. A session stays listed until it has ended.
    """
    now = now or utcnow()
    query = select(InfoSession).where(InfoSession.status.in_(statuses), InfoSession.ends_at > now)
    if filters.province:
        query = query.join(Venue, InfoSession.venue_id == Venue.id).where(Venue.province == filters.province)
    if filters.format:
        query = query.where(InfoSession.format == filters.format)
    if filters.moment == "evening":
        query = query.where(InfoSession.is_evening)
    elif filters.moment == "weekend":
        query = query.where(InfoSession.is_weekend)
    if filters.topic:
        query = query.where(InfoSession.topic.has(Topic.slug == filters.topic))
    if filters.month:
        first = filters.month
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        start, end = local_day_bounds(first, following)
        query = query.where(InfoSession.starts_at >= start, InfoSession.starts_at < end)
    return query.order_by(InfoSession.starts_at, InfoSession.id)


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


# What a catalogue card or an API item shows; long texts (descriptions, notes) stay in the database.
_LISTED = (
    load_only(
        InfoSession.id, InfoSession.title, InfoSession.topic_id, InfoSession.format, InfoSession.venue_id,
        InfoSession.starts_at, InfoSession.ends_at, InfoSession.is_evening, InfoSession.is_weekend,
        InfoSession.capacity, InfoSession.seats_taken, InfoSession.status, InfoSession.language,
        InfoSession.cancel_reason, InfoSession.registration_opens_at, InfoSession.registration_closes_at,
        InfoSession.updated_at,
    ),
    joinedload(InfoSession.topic).load_only(Topic.slug, Topic.title, Topic.updated_at),
    joinedload(InfoSession.venue).load_only(
        Venue.name, Venue.street, Venue.postcode, Venue.municipality, Venue.province, Venue.step_free,
        Venue.updated_at,
    ),
)  # fmt: skip


def list_catalogue(filters: CatalogueFilters, page: int = 1, per_page: int = 20) -> Page:
    """One page of the catalogue: two queries, whatever the page size (presenters are not loaded)."""
    page = max(page, 1)
    query = catalogue_query(filters)
    total = db.session.scalar(query.with_only_columns(func.count(InfoSession.id)).order_by(None))
    items = list(db.session.scalars(query.options(*_LISTED).limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total or 0, page, per_page)


def list_feed(filters: CatalogueFilters) -> list[InfoSession]:
    """Everything a calendar subscriber should know of: upcoming published sessions, plus those
    cancelled after they were published, so a subscribed calendar strikes them out."""
    query = catalogue_query(filters, statuses=(SessionStatus.PUBLISHED, SessionStatus.CANCELLED))
    query = query.where(InfoSession.published_at.is_not(None))
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class AgendaItem:
    starts_at: datetime
    ends_at: datetime
    title: str
    minutes: int


def agenda_times(session: InfoSession) -> list[AgendaItem]:
    """The topic's agenda blocks with clock times from the session's start.

    Blocks that would run past the session's end are cut at the end, so the agenda never
    promises more than the slot holds.
    """
    items, cursor = [], session.starts_at
    for block in session.topic.agenda_blocks:
        if cursor >= session.ends_at:
            break
        end = min(cursor + timedelta(minutes=block.minutes), session.ends_at)
        items.append(AgendaItem(cursor, end, block.title, int((end - cursor).total_seconds() // 60)))
        cursor = end
    return items


@dataclass(frozen=True)
class CatalogueVersion:
    """What tells one state of the public catalogue from another, for caches and ETags.

    `changed_at` is the newest change of a published session, topic or venue, or the end of the
    latest session that has ended (it left the feeds then); the sessions of one feed alone cannot
    tell, one that moved to another province or topic has left the filtered feed with its new
    date. The counters are there because `updated_at` is stamped at flush, not at commit: on
    PostgreSQL two registrations can commit in the other order than their stamps, and a page
    cached between the two commits would keep the older seat count under the same maximum.
    Seats are what changes concurrently; an expert's edits come one at a time.
    """

    changed_at: datetime | None
    sessions: int
    seats_taken: int
    waiting: int


def catalogue_version(now: datetime | None = None) -> CatalogueVersion:
    """The catalogue's version, whatever the filters: one query."""
    now = now or utcnow()
    row = db.session.execute(
        select(
            func.max(InfoSession.updated_at),
            func.max(case((InfoSession.ends_at <= now, InfoSession.ends_at))),
            select(func.max(Topic.updated_at)).scalar_subquery(),
            select(func.max(Venue.updated_at)).scalar_subquery(),
            func.count(),
            func.coalesce(func.sum(InfoSession.seats_taken), 0),
            func.coalesce(func.sum(InfoSession.waitlist_count), 0),
        ).where(InfoSession.published_at.is_not(None))
    ).one()
    changed_at = max((moment for moment in row[:4] if moment is not None), default=None)
    return CatalogueVersion(changed_at, int(row[4]), int(row[5]), int(row[6]))


def next_sessions_of_topic(
    topic_id: int, *, exclude_id: int | None = None, limit: int = 3
) -> list[InfoSession]:
    query = catalogue_query(CatalogueFilters()).where(InfoSession.topic_id == topic_id)
    if exclude_id:
        query = query.where(InfoSession.id != exclude_id)
    return list(db.session.scalars(query.limit(limit)))


def month_choices(months: int = 6) -> list[date]:
    today = local(utcnow()).date().replace(day=1)
    result = []
    for _ in range(months):
        result.append(today)
        today = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return result


def list_staff_sessions(
    *, presenter: User | None = None, status: SessionStatus | None = None, upcoming: bool = True
) -> list[InfoSession]:
    query = select(InfoSession).options(selectinload(InfoSession.presenters))
    if presenter is not None:
        query = query.where(InfoSession.presenters.any(User.id == presenter.id))
    if status is not None:
        query = query.where(InfoSession.status == status)
    if upcoming:
        query = query.where(InfoSession.ends_at > utcnow()).order_by(InfoSession.starts_at)
    else:
        query = query.where(InfoSession.ends_at <= utcnow()).order_by(InfoSession.starts_at.desc())
    return list(db.session.scalars(query.limit(500)))


def presenter_sessions(user: User, now: datetime | None = None) -> list[InfoSession]:
    """Every session the user presents that was ever published and ended at most 90 days ago,
    cancelled ones included; topic and venue come in the same query."""
    since = (now or utcnow()) - PRESENTER_PAST
    query = (
        select(InfoSession)
        .join(session_presenters, session_presenters.c.session_id == InfoSession.id)
        .where(
            session_presenters.c.user_id == user.id,
            InfoSession.status != SessionStatus.DRAFT,
            InfoSession.published_at.is_not(None),
            InfoSession.ends_at > since,
        )
        .order_by(InfoSession.starts_at, InfoSession.id)
    )
    return list(db.session.scalars(query))


def list_presenters() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.active, User.role.in_((Role.EXPERT, Role.ADMIN))).order_by(User.name)
        )
    )


# --------------------------------------------------------------------------- sessions: writing


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


def _when(session: InfoSession) -> str:
    from app.i18n import long_datetime

    return long_datetime(session.starts_at)


def validate_session(
    data: SessionData, *, exclude_id: int | None = None, seats_taken: int = 0
) -> Venue | None:
    """Check every planning rule; raise the first broken one as a DomainError with its field.

    Rules: end after start; capacity at least 1, at most the venue's, not below the seats already
    taken; a venue for on-site sessions; presenters and venue free; the registration window
    closes no later than the start. A public holiday raises HolidayWarning unless allowed.
    """
    if data.ends_at <= data.starts_at:
        raise DomainError(_l("Het einde moet na het begin liggen."), field="ends_at")
    if data.ends_at - data.starts_at > timedelta(hours=12):
        raise DomainError(_l("Een infosessie duurt hoogstens 12 uur."), field="ends_at")
    if data.capacity < 1:
        raise DomainError(_l("De capaciteit moet minstens 1 zijn."), field="capacity")
    if data.capacity < seats_taken:
        raise DomainError(
            _l("Er zijn al %(n)s plaatsen ingenomen; de capaciteit kan niet lager.", n=seats_taken),
            field="capacity",
        )
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


def _apply(session: InfoSession, data: SessionData) -> set[str]:
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
    session.language, session.notes = data.language, data.notes
    session.registration_opens_at = data.registration_opens_at
    session.registration_closes_at = data.registration_closes_at
    session.is_evening, session.is_weekend = slot_flags(data.starts_at)
    session.presenters = list(db.session.scalars(select(User).where(User.id.in_(data.presenter_ids))))
    return changes


@atomic
def create_session(
    data: SessionData, created_by: User | None = None, *, series_id: str | None = None
) -> InfoSession:
    """Plan a new session as a draft. Raises DomainError (or HolidayWarning) for a broken rule."""
    validate_session(data)
    session = InfoSession(
        status=SessionStatus.DRAFT, series_id=series_id, created_by_id=created_by.id if created_by else None
    )
    _apply(session, data)
    db.session.add(session)
    db.session.commit()
    return session


def lock_session(session_id: int) -> InfoSession:
    """Start a write transaction and re-read the session with its row locked until the commit.

    Every rule about a session's seats is checked after this call, on what it returns: PostgreSQL
    holds the row (FOR UPDATE), SQLite the database's write lock (BEGIN IMMEDIATE). Whatever the
    caller's transaction held before is committed first, so call it before changing anything.
    """
    begin_write()
    session = db.session.scalar(
        select(InfoSession)
        .where(InfoSession.id == session_id)
        .with_for_update(of=InfoSession)
        .execution_options(populate_existing=True)
    )
    if session is None:
        raise NotFound(_l("Deze infosessie bestaat niet."))
    return session


@atomic
def update_session(session: InfoSession, data: SessionData) -> InfoSession:
    """Change a draft or published session.

    A change of time or place raises the calendar SEQUENCE and tells registrants (signal);
    a larger capacity lets the waiting list move. Raises DomainError for a broken rule and for a
    session that is completed or cancelled.
    """
    if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
        raise DomainError(_l("Een afgelopen of geannuleerde sessie kan niet meer gewijzigd worden."))
    session = lock_session(session.id)
    validate_session(data, exclude_id=session.id, seats_taken=session.seats_taken)
    if session.status == SessionStatus.PUBLISHED:
        _require_publishable(data.format, data.venue_id, data.meeting_url)
    old_capacity = session.capacity
    changes = _apply(session, data)
    if changes:
        session.sequence += 1
    if session.status == SessionStatus.PUBLISHED:
        if changes:
            signals.session_rescheduled.send(session, changes=changes)
        if session.capacity > old_capacity:
            signals.session_capacity_raised.send(session, old_capacity=old_capacity)
    db.session.commit()
    return session


def _require_publishable(fmt: SessionFormat, venue_id: int | None, meeting_url: str | None) -> None:
    if fmt.needs_venue and not venue_id:
        raise DomainError(
            _l("Een sessie ter plaatse kan pas gepubliceerd worden met een locatie."), field="venue_id"
        )
    if fmt.needs_link and not meeting_url:
        raise DomainError(
            _l("Een online sessie kan pas gepubliceerd worden met een vergaderlink."), field="meeting_url"
        )


def _transition(session: InfoSession, target: SessionStatus) -> None:
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

    Raises DomainError without a venue (on site) or meeting link (online), or when the session
    has already started.
    """
    _require_publishable(session.format, session.venue_id, session.meeting_url)
    if session.starts_at <= utcnow():
        raise DomainError(_l("Een sessie in het verleden kan niet gepubliceerd worden."))
    _transition(session, SessionStatus.PUBLISHED)
    session.published_at = utcnow()
    db.session.commit()
    return session


@atomic
def cancel_session(session: InfoSession, reason: str) -> InfoSession:
    """Cancel a draft or published session with a reason registrants will read."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Geef een reden op; de ingeschrevenen krijgen ze te lezen."), field="reason")
    session = lock_session(session.id)
    was_published = session.status == SessionStatus.PUBLISHED
    _transition(session, SessionStatus.CANCELLED)
    session.cancel_reason = reason
    session.sequence += 1
    if was_published:
        signals.session_cancelled.send(session)
    db.session.commit()
    return session


@atomic
def complete_session(session: InfoSession) -> InfoSession:
    """Mark a published session as held; only once it has started."""
    if session.starts_at > utcnow():
        raise DomainError(_l("Een sessie kan pas afgerond worden als ze begonnen is."))
    session = lock_session(session.id)
    _transition(session, SessionStatus.COMPLETED)
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
        presenter_ids=[p.id for p in session.presenters],
        venue_id=session.venue_id,
        meeting_url=session.meeting_url,
        language=session.language,
        registration_opens_at=session.registration_opens_at,
        registration_closes_at=session.registration_closes_at,
        notes=session.notes,
    )


# --------------------------------------------------------------------------- series


@dataclass
class SeriesRule:
    """ "Every second Tuesday at 19:30 from January to June" or "the first Saturday at 09:30"."""

    pattern: str  # "weekly" | "monthly"
    weekday: int  # 0 = Monday
    at: time
    first_day: date
    last_day: date
    interval: int = 1  # weekly: every N weeks
    nth: int = 1  # monthly: 1..4, or -1 for the last


@dataclass
class PlannedDate:
    starts_at: datetime
    ends_at: datetime
    skipped: str | None = None  # the reason it will not be created
    holiday: str | None = None


def series_dates(rule: SeriesRule, duration: timedelta) -> list[tuple[datetime, datetime]]:
    if rule.last_day < rule.first_day:
        raise DomainError(_l("De einddatum moet na de begindatum liggen."), field="last_day")
    if rule.last_day - rule.first_day > timedelta(days=366):
        raise DomainError(_l("Een reeks loopt hoogstens één jaar."), field="last_day")
    start = datetime.combine(rule.first_day, time.min)
    until = datetime.combine(rule.last_day, time.max)
    if rule.pattern == "weekly":
        days = rrule(
            WEEKLY, interval=max(rule.interval, 1), byweekday=rule.weekday, dtstart=start, until=until
        )
    elif rule.pattern == "monthly":
        days = rrule(MONTHLY, byweekday=weekday(rule.weekday, rule.nth), dtstart=start, until=until)
    else:
        raise DomainError(_l("Kies een herhaling."), field="pattern")
    result = []
    for day in days:
        starts_at = from_local(day.date(), rule.at)
        result.append((starts_at, starts_at + duration))
    return result


def plan_series(template: SessionData, rule: SeriesRule) -> list[PlannedDate]:
    """Preview a series: every date, with public holidays and rule conflicts marked as skipped.

    Nothing is written. The expert sees what will be skipped before confirming.
    """
    duration = template.ends_at - template.starts_at
    planned = []
    for starts_at, ends_at in series_dates(rule, duration):
        holiday = holiday_name(local(starts_at).date())
        item = PlannedDate(starts_at, ends_at, holiday=holiday)
        if holiday:
            item.skipped = str(_l("feestdag: %(name)s", name=holiday))
        elif starts_at <= utcnow():
            item.skipped = str(_l("in het verleden"))
        else:
            try:
                validate_session(replace(template, starts_at=starts_at, ends_at=ends_at, allow_holiday=True))
            except DomainError as error:
                item.skipped = str(error)
        planned.append(item)
    if not any(item.skipped is None for item in planned):
        raise DomainError(_l("Deze reeks levert geen enkele bruikbare datum op."), field="first_day")
    return planned


@atomic
def create_series(
    template: SessionData, rule: SeriesRule, created_by: User | None = None
) -> list[InfoSession]:
    """Create the drafts of a series, skipping what plan_series marks as skipped, in one transaction."""
    series_id = uuid.uuid4().hex
    created = []
    for item in plan_series(template, rule):
        if item.skipped:
            continue
        data = replace(template, starts_at=item.starts_at, ends_at=item.ends_at, allow_holiday=True)
        validate_session(data)  # earlier drafts of this series now count for conflicts
        session = InfoSession(
            status=SessionStatus.DRAFT,
            series_id=series_id,
            created_by_id=created_by.id if created_by else None,
        )
        _apply(session, data)
        db.session.add(session)
        db.session.flush()
        created.append(session)
    db.session.commit()
    return created


@atomic
def publish_series(series_id: str) -> list[InfoSession]:
    sessions = db.session.scalars(
        select(InfoSession).where(
            InfoSession.series_id == series_id, InfoSession.status == SessionStatus.DRAFT
        )
    ).all()
    for session in sessions:
        _require_publishable(session.format, session.venue_id, session.meeting_url)
        _transition(session, SessionStatus.PUBLISHED)
        session.published_at = utcnow()
    db.session.commit()
    return list(sessions)


def registration_is_open(session: InfoSession, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if session.status != SessionStatus.PUBLISHED or session.starts_at <= now:
        return False
    if session.registration_opens_at and now < session.registration_opens_at:
        return False
    return not (session.registration_closes_at and now >= session.registration_closes_at)
