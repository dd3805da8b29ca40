"""Companions: the people someone registers along with themselves (a partner, a co-founder).

Each companion is a registration of its own, linked to the registrant (`companion_of_id`), in the
same way of attending, so check-in, attendance, certificates, follow-ups and exports see them as
people. They take seats in the registrant's transaction, under the session's lock (see
`registering.register`), never beyond capacity. When not all fit, the registrant chose:
`TOGETHER` (everyone on the waiting list) or `SPLIT` (the free seats, in the form's order with the
registrant first, and the rest on the waiting list).

Double opt-in: the registrant's confirmation confirms the group. Until then a companion's seat is
held as long as the registrant's (and lapses with it); a companion with an address gets an
informational mail with their own links once the group is confirmed; one without an address is
managed from the registrant's page. Later promotions from the waiting list are per person.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import links as short_links
from app.auth.services import normalise_email
from app.errors import DomainError
from app.extensions import db
from registrations.models import Registration, RegistrationStatus, new_token
from registrations.services.data import _printable

S = RegistrationStatus
MAX_COMPANIONS = 3
# The page after the form reads the group through a short link only that answer carries.
OUTCOME_PURPOSE, OUTCOME_LIFETIME = "registration-outcome", timedelta(hours=2)
# What a companion shares with the registrant: the plan they start together.
PROFILE = (
    "postcode",
    "municipality",
    "province",
    "childcare_type",
    "planned_places",
    "planned_start",
    "legal_form",
    "enterprise_number",
    "statute",
    "location",
)


class WhenFull(enum.StrEnum):
    TOGETHER = "together"  # everyone on the waiting list together
    SPLIT = "split"  # take the free seats, the rest waits


@dataclass
class CompanionData:
    first_name: str
    last_name: str
    email: str | None = None


def clean_companions(companions, registrant_email: str) -> list[dict]:
    """The companions' names and addresses to store; raises DomainError (field companion_<n>_…)."""
    companions = [
        c
        for c in companions
        if (c.first_name or "").strip() or (c.last_name or "").strip() or (c.email or "").strip()
    ]
    if len(companions) > MAX_COMPANIONS:
        raise DomainError(_l("Je kunt hoogstens %(n)s mensen meebrengen.", n=MAX_COMPANIONS))
    cleaned, seen = [], {registrant_email}
    for number, companion in enumerate(companions, start=1):
        first, last = _printable(companion.first_name).strip(), _printable(companion.last_name).strip()
        if not first:
            raise DomainError(
                _l("Vul de voornaam in van wie je meebrengt."), field=f"companion_{number}_first_name"
            )
        if not last:
            raise DomainError(
                _l("Vul de achternaam in van wie je meebrengt."), field=f"companion_{number}_last_name"
            )
        if len(first) > 100 or len(last) > 100:
            raise DomainError(
                _l("Een naam is hoogstens 100 tekens lang."), field=f"companion_{number}_first_name"
            )
        email = normalise_email(companion.email) if (companion.email or "").strip() else None
        if email is not None and email in seen:
            raise DomainError(
                _l("Iedereen heeft een eigen e-mailadres, of laat het leeg."),
                field=f"companion_{number}_email",
            )
        seen.add(email)
        cleaned.append({"first_name": first, "last_name": last, "email": email})
    return cleaned


def seats_for_group(session, mode, size: int, when_full: WhenFull) -> int:
    """How many of a group of `size` (registrant first) get a seat now."""
    left = session.seats_left_for(mode)
    if left is None or left >= size:
        return size
    return 0 if when_full == WhenFull.TOGETHER else left


def add_companions(registrant: Registration, companions: list[dict], seated: int, now) -> list[Registration]:
    """Make the companions' registrations next to `registrant` (already placed and flushed), the
    first `seated` of them on a seat like the registrant's, the rest on the waiting list. A
    companion whose address already has an active registration for the session is left as it is."""
    session, made = registrant.session, []
    for index, values in enumerate(companions):
        existing = None
        if values["email"] is not None:
            existing = db.session.scalar(
                select(Registration).where(
                    Registration.session_id == session.id, Registration.email == values["email"]
                )
            )
            if existing is not None and existing.status in (S.PENDING, S.CONFIRMED, S.WAITLISTED, S.ATTENDED):
                continue
        companion = existing or Registration(session_id=session.id)
        companion.session = session
        for name, value in values.items():
            setattr(companion, name, value)
        for name in PROFILE:
            setattr(companion, name, getattr(registrant, name))
        companion.questions, companion.phone, companion.news_opt_in = "", None, False
        companion.token, companion.companion_of_id = new_token(), registrant.id
        for name in ("source", "attends", "privacy_version", "consented_at", "email_confirmed_at"):
            setattr(companion, name, getattr(registrant, name))
        for stamp in ("hold_expires_at", "confirmed_at", "waitlisted_at", "cancelled_at"):
            setattr(companion, stamp, None)
        if index < seated:
            session.take_seat(companion.attends)
            companion.status = registrant.status if registrant.status.holds_seat else S.PENDING
            companion.hold_expires_at, companion.confirmed_at = (
                registrant.hold_expires_at,
                registrant.confirmed_at,
            )
        else:
            session.join_waitlist(companion.attends)
            companion.status, companion.waitlisted_at = S.WAITLISTED, now
        db.session.add(companion)
        made.append(companion)
    db.session.flush()
    return made


def group_summary(registrant: Registration) -> list[dict]:
    """Who is where, for the mail and the outcome page: the registrant first, then companions."""
    return [
        {"name": r.full_name, "status": r.status.value, "self": r.id == registrant.id}
        for r in [registrant, *active_companions(registrant)]
    ]


def active_companions(registrant: Registration) -> list[Registration]:
    return [
        c for c in registrant.companions if c.status in (S.PENDING, S.CONFIRMED, S.WAITLISTED, S.ATTENDED)
    ]


def outcome_group(token: str) -> list[dict] | None:
    """Who of the group is where now, for the page after the form; None for a bad or old link."""
    try:
        registration = db.session.get(Registration, int(short_links.resolve(token, OUTCOME_PURPOSE)))
    except (short_links.LinkInvalid, short_links.LinkExpired, ValueError):
        return None
    return group_summary(registration) if registration is not None else None
