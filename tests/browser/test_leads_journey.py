"""In a real browser: a candidate asks for an intake conversation on a phone, staff find the lead
in the inbox, publish a slot and send the link, the candidate picks the time without
JavaScript. axe-core checks every page on the way against WCAG 2.1 A/AA.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.timezone import local
from dossiers.leads.models import LeadStatus
from tests.support import PASSWORD
from tests.support.axe import AxeAudit
from tests.support.dossiers import intake_mails, lead_of

pytestmark = pytest.mark.browser


def test_from_intake_request_to_a_picked_slot(phone_page, page, nojs_page, make_user, live_server):
    audit = AxeAudit()
    staff = make_user(Role.STAFF, name="Sofie De Wilde")

    # A candidate asks for a conversation on their phone; a mistake first.
    phone_page.goto("/kennismakingsgesprek")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Een kennismakingsgesprek aanvragen")
    audit.check(phone_page, "intake request form")
    phone_page.get_by_label("Voornaam", exact=True).fill("Karima")
    phone_page.get_by_label("Achternaam", exact=True).fill("Benali")
    phone_page.get_by_label("E-mailadres", exact=True).fill("karima@example.com")
    phone_page.get_by_label("Postcode van de geplande opvanglocatie (niet verplicht)").fill("4000")
    phone_page.get_by_role("radio", name="Groepsopvang (vanaf 9 kinderen)").check()
    phone_page.get_by_role("checkbox", name=re.compile("^Ik heb de privacyverklaring")).check()
    phone_page.get_by_role("button", name="Gesprek aanvragen").click()
    expect(phone_page.get_by_role("main")).to_contain_text("Wallonië")
    audit.check(phone_page, "intake request form with an error")
    phone_page.get_by_label("Postcode van de geplande opvanglocatie (niet verplicht)").fill("9000")
    phone_page.get_by_role("button", name="Gesprek aanvragen").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Bedankt, we hebben je vraag")
    audit.check(phone_page, "thank-you page")

    # Staff log in, find the lead in the inbox and open it.
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(staff.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Aanmelden")).click()
    page.goto("/beheer/leads/")
    audit.check(page, "lead inbox")
    page.get_by_role("link", name="Karima Benali").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Karima Benali")
    audit.check(page, "lead page")

    # Staff publish a time and mail the link.
    page.goto("/beheer/kennismakingsgesprekken")
    day = local(utcnow()).date() + timedelta(days=5)
    page.get_by_label("Dag").fill(day.isoformat())
    page.get_by_label("Begint om").fill("10:00")
    page.get_by_label("Of een ander adres").fill("Havenlaan 88, 1000 Brussel")
    page.get_by_role("button", name="Moment openstellen").click()
    expect(page.get_by_role("main")).to_contain_text("Het gespreksmoment staat open.")
    audit.check(page, "intake slots")
    page.goto(f"/beheer/leads/{lead_of('karima@example.com').id}")
    page.get_by_role("button", name="Stuur link om een moment te kiezen").click()
    expect(page.get_by_role("main")).to_contain_text("krijgt een mail met de link")

    # The candidate opens the link, without JavaScript, and picks the time.
    db.session.rollback()
    (mail,) = intake_mails("karima@example.com", "pick_link")
    link = re.search(r"(/kennismakingsgesprek/kies/\S+)", mail.text_body).group(1)
    phone_page.goto(link)  # axe needs JavaScript: it audits the same page in the other browser
    audit.check(phone_page, "pick page")
    nojs_page.goto(link)
    nojs_page.get_by_role("radio", name=re.compile("Sofie De Wilde")).check()
    nojs_page.get_by_role("button", name="Dit moment kiezen").click()
    expect(nojs_page.get_by_role("heading", name="Je gesprek is gepland")).to_be_visible()
    phone_page.reload()
    audit.check(phone_page, "pick page with a booking")

    assert lead_of("karima@example.com").status == LeadStatus.INTAKE_PLANNED
    audit.assert_clean()
