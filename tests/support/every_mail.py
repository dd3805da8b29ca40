"""One mail of every kind the application registers, queued through each package's own API (as the
change that causes it does) and rendered by the outbox as the worker renders it.

    mails = every_mail(make_session, make_registration, make_lead, make_user)
    mails["registration.confirmed"].html_body
"""

from __future__ import annotations

import io
from datetime import time, timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.outbox.kinds import KINDS
from app.outbox.models import OutboxMessage
from app.timezone import from_local, local
from dossiers import mails as dossier_mails
from dossiers import services as dossiers
from dossiers.leads import intake
from dossiers.leads import mails as intake_mails
from dossiers.leads.models import SlotMode
from materials.mailings import mails as mailing_mails
from materials.mailings import services as mailings
from materials.mailings.models import Segment
from registrations import mails as registration_mails
from registrations.models import ChildcareType, LegalForm
from sessions.alerts import services as alerts
from sessions.models import SessionFormat
from tests.support.files import pdf_bytes
from tests.support.mailings import attended
from tests.support.registrations import fresh, rendered

# Kinds the tests themselves register (tests.support.outbox, the benches): not the application's.
NOT_THE_APPS = ("test.", "bench.")


def application_kinds() -> set[str]:
    return {kind.code for kind in KINDS if not kind.code.startswith(NOT_THE_APPS)}


def _registration_mails(make_session, make_registration) -> None:
    session = make_session(
        capacity=10, format=SessionFormat.HYBRID, title="Een kinderopvang starten: van plan tot vergunning"
    )
    pending = make_registration(session, "pending@example.com", "pending", first_name="Lotte")
    confirmed = make_registration(session, "confirmed@example.com", "confirmed", first_name="Sara")
    pending, confirmed = fresh(pending), fresh(confirmed)
    for kind in registration_mails.SUBJECTS:
        name = kind.code.removeprefix("registration.")
        registration = pending if name in ("confirm_link", "confirm_waitlist", "already") else confirmed
        snapshot = {}
        if name == "updated":
            snapshot["changes"] = ["time", "place"]
        elif name == "session_cancelled":
            snapshot["reason"] = "De presentator is ziek."
        elif name == "reminder":
            snapshot["spec"] = "day_before"
        registration_mails.queue(kind, registration, f"every-mail:registration:{name}", **snapshot)
    db.session.commit()


def _dossier_mails(make_user) -> None:
    owner = make_user(Role.STAFF, email="dossierbeheerder@example.com", name="Sofie De Wilde")
    from datetime import date

    dossier = dossiers.create_dossier(
        dossiers.DossierData(
            first_name="An",
            last_name="Peeters",
            email="organisator@example.com",
            childcare_type=ChildcareType.GEZINSOPVANG,
            postcode="9000",
            street="Kouter 1",
            legal_form=LegalForm.EENMANSZAAK,
            enterprise_number="0566.988.259",
            is_21_or_older=True,
            planned_places=8,
            planned_start=date(2027, 3, 1),
            owner_id=owner.id,
        ),
        by=owner,
    )
    items = [item for item in dossier.items if item.is_open and not item.element.record_only]
    dossier_mails.send_missing(dossier, items, "every-mail:dossier:missing", reminder=False)
    dossier_mails.send_missing(dossier, items, "every-mail:dossier:reminder", reminder=True)
    rendered()  # before the upload below leaves less missing
    dossiers.upload_document(dossier, items[0].id, io.BytesIO(pdf_bytes()), "uittreksel.pdf")


def _intake_mails(make_lead, make_user) -> None:
    lead = make_lead("lead@example.com", first_name="Jonas")
    staff = make_user(Role.STAFF, email="intake@example.com", name="Karim Aydin")
    day = local(utcnow()).date() + timedelta(days=4)

    def slot(hour: int, mode: SlotMode):
        start = from_local(day, time(hour, 0))
        online = mode is SlotMode.ONLINE
        return intake.create_slot(
            intake.SlotData(
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                mode=mode,
                staff_id=staff.id,
                address=None if online else "Havenlaan 88, 1000 Brussel",
                meeting_url="https://meet.example.com/intake" if online else None,
            )
        )

    first, second = slot(10, SlotMode.ON_SITE), slot(14, SlotMode.ONLINE)
    intake_mails.send_pick_link(lead, "every-mail:pick")
    db.session.commit()
    conversation = intake.book(lead, first.id)  # booked, to the lead and the staff member
    conversation = intake.book(lead, second.id)  # moved
    intake.cancel_booking(conversation)  # cancelled


def _mailing_mails(make_session, make_registration, make_user) -> None:
    session, people = attended(
        make_session, make_registration, people=(("volger@example.com", "Chloé", "Dubois"),)
    )
    expert = make_user(Role.EXPERT, email="expert.mail@example.com")
    intents = []
    for segment in Segment:
        mailing = mailings.create_mailing(session.id, segment)
        intents.append(mailing_mails.intent(mailing, people[0], f"every-mail:mailing:{segment.value}"))
    intents.append(mailing_mails.test_intent(mailing, people[0], expert.email, "every-mail:test"))
    from app.outbox.services import enqueue_many

    enqueue_many(intents)
    db.session.commit()


def _alert_mails(make_session) -> None:
    now = utcnow()
    session = make_session(title="Een kinderopvang starten in Gent")
    alert = alerts.subscribe(
        "melding@example.com", province=session.venue.province, now=now - timedelta(days=30)
    )
    rendered()  # the confirmation, before confirming makes it moot
    alerts.confirm(alert, now=now - timedelta(days=29))
    session.published_at = now - timedelta(hours=1)
    db.session.commit()
    alerts.send_alerts(now=now)


def every_mail(make_session, make_registration, make_lead, make_user) -> dict[str, OutboxMessage]:
    """A rendered mail of every kind, by kind code: the one queued here, else the newest."""
    _alert_mails(make_session)
    _registration_mails(make_session, make_registration)
    _dossier_mails(make_user)
    _intake_mails(make_lead, make_user)
    _mailing_mails(make_session, make_registration, make_user)
    rendered()
    found: dict[str, OutboxMessage] = {}
    for row in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.rendered_at.is_not(None)).order_by(OutboxMessage.id)
    ):
        if row.kind not in found or not found[row.kind].dedup_key.startswith("every-mail:"):
            found[row.kind] = row
    return found
