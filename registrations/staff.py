"""The expert's side of a session's registrations: the list, the counts, the hand-made changes and
the CSV/XLSX export.

The rules themselves (capacity, waiting list, moving, promoting) stay in `registrations.services`;
this module reads for the staff pages in a fixed number of queries whatever the list's length, and
wraps the services' writes so that a refused change never leaves the session's lock behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from app import tabular
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.geo import PROVINCES
from app.timezone import local
from registrations import labels, services
from registrations.models import Registration, RegistrationSource, RegistrationStatus
from sessions.labels import attend_label
from sessions.models import InfoSession, SessionStatus

S = RegistrationStatus

SOURCES = {
    RegistrationSource.ONLINE: _l("online"),
    RegistrationSource.STAFF: _l("door een medewerker"),
    RegistrationSource.WALK_IN: _l("ter plaatse"),
}
# The order of the list when it is not filtered: who holds a seat, then who waits (in line), then
# the rest.
STATUS_ORDER = (S.CONFIRMED, S.PENDING, S.WAITLISTED, S.ATTENDED, S.NO_SHOW, S.CANCELLED, S.EXPIRED)
# The counts the panel always shows; the others only once they happen.
MAIN_STATUSES = (S.CONFIRMED, S.PENDING, S.WAITLISTED, S.CANCELLED)
SEARCH_MAX_LENGTH = 100
MOVE_TARGETS_LIMIT = 60


@dataclass(frozen=True)
class Row:
    registration: Registration
    waitlist_position: int | None


@dataclass(frozen=True)
class Overview:
    session: InfoSession
    rows: list[Row]
    counts: dict[str, int]
    can_move: bool
    status: RegistrationStatus | None
    search: str
    # Close to the start the waiting list only moves when an expert promotes someone by hand.
    promotion_paused: bool

    @property
    def filtered(self) -> bool:
        return self.status is not None or bool(self.search)

    @property
    def waiting(self) -> int:
        return self.counts.get(S.WAITLISTED.value, 0)


# --------------------------------------------------------------------------- reading


def parse_status(value: str | None) -> RegistrationStatus | None:
    """A status from a query string; anything unknown means "all"."""
    try:
        return RegistrationStatus(value) if value else None
    except ValueError:
        return None


def clean_search(value: str | None) -> str:
    return " ".join((value or "").split())[:SEARCH_MAX_LENGTH]


def list_rows(session_id: int, *, status: RegistrationStatus | None = None, search: str = "") -> list[Row]:
    """A session's registrations with their place on the waiting list, in one query.

    `search` matches first name, last name, "first last" and e-mail, case-insensitively, as a
    plain substring (% and _ are no wildcards). The waiting-list position counts everyone in line
    for the session (address confirmed), whatever the filter shows, as `services.waitlist_position`.
    """
    waiting = (
        select(
            Registration.id.label("registration_id"),
            func.row_number().over(order_by=(Registration.waitlisted_at, Registration.id)).label("position"),
        )
        .where(
            Registration.session_id == session_id,
            Registration.status == S.WAITLISTED,
            Registration.email_confirmed_at.is_not(None),  # not in line before the address is confirmed
        )
        .subquery()
    )
    rank = case(*((Registration.status == value, n) for n, value in enumerate(STATUS_ORDER)), else_=99)
    query = (
        select(Registration, waiting.c.position)
        .outerjoin(waiting, waiting.c.registration_id == Registration.id)
        .options(selectinload(Registration.companion_of))
        .where(Registration.session_id == session_id)
    )
    if status is not None:
        query = query.where(Registration.status == status)
    search = clean_search(search).lower()
    if search:
        full_name = func.lower(Registration.first_name + " " + Registration.last_name)
        query = query.where(
            or_(
                full_name.contains(search, autoescape=True),
                func.lower(Registration.email).contains(search, autoescape=True),
            )
        )
    query = query.order_by(
        rank,
        waiting.c.position,
        func.lower(Registration.last_name),
        func.lower(Registration.first_name),
        Registration.id,
    )
    return [Row(registration, position) for registration, position in db.session.execute(query)]


def _targets(session: InfoSession, now: datetime):
    return select(InfoSession).where(
        InfoSession.status == SessionStatus.PUBLISHED,
        InfoSession.starts_at > now,
        InfoSession.id != session.id,
    )


def move_targets(session: InfoSession, now: datetime | None = None) -> list[InfoSession]:
    """Sessions someone can be moved to: published, not started, any topic, soonest first."""
    now = now or utcnow()
    query = _targets(session, now).order_by(InfoSession.starts_at, InfoSession.id).limit(MOVE_TARGETS_LIMIT)
    return list(db.session.scalars(query))


def can_move(session: InfoSession, now: datetime | None = None) -> bool:
    """Is there a session to move its registrations to (the panel links to the move page)?"""
    now = now or utcnow()
    return session.ends_at > now and bool(db.session.scalar(select(_targets(session, now).exists())))


def promotion_paused(session: InfoSession, now: datetime | None = None) -> bool:
    now = now or utcnow()
    cutoff = timedelta(hours=current_app.config.get("PROMOTION_CUTOFF_HOURS", 12))
    return session.status == SessionStatus.PUBLISHED and now < session.starts_at < now + cutoff


def overview(session: InfoSession, *, status: RegistrationStatus | None = None, search: str = "") -> Overview:
    """Everything the session page's registrations panel shows: three queries, whatever the size."""
    now = utcnow()
    return Overview(
        session=session,
        rows=list_rows(session.id, status=status, search=search),
        counts=services.status_counts(session.id),
        can_move=can_move(session, now),
        status=status,
        search=clean_search(search),
        promotion_paused=promotion_paused(session, now),
    )


