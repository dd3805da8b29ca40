"""Finding registrations: by a signed link, by id within a session, lists and counts, the place in
line; and locking one with its session before a change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, or_, select, true
from sqlalchemy.orm import lazyload

from app.errors import NotFound
from app.extensions import db
from registrations import links
from registrations.models import Registration, RegistrationStatus
from sessions import services as sessions
from sessions.models import InfoSession

S = RegistrationStatus


# Every link in a mail and every change to a registration sends these: built once (see app.database).
_BY_TOKEN = select(Registration).where(Registration.token == bindparam("token"))
# Its session is the one just locked (and already in the identity map): no join again.
_FRESH = (
    select(Registration)
    .where(Registration.id == bindparam("id"))
    .options(lazyload(Registration.session))
    .execution_options(populate_existing=True)
)


def get_by_link(signed: str, purpose: str) -> Registration:
    """The registration a signed link points to; raises NotFound for a bad or expired link."""
    try:
        token = links.read_token(signed, purpose)
    except links.LinkExpired as error:
        raise NotFound(_l("Deze link is verlopen.")) from error
    except links.LinkInvalid as error:
        raise NotFound(_l("Deze link klopt niet.")) from error
    registration = db.session.scalar(_BY_TOKEN, {"token": token})
    if registration is None:
        raise NotFound(_l("Deze link is niet meer geldig."))
    return registration


def get_registration(session_id: int, registration_id: int) -> Registration:
    """A registration of this session; raises NotFound for another session's or an unknown id."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.session_id != session_id:
        raise NotFound(_l("Deze inschrijving bestaat niet (meer)."))
    return registration


def lock_registration(registration: Registration) -> tuple[InfoSession, Registration]:
    """Lock the registration's session (sessions.lock_session) and re-read both on fresh data.
    Call it first in a service that changes the registration."""
    # Read the keys first: taking the lock commits, which expires the row (one more SELECT).
    registration_id, session_id = registration.id, registration.session_id
    session = sessions.lock_session(session_id)
    return session, reread(registration_id)


def reread(registration_id: int) -> Registration | None:
    """The registration read afresh, with its session locked (lock_session) by the caller."""
    return db.session.scalar(_FRESH, {"id": registration_id})


def list_registrations(
    session_id: int, *, status: RegistrationStatus | None = None, search: str | None = None
) -> list[Registration]:
    query = select(Registration).where(Registration.session_id == session_id)
    if status is not None:
        query = query.where(Registration.status == status)
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Registration.first_name).like(like),
                func.lower(Registration.last_name).like(like),
                func.lower(Registration.email).like(like),
            )
        )
    return list(
        db.session.scalars(query.order_by(Registration.status, Registration.last_name, Registration.id))
    )


def status_counts(session_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.session_id == session_id)
        .group_by(Registration.status)
    ).all()
    counts = {status.value: 0 for status in RegistrationStatus}
    counts.update({status.value: n for status, n in rows})
    return counts


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != S.WAITLISTED or registration.email_confirmed_at is None:
        return None  # not in line until the address is confirmed
    same_line = (  # a hybrid session has a line per way of attending
        Registration.attends == registration.attends if registration.session.is_hybrid else true()
    )
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            same_line,
            Registration.session_id == registration.session_id,
            Registration.status == S.WAITLISTED,
            Registration.email_confirmed_at.is_not(None),
            or_(
                Registration.waitlisted_at < registration.waitlisted_at,
                (Registration.waitlisted_at == registration.waitlisted_at)
                & (Registration.id < registration.id),
            ),
        )
    )
    return (ahead or 0) + 1
