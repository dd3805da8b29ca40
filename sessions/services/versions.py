"""What tells one state of a public page from another, for the caches and ETags: the
catalogue's version (its pages, and what the feeds show) and one session page's, each in one
query. A key built from these holds everything that decides the bytes (app/cache.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import Select, String, and_, bindparam, case, cast, func, literal_column, select

from app.database import read_first
from app.db import utcnow
from sessions.models import LONGEST_SESSION, InfoSession, SessionStatus, Topic, Venue
from sessions.services.catalogue import (
    NEXT_SESSIONS,
    CatalogueFilters,
    catalogue_query,
    registration_open_in_sql,
)


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

    `details_changed_at` and `details_revisions` are what the calendar and Atom feeds, which
    show no seats, are keyed by: the same moments but each session's `details_changed_at` for
    its `updated_at`, and the sum of the sessions' `details_revision`, which every committed
    edit raises whatever the order of the commits.
    """

    changed_at: datetime | None
    sessions: int
    seats_taken: int
    waiting: int
    details_changed_at: datetime | None = None
    details_revisions: int = 0

    @property
    def details(self) -> tuple:
        """The version of what the feeds show: not the seats."""
        return (self.details_changed_at, self.details_revisions, self.sessions)


@cache
def _catalogue_version_statement() -> Select:
    """The statement of catalogue_version, built once: building it costs more than running it."""
    now = bindparam("now", type_=InfoSession.ends_at.type)
    return select(
        func.max(InfoSession.updated_at),
        func.max(case((InfoSession.ends_at <= now, InfoSession.ends_at))),
        select(func.max(Topic.updated_at)).scalar_subquery(),
        select(func.max(Venue.updated_at)).scalar_subquery(),
        func.count(),
        func.coalesce(func.sum(InfoSession.seats_taken), 0),
        func.coalesce(func.sum(InfoSession.waitlist_count), 0),
        func.max(InfoSession.details_changed_at),
        func.coalesce(func.sum(InfoSession.details_revision), 0),
    ).where(InfoSession.published_at.is_not(None))


def catalogue_version(now: datetime | None = None) -> CatalogueVersion:
    """The catalogue's version, whatever the filters: one query, of what is committed
    (app.database.read_first)."""
    row = read_first(_catalogue_version_statement(), {"now": now or utcnow()})
    changed_at = max((moment for moment in row[:4] if moment is not None), default=None)
    details = max((moment for moment in (row[7], *row[1:4]) if moment is not None), default=None)
    return CatalogueVersion(changed_at, int(row[4]), int(row[5]), int(row[6]), details, int(row[8]))


@dataclass(frozen=True)
class SessionPageVersion:
    """What decides the public page of one session, for its cache (sessions/views/public.py).

    `stamp`: one string of the session's status and dates, its own stamp and seat counts, its
    topic's and venue's stamps, its presenters' (names), the topic's other dates the page lists
    (id, details stamp and venue's stamp of each: the page shows their date and place, not their
    seats, so a registration for one of them leaves this page alone), and what packages further
    along add for their panels (the handouts' count and newest stamp); `open` and `past`: the
    clock's part (registration open, ended; with the stamp they tell the status).
    The seat counts are there besides the stamps because `updated_at` is stamped at flush, not
    at commit (see CatalogueVersion)."""

    stamp: str
    open: bool
    past: bool


def _page_version_statement(extra: tuple) -> Select:
    """The statement of session_page_version, built once per application and set of
    `extra` parts: building it costs more than running it."""
    from app.auth.models import User
    from sessions.models import session_presenters

    statements = current_app.extensions.setdefault("startklaar.session_page_version", {})
    found = statements.get(id(extra))
    if found is not None and found[0] is extra:
        return found[1]
    presenters = (
        select(func.max(User.updated_at))
        .join(session_presenters, session_presenters.c.user_id == User.id)
        .where(session_presenters.c.session_id == InfoSession.id)
        .scalar_subquery()
    )
    now = bindparam("now", type_=InfoSession.ends_at.type)
    # The topic's next dates, as one string of "id/details stamp/venue's stamp": a derived table of its
    # own (bind parameters only: a FROM-subquery cannot see the outer row without LATERAL).
    topic_of_session = (
        select(InfoSession.topic_id).where(InfoSession.id == bindparam("session_id")).scalar_subquery()
    )
    listed = (
        catalogue_query(
            CatalogueFilters(),
            now=now,
            started_after=bindparam("started_after", type_=InfoSession.starts_at.type),
        )
        .where(InfoSession.topic_id == topic_of_session, InfoSession.id != bindparam("session_id"))
        .with_only_columns(InfoSession.id, InfoSession.details_changed_at, InfoSession.venue_id)
        .limit(NEXT_SESSIONS)
        .correlate(None)
        .subquery()
    )
    slash, empty = literal_column("'/'", String), literal_column("''", String)
    described = (
        cast(listed.c.id, String)
        + slash
        + cast(listed.c.details_changed_at, String)
        + slash
        + func.coalesce(cast(Venue.updated_at, String), empty)
    )
    following = (
        select(func.aggregate_strings(described, literal_column("','", String)))
        .select_from(listed)
        .outerjoin(Venue, Venue.id == listed.c.venue_id)
        .correlate(None)
        .scalar_subquery()
    )
    # What only has to be compared comes back as one string: the page is asked for on every
    # visit, and each column costs the driver and the ORM more than the database.
    compared = [
        InfoSession.status,
        InfoSession.starts_at,
        InfoSession.ends_at,
        InfoSession.registration_opens_at,
        InfoSession.registration_closes_at,
        InfoSession.updated_at,
        InfoSession.seats_taken,
        InfoSession.waitlist_count,
        select(Topic.updated_at).where(Topic.id == InfoSession.topic_id).scalar_subquery(),
        select(Venue.updated_at).where(Venue.id == InfoSession.venue_id).scalar_subquery(),
        presenters,
        following,
        *extra,
    ]
    # The separators and the empty string as SQL literals, not bind parameters: each parameter
    # is processed again on every execution, and this statement runs on every page view.
    bar, empty = literal_column("'|'", String), literal_column("''", String)
    stamp = empty
    for part in compared:
        stamp = stamp + bar + func.coalesce(cast(part, String), empty)
    # The clock's part is decided in SQL too (registration_is_open's twin): the row is three
    # booleans and a string, with no dates for the driver and the ORM to convert on every visit.
    statement = select(
        and_(InfoSession.status != SessionStatus.DRAFT, InfoSession.published_at.is_not(None)).label(
            "public"
        ),
        registration_open_in_sql(now).label("open"),
        (InfoSession.ends_at <= now).label("past"),
        stamp.label("stamp"),
    ).where(InfoSession.id == bindparam("session_id"))
    statements[id(extra)] = (extra, statement)
    return statement


def session_page_version(
    session_id: int, extra: tuple = (), now: datetime | None = None
) -> SessionPageVersion | None:
    """The version of a session's public page in one query, or None when the session is not
    public (a draft, or never published). `extra`: SQL expressions correlated to InfoSession
    that packages further along add (sessions.views.session_page_version_parts); pass the same
    tuple each time (its statement is kept)."""
    now = now or utcnow()
    statement = _page_version_statement(extra)
    parameters = {"session_id": session_id, "now": now, "started_after": now - LONGEST_SESSION}
    row = read_first(statement, parameters)
    if row is None or not row.public:
        return None
    return SessionPageVersion(row.stamp, bool(row.open), bool(row.past))
