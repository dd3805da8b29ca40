"""Helpers for registrations: the form as a person fills it in, the mails people get and the
links inside them, a session whose evening has come.

Mails are read where the app puts them: the outbox table, where the change writes an intent in
its transaction. `mails_to(address)` first renders what is queued, as the worker does before it
sends (`render_queued`), then lists what an address was sent; `links_in(mail)` finds the signed
links a person would click; `calendar_of(mail)` parses the attached invitation with icalendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import func, select

from app.db import utcnow
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.outbox.services import render_queued
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession

S = RegistrationStatus

# The form as a careful person fills it in; every field the page offers.
FORM_DEFAULTS = {
    "first_name": "An",
    "last_name": "Peeters",
    "email": "an.peeters@example.com",
    "phone": "0470 12 34 56",
    "postcode": "9000",
    "childcare_type": "gezinsopvang",
    "planned_places": "8",
    "planned_start": "2027-09",
    "legal_form": "eenmanszaak",
    "enterprise_number": "0566.988.259",
    "statute": "zelfstandige",
    "experience": "2_tot_5_jaar",
    "qualification": "ja",
    "is_21_or_older": "ja",
    "location": "op_zoek",
    "questions": "Hoeveel kost een brandveiligheidsattest?",
    "privacy": "y",
    "news_opt_in": "",
    "website": "",
}

_LINK = re.compile(r"https?://[^\s/]+(/inschrijving/[A-Za-z0-9_.\-]+(?:/bevestigen|/mijn-gegevens)?)")


@dataclass(frozen=True)
class Links:
    """The paths (without scheme and host) of the signed links in one mail."""

    manage: str | None
    privacy: str | None
    confirm: str | None


def rendered() -> None:
    """Render every queued intent now, as the worker would before sending it, and end the test's
    read transaction so it sees the result."""
    db.session.commit()  # a service that changed nothing may still hold SQLite's write lock
    render_queued()
    db.session.commit()


def queued_mails(address: str, kind_like: str, kind: str | None = None) -> list[OutboxMessage]:
    """The mails queued for `address` whose kind matches `kind_like` ("intake.%"), rendered,
    oldest first; `kind` (the full kind) narrows it."""
    rendered()
    query = select(OutboxMessage).where(
        OutboxMessage.recipient == address, OutboxMessage.kind.like(kind_like)
    )
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(
        db.session.scalars(query.order_by(OutboxMessage.id).execution_options(populate_existing=True))
    )


def mails_to(address: str, kind: str | None = None) -> list[OutboxMessage]:
    """Every mail queued for `address` (oldest first), rendered; `kind` like "confirmed" narrows it."""
    rendered()
    query = select(OutboxMessage).where(OutboxMessage.recipient == address)
    if kind:
        query = query.where(OutboxMessage.kind == f"registration.{kind}")
    return list(
        db.session.scalars(query.order_by(OutboxMessage.id).execution_options(populate_existing=True))
    )


def kinds_to(address: str) -> list[str]:
    return [m.kind.removeprefix("registration.") for m in mails_to(address)]


def the_mail(address: str, kind: str) -> OutboxMessage:
    found = mails_to(address, kind)
    assert len(found) == 1, f"{address} has {len(found)} {kind!r} mails; all: {kinds_to(address)}"
    return found[0]


def count_mails() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def count_registrations() -> int:
    return db.session.scalar(select(func.count()).select_from(Registration))


def links_in(mail: OutboxMessage) -> Links:
    """The signed links in a mail's text, as a person would click them."""
    found = {"manage": None, "privacy": None, "confirm": None}
    for path in _LINK.findall(mail.text_body):
        if path.endswith("/bevestigen"):
            found["confirm"] = path
        elif path.endswith("/mijn-gegevens"):
            found["privacy"] = path
        else:
            found["manage"] = path
    return Links(**found)


def calendar_of(mail: OutboxMessage):
    """(METHOD, the one VEVENT) of the invitation attached to a mail."""
    assert mail.ics is not None, f"{mail.kind} to {mail.recipient} has no calendar attached"
    calendar = Calendar.from_ical(mail.ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(calendar["METHOD"]) == mail.ics_method
    return str(calendar["METHOD"]), events[0]


def fresh(registration: Registration) -> Registration:
    """The registration as the database has it now."""
    db.session.rollback()
    return db.session.get(Registration, registration.id, populate_existing=True)


def status_of(registration: Registration) -> RegistrationStatus:
    return fresh(registration).status


def begin(session: InfoSession, minutes_ago: int = 10) -> InfoSession:
    """The evening has come: the session started `minutes_ago` (registrations were made before)."""
    session = db.session.get(InfoSession, session.id)
    length = session.ends_at - session.starts_at
    session.starts_at = utcnow() - timedelta(minutes=minutes_ago)
    session.ends_at = session.starts_at + length
    db.session.commit()
    return session
