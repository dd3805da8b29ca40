"""The public side of follow-up mailings: one-click unsubscribe (RFC 8058) and one-click
registration for another date, both through signed links in the mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.auth.services import normalise_email
from app.database import atomic, insert_ignoring
from app.db import utcnow
from app.errors import NotFound
from app.extensions import db
from materials.mailings import links
from materials.mailings.models import Mailing, Unsubscribe
from registrations import services as registrations
from registrations.models import Registration, RegistrationSource
from sessions.models import InfoSession


@atomic
def unsubscribe(email: str, mailing_id: int | None = None, now: datetime | None = None) -> None:
    """No more news for this address, from now on (idempotent). Their registrations' "news" tick
    goes too, so the registrations export says the same."""
    email = email.strip().lower()
    if mailing_id is not None and db.session.get(Mailing, mailing_id) is None:
        mailing_id = None
    db.session.execute(
        insert_ignoring(Unsubscribe.__table__, "email").values(
            email=email, mailing_id=mailing_id, created_at=now or utcnow()
        )
    )
    db.session.execute(update(Registration).where(Registration.email == email).values(news_opt_in=False))
    db.session.commit()


def unsubscribe_by_link(signed: str) -> str:
    """Unsubscribe the address in a signed link; returns it. Raises NotFound for a bad link."""
    try:
        email, mailing_id = links.read_unsubscribe(signed)
    except links.LinkInvalid as error:
        raise NotFound(_l("Deze link klopt niet.")) from error
    unsubscribe(email, mailing_id)
    return email


def read_unsubscribe_link(signed: str) -> str:
    try:
        return links.read_unsubscribe(signed)[0]
    except links.LinkInvalid as error:
        raise NotFound(_l("Deze link klopt niet.")) from error


@dataclass(frozen=True)
class Invitation:
    registration: Registration
    session: InfoSession


def invitation(signed: str) -> Invitation:
    """What a one-click registration link offers; raises NotFound for a bad or expired link or an
    erased registration."""
    try:
        token, session_id = links.read_invite(signed)
    except links.LinkInvalid as error:
        raise NotFound(_l("Deze link klopt niet of is verlopen.")) from error
    registration = db.session.scalar(select(Registration).where(Registration.token == token))
    session = db.session.get(InfoSession, session_id)
    if registration is None or registration.anonymised_at is not None or session is None:
        raise NotFound(_l("Deze link is niet meer geldig."))
    return Invitation(registration, session)


def accept_invitation(signed: str) -> registrations.Outcome:
    """Register the invited person for the offered session with the data of their earlier
    registration: a confirmed seat at once (the link came to their address, so it is verified),
    or a place on the waiting list.
    Raises NotFound for a bad link, DomainError when registration for that session is closed."""
    offer = invitation(signed)
    old = offer.registration
    data = registrations.RegistrationData(
        first_name=old.first_name,
        last_name=old.last_name,
        email=normalise_email(old.email),
        privacy_accepted=True,  # the confirm page shows the privacy notice beside its button
        phone=old.phone,
        postcode=old.postcode,
        childcare_type=old.childcare_type,
        planned_places=old.planned_places,
        planned_start=old.planned_start,
        legal_form=old.legal_form,
        enterprise_number=old.enterprise_number,
        statute=old.statute,
        experience=old.experience,
        qualification=old.qualification,
        is_21_or_older=old.is_21_or_older,
        location=old.location,
        news_opt_in=old.news_opt_in,
        attends=old.attends,  # online stays online where the new date offers it
    )
    return registrations.register(
        offer.session.id, data, source=RegistrationSource.ONLINE, email_verified=True
    )
