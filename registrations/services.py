"""Registering for a session: holding seats, confirming, the waiting list, cancelling, reminders.

The capacity rule lives here and only here: pending plus confirmed registrations never exceed
the session's capacity. Every change that touches seats runs under `lock_session`, which locks
the session row (PostgreSQL) or takes the database's write lock (SQLite) before anything is
read, and keeps `InfoSession.seats_taken` and `waitlist_count` exact in the same transaction.
Mails go to the outbox in that same transaction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from app.auth.services import normalise_email
from app.database import atomic
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.geo import lookup_postcode
from app.outbox.services import OutgoingMail
from app.timezone import from_local, local
from app.validation import normalise_enterprise_number, normalise_phone
from registrations import links, mails, signals
from registrations.models import (
    ChildcareType,
    Experience,
    LegalForm,
    LocationStatus,
    Qualification,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Statute,
    new_token,
)
from sessions import services as sessions
from sessions.models import InfoSession, SessionStatus

S = RegistrationStatus


@dataclass
class RegistrationData:
    """What a person tells us when registering. Shape is checked by the form; rules here."""

    first_name: str
    last_name: str
    email: str
    privacy_accepted: bool
    phone: str | None = None
    postcode: str | None = None
    childcare_type: ChildcareType = ChildcareType.ONBEKEND
    planned_places: int | None = None
    planned_start: date | None = None
    legal_form: LegalForm = LegalForm.NOG_NIET_BEPAALD
    enterprise_number: str | None = None
    statute: Statute = Statute.NOG_NIET_BEPAALD
    experience: Experience | None = None
    qualification: Qualification | None = None
    is_21_or_older: bool | None = None
    location: LocationStatus | None = None
    questions: str = ""
    news_opt_in: bool = False


@dataclass
class Outcome:
    registration: Registration
    # "held" (seat held, confirm by mail), "waitlisted", "already" (nothing changed), "confirmed"
    result: str


def _settings() -> dict:
    config = current_app.config
    return {
        "hold": timedelta(hours=config.get("CONFIRMATION_HOLD_HOURS", 24)),
        "cutoff": timedelta(hours=config.get("PROMOTION_CUTOFF_HOURS", 12)),
        "questions_max": config.get("QUESTIONS_MAX_LENGTH", 1000),
    }


def _printable(text: str | None, keep: str = "") -> str:
    """Text without control characters: PostgreSQL cannot store a NUL, and nobody types one."""
    return "".join(c for c in (text or "") if c in keep or unicodedata.category(c) != "Cc")


def _clean(data: RegistrationData) -> dict:
    """Check the rules on one person's data and return the values to store; raises DomainError."""
    if not data.privacy_accepted:
        raise DomainError(_l("Je moet de privacyverklaring aanvaarden om in te schrijven."), field="privacy")
    first, last = _printable(data.first_name).strip(), _printable(data.last_name).strip()
    if not first:
        raise DomainError(_l("Vul je voornaam in."), field="first_name")
    if not last:
        raise DomainError(_l("Vul je achternaam in."), field="last_name")
    if len(first) > 100 or len(last) > 100:
        too_long = "first_name" if len(first) > 100 else "last_name"
        raise DomainError(_l("Een naam is hoogstens 100 tekens lang."), field=too_long)
    values = {
        "first_name": first,
        "last_name": last,
        "email": normalise_email(data.email),
        "phone": normalise_phone(data.phone) if (data.phone or "").strip() else None,
        "postcode": None,
        "municipality": None,
        "province": None,
    }
    if (data.postcode or "").strip():
        place = lookup_postcode(data.postcode)
        values.update(postcode=place.postcode, municipality=place.municipality, province=place.province)
    if data.planned_places is not None and not 1 <= data.planned_places <= 500:
        raise DomainError(_l("Geef een aantal plaatsen tussen 1 en 500."), field="planned_places")
    questions = _printable(data.questions, keep="\r\n\t").strip()
    if len(questions) > _settings()["questions_max"]:
        raise DomainError(
            _l("Je vragen zijn te lang (hoogstens %(n)s tekens).", n=_settings()["questions_max"]),
            field="questions",
        )
    enterprise = data.enterprise_number
    values.update(
        childcare_type=data.childcare_type,
        planned_places=data.planned_places,
        planned_start=data.planned_start.replace(day=1) if data.planned_start else None,
        legal_form=data.legal_form,
        enterprise_number=normalise_enterprise_number(enterprise) if (enterprise or "").strip() else None,
        statute=data.statute,
        experience=data.experience,
        qualification=data.qualification,
        is_21_or_older=data.is_21_or_older,
        location=data.location,
        questions=questions,
        news_opt_in=bool(data.news_opt_in),
    )
    return values


