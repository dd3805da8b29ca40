"""Registering on a 360-px phone: every mistake in one round, the e-mail typo hint accepted with
one tap, the confirmation panel and the cancel confirmation; axe-clean, nothing sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from registrations.models import Registration, RegistrationStatus
from tests.support.axe import AxeAudit
from tests.support.browser import fits
from tests.support.registrations import links_in, the_mail

pytestmark = pytest.mark.browser

PRIVACY = re.compile(r"^Ik heb de privacyverklaring gelezen")


def fill(page, **values) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


@pytest.fixture
def phone(phone_page):
    phone_page.set_viewport_size({"width": 360, "height": 780})
    return phone_page


def test_four_mistakes_in_one_round_then_the_typo_hint_in_one_tap(phone, make_session):
    audit = AxeAudit()
    session_id = make_session(capacity=5).id
    db.session.commit()
    phone.goto(f"/sessies/{session_id}")
    fill(
        phone,
        **{
            "Voornaam": "Sara",
            "Achternaam": "Claes",
            "E-mailadres": "sara.claes@gmial.com",
            "Telefoon (niet verplicht)": "12345",
            "Postcode van de geplande opvanglocatie": "4000",
            "Ondernemingsnummer (als je het al hebt)": "0566.988.258",
            "Aantal geplande plaatsen": "0",
        },
    )
    # The hint comes as soon as the address is typed, before any submit.
    hint = phone.locator("#email-suggestion")
    expect(hint).to_contain_text("Bedoelde je sara.claes@gmail.com?")
    audit.check(phone, "the form with the e-mail hint (360 px)")
    phone.get_by_role("checkbox", name=PRIVACY).check()
    phone.get_by_role("button", name="Inschrijven").click()

    summary = phone.get_by_role("alert").filter(
        has=phone.get_by_role("heading", name="Controleer het formulier")
    )
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)
    for field in ("phone", "postcode", "planned_places", "enterprise_number"):
        expect(summary.locator(f'a[href="#{field}"]')).to_have_count(1)
    fits(phone)
    audit.check(phone, "the registration form with four errors (360 px)")

    # The hint survived the round trip (the server offers it too); one tap accepts it.
    phone.get_by_role("button", name="sara.claes@gmail.com").click()
    expect(phone.get_by_label("E-mailadres", exact=True)).to_have_value("sara.claes@gmail.com")
    expect(phone.get_by_label("E-mailadres", exact=True)).to_be_focused()
    expect(hint).to_contain_text("Aangepast")

    fill(
        phone,
        **{
            "Telefoon (niet verplicht)": "0470 12 34 56",
            "Postcode van de geplande opvanglocatie": "9000",
            "Ondernemingsnummer (als je het al hebt)": "0566.988.259",
            "Aantal geplande plaatsen": "8",
        },
    )
    phone.get_by_role("button", name="Inschrijven").click()
    phone.wait_for_url(re.compile(rf"/sessies/{session_id}/ingeschreven"))
    db.session.commit()
    assert db.session.scalars(select(Registration.email)).all() == ["sara.claes@gmail.com"]
    audit.assert_clean()


def test_without_javascript_the_hint_is_one_tap_too(nojs_page, make_session):
    session_id = make_session(capacity=5).id
    db.session.commit()
    nojs_page.goto(f"/sessies/{session_id}")
    fill(nojs_page, **{"Voornaam": "Sara", "Achternaam": "Claes", "E-mailadres": "sara@hotmial.com"})
    nojs_page.get_by_role("button", name="Inschrijven").click()  # no consent yet: comes back
    expect(nojs_page.locator("#email-suggestion")).to_contain_text("Bedoelde je sara@hotmail.com?")
    nojs_page.get_by_role("checkbox", name=PRIVACY).check()
    # Enter in a field still means "Inschrijven", never the suggestion.
    nojs_page.get_by_label("Voornaam", exact=True).press("Enter")
    nojs_page.wait_for_url(re.compile(rf"/sessies/{session_id}/ingeschreven"))
    db.session.commit()
    assert db.session.scalars(select(Registration.email)).all() == ["sara@hotmial.com"]


def test_without_javascript_a_tap_on_the_hint_takes_the_address(nojs_page, make_session):
    session_id = make_session(capacity=5).id
    db.session.commit()
    nojs_page.goto(f"/sessies/{session_id}")
    fill(nojs_page, **{"Voornaam": "Sara", "Achternaam": "Claes", "E-mailadres": "sara@telenet.bee"})
    nojs_page.get_by_role("checkbox", name=PRIVACY).check()
    nojs_page.get_by_label("Postcode van de geplande opvanglocatie", exact=True).fill("4000")
    nojs_page.get_by_role("button", name="Inschrijven").click()
    nojs_page.get_by_role("button", name="sara@telenet.be").click()
    expect(nojs_page.get_by_label("E-mailadres", exact=True)).to_have_value("sara@telenet.be")


def test_the_confirmation_panel_and_the_cancel_confirmation(phone, make_session, make_registration):
    audit = AxeAudit()
    session = make_session(capacity=5)
    make_session(topic=session.topic, days=40)
    make_registration(session, "an@example.com")
    confirm = links_in(the_mail("an@example.com", "confirm_link")).confirm
    db.session.commit()

    phone.goto(confirm)
    phone.get_by_role("button", name="Bevestigen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Je bent ingeschreven")
    expect(phone.get_by_role("link", name="Google Agenda")).to_be_visible()
    expect(phone.get_by_role("link", name="Outlook.com")).to_be_visible()
    fits(phone)
    audit.check(phone, "the confirmation panel (360 px)")

    phone.get_by_role("link", name="Je inschrijving bekijken of annuleren").click()
    phone.get_by_role("link", name="Annuleer mijn inschrijving").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Je inschrijving annuleren?")
    expect(phone.get_by_role("main")).to_contain_text("Ben je zeker?")
    fits(phone)
    audit.check(phone, "the cancel confirmation (360 px)")
    db.session.commit()
    assert db.session.scalar(select(Registration.status)) == RegistrationStatus.CONFIRMED

    phone.get_by_role("button", name="Ja, annuleer mijn inschrijving").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Je inschrijving is geannuleerd")
    expect(phone.get_by_role("heading", name="Een ander moment?")).to_be_visible()
    fits(phone)
    audit.check(phone, "cancelled, with the next dates (360 px)")
    db.session.commit()
    assert db.session.scalar(select(Registration.status)) == RegistrationStatus.CANCELLED
    audit.assert_clean()
