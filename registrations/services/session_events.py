"""What registrations do when their session changes (receivers of the sessions' signals, run
inside the sessions service's transaction with the session row locked; they never commit)."""

from __future__ import annotations

from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from registrations import mails
from registrations.models import Registration, RegistrationStatus
from registrations.services.waitlist import promote_from_waitlist
from sessions.models import InfoSession

S = RegistrationStatus


def _active(session_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration).where(
                Registration.session_id == session_id,
                Registration.status.in_((S.PENDING, S.CONFIRMED, S.WAITLISTED)),
            )
        )
    )


def on_session_rescheduled(session: InfoSession, changes: set[str], **_kw) -> None:
    """Time or place changed: every active registrant gets the updated invitation (SEQUENCE up)."""
    for registration in _active(session.id):
        mails.queue(
            mails.UPDATED,
            registration,
            f"reg:{registration.id}:update:{session.sequence}",
            changes=sorted(changes),
        )


def on_session_cancelled(session: InfoSession, **_kw) -> None:
    """The session is off: every active registrant is told why, with the next dates of the topic
    (as they are when the mail goes out)."""
    now = utcnow()
    for registration in _active(session.id):
        registration.status, registration.cancelled_at, registration.hold_expires_at = S.CANCELLED, now, None
        mails.queue(
            mails.SESSION_CANCELLED,
            registration,
            f"reg:{registration.id}:session-cancelled",
            reason=session.cancel_reason or "",
        )
    session.seats_taken = session.waitlist_count = 0
    session.online_seats_taken = session.online_waitlist_count = 0


def on_capacity_raised(session: InfoSession, **_kw) -> None:
    promote_from_waitlist(session)