def get_by_link(signed: str, purpose: str) -> Registration:
    """The registration a signed link points to; raises NotFound for a bad or expired link."""
    try:
        token = links.read_token(signed, purpose)
    except links.LinkExpired as error:
        raise NotFound(_l("Deze link is verlopen.")) from error
    except links.LinkInvalid as error:
        raise NotFound(_l("Deze link klopt niet.")) from error
    registration = db.session.scalar(select(Registration).where(Registration.token == token))
    if registration is None:
        raise NotFound(_l("Deze link is niet meer geldig."))
    return registration


def _lock(registration: Registration) -> tuple[InfoSession, Registration]:
    """Lock the registration's session and re-read both on fresh data."""
    # Read the keys first: taking the lock commits, which expires the row (one more SELECT).
    registration_id, session_id = registration.id, registration.session_id
    session = sessions.lock_session(session_id)
    # Its session is the one just locked (and already in the identity map): no join again.
    registration = db.session.scalar(
        select(Registration)
        .where(Registration.id == registration_id)
        .options(lazyload(Registration.session))
        .execution_options(populate_existing=True)
    )
    return session, registration


# --------------------------------------------------------------------------- mails rendered early
#
# Rendering a mail is the largest part of a registration's work. Done under the session's lock
# it makes everyone else wait (on SQLite the whole database), so the likely mail is rendered
# before the lock is taken, on the data as it is then; under the lock it is used only when the
# outcome is the one foreseen and nothing it shows has changed meanwhile, else rendered again.


@dataclass(frozen=True)
class _EarlyMail:
    kind: str
    mail: OutgoingMail
    stamp: tuple  # _stamp() when rendered


_COUNTERS = {"seats_taken", "waitlist_count", "updated_at"}  # change with every registration


def _stamp(session: InfoSession, registration: Registration) -> tuple:
    """What an early mail shows that could change before the lock: the session (not its seat
    counters, which every other registration moves), its place and topic, and the person."""
    venue, topic = session.venue, session.topic
    shown = tuple(getattr(session, c.key) for c in InfoSession.__table__.columns if c.key not in _COUNTERS)
    person = (registration.token, registration.first_name, registration.last_name, registration.email)
    return shown, venue.updated_at if venue else None, topic.updated_at, person


def _early(kind: str, draft: Registration, session: InfoSession) -> _EarlyMail:
    return _EarlyMail(kind, mails.compose(kind, draft, "", session=session), _stamp(session, draft))


def _send(kind: str, registration: Registration, dedup_key: str, early: _EarlyMail | None) -> None:
    """Queue the mail of `kind`: the early one if it is that mail and still true, else a new one."""
    if early is not None and early.kind == kind and early.stamp == _stamp(registration.session, registration):
        mails.send_composed(early.mail, registration, dedup_key)
    else:
        mails.send(kind, registration, dedup_key)


