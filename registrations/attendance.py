"""Who came: check-in at the door, attendance of online sessions, and what completing a session
means for the registrations that were never checked in.

A check-in makes a registration attended at once (an undo makes it confirmed again, or a no-show
once the session is completed). `registration_attended` goes out the first time a registration
becomes attended and never again, whatever undos and redos follow (`first_attended_at`).

Seats: once a person holds a seat it stays counted in `InfoSession.seats_taken` whatever happens
at the door — attended and no-show registrations keep theirs, so after the session the count says
how many seats were booked. Only two things change it here: someone from the waiting list who
turns up and is let in takes a seat (over the capacity if need be: the presenter saw them come
in), and a hold that was never confirmed lapses when the session is completed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.auth.models import Role, User
from app.auth.services import normalise_email
from app.database import atomic
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from registrations import links, services, signals
from registrations.attendee_lists import fold, parse_attendee_list
from registrations.models import Registration, RegistrationSource, RegistrationStatus
from sessions import services as sessions
from sessions.models import InfoSession, SessionStatus

S = RegistrationStatus

# Check-in opens this long before the start: presenters tick people in at the door, not a week early.
CHECKIN_OPENS_BEFORE = timedelta(hours=6)
# The people the check-in page lists, in this order of sections.
LISTED = (S.CONFIRMED, S.PENDING, S.ATTENDED, S.NO_SHOW, S.WAITLISTED)
CAN_CHECK_IN = (S.CONFIRMED, S.PENDING, S.NO_SHOW, S.WAITLISTED)
QR_LINK_AFTER_SESSION = timedelta(days=30)


# --------------------------------------------------------------------------- who may


def may_check_in(user: User, session: InfoSession) -> bool:
    """Experts and admins for every session; anyone else only for a session they present."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role in (Role.EXPERT, Role.ADMIN):
        return True
    return any(presenter.id == user.id for presenter in session.presenters)


def opens_hours() -> int:
    return int(CHECKIN_OPENS_BEFORE.total_seconds() // 3600)


def checkin_is_open(session: InfoSession, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if session.status == SessionStatus.COMPLETED:
        return True  # corrections after the evening stay possible
    return session.status == SessionStatus.PUBLISHED and now >= session.starts_at - CHECKIN_OPENS_BEFORE


# --------------------------------------------------------------------------- reading


def checkin_list(session_id: int, search: str = "") -> list[Registration]:
    """The people the door needs: everyone with a seat, a hold or a place in line, by last name.

    `search` matches first name, last name and "first last" ignoring case and accents, so
    'chloe' finds 'Chloé' as the page's script does.
    """
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.session_id == session_id, Registration.status.in_(LISTED))
        .order_by(func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id)
    ).all()
    wanted = fold(search)
    if not wanted:
        return list(rows)
    return [
        r
        for r in rows
        if wanted in fold(f"{r.first_name} {r.last_name}") or wanted in fold(f"{r.last_name} {r.first_name}")
    ]


@dataclass(frozen=True)
class Counts:
    expected: int  # confirmed, pending, attended and no-show: everyone who held a seat
    present: int
    no_show: int
    walk_ins: int


def counts(session_id: int) -> Counts:
    by_status = services.status_counts(session_id)
    walk_ins = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.session_id == session_id,
            Registration.source == RegistrationSource.WALK_IN,
            Registration.status == S.ATTENDED,
        )
    )
    expected = sum(by_status[s.value] for s in (S.CONFIRMED, S.PENDING, S.ATTENDED, S.NO_SHOW))
    return Counts(
        expected=expected,
        present=by_status[S.ATTENDED.value],
        no_show=by_status[S.NO_SHOW.value],
        walk_ins=walk_ins or 0,
    )


# --------------------------------------------------------------------------- the QR code


