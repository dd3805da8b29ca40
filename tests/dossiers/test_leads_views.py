"""The staff's lead pages: the inbox and its filters, one lead's page, the actions on it,
"my leads" with call-backs, and the rules page for admins."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.timezone import local
from dossiers.leads import services
from dossiers.leads.models import Lead, LeadRule, LeadStatus
from registrations.models import ChildcareType
from tests.support.dossiers import count_leads, lead_of


def test_the_inbox_is_for_staff_experts_and_admins_only(client, login, make_user):
    assert client.get("/beheer/leads/").status_code == 302  # to the login page
    for role in (Role.STAFF, Role.EXPERT, Role.ADMIN):
        client.post("/logout")
        login(role)
        assert client.get("/beheer/leads/").status_code == 200


def test_the_inbox_shows_new_leads_first_and_filters(client, login, make_lead, make_user):
    staff = login(Role.STAFF)
    old = make_lead(email="oud@example.com", childcare_type=ChildcareType.GEZINSOPVANG, postcode="3500")
    services.change_status(old, LeadStatus.CONTACTED, staff)
    make_lead(email="nieuw@example.com", childcare_type=ChildcareType.GROEPSOPVANG, postcode="9000")

    page = client.get("/beheer/leads/").text
    assert page.index("nieuw@example.com") < page.index("oud@example.com")

    page = client.get("/beheer/leads/?type=groepsopvang").text
    assert "nieuw@example.com" in page and "oud@example.com" not in page
    page = client.get("/beheer/leads/?provincie=limburg").text
    assert "oud@example.com" in page and "nieuw@example.com" not in page
    page = client.get("/beheer/leads/?status=contacted").text
    assert "oud@example.com" in page and "nieuw@example.com" not in page


def test_the_inbox_filters_on_session_and_planned_start(client, login, make_lead, make_session):
    login(Role.STAFF)
    session = make_session(days=3)
    make_lead(email="hier@example.com", session=session, planned_start=date(2027, 3, 1))
    make_lead(email="elders@example.com", planned_start=date(2028, 3, 1))
    page = client.get(f"/beheer/leads/?sessie={session.id}").text
    assert "hier@example.com" in page and "elders@example.com" not in page
    page = client.get("/beheer/leads/?start=2027-06").text
    assert "hier@example.com" in page and "elders@example.com" not in page


def test_the_lead_page_shows_the_persons_whole_history(
    client, login, make_lead, make_registration, make_session
):
    login(Role.STAFF)
    lead = make_lead(email="an@example.com", questions="Hoeveel kost een brandveiligheidsattest?")
    make_registration(session=make_session(days=20), email="an@example.com", status="confirmed")
    page = client.get(f"/beheer/leads/{lead.id}").text
    assert "Hoeveel kost een brandveiligheidsattest?" in page
    assert page.count("Kinderopvang starten") >= 2  # both sessions
    assert client.get("/beheer/leads/999999").status_code == 404


def test_staff_move_a_lead_and_a_refused_move_says_why(client, login, make_lead):
    login(Role.STAFF)
    lead = make_lead()
    assert client.post(f"/beheer/leads/{lead.id}/status", data={"st-status": "contacted"}).status_code == 302
    assert lead_of(lead.email).status == LeadStatus.CONTACTED

    response = client.post(f"/beheer/leads/{lead.id}/status", data={"st-status": "dropped", "st-reason": ""})
    assert response.status_code == 422 and "Geef een reden" in response.text
    response = client.post(f"/beheer/leads/{lead.id}/status", data={"st-status": "new"})
    assert response.status_code == 422 and "kan een lead niet naar" in response.text
    assert lead_of(lead.email).status == LeadStatus.CONTACTED


def test_owner_notes_and_callbacks_show_in_my_leads(client, login, make_lead):
    me = login(Role.STAFF)
    lead = make_lead(email="an@example.com")
    other = make_lead(email="bo@example.com")
    today = local(utcnow()).date()
    client.post(f"/beheer/leads/{lead.id}/eigenaar", data={"ow-owner_id": str(me.id)})
    client.post(
        f"/beheer/leads/{lead.id}/terugbellen",
        data={"cb-callback_on": (today - timedelta(days=1)).isoformat()},
    )
    client.post(f"/beheer/leads/{lead.id}/notities", data={"nt-body": "Belt terug na de vakantie."})

    page = client.get("/beheer/leads/?eigenaar=mij&open=1").text
    assert "an@example.com" in page and "bo@example.com" not in page
    assert "te laat:" in page  # the overdue call-back stands out
    assert "Belt terug na de vakantie." in client.get(f"/beheer/leads/{lead.id}").text
    dashboard = client.get("/beheer/").text
    assert lead.full_name in dashboard and "te laat:" in dashboard
    db.session.rollback()
    assert db.session.get(Lead, other.id).owner_id is None


def test_an_empty_note_is_refused(client, login, make_lead):
    login(Role.STAFF)
    lead = make_lead()
    response = client.post(f"/beheer/leads/{lead.id}/notities", data={"nt-body": "  "})
    assert response.status_code == 422 and "Schrijf eerst iets" in response.text


def test_only_admins_edit_the_rules(client, login):
    login(Role.STAFF)
    assert client.get("/beheer/leads/regels").status_code == 403
    client.post("/logout")
    login(Role.ADMIN)
    assert client.get("/beheer/leads/regels").status_code == 200
    response = client.post(
        "/beheer/leads/regels",
        data={"name": "Groepsopvang binnen het jaar", "trigger": "registration", "active": "y",
              "childcare_types": ["groepsopvang"], "start_within_months": "12"},
    )  # fmt: skip
    assert response.status_code == 302
    rule = db.session.query(LeadRule).one()
    assert (rule.childcare_types, rule.start_within_months) == (["groepsopvang"], 12)
    page = client.get("/beheer/leads/regels").text
    assert "Groepsopvang (vanaf 9 kinderen), start binnen 12 maanden" in page


@pytest.mark.parametrize("months", ["0", "61"])
def test_a_rule_with_a_silly_horizon_is_refused(client, login, months):
    login(Role.ADMIN)
    response = client.post(
        "/beheer/leads/regels", data={"name": "R", "trigger": "registration", "start_within_months": months}
    )
    assert response.status_code == 422
    assert db.session.query(LeadRule).count() == 0


def test_the_backfill_button_applies_the_rules(client, login, make_registration, make_rule):
    login(Role.ADMIN)
    make_registration(email="an@example.com", status="confirmed")
    make_rule()
    response = client.post("/beheer/leads/regels/toepassen", data={}, follow_redirects=True)
    assert "1 nieuwe leads" in response.text
    assert count_leads() == 1


def test_staff_publish_a_slot_and_record_an_outcome(client, login, make_lead):
    staff = login(Role.STAFF)
    day = local(utcnow()).date() + timedelta(days=7)
    response = client.post(
        "/beheer/kennismakingsgesprekken",
        data={"day": day.isoformat(), "start": "10:00", "minutes": "45", "mode": "online", "venue_id": "",
              "address": "", "meeting_url": "https://meet.example.com/x", "staff_id": str(staff.id)},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get("/beheer/kennismakingsgesprekken").text
    assert "10:00" in page and "vrij" in page

    bad = client.post(
        "/beheer/kennismakingsgesprekken",
        data={"day": day.isoformat(), "start": "14:00", "minutes": "45", "mode": "online", "meeting_url": "",
              "staff_id": str(staff.id)},
    )  # fmt: skip
    assert bad.status_code == 422 and "vergaderlink" in bad.text


def test_staff_record_the_outcome_and_the_lead_page_shows_it(client, login, make_lead, make_slot):
    from sqlalchemy import update

    from dossiers.leads import intake
    from dossiers.leads.models import IntakeConversation

    login(Role.EXPERT)
    lead = make_lead()
    conversation = intake.book(lead, make_slot(days=2).id)
    url = f"/beheer/kennismakingsgesprekken/gesprek/{conversation.id}/uitkomst"
    form = {"assessment": "doubtful", "guidance": "recommended", "notes": "Financieel plan nog dun."}
    early = client.post(url, data=form)
    assert early.status_code == 422 and "nog niet plaatsgevonden" in early.text

    past = utcnow() - timedelta(hours=2)
    db.session.execute(
        update(IntakeConversation)
        .where(IntakeConversation.id == conversation.id)
        .values(starts_at=past, ends_at=past + timedelta(hours=1))
    )
    db.session.commit()
    assert client.post(url, data=form).status_code == 302
    page = client.get(f"/beheer/leads/{lead.id}").text
    assert "Twijfel: verder opvolgen" in page
    assert services.intake_outcomes(lead)[0].outcome_notes == "Financieel plan nog dun."