def _early_confirm_mail(session_id: int, values: dict, token: str, now: datetime) -> _EarlyMail | None:
    """The "confirm your address" mail of a new online registration: for a held seat if one
    looks free, else for a place on the waiting list (a full session is when many register at
    once, and on SQLite the lock holds up everyone)."""
    session = db.session.get(InfoSession, session_id)
    if session is None:
        return None
    if session.seats_taken < session.capacity:
        hold_expires_at = now + _settings()["hold"]
        draft = Registration(
            session_id=session_id, token=token, status=S.PENDING, hold_expires_at=hold_expires_at, **values
        )
        return _early("confirm_link", draft, session)
    draft = Registration(session_id=session_id, token=token, status=S.WAITLISTED, waitlisted_at=now, **values)
    return _early("confirm_waitlist", draft, session)


def _early_confirmed(registration: Registration, now: datetime) -> _EarlyMail | None:
    """The confirmation (with its invitation) of a held seat about to be confirmed."""
    if registration.status != S.PENDING:
        return None
    columns = {column.key: getattr(registration, column.key) for column in Registration.__table__.columns}
    draft = Registration(**{**columns, "status": S.CONFIRMED, "confirmed_at": now, "email_confirmed_at": now})
    return _early("confirmed", draft, registration.session)


# --------------------------------------------------------------------------- registering


@atomic
def register(
    session_id: int,
    data: RegistrationData,
    *,
    source: RegistrationSource = RegistrationSource.ONLINE,
    over_capacity: bool = False,
    email_verified: bool = False,
    now: datetime | None = None,
) -> Outcome:
    """Register a person for a session, or put them on its waiting list.

    Online, the seat is held until the e-mail address is confirmed (CONFIRMATION_HOLD_HOURS);
    a full session offers the waiting list. Staff and walk-in registrations are confirmed at
    once; `over_capacity` lets an expert seat someone in a full session on purpose.
    `email_verified`: the person came through a signed link mailed to this address (an
    invitation to another date), so an online registration needs no confirmation mail either.
    The same address twice for one session gives one registration: the person gets a mail
    with their links, and the outcome is "already" — the page must answer as for anyone else.
    Raises DomainError for bad data or when registration is closed.
    """
    now = now or utcnow()
    values = _clean(data)
    hold = _settings()["hold"]
    token = new_token()  # a fresh registration never reuses old links
    online = source == RegistrationSource.ONLINE
    early = _early_confirm_mail(session_id, values, token, now) if online and not email_verified else None
    session = sessions.lock_session(session_id)
    if source == RegistrationSource.ONLINE and not sessions.registration_is_open(session, now):
        raise DomainError(_l("De inschrijvingen voor deze sessie zijn gesloten."))
    if source != RegistrationSource.ONLINE and session.status not in (
        SessionStatus.PUBLISHED,
        SessionStatus.DRAFT,
    ):
        raise DomainError(_l("Voor een afgelopen of geannuleerde sessie kun je niemand meer inschrijven."))
    if session.seats_taken >= session.capacity:
        # Lapsed holds only matter when they keep someone out; otherwise the scheduled
        # `flask registrations expire-holds` releases them, off the hot path.
        _expire_stale(session, now)
    existing = db.session.scalar(
        select(Registration)
        .where(Registration.session_id == session.id, Registration.email == values["email"])
        .options(lazyload(Registration.session))  # the session is the one just locked
    )
    if existing is not None and existing.status in (S.PENDING, S.CONFIRMED, S.WAITLISTED, S.ATTENDED):
        if source != RegistrationSource.ONLINE:
            raise DomainError(_l("Deze persoon is al ingeschreven voor deze sessie."), field="email")
        # One mail an hour at most, so the form cannot be used to flood someone's inbox.
        mails.send("already", existing, f"reg:{existing.id}:already:{now:%Y%m%d%H}")
        db.session.commit()
        return Outcome(existing, "already")

    registration = existing or Registration(session_id=session.id)
    for name, value in values.items():
        setattr(registration, name, value)
    registration.token = token
    registration.source = source
    registration.privacy_version = current_app.config["PRIVACY_NOTICE_VERSION"]
    registration.consented_at = now
    for stamp in ("hold_expires_at", "email_confirmed_at", "confirmed_at", "waitlisted_at", "cancelled_at"):
        setattr(registration, stamp, None)
    trusted = source != RegistrationSource.ONLINE  # staff typed the address themselves
    verified = trusted or email_verified
    if session.seats_taken < session.capacity or (trusted and over_capacity):
        session.seats_taken += 1
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
        session.waitlist_count += 1
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        # Only possible if the lock was bypassed; never double-book: start again on fresh data.
        db.session.rollback()
        return register(
            session_id,
            data,
            source=source,
            over_capacity=over_capacity,
            email_verified=email_verified,
            now=now,
        )
    token = registration.token
    if registration.status == S.PENDING:
        key = f"reg:{registration.id}:confirm-link:{token}"
        _send("confirm_link", registration, key, early)
        result = "held"
    elif registration.status == S.CONFIRMED:
        mails.send("confirmed", registration, f"reg:{registration.id}:confirmed:{token}")
        result = "confirmed"
    else:
        kind = "waitlisted" if verified else "confirm_waitlist"
        _send(kind, registration, f"reg:{registration.id}:{kind}:{token}", early)
        result = "waitlisted"
    if registration.email_confirmed_at is not None:
        signals.registration_confirmed.send(registration)
    db.session.commit()
    return Outcome(registration, result)


