"""Moving a registration to another session: staff do it for the person, or the person does it
from their manage page (`by_self`), within the rules of `self_move_refusal`."""

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
from registrations.services.data import settings
from registrations.services.waitlist import promote_from_waitlist
from sessions import services as sessions
from sessions.models import InfoSession, SessionStatus

S = RegistrationStatus
# Whom a person may move themselves: a seat or a place on a waiting list (not a hold they never
# confirmed: that one they confirm or let lapse).
SELF_MOVABLE = (S.CONFIRMED, S.WAITLISTED)


def self_move_refusal(registration: Registration, target: InfoSession | None, now: datetime | None = None):
    """Why the person cannot move this registration themselves (to `target`, or to any date when
    None): a message, or None when they can. The promotion cut-off (PROMOTION_CUTOFF_HOURS)
    applies to both sessions: close to the start the seats and waiting lists stay as they are."""
    now = now or utcnow()
    cutoff = settings()["cutoff"]
    hours = int(cutoff.total_seconds() // 3600)
    source = registration.session
    if registration.status not in SELF_MOVABLE:
        return _l("Enkel een bevestigde inschrijving of een plaats op de wachtlijst kun je verplaatsen.")
    if source.status != SessionStatus.PUBLISHED or source.starts_at <= now or source.starts_at - now < cutoff:
        return _l(
            "Je sessie begint binnen %(hours)s uur: verplaatsen kan nu niet meer. Annuleren kan nog wel.",
            hours=hours,
        )
    if target is None:
        return None
    if target.id == source.id or target.topic_id != source.topic_id:
        return _l("Je kunt enkel verplaatsen naar een andere datum van dezelfde infosessie.")
    if target.starts_at <= now:
        return _l("Die sessie is al begonnen. Kies een andere datum.")
    if target.starts_at - now < cutoff:
        return _l("Die datum begint binnen %(hours)s uur. Kies een latere datum.", hours=hours)
    if not sessions.registration_is_open(target, now):
        return _l("Voor die datum kun je je niet meer inschrijven. Kies een andere datum.")
    return None


def move_choices(registration: Registration, now: datetime | None = None) -> list[tuple[InfoSession, bool]]:
    """The other dates of the same topic the person can move to themselves, soonest first, each
    with whether a seat is free there for them (otherwise they would join its waiting list)."""
    now = now or utcnow()
    if self_move_refusal(registration, None, now) is not None:
        return []
    candidates = db.session.scalars(
        select(InfoSession)
        .where(
            InfoSession.topic_id == registration.session.topic_id,
            InfoSession.id != registration.session_id,
            InfoSession.status == SessionStatus.PUBLISHED,
            InfoSession.starts_at > now,
        )
        .order_by(InfoSession.starts_at, InfoSession.id)
    )
    taken = set(
        db.session.scalars(
            select(Registration.session_id).where(
                Registration.email == registration.email,
                Registration.status.not_in((S.CANCELLED, S.EXPIRED)),
            )
        )
    )
    return [
        (target, target.has_seat_for(target.attend_mode(registration.attends)))
        for target in candidates
        if target.id not in taken and self_move_refusal(registration, target, now) is None
    ]


@atomic
def move_registration(
    registration: Registration, target_session_id: int, now: datetime | None = None, *, by_self: bool = False
) -> Registration:
    """Move someone to another session: their seat there (or its waiting list), and the seat
    they leave goes to the first in line of the old session. `by_self`: the person moves
    themselves, only as `self_move_refusal` allows.

    Mails: the move (with the new session's invitation when they have a seat there) and, when
    they had a seat in the old session, its invitation cancelled (METHOD:CANCEL, same UID).

    Raises DomainError when the target is the same session, not open, or already has them.
    """
    now = now or utcnow()
    if target_session_id == registration.session_id:
        raise DomainError(_l("Kies een andere sessie."), field="target_session_id")
    sessions.get_session(target_session_id)  # NotFound for an unknown one
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
    # Checked on what is locked: the statuses and the dates cannot change under us.
    if by_self:
        refusal = self_move_refusal(registration, target, now)
        if refusal is not None:
            raise DomainError(refusal, field="target_session_id")
    elif target.status != SessionStatus.PUBLISHED or target.starts_at <= now:
        raise DomainError(_l("Naar die sessie kun je niemand verplaatsen."), field="target_session_id")
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
        message = (
            _l("Je bent al ingeschreven voor die datum.")
            if by_self
            else _l("Deze persoon is al ingeschreven voor die sessie.")
        )
        raise DomainError(message, field="target_session_id")
    if clash is not None:
        # An old cancelled or lapsed registration there is superseded by the one moving in.
        db.session.delete(clash)
        db.session.flush()
    had_seat = registration.status == S.CONFIRMED and registration.email_confirmed_at is not None
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
    # The new session's invitation only with a seat there: a waiting list is no appointment.
    mails.queue(
        mails.MOVED,
        registration,
        f"reg:{registration.id}:moved:{registration.token}",
        invite=registration.status == S.CONFIRMED,
        by_self=by_self,
    )
    if had_seat:
        # Their calendar still holds the old session's invitation: cancel it (same UID).
        mails.queue(
            mails.MOVED_FROM,
            registration,
            f"reg:{registration.id}:moved-from:{source.id}:{registration.token}",
            session=source.id,
        )
    promote_from_waitlist(source, now=now)
    db.session.commit()
    return registration
