"""On a phone: someone who was checked in opens their registration, downloads their certificate
of attendance, and a reader of the PDF opens the check link printed under its QR code."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect
from pypdf import PdfReader

from app.auth.models import Role
from registrations import attendance, links
from tests.support.axe import assert_no_axe_violations
from tests.support.registrations import begin, fresh


def test_an_attendee_downloads_the_certificate_and_its_link_checks_out(
    phone_page, live_server, make_session, make_registration, make_user
):
    page = phone_page
    presenter = make_user(Role.EXPERT, name="Els Janssens")
    session = make_session(presenters=[presenter])
    registration = make_registration(session, status="confirmed", first_name="Mira", last_name="Claes")
    begin(session)
    attendance.check_in(registration, presenter)
    manage = urlsplit(links.manage_url(fresh(registration))).path

    page.goto(manage)
    expect(page.get_by_role("heading", name="Attest van deelname")).to_be_visible()
    assert_no_axe_violations(page, "the manage page with the certificate")
    with page.expect_download() as download:
        page.get_by_role("link", name="Attest downloaden (PDF)").click()
    pdf = download.value
    assert pdf.suggested_filename.startswith("attest-van-deelname-")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf.path()).pages).split())
    assert "Mira Claes" in text and "Els Janssens" in text

    # The address printed under the QR code (broken over lines in the PDF) is the check link.
    check = links.certificate_url(fresh(registration))
    assert check.startswith(live_server) and check in text.replace(" ", "")
    page.goto(check)
    expect(page.get_by_role("heading", name="Dit attest is echt")).to_be_visible()
    expect(page.get_by_text("Mira Claes")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    assert_no_axe_violations(page, "the certificate's check page")


def test_someone_not_checked_in_is_told_why_there_is_no_certificate(phone_page, make_registration):
    registration = make_registration(status="confirmed")

    phone_page.goto(urlsplit(links.manage_url(registration)).path + "/attest.pdf")

    expect(phone_page.get_by_role("heading", name="Geen attest van deelname")).to_be_visible()
    assert_no_axe_violations(phone_page, "the certificate refusal")
