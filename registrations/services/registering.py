"""Registering, confirming and cancelling: the capacity rule on one session.

Pending plus confirmed registrations never exceed the session's capacity, per way of attending
on a hybrid session (read through `InfoSession.seats_left_for`). Every change that touches seats
runs under `sessions.lock_session`, which locks the session row (PostgreSQL) or takes the
database's write lock (SQLite) before anything is read, and keeps the seat and waiting-list
counters exact in the same transaction (through `InfoSession.take_seat` and friends, in the pool
the registration attends from). The mails go to the outbox as intents in that same transaction;
nothing is rendered here.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from app import links as short_links
from app.database import atomic
from app.db import utcnow
from app.errors import DomainError, Errors
from app.extensions import db
from registrations import mails, signals
from registrations.models import Registration, RegistrationSource, RegistrationStatus, new_token
from registrations.questions import services as questions
from registrations.services.companions import (
    OUTCOME_LIFETIME,
    OUTCOME_PURPOSE,
    WhenFull,
    add_companions,
    clean_companions,
    group_summary,
    seats_for_group,
)
from registrations.services.data import Outcome, RegistrationData, clean, settings
from registrations.services.queries import lock_registration, reread
from registrations.services.waitlist import expire_stale, promote_from_waitlist
from sessions import services as sessions
from sessions.models import SessionStatus

S = RegistrationStatus
ACTIVE = (S.PENDING, S.CONFIRMED, S.WAITLISTED, S.ATTENDED)
# Built once (see app.database).
_SAME_ADDRESS = select(Registration.id).where(
    Registration.session_id == bindparam("session_id"), Registration.email == bindparam("email")
)


@atomic
def register(
    session_id: int,
    data: RegistrationData,
    *,
    source: RegistrationSource = RegistrationSource.ONLINE,
    over_capacity: bool = False,
    email_verified: bool = False,
    attendance_asked: bool = False,
    now: datetime | None = None,
    companions=(),
    when_full: WhenFull = WhenFull.TOGETHER,
    asked=None,
    _again: bool = False,
) -> Outcome:
    """Register a person for a session, or put them on its waiting list.

    Online, the seat is held until the e-mail address is confirmed (CONFIRMATION_HOLD_HOURS);
    a full session offers the waiting list. Staff and walk-in registrations are confirmed at
    once; `over_capacity` lets an expert seat someone in a full session on purpose.
    `email_verified`: the person came through a signed link mailed to this address (an
    invitation to another date), so an online registration needs no confirmation mail either.
    `attendance_asked`: the person was asked "ter plaatse of online?" (the public form), so on a
    hybrid session an answer is required; anyone else not saying is seated on site.
    The same address twice for one session gives one registration: the person gets a mail
    with their links, and the outcome is "already" — the page must answer as for anyone else.
    `companions` (CompanionData, up to 3) are registered along, each on a seat of their own in
    the same way of attending; when not all fit, `when_full` says what happens (see
    services.companions). An "already" outcome registers no companions.
    `asked`: the team's questions the form showed (questions.questions_for_session_id), when
    the caller read them already; otherwise they are read here.
    Raises DomainError for bad data or when registration is closed.

    One registration per address and session is the database's unique key
    (uq_registrations_session_email), and the first try leans on it: nearly every address is
    new, so the registration is inserted without reading first. When the key refuses the
    insert, everything is rolled back and the registration starts again once (`_again`),
    reading the address's registration under the lock: "already", or a cancelled or lapsed
    one that is used again.
    """
    now = now or utcnow()
    # The person's data and the answers to the team's questions: every mistake in one answer,
    # checked before the session's lock is taken (the lock is held only for the seat).
    errors = Errors()
    values = errors.check(clean, data)
    answers = errors.check(
        questions.clean_answers,
        questions.questions_for_session_id(session_id) if asked is None else asked,
        data.answers,
        str(data.childcare_type) if data.childcare_type else None,  # an enum member or its value
        require=source == RegistrationSource.ONLINE,
    )
    errors.raise_any()
    values["answers"] = answers or None
    group = clean_companions(companions, values["email"])
    hold = settings()["hold"]
    token = new_token()  # a fresh registration never reuses old links
    session = sessions.lock_session(session_id)
    if source == RegistrationSource.ONLINE and not sessions.registration_is_open(session, now):
        raise DomainError(_l("De inschrijvingen voor deze sessie zijn gesloten."))
    if source != RegistrationSource.ONLINE and session.status not in (
        SessionStatus.PUBLISHED,
        SessionStatus.DRAFT,
    ):
        raise DomainError(_l("Voor een afgelopen of geannuleerde sessie kun je niemand meer inschrijven."))
    if session.is_hybrid and data.attends is None and attendance_asked:
        raise DomainError(_l("Kies of je ter plaatse of online deelneemt."), field="attends")
    mode = session.attend_mode(data.attends)
    if not session.has_seat_for(mode):
        # Lapsed holds only matter when they keep someone out; otherwise the scheduled
        # `flask registrations expire-holds` releases them, off the hot path.
        expire_stale(session, now)
    existing = None  # the address's registration for this session: looked for on the second try only
    if _again:
        existing_id = db.session.scalar(_SAME_ADDRESS, {"session_id": session.id, "email": values["email"]})
        existing = None if existing_id is None else reread(existing_id)
    if existing is not None and existing.status in ACTIVE:
        if source != RegistrationSource.ONLINE:
            raise DomainError(_l("Deze persoon is al ingeschreven voor deze sessie."), field="email")
        # One mail an hour at most, so the form cannot be used to flood someone's inbox.
        mails.queue(mails.ALREADY, existing, f"reg:{existing.id}:already:{now:%Y%m%d%H}")
        db.session.commit()
        return Outcome(existing, "already")

    registration = existing or Registration(session_id=session.id)
    for name, value in values.items():
        setattr(registration, name, value)
    registration.token = token
    registration.source = source
    registration.attends = mode
    registration.privacy_version = current_app.config["PRIVACY_NOTICE_VERSION"]
    registration.consented_at = now
    for stamp in ("hold_expires_at", "email_confirmed_at", "confirmed_at", "waitlisted_at", "cancelled_at"):
        setattr(registration, stamp, None)
    trusted = source != RegistrationSource.ONLINE  # staff typed the address themselves
    verified = trusted or email_verified
    seated = seats_for_group(session, mode, 1 + len(group), when_full)
    if seated >= 1 or (trusted and over_capacity):
        session.take_seat(mode)
        if verified:
            registration.status, registration.confirmed_at, registration.email_confirmed_at = (
                S.CONFIRMED,
                now,
                now,
            )
        else:
            registration.status, registration.hold_expires_at = S.PENDING, now + hold
    else:
        registration.status, registration.waitlisted_at = S.WAITLISTED, now
        registration.email_confirmed_at = now if verified else None
        session.join_waitlist(mode)
    registration.session = session
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        if _again:
            raise  # a key other than the address's: a fault, not a person's mistake
        # The address has a registration for this session: start again, once, reading it.
        db.session.rollback()
        return register(
            session_id,
            data,
            source=source,
            over_capacity=over_capacity,
            email_verified=email_verified,
            attendance_asked=attendance_asked,
            now=now,
            companions=companions,
            when_full=when_full,
            asked=asked,
            _again=True,
        )
    made = add_companions(registration, group, max(seated - 1, 0), now) if group else []
    extra = {"group": group_summary(registration)} if made else {}
    key = f"reg:{registration.id}"
    if registration.status == S.PENDING:
        mails.queue(mails.CONFIRM_LINK, registration, f"{key}:confirm-link:{token}", **extra)
        result = "held"
    elif registration.status == S.CONFIRMED:
        mails.queue(mails.CONFIRMED, registration, f"{key}:confirmed:{token}", **extra)
        result = "confirmed"
    elif verified:
        mails.queue(mails.WAITLISTED, registration, f"{key}:waitlisted:{token}", **extra)
        result = "waitlisted"
    else:
        mails.queue(mails.CONFIRM_WAITLIST, registration, f"{key}:confirm_waitlist:{token}", **extra)
        result = "waitlisted"
    if registration.email_confirmed_at is not None:
        signals.registration_confirmed.send(registration)
        for companion in made:
            _companion_confirmed(companion)
    outcome = Outcome(registration, result, companions=made, group=extra.get("group", []))
    if made:
        # The page after the form says who is where: through a short link only this answer carries.
        outcome.page_token = short_links.issue(
            OUTCOME_PURPOSE, str(registration.id), OUTCOME_LIFETIME, now=now
        )
    db.session.commit()
    return outcome


def _companion_confirmed(companion: Registration) -> None:
    """The group is confirmed: a companion with an address hears it from us, with their own links."""
    key = f"reg:{companion.id}"
    if companion.status == S.CONFIRMED:
        mails.queue(mails.CONFIRMED, companion, f"{key}:confirmed:{companion.token}")
    elif companion.status == S.WAITLISTED:
        mails.queue(mails.WAITLISTED, companion, f"{key}:waitlisted:{companion.token}")
    signals.registration_confirmed.send(companion)


@atomic
def confirm_registration(registration: Registration, now: datetime | None = None) -> Outcome:
    """The person clicked the link in their mail.

    A held seat becomes theirs; a waiting-list place becomes real (and may be promoted at once);
    a lapsed hold takes a free seat if there is one, or the waiting list. Clicking twice changes
    nothing the second time.
    """
    now = now or utcnow()
    session, registration = lock_registration(registration)
    was = registration.status
    kind = _confirm(session, registration, now)
    # The registrant's confirmation confirms the group (see services.companions); a companion
    # whose hold lapsed comes back only with a registrant whose hold lapsed with theirs (not
    # one left over from an earlier, lapsed registration of the same person).
    companions = [
        c
        for c in registration.companions
        if c.email_confirmed_at is None and (c.status != S.EXPIRED or was == S.EXPIRED)
    ]
    for companion in companions:
        if _confirm(session, companion, now) is not None:
            _companion_confirmed(companion)
    if kind is not None:
        key, extra = f"reg:{registration.id}", {}
        if registration.companions:
            extra["group"] = group_summary(registration)
        mails.queue(kind, registration, f"{key}:{_suffix()[kind]}:{registration.token}", **extra)
    if registration.email_confirmed_at == now:  # set by this click, whichever branch ran
        signals.registration_confirmed.send(registration)
    outcome = Outcome(registration, registration.status.value)  # before the commit expires it
    db.session.commit()
    return outcome


def can_cancel(registration: Registration) -> bool:
    """Whether the person can still give up their seat or place in line themselves: an active
    registration for a session that is still to come (published, not started)."""
    session = registration.session
    return (
        registration.status in (S.PENDING, S.CONFIRMED, S.WAITLISTED)
        and session.status == SessionStatus.PUBLISHED
        and session.starts_at > utcnow()
    )


def _suffix():
    return {mails.CONFIRMED: "confirmed", mails.WAITLISTED: "waitlisted"}


def _confirm(session, registration: Registration, now: datetime):
    """One person's confirmation, with the session locked; the mail kind to send, or None."""
    status = registration.status
    if status == S.PENDING:
        registration.status, registration.confirmed_at = S.CONFIRMED, now
        registration.email_confirmed_at, registration.hold_expires_at = now, None
        return mails.CONFIRMED
    if status == S.WAITLISTED and registration.email_confirmed_at is None:
        registration.email_confirmed_at = now
        promote_from_waitlist(session, now=now)
        return mails.CONFIRMED if registration.status == S.CONFIRMED else mails.WAITLISTED
    if status == S.EXPIRED and sessions.registration_is_open(session, now):
        registration.email_confirmed_at = now
        if session.has_seat_for(registration.attends):
            session.take_seat(registration.attends)
            registration.status, registration.confirmed_at = S.CONFIRMED, now
            return mails.CONFIRMED
        registration.status, registration.waitlisted_at = S.WAITLISTED, now
        session.join_waitlist(registration.attends)
        return mails.WAITLISTED
    return None


@atomic
def cancel_registration(
    registration: Registration, now: datetime | None = None, *, notify: bool = True
) -> Registration:
    """Give up a seat or a waiting-list place. The seat goes to the first in line at once.

    Cancelling what is already cancelled, expired or past changes nothing. `notify=False`
    sends the person nothing (they asked to be forgotten).
    """
    now = now or utcnow()
    session, registration = lock_registration(registration)
    key = f"reg:{registration.id}"
    token = registration.token
    if registration.status in (S.PENDING, S.CONFIRMED):
        session.give_back_seat(registration.attends)
        was_confirmed = registration.status == S.CONFIRMED
        registration.status, registration.cancelled_at, registration.hold_expires_at = S.CANCELLED, now, None
        if notify and (was_confirmed or registration.email_confirmed_at):
            mails.queue(mails.CANCELLED, registration, f"{key}:cancelled:{token}")
        promote_from_waitlist(session, now=now)
    elif registration.status == S.WAITLISTED:
        session.leave_waitlist(registration.attends)
        registration.status, registration.cancelled_at = S.CANCELLED, now
        if notify and registration.email_confirmed_at:
            mails.queue(mails.LEFT_WAITLIST, registration, f"{key}:left-waitlist:{token}")
    db.session.commit()
    return registration
