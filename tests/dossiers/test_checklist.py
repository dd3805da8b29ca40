"""The checklist per type of childcare (DOMAIN.md's table), the moves of an element, the
completeness figure, and the catalogue that admins edit."""

from __future__ import annotations

import pytest

from app.errors import DomainError
from app.extensions import db
from dossiers import checklist, services
from dossiers.models import ItemStatus
from registrations.models import ChildcareType
from tests.support import PASSWORD
from tests.support.dossiers import approve_all

# DOMAIN.md, typed over: "all" = every type; groep and gezinsopvang only where it says so.
ALL = {
    "kbo", "infrastructuur", "kwalificatie", "strafregister", "medisch_attest", "levensreddend_handelen",
    "verzekering", "huishoudelijk_reglement", "pedagogisch_beleid", "ondernemingsplan", "starterstraject",
}  # fmt: skip
EXPECTED = {
    ChildcareType.GROEPSOPVANG: ALL | {"opportuniteitsadvies", "brandveiligheidsattest", "stedenbouw"},
    ChildcareType.GEZINSOPVANG: ALL | {"rookmelders_risicoanalyse", "module_gezinsopvang"},
    ChildcareType.BSO: ALL,
}


@pytest.mark.parametrize("kind", list(EXPECTED), ids=lambda k: k.value)
def test_each_type_of_childcare_gets_the_elements_domain_md_lists(make_dossier, kind):
    dossier = make_dossier(childcare_type=kind)
    assert {item.element.code for item in dossier.items} == EXPECTED[kind]


def test_criminal_record_and_medical_certificate_are_only_recorded(make_dossier):
    dossier = make_dossier()
    record_only = {item.element.code for item in dossier.items if item.element.record_only}
    assert record_only == {"strafregister", "medisch_attest"}


def test_the_business_plan_is_recommended_not_required(make_dossier):
    required = {item.element.code: item.required for item in make_dossier().items}
    assert required["ondernemingsplan"] is False and required["kbo"] is True


def test_a_document_is_received_before_it_is_approved(make_dossier, dossier_staff):
    dossier = make_dossier()
    kbo = next(i for i in dossier.items if i.element.code == "kbo")
    with pytest.raises(DomainError, match="kan niet van"):
        services.update_item(dossier, kbo.id, by=dossier_staff, status="approved")
    services.update_item(dossier, kbo.id, by=dossier_staff, status="received")
    services.update_item(dossier, kbo.id, by=dossier_staff, status="approved")
    assert kbo.status == ItemStatus.APPROVED and kbo.changed_by.id == dossier_staff.id


def test_a_record_only_element_is_approved_straight_away(make_dossier, dossier_staff):
    dossier = make_dossier()
    extract = next(i for i in dossier.items if i.element.code == "strafregister")
    with pytest.raises(DomainError):
        services.update_item(dossier, extract.id, by=dossier_staff, status="received")
    services.update_item(dossier, extract.id, by=dossier_staff, status="approved")
    assert extract.status == ItemStatus.APPROVED


def test_a_rejection_says_what_to_change(make_dossier, dossier_staff):
    dossier = make_dossier()
    kbo = next(i for i in dossier.items if i.element.code == "kbo")
    services.update_item(dossier, kbo.id, by=dossier_staff, status="received")
    with pytest.raises(DomainError, match="afkeuring"):
        services.update_item(dossier, kbo.id, by=dossier_staff, status="rejected")
    services.update_item(
        dossier, kbo.id, by=dossier_staff, status="rejected", comment="Verouderd uittreksel."
    )
    assert kbo.status == ItemStatus.REJECTED


def test_completeness_counts_required_elements_only(make_dossier, dossier_staff):
    dossier = make_dossier(childcare_type=ChildcareType.BSO)
    done = checklist.completeness(dossier.items)
    assert (done.approved, done.required, done.percent) == (0, 10, 0)
    first = dossier.items[0]
    services.update_item(dossier, first.id, by=dossier_staff, status="received")
    services.update_item(dossier, first.id, by=dossier_staff, status="approved")
    assert checklist.completeness(dossier.items).percent == 10
    approve_all(dossier, dossier_staff)
    assert checklist.completeness(dossier.items).complete


def test_the_page_shows_the_figure_and_the_bar(client, make_dossier, dossier_staff):
    dossier = make_dossier(childcare_type=ChildcareType.BSO)
    client.post("/login", data={"email": dossier_staff.email, "password": PASSWORD})
    html = client.get(f"/beheer/dossiers/{dossier.reference}").get_data(as_text=True)
    assert "0 van 10 verplichte elementen goedgekeurd" in html
    assert '<progress id="completeness" max="10" value="0">' in html


def test_an_admin_edits_the_catalogue_for_new_dossiers_only(client, login, make_user, make_dossier):
    before = make_dossier()
    login(user=make_user("admin"))
    assert client.get("/beheer/dossiers/checklist").status_code == 200
    response = client.post(
        "/beheer/dossiers/checklist/stedenbouw",
        data={
            "name": "Stedenbouwkundige vergunning",
            "description": "",
            "types": ["groepsopvang", "bso"],
            "active": "y",
        },
    )
    assert response.status_code == 302
    element = services.get_element("stedenbouw")
    assert element.types == {"groepsopvang", "bso"} and element.required is False
    assert "stedenbouw" not in {i.element.code for i in before.items}  # a bso made before: unchanged
    after = make_dossier(childcare_type=ChildcareType.BSO, postcode="2000")
    assert "stedenbouw" in {i.element.code for i in after.items}


def test_a_switched_off_element_is_not_asked_of_new_dossiers(make_dossier, make_user):
    admin = make_user("admin")
    services.catalogue_elements()
    services.save_element(
        "ondernemingsplan", name="Ondernemingsplan", description="", types=["gezinsopvang"],
        required=False, record_only=False, active=False, by=admin,
    )  # fmt: skip
    assert "ondernemingsplan" not in {i.element.code for i in make_dossier().items}


def test_staff_cannot_edit_the_catalogue(client, login):
    login("staff")
    assert client.get("/beheer/dossiers/checklist").status_code == 403


def test_the_catalogue_refuses_an_element_for_no_type(make_user):
    services.catalogue_elements()
    with pytest.raises(DomainError):
        services.save_element(
            "kbo", name="KBO", description="", types=[], required=True, record_only=False, active=True,
            by=make_user("admin"),
        )  # fmt: skip
    db.session.rollback()
    assert services.get_element("kbo").name.startswith("Ondernemingsnummer")
