"""An expert answers registrants' questions in a real browser: ticks the similar ones, writes one
answer; a visitor on a phone then finds it on the session page (it opens on a tap) and through
the search at /vragen. axe-core checks every page; nothing is wider than a 360 px screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from tests.support.axe import AxeAudit
from tests.support.browser import log_in

pytestmark = pytest.mark.browser


def _fits(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"


def test_an_expert_answers_once_and_a_visitor_finds_the_answer(
    page, phone_page, make_user, make_session, make_registration
):
    audit = AxeAudit()
    expert = make_user(Role.EXPERT)
    session = make_session()
    for email in ("a@example.com", "b@example.com"):
        make_registration(session, email, questions="Heb ik een vergunning nodig?")
    make_registration(session, "c@example.com", questions="Hoeveel subsidie krijg ik?")
    log_in(page, expert)

    page.goto("/beheer/vragen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vragen van deelnemers")
    expect(page.get_by_text("2 keer gevraagd")).to_be_visible()
    audit.check(page, "the experts' questions page")
    _fits(page, 360)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("checkbox", name="Heb ik een vergunning nodig?").check()
    public_question = "Heb ik een vergunning nodig voor kinderopvang?"
    page.get_by_label("Vraag zoals het publiek ze leest").fill(public_question)
    page.get_by_label("Antwoord", exact=True).fill(
        "Ja, elke kinderopvang heeft een vergunning van Opgroeien nodig."
    )
    page.get_by_role("button", name="Antwoord opslaan").click()
    expect(page.get_by_text("Het antwoord is opgeslagen")).to_be_visible()
    expect(page.get_by_text("Beantwoord", exact=True)).to_be_visible()
    audit.check(page, "the questions page after answering")

    phone_page.goto(f"/sessies/{session.id}")
    question = phone_page.get_by_text(public_question)
    answer = phone_page.get_by_text("elke kinderopvang heeft een vergunning van Opgroeien")
    expect(answer).to_be_hidden()
    question.click()
    expect(answer).to_be_visible()
    audit.check(phone_page, "the session page with its answers")

    phone_page.get_by_role("link", name="Zoek in alle antwoorden").click()
    phone_page.get_by_label("Zoek in de antwoorden").fill("vergunning")
    phone_page.get_by_role("button", name="Zoeken").click()
    expect(phone_page.get_by_text("1 antwoord gevonden voor „vergunning”.")).to_be_visible()
    audit.check(phone_page, "the public search")
    _fits(phone_page, 360)
    audit.assert_clean()