@atomic
def confirm_registration(registration: Registration, now: datetime | None = None) -> Outcome:
    """The person clicked the link in their mail.

    A held seat becomes theirs; a waiting-list place becomes real (and may be promoted at once);
    a lapsed hold takes a free seat if there is one, or the waiting list. Clicking twice changes
    nothing the second time.
    """
    now = now or utcnow()
    early = _early_confirmed(registration, now)
    session, registration = _lock(registration)
    token = registration.token
    status = registration.status
    if status == S.PENDING:
        registration.status, registration.confirmed_at = S.CONFIRMED, now
        registration.email_confirmed_at, registration.hold_expires_at = now, None
        _send("confirmed", registration, f"reg:{registration.id}:confirmed:{token}", early)
    elif status == S.WAITLISTED and registration.email_confirmed_at is None:
        registration.email_confirmed_at = now
        mails.send("waitlisted", registration, f"reg:{registration.id}:waitlisted:{token}")
        promote_from_waitlist(session, now=now)
    elif status == S.EXPIRED and sessions.registration_is_open(session, now):
        registration.email_confirmed_at = now
        if session.seats_taken < session.capacity:
            session.seats_taken += 1
            registration.status, registration.confirmed_at = S.CONFIRMED, now
            mails.send("confirmed", registration, f"reg:{registration.id}:confirmed:{token}")
        else:
            registration.status, registration.waitlisted_at = S.WAITLISTED, now
            session.waitlist_count += 1
            mails.send("waitlisted", registration, f"reg:{registration.id}:waitlisted:{token}")
    if registration.email_confirmed_at == now:  # set by this click, whichever branch ran
        signals.registration_confirmed.send(registration)
    outcome = Outcome(registration, registration.status.value)  # before the commit expires it
    db.session.commit()
    return outcome


@atomic
def cancel_registration(
    registration: Registration, now: datetime | None = None, *, notify: bool = True
) -> Registration:
    """Give up a seat or a waiting-list place. The seat goes to the first in line at once.

    Cancelling what is already cancelled, expired or past changes nothing. `notify=False`
    sends the person nothing (they asked to be forgotten).
    """
    now = now or utcnow()
    session, registration = _lock(registration)
    token = registration.token
    if registration.status in (S.PENDING, S.CONFIRMED):
        session.seats_taken -= 1
        was_confirmed = registration.status == S.CONFIRMED
        registration.status, registration.cancelled_at, registration.hold_expires_at = S.CANCELLED, now, None
        if notify and (was_confirmed or registration.email_confirmed_at):
            mails.send("cancelled", registration, f"reg:{registration.id}:cancelled:{token}")
        promote_from_waitlist(session, now=now)
    elif registration.status == S.WAITLISTED:
        session.waitlist_count -= 1
        registration.status, registration.cancelled_at = S.CANCELLED, now
        if notify and registration.email_confirmed_at:
            mails.send("left_waitlist", registration, f"reg:{registration.id}:left-waitlist:{token}")
    db.session.commit()
    return registration


