"""An expert prepares an evening in a real browser: edits a slide of the topic's library, downloads
the session's deck and finds the slide in it, attaches a handout for the attendees, which a
visitor then gets through the signed link of the follow-up mail. axe-core checks every page."""

from __future__ import annotations

import io
import re

from playwright.sync_api import expect
from pptx import Presentation

from app.auth.models import Role
from app.extensions import db
from materials.handouts import services as handouts
from tests.support.axe import AxeAudit
from tests.support.browser import log_in
from tests.support.files import pdf_bytes


def test_expert_edits_a_slide_downloads_the_deck_and_shares_a_handout(
    app,
    page,
    phone_page,
    make_user,
    make_session,
    make_registration,
    tmp_path,
):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    audit = AxeAudit()
    expert = make_user(Role.EXPERT, name="An Peeters")
    session = make_session(presenters=[expert])
    attendee = make_registration(session, status="confirmed")
    log_in(page, expert)

    page.goto(f"/beheer/themas/{session.topic_id}/dias")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dia's per agendapunt")
    audit.check(page, "the slide library")
    page.get_by_role("link", name=re.compile("Dia toevoegen.*Het starterstraject")).click()
    page.get_by_label("Titel van de dia").fill("Het starterstraject in {locatie}")
    page.get_by_label("Opsommingstekens").fill("Verplicht sinds 1 juli 2024\nEen kennismakingsgesprek")
    page.get_by_label("Sprekersnotities").fill("Benadruk dat het verplicht is.")
    audit.check(page, "the slide form")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Dia opgeslagen.")).to_be_visible()

    page.goto(f"/beheer/sessies/{session.id}")
    audit.check(page, "the staff session page with the deck and materials panels")
    with page.expect_download() as download:
        page.get_by_role("link", name="Presentatie downloaden (.pptx)").click()
    deck = Presentation(io.BytesIO(download.value.path().read_bytes()))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert f"Het starterstraject in {session.venue.name}, {session.venue.municipality}" in titles

    source = tmp_path / "checklist.pdf"
    source.write_bytes(pdf_bytes("Checklist"))
    page.get_by_text("Materiaal toevoegen aan deze sessie").click()
    page.get_by_label("Titel", exact=True).fill("Checklist vergunning")
    page.get_by_label("Deelnemers: via de persoonlijke link in hun mail").check()
    page.get_by_label("Bestand").set_input_files(str(source))
    page.get_by_role("button", name="Materiaal toevoegen").click()
    expect(page.get_by_text("Materiaal toegevoegd.")).to_be_visible()
    expect(page.locator("#materialen")).to_contain_text("Checklist vergunning")

    db.session.rollback()  # see what the live server committed
    [(title, url)] = handouts.links_for_attendee(attendee)
    assert title == "Checklist vergunning"
    response = phone_page.request.get(url)
    assert response.ok and response.body() == pdf_bytes("Checklist")
    assert phone_page.request.get(url[:-4] + "abcd").status == 404
    audit.assert_clean()


def test_admin_master_template_page_is_accessible(page, make_user):
    audit = AxeAudit()
    log_in(page, make_user(Role.ADMIN))
    page.goto("/beheer/presentatiesjabloon")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sjabloon voor presentaties")
    audit.check(page, "the master template page")
    audit.assert_clean()
