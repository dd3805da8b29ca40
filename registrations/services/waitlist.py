"""The waiting list: free seats go to the first in line, and holds that were never confirmed
lapse. Every function that moves seats runs with the session locked.

A hybrid session has a waiting list per way of attending: a seat freed on site goes to the first
waiting for a seat on site, an online place to the first waiting online."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, or_, select

from app.database import atomic
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from registrations import mails
from registrations.models import Registration, RegistrationStatus
from registrations.services.data import settings
from sessions import services as sessions
from sessions.models import AttendMode, InfoSession, SessionStatus

S = RegistrationStatus


def _next_in_line(session: InfoSession, mode: AttendMode) -> Registration | None:
    query = select(Registration).where(
        Registration.session_id == session.id,
        Registration.status == S.WAITLISTED,
        Registration.email_confirmed_at.is_not(None),
    )
    if session.is_hybrid:
        query = query.where(Registration.attends == mode)
    return db.session.scalar(query.order_by(Registration.waitlisted_at, Registration.id).limit(1))


def promote_from_waitlist(
    session: InfoSession, *, now: datetime | None = None, force: bool = False, limit: int | None = None
) -> list[Registration]:
    """Give free seats to the first in line, who are confirmed and mailed at once.

    Call only with the session locked (inside a service that called lock_session). Close to
    the start (PROMOTION_CUTOFF_HOURS) nobody is promoted unless an expert forces it.
    """
    now = now or utcnow()
    if session.status != SessionStatus.PUBLISHED or session.starts_at <= now:
        return []
    if not force and session.starts_at - now < settings()["cutoff"]:
        return []
    promoted = []
    for mode in session.modes:
        while session.has_seat_for(mode) and (limit is None or len(promoted) < limit):
            registration = _next_in_line(session, mode)
            if registration is None:
                break
            registration.status, registration.confirmed_at = S.CONFIRMED, now
            session.leave_waitlist(registration.attends)
            session.take_seat(registration.attends)
            mails.queue(mails.PROMOTED, registration, f"reg:{registration.id}:promoted:{registration.token}")
            promoted.append(registration)
            db.session.flush()
    return promoted


@atomic
def promote_next(session_id: int) -> Registration:
    """An expert gives the next free seat to the first in line, also close to the start.

    Raises DomainError when no seat is free or nobody is waiting.
    """
    session = sessions.lock_session(session_id)
    if session.is_full:
        raise DomainError(_l("Er is geen plaats vrij. Verhoog eerst de capaciteit."))
    promoted = promote_from_waitlist(session, force=True, limit=1)
    if not promoted:
        raise DomainError(_l("Er staat niemand (met een bevestigd e-mailadres) op de wachtlijst."))
    db.session.commit()
    return promoted[0]


# Holds past their time, and waiting-list places whose address nobody confirmed as long: the
# parameters are _stale_at(now). Asked on every registration for a full session, so built once
# (see app.database).
_STALE = or_(
    (Registration.status == S.PENDING) & (Registration.hold_expires_at <= bindparam("now")),
    (Registration.status == S.WAITLISTED)
    & Registration.email_confirmed_at.is_(None)
    & (Registration.waitlisted_at <= bindparam("waitlisted_by")),
)
_STALE_IDS = select(Registration.id).where(Registration.session_id == bindparam("session_id"), _STALE)


def _stale_at(now: datetime) -> dict:
    return {"now": now, "waitlisted_by": now - settings()["hold"]}


def expire_stale(session: InfoSession, now: datetime) -> int:
    """Within the session's lock: release holds that were never confirmed, drop unconfirmed
    waiting-list places past the same delay, and let the waiting list move."""
    # Nearly always none: their ids first, and the rows only when there are some.
    ids = db.session.scalars(_STALE_IDS, {"session_id": session.id, **_stale_at(now)}).all()
    stale = db.session.scalars(select(Registration).where(Registration.id.in_(ids))).all() if ids else []
    for registration in stale:
        if registration.status == S.PENDING:
            session.give_back_seat(registration.attends)
        else:
            session.leave_waitlist(registration.attends)
        registration.status, registration.hold_expires_at = S.EXPIRED, None
    if stale:
        db.session.flush()
        promote_from_waitlist(session, now=now)
    return len(stale)


@atomic
def expire_holds(now: datetime | None = None) -> int:
    """Release every lapsed hold (run by the scheduler; registering also does it per session)."""
    now = now or utcnow()
    session_ids = db.session.scalars(
        select(Registration.session_id).where(_STALE).distinct(), _stale_at(now)
    ).all()
    released = 0
    for session_id in session_ids:
        session = sessions.lock_session(session_id)
        released += expire_stale(session, now)
        db.session.commit()
    return released
