"""Fixtures for dossiers and leads. Shared by the leads and the dossiers tests: add, never remove.

Registrations come from the registrations fixtures (re-exported here), so a lead is made the way
production makes it: a person registers and confirms, a rule fires.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.timezone import from_local, local
from dossiers.leads import capture, intake
from dossiers.leads.models import Lead, LeadRegistration, LeadTrigger, SlotMode
from tests.registrations.conftest import make_registration, registration_data, rendered  # noqa: F401 - fixtures


def count_leads() -> int:
    return db.session.scalar(select(func.count()).select_from(Lead))


def count_links() -> int:
    return db.session.scalar(select(func.count()).select_from(LeadRegistration))


def lead_of(email: str) -> Lead | None:
    db.session.rollback()
    return db.session.scalar(
        select(Lead).where(Lead.email == email).execution_options(populate_existing=True)
    )


def intake_mails(address: str, kind: str | None = None) -> list[OutboxMessage]:
    """The intake mails queued for `address`, rendered as the worker renders them."""
    rendered()
    query = select(OutboxMessage).where(
        OutboxMessage.recipient == address, OutboxMessage.kind.like("intake.%")
    )
    if kind:
        query = query.where(OutboxMessage.kind == f"intake.{kind}")
    return list(
        db.session.scalars(query.order_by(OutboxMessage.id).execution_options(populate_existing=True))
    )


def invitation(mail: OutboxMessage):
    """(METHOD, the one VEVENT) of the calendar attached to a mail."""
    assert mail.ics is not None, f"{mail.kind} has no calendar"
    calendar = Calendar.from_ical(mail.ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return str(calendar["METHOD"]), events[0]


@pytest.fixture
def make_rule(app):
    """make_rule(trigger="registration", **filters) → an active LeadRule."""

    def make(trigger: LeadTrigger | str = LeadTrigger.REGISTRATION, name: str = "Regel", **filters):
        return capture.save_rule(None, capture.RuleData(name=name, trigger=LeadTrigger(trigger), **filters))

    return make


@pytest.fixture
def make_lead(app, make_rule, make_registration):  # noqa: F811 - the imported fixture
    """make_lead(email=None, **registration_fields) → a Lead made by a confirmed registration
    (through a catch-all registration rule, created on first use)."""
    state = {"rule": None}

    def make(email: str | None = None, **fields):
        if state["rule"] is None:
            state["rule"] = make_rule(LeadTrigger.REGISTRATION, name="Iedereen")
        registration = make_registration(email=email, status="confirmed", **fields)
        lead = lead_of(registration.email)
        assert lead is not None
        return lead

    return make


@pytest.fixture
def make_slot(app, make_user):
    """make_slot(days=3, hour=10, staff=None, mode="on_site") → a free IntakeSlot."""

    def make(days: int = 3, hour: int = 10, minutes: int = 60, staff=None, mode: str = "on_site", **kw):
        staff = staff or make_user(Role.STAFF)
        start = from_local(local(utcnow()).date() + timedelta(days=days), time(hour, 0))
        online = mode == "online"
        return intake.create_slot(
            intake.SlotData(
                starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                mode=SlotMode(mode),
                staff_id=staff.id,
                address=None if online else kw.get("address", "Havenlaan 88, 1000 Brussel"),
                meeting_url="https://meet.example.com/intake" if online else None,
            )
        )

    return make


# --------------------------------------------------------------------------- intake dossiers


@pytest.fixture
def dossier_staff(make_user):
    """The dossierbeheerder who makes and owns the dossiers of a test."""
    return make_user(Role.STAFF, email="dossierbeheerder@example.com", name="Sofie De Wilde")


@pytest.fixture
def dossier_data():
    """dossier_data(**overrides) → DossierData a service accepts (a gezinsopvang in Gent)."""
    from datetime import date

    from dossiers.services import DossierData
    from registrations.models import ChildcareType, LegalForm

    def make(**overrides) -> DossierData:
        values = {
            "first_name": "An",
            "last_name": "Peeters",
            "email": "an.peeters@example.com",
            "childcare_type": ChildcareType.GEZINSOPVANG,
            "postcode": "9000",
            "street": "Kouter 1",
            "legal_form": LegalForm.EENMANSZAAK,
            "enterprise_number": "0566.988.259",
            "is_21_or_older": True,
            "planned_places": 8,
            "planned_start": date(2027, 3, 1),
        }
        values.update(overrides)
        return DossierData(**values)

    return make


@pytest.fixture
def make_dossier(app, dossier_staff, dossier_data):
    """make_dossier(by=None, lead=None, now=None, **data) → a Dossier in intake, owned by
    dossier_staff. Each call gets its own enterprise number unless one is given."""
    from dossiers import services

    numbers = iter(["0566.988.259", "0403.170.701", "0202.239.951", "0417.497.106", "0200.065.765"])

    def make(by=None, lead=None, now=None, **overrides):
        overrides.setdefault("enterprise_number", next(numbers))
        overrides.setdefault("owner_id", dossier_staff.id)
        return services.create_dossier(dossier_data(**overrides), by=by or dossier_staff, lead=lead, now=now)

    return make


def approve_all(dossier, by) -> None:
    """Receive and approve every required element, as staff would one by one."""
    from dossiers import services
    from dossiers.models import ItemStatus

    for item in list(dossier.items):
        if not item.required or item.status == ItemStatus.APPROVED:
            continue
        if not item.element.record_only:
            services.update_item(dossier, item.id, by=by, status=ItemStatus.RECEIVED)
        services.update_item(dossier, item.id, by=by, status=ItemStatus.APPROVED)


def dossier_mails(address: str, kind: str | None = None) -> list[OutboxMessage]:
    """The dossier mails queued for `address`, rendered as the worker renders them."""
    rendered()
    query = select(OutboxMessage).where(
        OutboxMessage.recipient == address, OutboxMessage.kind.like("dossier.%")
    )
    if kind:
        query = query.where(OutboxMessage.kind == f"dossier.{kind}")
    return list(
        db.session.scalars(query.order_by(OutboxMessage.id).execution_options(populate_existing=True))
    )
