"""Leads and companions: one lead per e-mail address; a companion without an address belongs to
the lead of the person who registered them."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from dossiers.leads.models import LeadRegistration
from registrations import services
from tests.support.dossiers import count_leads, lead_of


def test_a_confirmed_group_makes_one_lead_per_address_and_gathers_the_companion_without_one(
    make_rule, make_session, registration_data
):
    make_rule(name="Iedereen")
    session = make_session(capacity=5)
    outcome = services.register(
        session.id,
        registration_data("an@example.com"),
        companions=[
            services.CompanionData("Bart", "Janssens"),
            services.CompanionData("Cis", "W", "cis@example.com"),
        ],
    )

    services.confirm_registration(outcome.registration)

    db.session.rollback()
    assert count_leads() == 2
    an, cis = lead_of("an@example.com"), lead_of("cis@example.com")
    assert an is not None and cis is not None
    linked = db.session.scalars(
        select(LeadRegistration.registration_id).where(LeadRegistration.lead_id == an.id)
    ).all()
    bart = outcome.companions[0]
    assert set(linked) == {outcome.registration.id, bart.id}
