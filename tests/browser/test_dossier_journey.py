"""The dossier journey from the issue, in a real browser: staff open the lead inbox, convert a
lead into a dossier, tick checklist elements; the organiser uploads a document on their phone
through the link in their mail; staff approve it, advance the dossier to a decision proposal and
export it to sign. axe-core checks the lead inbox, the dossier page and the organiser's page."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from app.auth.models import Role
from app.extensions import db
from dossiers.models import Dossier, DossierState, ItemStatus
from registrations.models import ChildcareType
from tests.support.axe import AxeAudit
from tests.support.browser import log_in
from tests.support.dossiers import approve_all, dossier_mails

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def fresh_dossier() -> Dossier:
    db.session.rollback()  # see what the server committed
    return db.session.scalars(db.select(Dossier)).one()


def item_row(page, dossier: Dossier, code: str):
    item = next(i for i in dossier.items if i.element.code == code)
    return page.locator(f"#item-{item.id}"), item


def set_status(page, dossier: Dossier, code: str, status: str) -> None:
    """Open an element from the task list, pick its new status and save (back to the overview)."""
    row, item = item_row(page, dossier, code)
    row.get_by_role("link", name=item.element.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(item.element.name)
    page.get_by_label("Nieuwe status").select_option(label=status)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(re.compile(rf"/beheer/dossiers/{dossier.reference}(#.*)?$"))


def test_staff_turn_a_lead_into_a_dossier_and_export_the_decision_proposal(
    page,
    phone_page,
    make_user,
    make_lead,
    tmp_path,
):
    audit = AxeAudit()
    staff = make_user(Role.STAFF, name="Sofie De Wilde")
    lead = make_lead(
        email="hanne.mertens@example.com",
        first_name="Hanne",
        last_name="Mertens",
        postcode="8500",
        childcare_type=ChildcareType.GEZINSOPVANG,
        planned_places=6,
        planned_start=date(2027, 5, 1),
        enterprise_number="0566.988.259",
    )

    # Staff open the lead inbox and the lead, and convert it.
    log_in(page, staff)
    page.goto("/beheer/leads")
    audit.check(page, "the lead inbox")
    page.get_by_role("link", name=lead.full_name).first.click()
    page.get_by_role("link", name="Omzetten naar een dossier").click()
    page.wait_for_url(re.compile(r"/beheer/dossiers/nieuw\?lead="))
    expect(page.get_by_label("Postcode", exact=True)).to_have_value("8500")
    expect(page.get_by_label("Ondernemingsnummer", exact=True)).to_have_value("0566.988.259")
    page.get_by_role("button", name="Dossier aanmaken").click()
    page.wait_for_url(re.compile(r"/beheer/dossiers/KO-\d{4}-\d{5}$"))
    dossier = fresh_dossier()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.reference)
    expect(page.get_by_text("Kortrijk", exact=False).first).to_be_visible()
    audit.check(page, "the dossier page")

    # They open the criminal-record extract on its own page and tick it as checked (recorded,
    # never stored); the overview lists every element with its status, no form per element.
    expect(page.locator("#taken .task")).to_have_count(len(dossier.items))
    set_status(page, dossier, "strafregister", "gecontroleerd, in orde")
    row, _ = item_row(page, dossier, "strafregister")
    expect(row.locator("[data-status]")).to_have_text("gecontroleerd, in orde")

    # Into "documenten verzamelen", and the organiser gets the list of what is missing.
    page.get_by_role("button", name="Naar documenten verzamelen").click()
    expect(page.locator(".status").first).to_contain_text("documenten verzamelen")
    page.get_by_role("button", name="Stuur herinnering").click()
    expect(page.get_by_text("krijgt een mail")).to_be_visible()
    db.session.rollback()  # see what the server committed
    [mail] = dossier_mails("hanne.mertens@example.com", "missing")
    link = re.search(r"https?://\S+/dossier/\S+", mail.text_body).group(0)

    # The organiser opens the link on their phone and uploads the floor plan.
    phone_page.goto(link)
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text(dossier.reference)
    audit.check(phone_page, "the organiser's page")
    phone_page.get_by_label("Welk document stuur je?").select_option(
        label="Verslag infrastructuur en grondplan"
    )
    plan = tmp_path / "grondplan.pdf"
    plan.write_bytes(PDF)
    phone_page.get_by_label("Bestand").set_input_files(str(plan))
    phone_page.get_by_role("button", name="Opladen").click()
    expect(phone_page.get_by_text("We hebben je document goed ontvangen")).to_be_visible()

    # Staff see it arrive and approve it on the element's page, where its document is.
    page.reload()
    row, infra = item_row(page, dossier, "infrastructuur")
    expect(row.locator("[data-status]")).to_have_text("ontvangen")
    row.get_by_role("link", name=infra.element.name).click()
    expect(page.get_by_role("link", name="grondplan.pdf")).to_be_visible()
    audit.check(page, "a checklist element's page")
    page.get_by_label("Nieuwe status").select_option(label="goedgekeurd")
    page.get_by_role("button", name="Bewaren").click()
    row, _ = item_row(page, dossier, "infrastructuur")
    expect(row.locator("[data-status]")).to_have_text("goedgekeurd")

    # The other elements come in the same way; here they are approved behind the scenes.
    approve_all(fresh_dossier(), staff)
    page.reload()
    expect(page.locator("#samenvatting .progress .hint")).to_have_text("100%")

    # Staff advance the dossier and write the proposal.
    page.get_by_role("button", name="Volledigheid controleren").click()
    page.get_by_role("button", name="Naar analyse").click()
    expect(page.locator(".status").first).to_contain_text("analyse")
    page.get_by_role("link", name="Analyse en voorstel").click()
    page.get_by_label("Argument", exact=True).last.fill("Ervaren kinderbegeleider, sterk pedagogisch plan.")
    page.get_by_role("button", name="Argument toevoegen").click()
    page.get_by_role("textbox", name="Analyse", exact=True).fill("Volledig dossier; de locatie is geschikt.")
    page.get_by_label("gunstig", exact=True).check()
    page.get_by_label("Tekst van het voorstel van beslissing").fill(
        "Wij stellen voor de vergunning toe te kennen."
    )
    page.get_by_role("button", name="Voorstel bewaren").click()
    expect(page.get_by_text("zijn bewaard")).to_be_visible()
    audit.check(page, "the analysis and proposal")
    page.get_by_role("link", name="Overzicht en checklist").click()
    page.get_by_role("button", name="Voorstel van beslissing opmaken").click()
    expect(page.locator(".status").first).to_contain_text("voorstel van beslissing")
    assert fresh_dossier().state == DossierState.DECISION_PROPOSAL
    audit.check(page, "the dossier page with its proposal")

    # They export the proposal to sign.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Voorstel van beslissing (.docx)").click()
    download = download_info.value
    assert download.suggested_filename == f"voorstel-{dossier.reference}.docx"
    document = Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Wij stellen voor de vergunning toe te kennen." in text
    assert "Ervaren kinderbegeleider, sterk pedagogisch plan." in text

    final = fresh_dossier()
    assert all(i.status == ItemStatus.APPROVED for i in final.items if i.required)
    audit.assert_clean()
