"""A hybrid session in a real browser on a 360 px phone: the form asks "Ter plaatse of online?",
says which way still has room, sends the person back to the question when they skip it, and keeps
their answer; the staff page shows the seats per way and how each person attends. axe-core finds
no WCAG 2.1 A/AA violation and nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from registrations.models import Registration
from sessions.models import AttendMode, SessionFormat
from tests.support.axe import assert_no_axe_violations
from tests.support.browser import fits, log_in

pytestmark = pytest.mark.browser

PRIVACY = re.compile(r"^Ik heb de privacyverklaring gelezen")


def test_a_hybrid_session_asks_on_site_or_online_on_a_360_px_phone(narrow_page, make_session):
    session = make_session(format=SessionFormat.HYBRID, capacity=1, online_capacity=None)
    session_id = session.id
    db.session.commit()
    page = narrow_page

    page.goto(f"/sessies/{session_id}")
    question = page.get_by_role("group", name=re.compile(r"^Ter plaatse of online\?"))
    expect(question.get_by_role("radio", name="Ter plaatse (nog 1 plaats)")).to_be_visible()
    expect(question.get_by_role("radio", name="Online (plaats genoeg)")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("ter plaatse: nog 1 plaats · online: plaats genoeg")
    fits(page)
    assert_no_axe_violations(page, "a hybrid session's registration form at 360 px")

    page.get_by_label("Voornaam", exact=True).fill("Lien")
    page.get_by_label("Achternaam", exact=True).fill("Wouters")
    page.get_by_label("E-mailadres", exact=True).fill("lien.wouters@example.com")
    page.get_by_role("checkbox", name=PRIVACY).check()
    page.get_by_role("button", name="Inschrijven").click()

    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="Controleer het formulier")
    )
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Kies of je ter plaatse of online deelneemt.")
    summary.get_by_role("link", name="Kies of je ter plaatse of online deelneemt.").click()
    question = page.get_by_role("group", name=re.compile(r"^Ter plaatse of online\?"))
    expect(question).to_have_accessible_description(re.compile("Kies of je ter plaatse of online deelneemt."))
    expect(page.get_by_label("Voornaam", exact=True)).to_have_value("Lien")  # the rest is kept
    fits(page)
    assert_no_axe_violations(page, "the hybrid question with its error at 360 px")

    question.get_by_role("radio", name="Online (plaats genoeg)").check()
    page.get_by_role("checkbox", name=PRIVACY).check()
    page.get_by_role("button", name="Inschrijven").click()
    page.wait_for_url(re.compile(rf"/sessies/{session_id}/ingeschreven(#.*)?$"))

    db.session.rollback()
    registration = db.session.scalar(select(Registration))
    assert registration.attends == AttendMode.ONLINE


def test_the_staff_session_page_shows_seats_and_attendance_per_way_at_360_px(
    narrow_page, make_session, make_user, registration_data
):
    from registrations import services

    session = make_session(format=SessionFormat.HYBRID, capacity=2, online_capacity=1)
    for n, mode in enumerate((AttendMode.ON_SITE, AttendMode.ONLINE, AttendMode.ONLINE)):
        services.register(session.id, registration_data(f"p{n}@example.com", attends=mode))
    expert = make_user(Role.EXPERT)
    session_id = session.id
    db.session.commit()
    page = narrow_page

    log_in(page, expert)
    page.goto(f"/beheer/sessies/{session_id}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Plaatsen ter plaatse")
    expect(main).to_contain_text("Online plaatsen")
    expect(page.locator("td.registration-mode")).to_have_count(3)
    fits(page)
    assert_no_axe_violations(page, "the staff page of a hybrid session at 360 px")