# --------------------------------------------------------------------------- changing


def _waiting_ids(session_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Registration.id).where(
                Registration.session_id == session_id, Registration.status == S.WAITLISTED
            )
        )
    )


def _promoted_among(ids: list[int]) -> list[Registration]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.id.in_(ids), Registration.status == S.CONFIRMED)
            .order_by(Registration.confirmed_at, Registration.id)
        )
    )


@dataclass(frozen=True)
class Change:
    registration: Registration
    # Who got the seat that came free through this change (the old session's waiting list).
    promoted: list[Registration]


def add_registration(
    session_id: int, data: services.RegistrationData, *, over_capacity: bool = False
) -> services.Outcome:
    """An expert registers someone by hand (phone, walk-in at the desk): confirmed at once, or on
    the waiting list when the session is full, unless `over_capacity` seats them anyway.

    Raises DomainError (with the field it belongs to) for bad data or a closed session.
    """
    return services.register(session_id, data, source=RegistrationSource.STAFF, over_capacity=over_capacity)


def cancel(session_id: int, registration_id: int) -> Change:
    """Cancel a registration for the person; the seat goes to the first in line (as the services'
    cut-off allows). Raises NotFound, or DomainError when it is no longer active."""
    registration = services.get_registration(session_id, registration_id)
    if not registration.status.is_active:
        raise DomainError(_l("Deze inschrijving is niet meer actief; er valt niets te annuleren."))
    waiting = _waiting_ids(session_id)
    registration = services.cancel_registration(registration)
    return Change(registration, _promoted_among(waiting))


def move(session_id: int, registration_id: int, target_session_id: int) -> Change:
    """Move someone to another session (a seat there, or its waiting list); their old seat goes
    to the first in line. Raises NotFound, or DomainError (field "target_session_id")."""
    registration = services.get_registration(session_id, registration_id)
    waiting = _waiting_ids(session_id)
    registration = services.move_registration(registration, target_session_id)
    return Change(registration, _promoted_among(waiting))


def promote(session_id: int) -> Registration:
    """Give the free seat to the first in line now, also close to the start.

    Raises DomainError when no seat is free or nobody (with a confirmed address) is waiting.
    """
    return services.promote_next(session_id)


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class Column:
    """A column of the export (app.tabular reads header, number_format and width)."""

    header: object  # a lazy string: translated when the file is built
    value: Callable[[Row], object]
    # How Excel shows a date or a datetime; None for text and numbers.
    number_format: str | None = None
    width: int = 16


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_l("ja") if value else _l("nee"))


def _local(value: datetime | None) -> datetime | None:
    return local(value).replace(tzinfo=None, microsecond=0) if value else None


def _province(code: str | None) -> str:
    return str(PROVINCES[code]) if code in PROVINCES else (code or "")


def _companion_of(registration: Registration) -> str:
    """Whom a companion came with (the person who registered them), or empty."""
    return registration.companion_of.full_name if registration.companion_of is not None else ""


def _r(name: str) -> Callable[[Row], object]:
    return lambda row: getattr(row.registration, name)


def _label(mapping: dict, name: str) -> Callable[[Row], str]:
    return lambda row: labels.label(mapping, getattr(row.registration, name))


DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
COLUMNS = (
    Column(_l("Nr."), _r("id"), width=8),
    Column(_l("Voornaam"), _r("first_name")),
    Column(_l("Achternaam"), _r("last_name")),
    Column(_l("E-mailadres"), _r("email"), width=30),
    Column(_l("Begeleider van"), lambda row: _companion_of(row.registration), width=30),
    Column(_l("Telefoon"), _r("phone")),
    Column(_l("Status"), _label(labels.STATUSES, "status")),
    Column(_l("Plaats op de wachtlijst"), lambda row: row.waitlist_position, width=10),
    Column(_l("Bron"), _label(SOURCES, "source")),
    Column(_l("Deelname"), lambda row: attend_label(row.registration.mode), width=12),
    Column(_l("Ingeschreven op"), lambda row: _local(row.registration.created_at), DATETIME_FORMAT),
    Column(_l("Bevestigd op"), lambda row: _local(row.registration.confirmed_at), DATETIME_FORMAT),
    Column(_l("Op de wachtlijst sinds"), lambda row: _local(row.registration.waitlisted_at), DATETIME_FORMAT),
    Column(_l("Geannuleerd op"), lambda row: _local(row.registration.cancelled_at), DATETIME_FORMAT),
    Column(_l("Aangemeld op de sessie"), lambda row: _local(row.registration.checked_in_at), DATETIME_FORMAT),
    Column(_l("Postcode"), _r("postcode"), width=10),
    Column(_l("Gemeente"), _r("municipality")),
    Column(_l("Provincie"), lambda row: _province(row.registration.province)),
    Column(_l("Type opvang"), _label(labels.CHILDCARE_TYPES, "childcare_type"), width=30),
    Column(_l("Geplande plaatsen"), _r("planned_places"), width=10),
    # A month, never a day: Excel writes "mei 2027" in its own language, and still sorts it.
    Column(_l("Geplande start"), _r("planned_start"), "mmmm yyyy", width=16),
    Column(_l("Ondernemingsvorm"), _label(labels.LEGAL_FORMS, "legal_form")),
    Column(_l("Ondernemingsnummer"), _r("enterprise_number")),
    Column(_l("Statuut"), _label(labels.STATUTES, "statute"), width=30),
    Column(_l("Ervaring in de kinderopvang"), _label(labels.EXPERIENCE, "experience")),
    Column(_l("Kwalificatie"), _label(labels.QUALIFICATIONS, "qualification"), width=30),
    Column(_l("21 jaar of ouder"), lambda row: _yes_no(row.registration.is_21_or_older), width=10),
    Column(_l("Locatie"), _label(labels.LOCATIONS, "location"), width=30),
    Column(_l("Vragen"), _r("questions"), width=50),
    Column(_l("Wil nieuws over latere sessies"), lambda row: _yes_no(row.registration.news_opt_in), width=10),
    Column(_l("Versie privacyverklaring"), _r("privacy_version"), width=10),
    Column(_l("Toestemming gegeven op"), lambda row: _local(row.registration.consented_at), DATETIME_FORMAT),
)


def export_filename(session: InfoSession, extension: str) -> str:
    return f"inschrijvingen-{local(session.starts_at):%Y-%m-%d}-{session.topic.slug}-{session.id}.{extension}"


def _answer(key: str) -> Callable[[Row], object]:
    def value(row: Row) -> object:
        answer = next((a for a in row.registration.answers or [] if a.get("key") == key), None)
        if answer is None:
            return ""
        return answer["value"] if answer.get("kind") == "number" else answer.get("text", "")

    return value


def _columns(rows: list[Row]) -> list[Column]:
    """The fixed columns, then one per question the team asked (its label as answered), in the
    order they first appear, so a question changed or deleted later still has its column."""
    asked: dict[str, str] = {}
    for row in rows:
        for answer in row.registration.answers or []:
            asked.setdefault(answer["key"], answer.get("label") or answer["key"])
    return [*COLUMNS, *(Column(label, _answer(key), width=30) for key, label in asked.items())]


def _table(columns: list[Column], rows: list[Row]) -> list[list[object]]:
    return [[column.value(row) for column in columns] for row in rows]


def export_csv(session: InfoSession, *, status: RegistrationStatus | None = None, search: str = "") -> bytes:
    """The registrations as CSV for Excel in Belgium (app.tabular): labels rather than codes,
    times in Europe/Brussels, formulas defused."""
    rows = list_rows(session.id, status=status, search=search)
    columns = _columns(rows)
    return tabular.to_csv(columns, _table(columns, rows))


def export_xlsx(session: InfoSession, *, status: RegistrationStatus | None = None, search: str = "") -> bytes:
    """The same list as an Excel workbook: real dates, text cells that never turn into formulas."""
    rows = list_rows(session.id, status=status, search=search)
    columns = _columns(rows)
    return tabular.to_xlsx(str(_l("Inschrijvingen")), columns, _table(columns, rows))
