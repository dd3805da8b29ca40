"""An expert defines a conditional registration question; a registrant on a 360 px phone sees it
only when it applies (groepsopvang), and without JavaScript sees it with when it applies. axe-core
finds no WCAG 2.1 A/AA violation on the staff page or the form, and nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from app.extensions import db
from registrations.models import Registration
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import fits, log_in

pytestmark = pytest.mark.browser

PRIVACY = re.compile(r"^Ik heb de privacyverklaring gelezen")
QUESTION = "Hoeveel m² binnenruimte heb je?"


def test_an_expert_asks_a_question_only_for_groepsopvang(
    page, narrow_page, nojs_page, make_session, make_user
):
    session = make_session(capacity=5)
    session_id, topic_id = session.id, session.topic_id
    expert = make_user(Role.EXPERT)
    db.session.commit()

    log_in(page, expert)
    page.goto("/beheer/inschrijfvragen")
    page.get_by_role("link", name=session.topic.title).click()
    assert_no_axe_violations(page, "the topic's questions page")
    page.get_by_label("Vraag (Nederlands)").fill(QUESTION)
    page.get_by_label("Soort antwoord").select_option(label="Getal")
    page.get_by_label("Verplicht te beantwoorden").check()
    page.get_by_label("Alleen tonen als").select_option(label="Soort opvang")
    page.get_by_label("… dit antwoord heeft").fill("groepsopvang")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("main")).to_contain_text("Vraag “Hoeveel m² binnenruimte heb je?” opgeslagen.")
    assert page.url.endswith(f"/beheer/inschrijfvragen/thema/{topic_id}")

    phone = narrow_page
    phone.goto(f"/sessies/{session_id}")
    question = phone.get_by_label(QUESTION)
    expect(question).to_be_hidden()
    phone.get_by_role("radio", name=re.compile("^Groepsopvang")).check()
    expect(question).to_be_visible()
    fits(phone)
    assert_no_axe_violations(phone, "the registration form with a conditional question at 360 px")
    phone.get_by_role("radio", name=re.compile("^Gezinsopvang")).check()
    expect(question).to_be_hidden()
    phone.get_by_role("radio", name=re.compile("^Groepsopvang")).check()

    phone.get_by_label("Voornaam", exact=True).fill("Lien")
    phone.get_by_label("Achternaam", exact=True).fill("Wouters")
    phone.get_by_label("E-mailadres", exact=True).fill("lien.wouters@example.com")
    phone.get_by_role("checkbox", name=PRIVACY).check()
    phone.get_by_role("button", name="Inschrijven").click()
    expect(phone.get_by_role("alert").first).to_contain_text(f"Beantwoord de vraag “{QUESTION}”.")
    expect(phone.get_by_label(QUESTION)).to_be_visible()  # still groepsopvang after the round trip
    phone.get_by_label(QUESTION).fill("85")
    phone.get_by_role("button", name="Inschrijven").click()
    phone.wait_for_url(re.compile(r"/ingeschreven(#fouten)?$"))
    db.session.rollback()
    saved = db.session.query(Registration).filter_by(email="lien.wouters@example.com").one()
    assert saved.answers[0]["text"] == "85"

    # Without JavaScript the question is there, saying when it applies.
    nojs_page.goto(f"/sessies/{session_id}")
    expect(nojs_page.get_by_label(QUESTION)).to_be_visible()
    expect(nojs_page.get_by_role("main")).to_contain_text("Alleen als je bij “Welke opvang plan je?”")
