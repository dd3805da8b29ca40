"""Fixtures for dossiers and leads. Shared by the leads and the dossiers tests: add, never remove.

Registrations and leads come from the factories in tests/conftest.py (`make_registration`,
`make_rule`, `make_lead`), so a lead is made the way production makes it: a person registers and
confirms, a rule fires. Helpers (counting leads, reading mails) are in tests/support/dossiers.py.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from app.auth.models import Role
from app.db import utcnow
from app.timezone import from_local, local
from dossiers.leads import intake
from dossiers.leads.models import SlotMode
from tests.support import PASSWORD


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
def as_staff(client, dossier_staff):
    """The test client signed in as the dossier manager."""
    client.post("/login", data={"email": dossier_staff.email, "password": PASSWORD})
    return dossier_staff


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
