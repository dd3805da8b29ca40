"""The public pages that ask for an intake conversation: the short form and the one-click link
from a follow-up mail."""

from __future__ import annotations

import pytest

from app.extensions import db
from dossiers.leads.models import LeadStatus, LeadTrigger
from registrations import links as registration_links
from registrations.models import ChildcareType
from tests.support.dossiers import count_leads, lead_of

FORM = {
    "first_name": "Karima",
    "last_name": "Benali",
    "email": "Karima.Benali@Example.com",
    "phone": "0470 12 34 56",
    "postcode": "9000",
    "childcare_type": "groepsopvang",
    "message": "Ik heb een pand gevonden.",
    "privacy": "y",
    "website": "",
}


def test_the_form_makes_a_lead_even_without_any_rule(client):
    page = client.get("/kennismakingsgesprek")
    assert page.status_code == 200 and "kennismakingsgesprek" in page.text

    response = client.post("/kennismakingsgesprek", data=FORM)

    assert response.status_code == 302 and response.location.endswith("/kennismakingsgesprek/bedankt")
    lead = lead_of("karima.benali@example.com")
    assert lead.status == LeadStatus.NEW and lead.source == LeadTrigger.INTAKE_REQUEST
    assert (lead.first_name, lead.phone, lead.municipality) == ("Karima", "+32470123456", "Gent")
    assert lead.childcare_type == ChildcareType.GROEPSOPVANG
    assert lead.intake_requested_at is not None and lead.consented_at is not None
    assert lead.message == "Ik heb een pand gevonden."


def test_asking_twice_keeps_one_lead(client):
    client.post("/kennismakingsgesprek", data=FORM)
    client.post("/kennismakingsgesprek", data={**FORM, "message": "Nog een vraag."})
    assert count_leads() == 1
    assert "Nog een vraag." in lead_of("karima.benali@example.com").message


def test_a_request_gathers_the_persons_earlier_registrations(client, make_registration):
    registration = make_registration(email="karima.benali@example.com", status="confirmed")
    client.post("/kennismakingsgesprek", data=FORM)
    lead = lead_of("karima.benali@example.com")
    assert [link.registration_id for link in lead.links] == [registration.id]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "geen-adres"}, "Dit is geen geldig e-mailadres."),
        ({"first_name": ""}, "Vul je voornaam in."),
        ({"postcode": "4000"}, "Wallonië"),
        ({"postcode": "12"}, "Een postcode heeft 4 cijfers"),
        ({"phone": "12345"}, "Dit telefoonnummer klopt niet"),
        ({"privacy": ""}, "privacyverklaring"),
        ({"message": "x" * 2001}, "Hoogstens 2000 tekens."),
    ],
)
def test_bad_input_says_what_is_wrong_in_dutch_and_saves_nothing(client, change, message):
    data = {key: value for key, value in {**FORM, **change}.items() if value != "" or key != "privacy"}
    response = client.post("/kennismakingsgesprek", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert count_leads() == 0


def test_the_honeypot_keeps_nothing(client):
    response = client.post("/kennismakingsgesprek", data={**FORM, "website": "http://spam.example"})
    assert response.status_code == 302
    assert count_leads() == 0


def test_the_one_click_link_asks_first_and_makes_a_lead_on_the_button(client, make_registration):
    registration = make_registration(email="an@example.com", status="confirmed")
    url = f"/kennismakingsgesprek/{registration_links.make_token(registration, 'intake')}"
    assert registration_links.intake_url(registration).endswith(url)

    page = client.get(url)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "Ja, ik wil een kennismakingsgesprek" in page.text
    assert count_leads() == 0

    assert client.post(url).status_code == 302
    client.post(url)  # a second click
    assert count_leads() == 1
    lead = lead_of("an@example.com")
    assert lead.intake_requested_at is not None
    assert [link.registration_id for link in lead.links] == [registration.id]


def test_a_forged_one_click_link_is_refused(client, make_registration):
    registration = make_registration(status="confirmed")
    other_purpose = registration_links.make_token(registration, "manage")
    for url in ("/kennismakingsgesprek/nonsense", f"/kennismakingsgesprek/{other_purpose}"):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    db.session.rollback()
    assert count_leads() == 0


def test_an_expired_one_click_link_is_refused(client, make_registration, monkeypatch):
    import itsdangerous.timed

    registration = make_registration(status="confirmed")
    old = itsdangerous.timed.TimestampSigner.get_timestamp
    too_old = int(registration_links.PURPOSES["intake"].total_seconds()) + 60
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: old(self) - too_old)
    signed = registration_links.make_token(registration, "intake")
    monkeypatch.undo()
    response = client.post(f"/kennismakingsgesprek/{signed}")
    assert response.status_code == 404 and "verlopen" in response.text
    assert count_leads() == 0


def test_every_mistake_comes_back_in_one_answer(client):
    data = {**FORM, "email": "karima@", "phone": "12345", "postcode": "4000", "first_name": ""}
    response = client.post("/kennismakingsgesprek", data=data)
    assert response.status_code == 422
    summary = response.text[response.text.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    for field in ("first_name", "email", "phone", "postcode"):
        assert f'href="#{field}"' in summary
    assert count_leads() == 0
