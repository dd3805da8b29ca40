"""Making dossiers: reference numbers, the one-open-dossier rule, converting a lead, the mails
about what is missing and the reminders when a due date passes."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from dossiers import services
from dossiers.leads.models import LeadStatus
from dossiers.models import Dossier, DossierState, ItemStatus, OrganiserKind
from registrations.models import ChildcareType, LegalForm
from tests.support.dossiers import dossier_mails

YEAR = datetime.now().year


def test_references_count_up_per_year(make_dossier):
    first, second = make_dossier(), make_dossier()
    assert re.fullmatch(r"KO-\d{4}-\d{5}", first.reference)
    assert int(second.reference[-5:]) == int(first.reference[-5:]) + 1


def test_a_new_year_starts_again_at_one(make_dossier):
    make_dossier()
    next_year = datetime(YEAR + 1, 1, 15, 10, tzinfo=utcnow().tzinfo)
    dossier = make_dossier(now=next_year)
    assert dossier.reference == f"KO-{YEAR + 1}-00001"


def test_two_dossiers_made_at_the_same_moment_get_different_references(app, dossier_staff, dossier_data):
    """Two requests in two threads, each with its own database session, released together."""
    barrier = threading.Barrier(2)
    references, errors = [], []
    numbers = ["0403.170.701", "0202.239.951"]
    staff_id, user_class = (
        dossier_staff.id,
        type(dossier_staff),
    )  # read here: the threads have their own sessions

    def create(n: int) -> None:
        with app.app_context():
            try:
                staff = db.session.get(user_class, staff_id)
                data = dossier_data(enterprise_number=numbers[n], email=f"p{n}@example.com")
                barrier.wait(timeout=10)
                references.append(services.create_dossier(data, by=staff).reference)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(set(references)) == 2
    db.session.rollback()  # end this session's read snapshot, to see what the threads committed
    assert db.session.scalar(select(func.count()).select_from(Dossier)) == 2


def test_the_checklist_follows_the_type_of_childcare(make_dossier):
    codes = {item.element.code for item in make_dossier(childcare_type=ChildcareType.GROEPSOPVANG).items}
    assert {"opportuniteitsadvies", "brandveiligheidsattest", "stedenbouw"} <= codes
    assert "module_gezinsopvang" not in codes and "rookmelders_risicoanalyse" not in codes


def test_location_comes_from_the_postcode(make_dossier):
    dossier = make_dossier(postcode="3700")
    assert (dossier.municipality, dossier.province) == ("Tongeren-Borgloon", "limburg")


def test_a_walloon_postcode_is_refused_kindly(make_dossier):
    with pytest.raises(DomainError, match="Wallonië"):
        make_dossier(postcode="5000")


def test_an_enterprise_number_is_normalised_and_checked(make_dossier):
    assert make_dossier(enterprise_number="BE 0566 988 259").enterprise_number == "0566.988.259"
    with pytest.raises(DomainError, match="controlegetal"):
        make_dossier(enterprise_number="0566.988.258")


def test_not_sure_yet_is_not_a_type_of_licence(make_dossier):
    with pytest.raises(DomainError) as refused:
        make_dossier(childcare_type=ChildcareType.ONBEKEND)
    assert refused.value.field == "childcare_type"


def test_a_second_open_dossier_for_the_same_organiser_and_location_is_refused_with_the_first(make_dossier):
    first = make_dossier(enterprise_number="0566.988.259", street="Kouter 1")
    with pytest.raises(services.DuplicateDossier) as refused:
        make_dossier(enterprise_number="BE0566988259", street="kouter 1", email="other@example.com")
    assert refused.value.existing.id == first.id
    assert first.reference in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(Dossier)) == 1


def test_without_an_address_the_postcode_decides(make_dossier):
    make_dossier(enterprise_number="0566.988.259", street="")
    with pytest.raises(services.DuplicateDossier):
        make_dossier(enterprise_number="0566.988.259", street="Veldstraat 3")


def test_another_location_or_a_closed_dossier_does_not_count(make_dossier, dossier_staff):
    first = make_dossier(enterprise_number="0566.988.259", street="Kouter 1")
    make_dossier(enterprise_number="0566.988.259", street="Veldstraat 3")  # same postcode, other address
    make_dossier(enterprise_number="0566.988.259", postcode="2000")  # other municipality
    services.change_state(first, DossierState.WITHDRAWN, by=dossier_staff)
    make_dossier(enterprise_number="0566.988.259", street="Kouter 1")


def test_converting_a_lead_prefills_everything_and_marks_it_converted(make_lead, dossier_staff):
    lead = make_lead(
        email="fatima@example.com",
        first_name="Fatima",
        last_name="El Idrissi",
        postcode="2000",
        childcare_type=ChildcareType.GROEPSOPVANG,
        planned_places=18,
        planned_start=date(2027, 9, 1),
        legal_form=LegalForm.BV,
        enterprise_number="0403.170.701",
    )
    data = services.data_from_lead(lead)
    assert (data.first_name, data.email, data.postcode, data.planned_places) == (
        "Fatima",
        "fatima@example.com",
        "2000",
        18,
    )
    assert data.childcare_type == ChildcareType.GROEPSOPVANG and data.enterprise_number == "0403.170.701"
    assert data.organiser_kind == OrganiserKind.ORGANISATION  # a BV: a legal person
    with pytest.raises(DomainError, match="naam van de organisatie") as refused:
        services.create_dossier(data, by=dossier_staff, lead=lead)  # the lead never gave its name
    assert refused.value.field == "organisation_name" and db.session.query(Dossier).count() == 0
    db.session.refresh(lead)
    assert lead.status != LeadStatus.CONVERTED
    data.organisation_name = "El Idrissi Kinderopvang BV"
    dossier = services.create_dossier(data, by=dossier_staff, lead=lead)
    assert dossier.lead_id == lead.id and dossier.municipality == "Antwerpen"
    db.session.refresh(lead)
    assert lead.status == LeadStatus.CONVERTED
    with pytest.raises(services.DuplicateDossier):
        services.create_dossier(data, by=dossier_staff, lead=lead)


def test_a_refused_conversion_leaves_the_lead_as_it_was(make_lead, dossier_staff):
    lead = make_lead(email="x@example.com", postcode="9000")
    data = services.data_from_lead(lead)
    data.postcode = "5000"  # Wallonia
    with pytest.raises(DomainError):
        services.create_dossier(data, by=dossier_staff, lead=lead)
    db.session.refresh(lead)
    assert lead.status != LeadStatus.CONVERTED
    assert db.session.scalar(select(func.count()).select_from(Dossier)) == 0


def test_the_missing_list_goes_to_the_organiser_with_their_link(make_dossier, dossier_staff):
    dossier = make_dossier()
    count = services.send_missing_list(dossier, by=dossier_staff)
    [mail] = dossier_mails(dossier.email, "missing")
    assert count == len(dossier.items)
    assert "Uittreksel uit het strafregister" in mail.text_body
    assert "http://localhost/dossier/" in mail.text_body


def test_the_missing_list_leaves_out_what_arrived_before_the_mail_went_out(make_dossier, dossier_staff):
    dossier = make_dossier()
    services.send_missing_list(dossier, by=dossier_staff)
    delivered = dossier.items[0]
    services.update_item(dossier, delivered.id, by=dossier_staff, status="received")
    [mail] = dossier_mails(dossier.email, "missing")
    assert f"- {delivered.element.name}" not in mail.text_body
    assert f"- {dossier.items[1].element.name}" in mail.text_body


def test_a_missing_list_with_nothing_left_missing_is_not_sent(make_dossier, dossier_staff):
    dossier = make_dossier()
    services.send_missing_list(dossier, by=dossier_staff)
    for item in dossier.items:
        item.status = ItemStatus.APPROVED
    db.session.commit()
    [mail] = dossier_mails(dossier.email, "missing")
    assert mail.status.value == "dropped" and mail.subject is None
    assert mail.last_error.startswith("Niet verstuurd")


def test_nothing_missing_means_no_mail(make_dossier, dossier_staff):
    dossier = make_dossier()
    for item in dossier.items:
        item.status = ItemStatus.APPROVED
    db.session.commit()
    with pytest.raises(DomainError, match="ontbreekt niets"):
        services.send_missing_list(dossier, by=dossier_staff)


def test_a_passed_due_date_reminds_once_per_item_and_due_date(make_dossier, dossier_staff):
    opened = utcnow() - timedelta(days=40)
    dossier = make_dossier(now=opened)  # due dates 30 days after opening: passed
    approved = dossier.items[0]
    services.update_item(dossier, approved.id, by=dossier_staff, status="received")
    services.update_item(dossier, approved.id, by=dossier_staff, status="approved")

    first = services.remind_overdue()
    assert (first.dossiers, first.items) == (1, len([i for i in dossier.items if i.required]) - 1)
    [mail] = dossier_mails(dossier.email, "reminder")
    assert approved.element.name not in mail.text_body
    assert services.remind_overdue().dossiers == 0  # run again: nothing new
    assert len(dossier_mails(dossier.email, "reminder")) == 1

    # A new due date that passes reminds again, for that item only.
    item = next(i for i in dossier.items if i.is_open and i.required)
    services.update_item(dossier, item.id, by=dossier_staff, due_on=date.today() - timedelta(days=1))
    again = services.remind_overdue()
    assert (again.dossiers, again.items) == (1, 1)
    assert len(dossier_mails(dossier.email, "reminder")) == 2


def test_no_reminders_for_dossiers_on_hold_or_closed(make_dossier, dossier_staff):
    dossier = make_dossier(now=utcnow() - timedelta(days=40))
    services.change_state(dossier, DossierState.ON_HOLD, by=dossier_staff)
    assert services.remind_overdue().dossiers == 0


def test_the_remind_command_reports_what_it_did(runner, make_dossier):
    make_dossier(now=utcnow() - timedelta(days=40))
    result = runner.invoke(args=["dossiers", "remind"])
    assert result.exit_code == 0 and result.output.startswith("1 dossiers reminded")
    assert runner.invoke(args=["dossiers", "remind"]).output.startswith("0 dossiers reminded")
