"""The staff pages of the dossiers: who may see and change what, converting a lead from the page,
the workflow buttons, the checklist actions, the coded export and the proposal to sign."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from docx import Document

from app.extensions import db
from dossiers import services
from dossiers.leads.models import LeadStatus
from dossiers.models import Dossier, DossierState, ItemStatus, ProposalOutcome
from registrations.models import ChildcareType, LegalForm
from tests.support.dossiers import approve_all

FORM = {
    "organiser_kind": "person",
    "first_name": "Eline",
    "last_name": "Wouters",
    "email": "eline@example.com",
    "legal_form": "eenmanszaak",
    "enterprise_number": "0417.497.106",
    "statute": "zelfstandige",
    "is_21_or_older": "ja",
    "childcare_type": "gezinsopvang",
    "street": "Naamsestraat 101",
    "postcode": "3000",
    "planned_places": "7",
    "planned_start": "2027-05",
    "owner_id": "",
}


def test_anonymous_visitors_go_to_the_login(client, make_dossier):
    dossier = make_dossier()
    for url in (
        "/beheer/dossiers",
        f"/beheer/dossiers/{dossier.reference}",
        f"/beheer/dossiers/{dossier.reference}.json",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_experts_read_but_change_nothing(client, login, make_dossier):
    dossier = make_dossier()
    login("expert")
    page = client.get(f"/beheer/dossiers/{dossier.reference}")
    assert page.status_code == 200
    assert "Stuur herinnering" not in page.get_data(as_text=True)
    response = client.post(f"/beheer/dossiers/{dossier.reference}/fase", data={"target": "documents"})
    assert response.status_code == 403
    assert client.get("/beheer/dossiers/nieuw").status_code == 403
    assert db.session.get(Dossier, dossier.id).state == DossierState.INTAKE


def test_staff_make_a_dossier_with_the_form(client, as_staff):
    response = client.post("/beheer/dossiers/nieuw", data=FORM)
    assert response.status_code == 302
    dossier = db.session.query(Dossier).one()
    assert response.location.endswith(f"/beheer/dossiers/{dossier.reference}")
    assert (dossier.municipality, dossier.planned_start, dossier.is_21_or_older) == (
        "Leuven",
        date(2027, 5, 1),
        True,
    )


def test_a_bad_enterprise_number_is_shown_beside_its_field(client, as_staff):
    response = client.post("/beheer/dossiers/nieuw", data={**FORM, "enterprise_number": "0417.497.107"})
    assert response.status_code == 422
    assert 'id="enterprise_number-error"' in response.get_data(as_text=True)


def test_every_mistake_in_the_dossier_form_comes_back_at_once(client, as_staff):
    data = {**FORM, "enterprise_number": "0417.497.107", "phone": "12", "postcode": "4000", "first_name": ""}
    response = client.post("/beheer/dossiers/nieuw", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("first_name", "phone", "enterprise_number", "postcode"):
        assert f'id="{field}-error"' in html, field


def test_the_duplicate_page_links_to_the_open_dossier(client, as_staff, make_dossier):
    existing = make_dossier(enterprise_number="0417.497.106", postcode="3000", street="Naamsestraat 101")
    response = client.post("/beheer/dossiers/nieuw", data=FORM)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'href="/beheer/dossiers/{existing.reference}"' in html
    assert db.session.query(Dossier).count() == 1


def test_a_lead_is_converted_from_a_prefilled_page_in_one_step(client, as_staff, make_lead):
    lead = make_lead(
        email="yasmina@example.com",
        first_name="Yasmina",
        last_name="Yilmaz",
        postcode="2800",
        childcare_type=ChildcareType.GROEPSOPVANG,
        planned_places=14,
        legal_form=LegalForm.BV,
        enterprise_number="0202.239.951",
    )
    page = client.get(f"/beheer/dossiers/nieuw?lead={lead.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="Yasmina"' in html and 'value="2800"' in html and 'value="0202.239.951"' in html
    assert '<option selected value="groepsopvang">' in html
    # The form as the page filled it in, posted unchanged.
    data = {
        "organiser_kind": "organisation", "first_name": "Yasmina", "last_name": "Yilmaz",
        "email": "yasmina@example.com", "legal_form": "bv", "enterprise_number": "0202.239.951",
        "statute": "nog_niet_bepaald", "is_21_or_older": "", "childcare_type": "groepsopvang",
        "postcode": "2800", "planned_places": "14", "owner_id": str(as_staff.id),
    }  # fmt: skip
    response = client.post(f"/beheer/dossiers/nieuw?lead={lead.id}", data=data)
    # An organisation (a legal person) needs its name: refused, nothing made, the lead unchanged.
    assert response.status_code == 422
    assert (
        'id="organisation_name-error"' in response.text
        and "Vul de naam van de organisatie in" in response.text
    )
    assert db.session.query(Dossier).count() == 0
    db.session.refresh(lead)
    assert lead.status != LeadStatus.CONVERTED
    response = client.post(
        f"/beheer/dossiers/nieuw?lead={lead.id}", data={**data, "organisation_name": "Yilmaz Kinderopvang BV"}
    )
    assert response.status_code == 302
    dossier = db.session.query(Dossier).one()
    assert dossier.lead_id == lead.id and dossier.municipality == "Mechelen"
    db.session.refresh(lead)
    assert lead.status == LeadStatus.CONVERTED


def test_only_the_allowed_moves_are_offered(client, as_staff, make_dossier):
    dossier = make_dossier()
    html = client.get(f"/beheer/dossiers/{dossier.reference}").get_data(as_text=True)
    workflow = html[html.index('id="workflow"') : html.index('id="checklist"')]
    offered = {
        v
        for v in ("documents", "on_hold", "withdrawn", "analysis", "decision", "closed")
        if f'value="{v}"' in workflow
    }
    assert offered == {"documents", "on_hold", "withdrawn"}


def test_a_refused_move_is_explained_on_the_page(client, as_staff, make_dossier):
    dossier = make_dossier()
    dossier.state = DossierState.COMPLETENESS_CHECK
    db.session.commit()
    response = client.post(
        f"/beheer/dossiers/{dossier.reference}/fase", data={"target": "analysis"}, follow_redirects=True
    )
    assert "Nog niet alle verplichte elementen" in response.get_data(as_text=True)
    assert db.session.get(Dossier, dossier.id).state == DossierState.COMPLETENESS_CHECK


def test_staff_tick_an_element_on_the_page(client, as_staff, make_dossier):
    dossier = make_dossier()
    extract = next(i for i in dossier.items if i.element.code == "strafregister")
    prefix = f"item{extract.id}-"
    response = client.post(
        f"/beheer/dossiers/{dossier.reference}/checklist/{extract.id}",
        data={prefix + "status": "approved", prefix + "comment": "Gezien op 3/12.", prefix + "due_on": ""},
    )
    assert response.status_code == 302
    db.session.refresh(extract)
    assert extract.status == ItemStatus.APPROVED and extract.comment == "Gezien op 3/12."


def test_an_item_of_another_dossier_is_not_found(client, as_staff, make_dossier):
    mine, theirs = make_dossier(), make_dossier(postcode="2000")
    other = theirs.items[0]
    response = client.post(
        f"/beheer/dossiers/{mine.reference}/checklist/{other.id}", data={f"item{other.id}-status": "received"}
    )
    assert response.status_code == 404


def test_stuur_herinnering_mails_the_organiser(client, as_staff, make_dossier):
    from tests.support.dossiers import dossier_mails

    dossier = make_dossier()
    response = client.post(f"/beheer/dossiers/{dossier.reference}/herinnering", follow_redirects=True)
    assert "krijgt een mail" in response.get_data(as_text=True)
    assert len(dossier_mails(dossier.email, "missing")) == 1


def test_the_list_filters_by_state_type_and_overdue(client, as_staff, make_dossier):
    from datetime import timedelta

    from app.db import utcnow

    late = make_dossier(now=utcnow() - timedelta(days=40))
    group = make_dossier(childcare_type=ChildcareType.GROEPSOPVANG, postcode="2000", planned_places=18)
    services.change_state(group, DossierState.DOCUMENTS, by=as_staff)

    def listed(query: str) -> set[str]:
        html = client.get(f"/beheer/dossiers?{query}").get_data(as_text=True)
        return {d.reference for d in (late, group) if d.reference in html}

    assert listed("") == {late.reference, group.reference}
    assert listed("fase=documents") == {group.reference}
    assert listed("type=gezinsopvang") == {late.reference}
    assert listed("provincie=antwerpen") == {group.reference}
    assert listed("achterstand=1") == {late.reference}
    assert listed(f"eigenaar={as_staff.id}") == {late.reference, group.reference}


def test_the_json_export_is_a_coded_record(client, as_staff, make_dossier):
    dossier = make_dossier(
        childcare_type=ChildcareType.GROEPSOPVANG, planned_places=18, legal_form=LegalForm.BV
    )
    response = client.get(f"/beheer/dossiers/{dossier.reference}.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    record = json.loads(response.data)
    assert record["schema"] == "startklaar.dossier/1"
    assert (record["reference"], record["state"], record["childcare_type"]) == (
        dossier.reference,
        "intake",
        "groepsopvang",
    )
    assert record["organiser"]["legal_form"] == "bv"
    assert record["location"] == {
        "street": "Kouter 1",
        "postcode": "9000",
        "municipality": "Gent",
        "province": "oost-vlaanderen",
    }
    statuses = {item["element"]: item["status"] for item in record["checklist"]}
    assert statuses["opportuniteitsadvies"] == "missing" and len(statuses) == 14
    assert {"code": "opportuniteitsadvies", "passed": False} in record["rules"]
    assert record["completeness"] == {"approved": 0, "required": 13, "percent": 0}


def test_the_csv_export_carries_the_same_codes(client, as_staff, make_dossier):
    dossier = make_dossier()
    response = client.get(f"/beheer/dossiers/{dossier.reference}.csv")
    assert response.mimetype == "text/csv"
    [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert (row["reference"], row["state"], row["childcare_type"], row["legal_form"]) == (
        dossier.reference, "intake", "gezinsopvang", "eenmanszaak",
    )  # fmt: skip
    assert row["checklist.module_gezinsopvang"] == "missing" and row["is_21_or_older"] == "1"


def test_an_unknown_reference_is_404(client, as_staff):
    assert client.get("/beheer/dossiers/KO-2026-99999").status_code == 404
    assert client.get("/beheer/dossiers/KO-2026-99999.json").status_code == 404


def test_the_proposal_docx_opens_and_holds_the_proposal(client, as_staff, make_dossier):
    dossier = make_dossier(planned_places=9)  # gezinsopvang over the limit: a rule fails
    approve_all(dossier, as_staff)
    for state in (DossierState.DOCUMENTS, DossierState.COMPLETENESS_CHECK, DossierState.ANALYSIS):
        services.change_state(dossier, state, by=as_staff)
    client.post(
        f"/beheer/dossiers/{dossier.reference}/argumenten",
        data={"argument-side": "for", "argument-text": "Ervaren kinderbegeleider."},
    )
    client.post(
        f"/beheer/dossiers/{dossier.reference}/argumenten",
        data={"argument-side": "against", "argument-text": "Te veel plaatsen."},
    )
    response = client.post(
        f"/beheer/dossiers/{dossier.reference}/voorstel",
        data={
            "proposal-analysis": "Sterk dossier, maar 9 plaatsen.",
            "proposal-outcome": "unfavourable",
            "proposal-text": "Wij stellen voor te weigeren.",
        },
    )
    assert response.status_code == 302
    assert db.session.get(Dossier, dossier.id).proposal_outcome == ProposalOutcome.UNFAVOURABLE
    docx = client.get(f"/beheer/dossiers/{dossier.reference}/voorstel.docx")
    assert docx.status_code == 200 and docx.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(docx.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Wij stellen voor te weigeren." in text and "Voorgesteld: ongunstig" in text
    assert "Ervaren kinderbegeleider." in text and "Te veel plaatsen." in text
    assert "Gezinsopvang: hoogstens 8 kinderen tegelijk: niet voldaan" in text
    assert dossier.reference in document.core_properties.title
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "0566.988.259" in cells


def test_complaints_are_logged_and_followed_up(client, as_staff, make_dossier):
    dossier = make_dossier()
    response = client.post(
        f"/beheer/dossiers/{dossier.reference}/klachten",
        data={
            "complaint-kind": "appeal",
            "complaint-received_on": date.today().isoformat(),
            "complaint-channel": "letter",
            "complaint-summary": "Beroep tegen de weigering.",
        },
    )
    assert response.status_code == 302
    [complaint] = db.session.get(Dossier, dossier.id).complaints
    response = client.post(
        f"/beheer/dossiers/{dossier.reference}/klachten/{complaint.id}",
        data={f"c{complaint.id}-follow_up": "Hoorzitting gepland.", f"c{complaint.id}-closed_on": ""},
    )
    db.session.refresh(complaint)
    assert complaint.follow_up == "Hoorzitting gepland."
    html = client.get(f"/beheer/dossiers/{dossier.reference}/klachten").get_data(as_text=True)
    assert "Beroep tegen de weigering." in html and "Hoorzitting gepland." in html


def test_a_complaint_from_the_future_is_refused(client, as_staff, make_dossier):
    dossier = make_dossier()
    response = client.post(
        f"/beheer/dossiers/{dossier.reference}/klachten",
        data={
            "complaint-kind": "complaint",
            "complaint-received_on": "2099-01-01",
            "complaint-channel": "email",
            "complaint-summary": "Later.",
        },
    )
    assert response.status_code == 422
    assert db.session.get(Dossier, dossier.id).complaints == []


def test_staff_correct_a_dossier_and_the_trail_says_what_changed(client, as_staff, make_dossier):
    dossier = make_dossier()
    page = client.get(f"/beheer/dossiers/{dossier.reference}/wijzigen")
    assert page.status_code == 200 and 'value="Kouter 1"' in page.get_data(as_text=True)
    data = {**FORM, "enterprise_number": "0566.988.259", "postcode": "9000", "street": "Kouter 2"}
    response = client.post(f"/beheer/dossiers/{dossier.reference}/wijzigen", data=data)
    assert response.status_code == 302
    db.session.rollback()
    changed = db.session.get(Dossier, dossier.id)
    assert (changed.street, changed.first_name, changed.owner_id) == ("Kouter 2", "Eline", as_staff.id)
    entry = services.trail(changed)[0]
    assert entry.action == "updated" and entry.changes["street"] == ["Kouter 1", "Kouter 2"]


def test_the_type_of_childcare_of_a_running_dossier_does_not_change(client, as_staff, make_dossier):
    dossier = make_dossier()
    data = {**FORM, "enterprise_number": "0566.988.259", "childcare_type": "groepsopvang"}
    response = client.post(f"/beheer/dossiers/{dossier.reference}/wijzigen", data=data)
    assert response.status_code == 422
    assert "maak een nieuw dossier" in response.get_data(as_text=True)


def test_the_intake_conversation_of_the_lead_shows_on_the_dossier(
    client, as_staff, make_lead, make_slot, make_user
):
    from datetime import timedelta

    from dossiers.leads import intake
    from dossiers.leads.models import Assessment, Guidance

    lead = make_lead(email="leen@example.com", postcode="1500", childcare_type=ChildcareType.GEZINSOPVANG)
    slot = make_slot(days=1, staff=make_user("expert", name="Els Peeters"))
    conversation = intake.book(lead, slot.id)
    outcome = intake.OutcomeData(
        Assessment.SUFFICIENT, Guidance.RECOMMENDED, exemption_intake=True, notes="Sterk."
    )
    intake.record_outcome(conversation, outcome, as_staff, now=slot.ends_at + timedelta(hours=1))
    dossier = services.create_dossier(services.data_from_lead(lead), by=as_staff, lead=lead)
    html = client.get(f"/beheer/dossiers/{dossier.reference}").get_data(as_text=True)
    section = html[html.index('id="h-intake"') :]
    assert (
        "Els Peeters" in section
        and "voldoende" in section
        and "aanbevolen" in section
        and "Sterk." in section
    )
