"""What the public sees: the catalogue's filters and query (shared by the catalogue page, the ICS
and Atom feeds, the widget and the JSON API), its pages, a session's agenda and whether one can
register (the versions the caches key on are in `versions`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, load_only

from app.db import utcnow
from app.errors import NotFound
from app.extensions import db
from app.geo import PROVINCES
from app.parsing import InvalidValue, parse_month
from app.timezone import local, local_day_bounds
from sessions.models import InfoSession, SessionFormat, SessionStatus, Topic, Venue

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
# What a person can follow from home: online sessions, and hybrid ones ("ook online te volgen").
FOLLOWABLE_ONLINE = (SessionFormat.ONLINE, SessionFormat.HYBRID)
MOMENT_API = {"evening": "evening", "weekend": "weekend"}


# What every page of a public session shows besides the session, its topic and venue: its
# presenters and the topic's agenda, in the same query (two round trips fewer on a first visit).
_PUBLIC_PAGE = (
    joinedload(InfoSession.presenters),
    joinedload(InfoSession.topic).joinedload(Topic.agenda_blocks),
)


def get_public_session(session_id: int) -> InfoSession:
    """A session a visitor may see: published, completed or cancelled, never a draft."""
    session = db.session.get(InfoSession, session_id, options=_PUBLIC_PAGE)
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
    started_after=None,
) -> Select:
    """Upcoming published sessions matching the filters, soonest first.

    The one definition of "what the public sees", shared by the catalogue page, the ICS feed and
    the JSON API. A session stays listed until it has ended. The format "online" includes the
    hybrid sessions; a province applies to the sessions on site (see `online_alternatives` for
    what the catalogue offers beside them). `now` may be a bind parameter (session_page_version),
    with `started_after` one for `now - LONGEST_SESSION` (InfoSession.not_ended_by).
    """
    now = now if now is not None else utcnow()
    not_ended = InfoSession.not_ended_by(now, started_after=started_after)
    # One status is an equality: an IN list is expanded anew on every execution.
    status = InfoSession.status == statuses[0] if len(statuses) == 1 else InfoSession.status.in_(statuses)
    query = select(InfoSession).where(status, not_ended)
    # A province is where a person goes to: it applies to the sessions on site. One who asks for
    # online sessions can follow them from anywhere, so the province does not narrow those.
    if filters.province and filters.format != SessionFormat.ONLINE:
        query = query.join(Venue, InfoSession.venue_id == Venue.id).where(Venue.province == filters.province)
    if filters.format == SessionFormat.ONLINE:
        query = query.where(InfoSession.format.in_(FOLLOWABLE_ONLINE))
    elif filters.format:
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
        InfoSession.online_capacity, InfoSession.online_seats_taken,
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
    return list(db.session.scalars(_feed_query(filters)))


def _feed_query(filters: CatalogueFilters) -> Select:
    query = catalogue_query(filters, statuses=(SessionStatus.PUBLISHED, SessionStatus.CANCELLED))
    return query.where(InfoSession.published_at.is_not(None))


def list_news(filters: CatalogueFilters, limit: int = 50) -> list[InfoSession]:
    """The Atom feed: the sessions of `list_feed` (the catalogue's, plus those cancelled after
    they were published), newest first by when they were published."""
    newest_first = (InfoSession.published_at.desc(), InfoSession.id.desc())
    query = _feed_query(filters).order_by(None).order_by(*newest_first)
    return list(db.session.scalars(query.limit(limit)))


WIDGET_DEFAULT_LIMIT = 5
WIDGET_MAX_LIMIT = 20


def widget_limit(value: str | None) -> int:
    """How many sessions the widget lists: `?aantal=` from 1 to 20, else 5."""
    try:
        number = int(value or "")
    except ValueError:
        return WIDGET_DEFAULT_LIMIT
    return min(max(number, 1), WIDGET_MAX_LIMIT)


def list_widget(filters: CatalogueFilters, limit: int = WIDGET_DEFAULT_LIMIT, now=None) -> list[InfoSession]:
    """The next sessions of the catalogue (same filters, same query) that one can still register
    for with a seat: open for registration and not full."""
    now = now or utcnow()
    query = catalogue_query(filters, now=now).where(registration_open_in_sql(now), ~InfoSession.is_full)
    return list(db.session.scalars(query.options(*_LISTED).limit(limit)))


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


NEXT_SESSIONS = 3  # the topic's other dates on a session's page


def next_sessions_of_topic(
    topic_id: int, *, exclude_id: int | None = None, limit: int = NEXT_SESSIONS
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


def registration_is_open(session: InfoSession, now: datetime | None = None) -> bool:
    """Can one register for the session now: published, not started, and within its
    registration window (when it has one). `session` may also be a row with those columns."""
    now = now or utcnow()
    if session.status != SessionStatus.PUBLISHED or session.starts_at <= now:
        return False
    if session.registration_opens_at and now < session.registration_opens_at:
        return False
    return not (session.registration_closes_at and now >= session.registration_closes_at)


def registration_open_in_sql(now: datetime) -> ColumnElement[bool]:
    """`registration_is_open` as a condition on InfoSession, for a query that lists only the
    sessions one can register for (the widget)."""
    opens, closes = InfoSession.registration_opens_at, InfoSession.registration_closes_at
    return and_(
        InfoSession.status == SessionStatus.PUBLISHED,
        InfoSession.starts_at > now,
        or_(opens.is_(None), opens <= now),
        or_(closes.is_(None), closes > now),
    )