def _next_in_line(session: InfoSession) -> Registration | None:
    return db.session.scalar(
        select(Registration)
        .where(
            Registration.session_id == session.id,
            Registration.status == S.WAITLISTED,
            Registration.email_confirmed_at.is_not(None),
        )
        .order_by(Registration.waitlisted_at, Registration.id)
        .limit(1)
    )


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
    if not force and session.starts_at - now < _settings()["cutoff"]:
        return []
    promoted = []
    while session.seats_taken < session.capacity and (limit is None or len(promoted) < limit):
        registration = _next_in_line(session)
        if registration is None:
            break
        registration.status, registration.confirmed_at = S.CONFIRMED, now
        session.seats_taken += 1
        session.waitlist_count -= 1
        mails.send("promoted", registration, f"reg:{registration.id}:promoted:{registration.token}")
        promoted.append(registration)
        db.session.flush()
    return promoted


@atomic
def promote_next(session_id: int) -> Registration:
    """An expert gives the next free seat to the first in line, also close to the start.

    Raises DomainError when no seat is free or nobody is waiting.
    """
    session = sessions.lock_session(session_id)
    if session.seats_taken >= session.capacity:
        raise DomainError(_l("Er is geen plaats vrij. Verhoog eerst de capaciteit."))
    promoted = promote_from_waitlist(session, force=True, limit=1)
    if not promoted:
        raise DomainError(_l("Er staat niemand (met een bevestigd e-mailadres) op de wachtlijst."))
    db.session.commit()
    return promoted[0]


def _expire_stale(session: InfoSession, now: datetime) -> int:
    """Within the session's lock: release holds that were never confirmed, drop unconfirmed
    waiting-list places past the same delay, and let the waiting list move."""
    hold = _settings()["hold"]
    stale = db.session.scalars(
        select(Registration).where(
            Registration.session_id == session.id,
            or_(
                (Registration.status == S.PENDING) & (Registration.hold_expires_at <= now),
                (Registration.status == S.WAITLISTED)
                & Registration.email_confirmed_at.is_(None)
                & (Registration.waitlisted_at <= now - hold),
            ),
        )
    ).all()
    for registration in stale:
        if registration.status == S.PENDING:
            session.seats_taken -= 1
        else:
            session.waitlist_count -= 1
        registration.status, registration.hold_expires_at = S.EXPIRED, None
    if stale:
        db.session.flush()
        promote_from_waitlist(session, now=now)
    return len(stale)


@atomic
def expire_holds(now: datetime | None = None) -> int:
    """Release every lapsed hold (run by the scheduler; registering also does it per session)."""
    now = now or utcnow()
    hold = _settings()["hold"]
    session_ids = db.session.scalars(
        select(Registration.session_id)
        .where(
            or_(
                (Registration.status == S.PENDING) & (Registration.hold_expires_at <= now),
                (Registration.status == S.WAITLISTED)
                & Registration.email_confirmed_at.is_(None)
                & (Registration.waitlisted_at <= now - hold),
            )
        )
        .distinct()
    ).all()
    released = 0
    for session_id in session_ids:
        session = sessions.lock_session(session_id)
        released += _expire_stale(session, now)
        db.session.commit()
    return released


