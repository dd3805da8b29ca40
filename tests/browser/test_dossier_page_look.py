"""The dossier page and the lead inbox at a laptop's 1366 px (issue 16): the dossier opens on a
summary and the checklist as a task list, one element opens on a page of its own, the history is
one click away and in words; the inbox says where each lead came from. No overflow, axe clean."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from app.auth.models import Role
from dossiers import services
from dossiers.models import ComplaintChannel, ComplaintKind, OrganiserKind
from registrations.models import ChildcareType, LegalForm
from tests.support.axe import AxeAudit
from tests.support.browser import fits, log_in


def test_the_dossier_page_and_the_lead_inbox_at_1366(page, make_user, make_lead, make_session):
    audit = AxeAudit()
    page.set_viewport_size({"width": 1366, "height": 900})
    staff = make_user(Role.STAFF, name="Sofie De Wilde")
    lead = make_lead(
        email="lotte@example.com", first_name="Lotte", last_name="Maes", session=make_session(days=3)
    )
    data = services.DossierData(
        first_name="Lotte", last_name="Maes", email="lotte@example.com",
        childcare_type=ChildcareType.GROEPSOPVANG, postcode="3500", street="Kempische Steenweg 88",
        organiser_kind=OrganiserKind.ORGANISATION, organisation_name="Kinderdagverblijf Het Nest",
        legal_form=LegalForm.BV, planned_places=18,
    )  # fmt: skip
    dossier = services.create_dossier(data, by=staff)
    complaint = services.ComplaintData(
        kind=ComplaintKind.COMPLAINT, received_on=date.today(), channel=ComplaintChannel.EMAIL,
        summary="Het opladen lukte niet op de gsm.", follow_up="Teruggebeld.",
    )  # fmt: skip
    services.add_complaint(dossier, complaint, by=staff, today=date.today())
    log_in(page, staff)

    page.goto("/beheer/leads/")
    row = page.locator("tr", has=page.get_by_role("link", name=lead.full_name))
    expect(row).to_contain_text("Infosessie van")
    expect(row).to_contain_text("vandaag")
    fits(page)
    audit.check(page, "the lead inbox")

    page.goto(f"/beheer/dossiers/{dossier.reference}")
    summary = page.locator("#samenvatting")
    expect(summary).to_contain_text("Kinderdagverblijf Het Nest")
    expect(summary).to_contain_text("Volgende stap")
    tasks = page.locator("#taken .task")
    expect(tasks).to_have_count(len(dossier.items))
    expect(tasks.first).to_be_in_viewport()  # the checklist starts on the first screen
    expect(page.locator("#taken select")).to_have_count(0)  # no form per element
    fits(page)
    audit.check(page, "the dossier page")

    item = next(i for i in dossier.items if i.element.code == "brandveiligheidsattest")
    page.get_by_role("link", name=item.element.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(item.element.name)
    expect(page.locator("select")).to_have_count(1)  # this element's form only
    fits(page)
    audit.check(page, "one checklist element")
    page.get_by_label("Nieuwe status").select_option(label="ontvangen")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(re.compile(rf"/beheer/dossiers/{dossier.reference}#item-{item.id}$"))
    expect(page.locator(f"#item-{item.id} [data-status]")).to_have_text("ontvangen")

    page.get_by_role("link", name="Historiek").click()
    expect(page.locator("#historiek")).to_contain_text("Status: ontbreekt → ontvangen")
    expect(page.locator("#historiek")).to_contain_text("Soort organisator: organisatie")
    fits(page)
    audit.check(page, "the history")

    page.get_by_role("link", name="Klachten en beroepen (1)").click()
    expect(page.get_by_text("Opvolging: Teruggebeld.")).to_be_visible()
    expect(page.get_by_label("Afgehandeld op")).to_be_hidden()  # the follow-up form is a disclosure
    page.get_by_text("Opvolging bijwerken").click()
    expect(page.get_by_label("Afgehandeld op")).to_be_visible()
    fits(page)
    audit.check(page, "the complaints")
    page.get_by_role("link", name="Analyse en voorstel").click()
    expect(page.locator("#analyse [data-rule]").first).to_be_visible()
    fits(page)
    audit.check(page, "the analysis")
    audit.assert_clean()