def by_checkin_token(signed: str, session_id: int | None = None, now: datetime | None = None) -> Registration:
    """The registration a check-in token points to; raises NotFound for a bad token, one whose
    registration got a new token (registered anew, moved), one of another session when
    `session_id` is given, or one whose session ended more than QR_LINK_AFTER_SESSION ago."""
    now = now or utcnow()
    try:
        token = links.read_checkin_token(signed)
    except links.LinkInvalid as error:
        raise NotFound(_l("Deze code klopt niet of is verlopen.")) from error
    registration = db.session.scalar(select(Registration).where(Registration.token == token))
    if (
        registration is None
        or (session_id is not None and registration.session_id != session_id)
        or registration.session.ends_at < now - QR_LINK_AFTER_SESSION
    ):
        raise NotFound(_l("Deze code klopt niet of is verlopen."))
    return registration


def qr_png(url: str) -> bytes:
    import qrcode

    image = qrcode.make(url, box_size=8, border=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --------------------------------------------------------------------------- writing


def _mark_attended(session: InfoSession, registration: Registration, by: User | None, now: datetime) -> bool:
    """Within the session's lock: make one registration attended; False when it already was."""
    if registration.status == S.ATTENDED:
        return False
    if registration.status not in CAN_CHECK_IN:
        raise DomainError(_l("Deze inschrijving is geannuleerd of vervallen; schrijf de persoon opnieuw in."))
    if registration.status == S.WAITLISTED:
        # They came anyway and the presenter lets them in: they take a seat, capacity or not.
        session.leave_waitlist(registration.attends)
        session.take_seat(registration.attends)
        registration.confirmed_at = now
    elif registration.status == S.PENDING:
        registration.hold_expires_at = None
        registration.confirmed_at = now
    registration.status = S.ATTENDED
    registration.checked_in_at = now
    registration.checked_in_by_id = by.id if by is not None else None
    if registration.first_attended_at is None:
        registration.first_attended_at = now
        signals.registration_attended.send(registration)
    return True


@atomic
def check_in(registration: Registration, by_user: User | None, now: datetime | None = None) -> Registration:
    """Tick someone present. Idempotent (a second tick changes nothing).

    A waiting-list person who turns up takes a seat; a pending one counts as confirmed.
    Raises DomainError before check-in opens (CHECKIN_OPENS_BEFORE the start), for a cancelled
    or draft session, and for a cancelled or lapsed registration.
    """
    now = now or utcnow()
    session, registration = services.lock_registration(registration)
    if not checkin_is_open(session, now):
        raise DomainError(_l("Aanmelden kan pas vanaf %(hours)s uur voor de start.", hours=opens_hours()))
    _mark_attended(session, registration, by_user, now)
    db.session.commit()
    return registration


@atomic
def undo_check_in(registration: Registration) -> Registration:
    """Take back a tick: confirmed again, or a no-show once the session is completed.

    The seat stays taken. Undoing what is not checked in changes nothing.
    """
    session, registration = services.lock_registration(registration)
    if registration.status == S.ATTENDED:
        registration.status = S.NO_SHOW if session.status == SessionStatus.COMPLETED else S.CONFIRMED
        registration.checked_in_at = None
        registration.checked_in_by_id = None
    db.session.commit()
    return registration


@atomic
def mark_attendance(
    session_id: int, registration_ids: list[int], by_user: User | None, now: datetime | None = None
) -> int:
    """Mark several registrations of an (online) session attended at once; returns how many
    changed. Ids of other sessions are ignored. Raises DomainError as check_in does."""
    now = now or utcnow()
    session = sessions.lock_session(session_id)
    if not checkin_is_open(session, now):
        raise DomainError(
            _l("Aanwezigheden aanduiden kan pas vanaf %(hours)s uur voor de start.", hours=opens_hours())
        )
    changed = 0
    for registration in db.session.scalars(
        select(Registration).where(
            Registration.session_id == session.id, Registration.id.in_(registration_ids)
        )
    ):
        if registration.status in CAN_CHECK_IN:
            changed += _mark_attended(session, registration, by_user, now)
    db.session.commit()
    return changed


@dataclass
class ImportReport:
    """What an attendee list did: who was marked, who already was, and the rows nobody matched."""

    marked: list[Registration] = field(default_factory=list)
    already: list[Registration] = field(default_factory=list)
    by_name: list[Registration] = field(default_factory=list)  # matched on the name, not the e-mail
    unmatched: list[str] = field(default_factory=list)  # the rows as the file had them


@atomic
def import_attendees(
    session_id: int, data: bytes, by_user: User | None = None, now: datetime | None = None
) -> ImportReport:
    """Mark attended everyone on a meeting tool's attendee list.

    A row matches a registration of the session by e-mail (case-insensitive); a row whose
    address matches nobody (people join with a work address) matches by name instead, ignoring
    case and accents, but only when exactly one registrant has that name. Rows that match
    nobody are reported, not guessed. Raises DomainError for an unreadable file, or as check_in.
    """
    now = now or utcnow()
    people = parse_attendee_list(data)
    session = sessions.lock_session(session_id)
    if not checkin_is_open(session, now):
        raise DomainError(
            _l("Aanwezigheden aanduiden kan pas vanaf %(hours)s uur voor de start.", hours=opens_hours())
        )
    registrations = db.session.scalars(
        select(Registration).where(
            Registration.session_id == session.id,
            or_(Registration.status.in_(CAN_CHECK_IN), Registration.status == S.ATTENDED),
        )
    ).all()
    by_email = {r.email.lower(): r for r in registrations if r.email}  # a companion may have none
    by_name: dict[str, list[Registration]] = {}
    for r in registrations:
        by_name.setdefault(fold(r.full_name), []).append(r)
    report = ImportReport()
    seen: set[int] = set()
    for name, email in people:
        match = None
        if email:
            try:
                match = by_email.get(normalise_email(email))
            except DomainError:
                match = None
        named = False
        if match is None and name:
            candidates = by_name.get(fold(name), [])
            if len(candidates) == 1:
                match, named = candidates[0], True
        if match is None:
            report.unmatched.append(", ".join(part for part in (name, email) if part))
            continue
        if match.id in seen:
            continue  # a person who joined twice (lost connection) counts once
        seen.add(match.id)
        if _mark_attended(session, match, by_user, now):
            report.marked.append(match)
            if named:
                report.by_name.append(match)
        else:
            report.already.append(match)
    db.session.commit()
    return report


# --------------------------------------------------------------------------- walk-ins


def register_walk_in(
    session_id: int, data: services.RegistrationData, by_user: User | None, *, over_capacity: bool = False
) -> services.Outcome:
    """Someone at the door who had not registered: registered the normal way (a confirmation mail
    with their links), then checked in. A full session puts them on the waiting list unless the
    presenter ticks `over_capacity`; then they are not checked in. Raises DomainError (with the
    form field) for bad data, someone already registered, or a closed session."""
    session = sessions.get_session(session_id)
    if not checkin_is_open(session):
        raise DomainError(_l("Aanmelden kan pas vanaf %(hours)s uur voor de start.", hours=opens_hours()))
    outcome = services.register(
        session_id, data, source=RegistrationSource.WALK_IN, over_capacity=over_capacity
    )
    if outcome.registration.status == S.CONFIRMED:
        check_in(outcome.registration, by_user)
    return outcome


# --------------------------------------------------------------------------- completing a session


def on_session_completed(session: InfoSession, **_kw) -> None:
    """The session is held (receiver of sessions.signals.session_completed, inside its locked
    transaction): whoever held a confirmed seat and was not checked in is a no-show; a hold
    never confirmed lapses and gives back its seat. Checked-in people are attended already."""
    for registration in db.session.scalars(
        select(Registration).where(
            Registration.session_id == session.id, Registration.status.in_((S.CONFIRMED, S.PENDING))
        )
    ):
        if registration.status == S.CONFIRMED:
            registration.status = S.NO_SHOW
        else:
            registration.status, registration.hold_expires_at = S.EXPIRED, None
            session.give_back_seat(registration.attends)