# --------------------------------------------------------------------------- staff


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
    clash = db.session.scalar(
        select(Registration).where(
            Registration.session_id == target.id, Registration.email == registration.email
        )
    )
    if clash is not None and clash.status not in (S.CANCELLED, S.EXPIRED):
        raise DomainError(_l("Deze persoon is al ingeschreven voor die sessie."), field="target_session_id")
    if clash is not None:
        # An old cancelled or lapsed registration there is superseded by the one moving in.
        db.session.delete(clash)
        db.session.flush()
    if registration.status in (S.PENDING, S.CONFIRMED):
        source.seats_taken -= 1
    elif registration.status == S.WAITLISTED:
        source.waitlist_count -= 1
    else:
        raise DomainError(_l("Enkel actieve inschrijvingen kun je verplaatsen."))
    registration.session_id = target.id
    registration.session = target
    registration.token = new_token()
    registration.email_confirmed_at = registration.email_confirmed_at or now
    if target.seats_taken < target.capacity:
        target.seats_taken += 1
        registration.status, registration.confirmed_at, registration.hold_expires_at = S.CONFIRMED, now, None
    else:
        target.waitlist_count += 1
        registration.status, registration.waitlisted_at = S.WAITLISTED, now
    db.session.flush()
    mails.send("moved", registration, f"reg:{registration.id}:moved:{registration.token}")
    promote_from_waitlist(source, now=now)
    db.session.commit()
    return registration


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
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
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


# --------------------------------------------------------------------------- what sessions tell us


def on_session_rescheduled(session: InfoSession, changes: set[str], **_kw) -> None:
    """Time or place changed: every active registrant gets the updated invitation (SEQUENCE up)."""
    for registration in _active(session.id):
        mails.send(
            "updated", registration, f"reg:{registration.id}:update:{session.sequence}", changes=changes
        )


def on_session_cancelled(session: InfoSession, **_kw) -> None:
    """The session is off: every active registrant is told why, with the next dates of the topic."""
    now = utcnow()
    following = sessions.next_sessions_of_topic(session.topic_id, exclude_id=session.id)
    for registration in _active(session.id):
        registration.status, registration.cancelled_at, registration.hold_expires_at = S.CANCELLED, now, None
        mails.send(
            "session_cancelled",
            registration,
            f"reg:{registration.id}:session-cancelled",
            next_sessions=following,
        )
    session.seats_taken = session.waitlist_count = 0


def on_capacity_raised(session: InfoSession, **_kw) -> None:
    promote_from_waitlist(session)


def _active(session_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration).where(
                Registration.session_id == session_id,
                Registration.status.in_((S.PENDING, S.CONFIRMED, S.WAITLISTED)),
            )
        )
    )


# --------------------------------------------------------------------------- reminders


def reminder_due(session: InfoSession, spec: str) -> datetime:
    """When a reminder is due: "2d" = 48 hours before, "morning" = 08:00 on the day itself."""
    if spec == "morning":
        return from_local(local(session.starts_at).date(), time(8, 0))
    if spec.endswith("d") and spec[:-1].isdigit():
        return session.starts_at - timedelta(days=int(spec[:-1]))
    if spec.endswith("h") and spec[:-1].isdigit():
        return session.starts_at - timedelta(hours=int(spec[:-1]))
    raise ValueError(f"unknown reminder {spec!r}")


@atomic
def send_reminders(now: datetime | None = None) -> int:
    """Queue every reminder that is due. Idempotent: each goes once per registration, however
    often this runs (the outbox's deduplication key). A person who confirmed after a reminder
    was due does not get that one."""
    now = now or utcnow()
    default = current_app.config.get("REMINDER_OFFSETS", ["2d", "morning"])
    horizon = now + timedelta(days=8)
    candidates = db.session.scalars(
        select(InfoSession).where(
            InfoSession.status == SessionStatus.PUBLISHED,
            InfoSession.starts_at > now,
            InfoSession.starts_at < horizon,
        )
    ).all()
    queued = 0
    for session in candidates:
        due = [spec for spec in (session.reminder_offsets or default) if reminder_due(session, spec) <= now]
        if not due:
            continue
        for registration in db.session.scalars(
            select(Registration).where(
                Registration.session_id == session.id, Registration.status == S.CONFIRMED
            )
        ):
            for spec in due:
                if registration.confirmed_at and registration.confirmed_at <= reminder_due(session, spec):
                    mails.send("reminder", registration, f"reg:{registration.id}:reminder:{spec}", spec=spec)
                    queued += 1
    db.session.commit()
    return queued
