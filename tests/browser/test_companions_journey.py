"""Register with my partner, on a 360 px phone: the form's "samen inschrijven" part shows one row
for a companion and reveals the next on "Nog iemand toevoegen"; the page after the form names both
of us and where we stand; the manage page from the mail lists my partner. axe-core clean, nothing
wider than the screen."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.extensions import db
from tests.support.axe import AxeAudit
from tests.support.browser import DEFAULT_TIMEOUT_MS, fits
from tests.support.registrations import links_in, the_mail

PRIVACY = re.compile(r"^Ik heb de privacyverklaring gelezen")


def test_register_with_my_partner_on_a_small_phone(browser, live_server, make_session):
    session = make_session(capacity=5)
    session_id = session.id
    db.session.commit()
    context = browser.new_context(
        base_url=live_server, viewport={"width": 360, "height": 800}, is_mobile=True, has_touch=True,
        locale="nl-BE", timezone_id="Europe/Brussels",
    )  # fmt: skip
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    audit = AxeAudit()
    try:
        page.goto(f"/sessies/{session_id}")
        page.get_by_label("Voornaam", exact=True).fill("An")
        page.get_by_label("Achternaam", exact=True).fill("Peeters")
        page.get_by_label("E-mailadres", exact=True).fill("an@example.com")
        page.get_by_text("Schrijf je samen in met je partner of medezaakvoerder?").click()
        expect(page.get_by_label("Voornaam van persoon 1")).to_be_visible()
        expect(page.get_by_label("Voornaam van persoon 2")).to_be_hidden()  # waits behind the button
        page.get_by_label("Voornaam van persoon 1").fill("Bart")
        page.get_by_label("Achternaam van persoon 1").fill("Janssens")
        page.get_by_role("button", name="Nog iemand toevoegen").click()
        expect(page.get_by_label("Voornaam van persoon 2")).to_be_focused()
        page.get_by_role("radio", name="Zet ons allemaal samen op de wachtlijst").check()
        page.get_by_role("checkbox", name=PRIVACY).check()
        fits(page)
        audit.check(page, "the form with a companion (360 px)")

        page.get_by_role("button", name="Inschrijven").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Bijna klaar: kijk in je mailbox")
        group = page.locator("dl.summary-list")
        expect(group).to_contain_text("An Peeters (jij)")
        expect(group).to_contain_text("Bart Janssens")
        expect(group.get_by_text("Plaats vastgehouden")).to_have_count(2)
        fits(page)
        audit.check(page, "the page after the form, naming both (360 px)")

        manage = links_in(the_mail("an@example.com", "confirm_link")).manage
        page.goto(manage)
        expect(page.get_by_role("heading", name="Wie je meebracht")).to_be_visible()
        expect(page.get_by_role("link", name="Bart Janssens")).to_be_visible()
        fits(page)
        audit.check(page, "the registrant's page listing the partner (360 px)")
        audit.assert_clean()
    finally:
        context.close()


def test_without_javascript_all_three_rows_are_there_and_the_group_registers(nojs_page, make_session):
    session_id = make_session(capacity=1).id
    db.session.commit()
    page = nojs_page
    page.goto(f"/sessies/{session_id}")
    page.get_by_label("Voornaam", exact=True).fill("An")
    page.get_by_label("Achternaam", exact=True).fill("Peeters")
    page.get_by_label("E-mailadres", exact=True).fill("an@example.com")
    page.get_by_text("Schrijf je samen in met je partner of medezaakvoerder?").click()
    for n in (1, 2, 3):
        expect(page.get_by_label(f"Voornaam van persoon {n}")).to_be_visible()
    expect(page.get_by_role("button", name="Nog iemand toevoegen")).to_be_hidden()
    page.get_by_label("Voornaam van persoon 3").fill("Cis")
    page.get_by_label("Achternaam van persoon 3").fill("Wouters")
    page.get_by_role("radio", name="Neem de vrije plaatsen en zet de rest op de wachtlijst").check()
    page.get_by_role("checkbox", name=PRIVACY).check()
    page.get_by_role("button", name="Inschrijven").click()

    group = page.locator("dl.summary-list")
    expect(group).to_contain_text("An Peeters (jij)")
    expect(group.locator("div", has_text="Cis Wouters")).to_contain_text("Op de wachtlijst")
