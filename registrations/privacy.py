"""Personal data of registrants: export, erasure on request, and anonymisation after retention.

Kept for statistics after anonymisation: the session, the status, the planned type of
childcare, places, start, legal form, province and municipality. Gone: names, e-mail, phone,
enterprise number, questions and the staff's notes.
"""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import select

from app import hooks
from app.database import atomic
from app.db import utcnow
from app.extensions import db
from app.outbox import services as outbox
from registrations import links, services
from registrations.models import Registration, RegistrationStatus, new_token
from sessions.models import InfoSession

EXPORT_FIELDS = (
    "first_name", "last_name", "email", "phone", "postcode", "municipality", "province", "childcare_type",
    "planned_places", "planned_start", "legal_form", "enterprise_number", "statute", "experience",
    "qualification", "is_21_or_older", "location", "questions", "news_opt_in", "privacy_version",
    "consented_at", "status", "attends", "created_at", "confirmed_at", "cancelled_at", "checked_in_at",
)  # fmt: skip


def _same_person(registration: Registration) -> list[Registration]:
    if registration.email is None:  # a companion without an address is only themselves
        return [registration]
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.email == registration.email)
            .order_by(Registration.created_at)
        )
    )


def _plain(value, name: str = ""):
    if name == "planned_start" and value is not None:
        return f"{value:%Y-%m}"  # a month (ISO 8601 "2027-05"), never a day
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "value", value)


# Later packages (leads, dossiers) hold data about the same person: they add their part to an
# export and an erasure, and may keep registrations from the purge (app/hooks.py).


@hooks.hook
def export_hooks(email: str) -> dict:
    """What this package keeps about the person with this address, for their export."""


@hooks.hook
def erase_hooks(email: str, now: datetime) -> None:
    """The person with this address asked to be forgotten: erase or anonymise what this package
    keeps about them. Runs inside the erasure's transaction; never commit."""


@hooks.hook
def purge_hooks(now: datetime) -> int:
    """The retention purge runs: forget what this package keeps past its retention period.
    Runs inside the purge's transaction; never commit. Returns how many records went."""


@hooks.hook
def keep_hooks(registration: Registration) -> bool:
    """True when this package still needs the registration's personal data (a lead, a dossier),
    so the retention purge leaves it alone."""


def export_personal_data(registration: Registration) -> dict:
    """Everything we keep about the person behind this registration (matched on e-mail)."""
    exported = _registrations_export(registration)
    for part in export_hooks.send(registration.email) if registration.email else ():
        exported.update(part)
    return exported


def _registrations_export(registration: Registration) -> dict:
    return {
        "exported_at": utcnow().isoformat(),
        "registrations": [
            {
                "session": {
                    "id": r.session.id,
                    "title": r.session.display_title,
                    "starts_at": r.session.starts_at.isoformat(),
                },
                **{name: _plain(getattr(r, name), name) for name in EXPORT_FIELDS},
                # The team's extra questions, as they were asked.
                "answers": [
                    {"question": a.get("label", a.get("key")), "answer": a.get("text", "")}
                    for a in r.answers or []
                ],
            }
            for r in _same_person(registration)
        ],
    }


def _anonymise(registration: Registration, now: datetime) -> None:
    registration.first_name, registration.last_name = "(gewist)", ""
    registration.email = f"gewist-{registration.id}@anoniem.invalid"
    registration.phone = registration.enterprise_number = None
    registration.postcode = None
    registration.questions = registration.staff_note = ""
    # Choices, yes/no and numbers stay for the figures; what the person wrote in words goes.
    registration.answers = [
        a for a in registration.answers or [] if a.get("kind") not in ("short_text", "long_text")
    ] or None
    registration.news_opt_in = False
    links.forget(registration)  # its short links are stored with the token: gone with it
    registration.token = new_token()  # every link in old mails stops working
    registration.anonymised_at = now


@atomic
def erase_personal_data(registration: Registration, now: datetime | None = None) -> int:
    """The person asked to be forgotten: cancel what is still active (seats go to the waiting
    list), then anonymise every registration of theirs. Returns how many were anonymised."""
    now = now or utcnow()
    people = _same_person(registration)
    for r in people:
        if r.status.is_active:
            services.cancel_registration(r, now=now, notify=False)
    if registration.email:  # a companion without an address has nothing kept under one
        outbox.forget_recipient(registration.email)
        erase_hooks.send(registration.email, now)
    for r in _same_person(registration):
        _anonymise(r, now)
    db.session.commit()
    return len(people)


def keep_for_follow_up(registration: Registration) -> bool:
    """True when a later stage (a lead, a dossier) still needs this person's data."""
    return any(keep(registration) for keep in keep_hooks)


@atomic
def purge(now: datetime | None = None) -> int:
    """Anonymise registrations whose session ended more than PRIVACY_RETENTION_MONTHS ago, unless
    they went on to a lead or dossier. Safe to run daily; returns how many were anonymised."""
    now = now or utcnow()
    months = current_app.config.get("PRIVACY_RETENTION_MONTHS", 12)
    cutoff = now - relativedelta(months=months)
    candidates = db.session.scalars(
        select(Registration)
        .join(InfoSession, InfoSession.id == Registration.session_id)
        .where(InfoSession.ends_at < cutoff, Registration.anonymised_at.is_(None))
    ).all()
    count = 0
    for registration in candidates:
        if keep_for_follow_up(registration):
            continue
        if registration.status == RegistrationStatus.PENDING:
            registration.status = RegistrationStatus.EXPIRED
        _anonymise(registration, now)
        count += 1
    # Sent mail holds names and addresses too: it goes after the same period.
    outbox.purge(cutoff)
    purge_hooks.send(now)
    db.session.commit()
    return count
