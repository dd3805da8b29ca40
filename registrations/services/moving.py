"""Moving a registration to another session: staff do it for the person."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.database import atomic
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from registrations import mails
from registrations.models import Registration, RegistrationStatus, new_token
from registrations.services.waitlist import promote_from_waitlist
from sessions import services as sessions
from sessions.models import InfoSession, SessionStatus

S = RegistrationStatus


@atomic
def move_registration(
    registration: Registration, target_session_id: int, now: datetime | None = None
) -> Registration:
    """Move someone to another session: their seat there (or its waiting list), and the seat
    they leave goes to the first in line of the old session.

    Raises DomainError when the target is the same session, not open, or already has them.
    """
    now = now or utcnow()
    if target_session_id == registration.session_id:
        raise DomainError(_l("Kies een andere sessie."), field="target_session_id")
    target = sessions.get_session(target_session_id)
    if target.status != SessionStatus.PUBLISHED or target.starts_at <= now:
        raise DomainError(_l("Naar die sessie kun je niemand verplaatsen."), field="target_session_id")
    # Lock both sessions in id order, so two moves in opposite directions cannot deadlock.
    first, second = sorted((registration.session_id, target_session_id))
    locked = {first: sessions.lock_session(first)}
    locked[second] = db.session.scalar(
        select(InfoSession)
        .where(InfoSession.id == second)
        .with_for_update(of=InfoSession)
        .execution_options(populate_existing=True)
    )
    registration = db.session.get(Registration, registration.id, populate_existing=True)
    source, target = locked[registration.session_id], locked[target_session_id]
    clash = (
        db.session.scalar(
            select(Registration).where(
                Registration.session_id == target.id, Registration.email == registration.email
            )
        )
        if registration.email is not None  # a companion without an address clashes with nobody
        else None
    )
    if clash is not None and clash.status not in (S.CANCELLED, S.EXPIRED):
        raise DomainError(_l("Deze persoon is al ingeschreven voor die sessie."), field="target_session_id")
    if clash is not None:
        # An old cancelled or lapsed registration there is superseded by the one moving in.
        db.session.delete(clash)
        db.session.flush()
    if registration.status in (S.PENDING, S.CONFIRMED):
        source.give_back_seat(registration.attends)
    elif registration.status == S.WAITLISTED:
        source.leave_waitlist(registration.attends)
    else:
        raise DomainError(_l("Enkel actieve inschrijvingen kun je verplaatsen."))
    registration.session_id = target.id
    registration.session = target
    # On site stays on site where the target offers it; an online attendee stays online.
    registration.attends = target.attend_mode(registration.attends)
    registration.token = new_token()  # links in mails about the old session stop working
    registration.email_confirmed_at = registration.email_confirmed_at or now
    if target.has_seat_for(registration.attends):
        target.take_seat(registration.attends)
        registration.status, registration.confirmed_at, registration.hold_expires_at = S.CONFIRMED, now, None
    else:
        target.join_waitlist(registration.attends)
        registration.status, registration.waitlisted_at = S.WAITLISTED, now
    db.session.flush()
    mails.queue(mails.MOVED, registration, f"reg:{registration.id}:moved:{registration.token}")
    promote_from_waitlist(source, now=now)
    db.session.commit()
    return registration
