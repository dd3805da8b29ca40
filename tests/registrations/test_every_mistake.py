"""Every mistake in one round: the form and the service list all broken rules at once."""

from __future__ import annotations

import re

import pytest

from app.errors import DomainError, InvalidInput
from registrations import services
from registrations.models import ChildcareType
from tests.support.registrations import count_mails, count_registrations

FOUR_MISTAKES = {
    "email": "an.peeters@",
    "phone": "12345",
    "postcode": "4000",
    "enterprise_number": "0566.988.258",
}


def summary_links(html: str) -> list[str]:
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    return re.findall(r'<a href="#([^"]+)"', summary)


def test_four_mistakes_get_four_messages_in_one_answer(client, make_session, registration_form_data):
    session = make_session(capacity=5)
    response = client.post(f"/sessies/{session.id}/inschrijven", data=registration_form_data(**FOUR_MISTAKES))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # The summary at the top links each message to its field, in the order of the form.
    assert summary_links(html) == ["email", "phone", "postcode", "enterprise_number"]
    for field in FOUR_MISTAKES:
        assert f'id="{field}-error"' in html
    assert "Dit is geen geldig e-mailadres." in html
    assert "Dit telefoonnummer klopt niet" in html
    assert "Wallonië" in html
    assert "Dit ondernemingsnummer klopt niet" in html
    assert 'value="Peeters"' in html  # what was typed stays
    assert count_registrations() == 0 and count_mails() == 0


def test_shape_and_format_mistakes_come_together(client, make_session, registration_form_data):
    session = make_session(capacity=5)
    data = registration_form_data(
        first_name="", planned_places="0", postcode="12", enterprise_number="12", privacy=""
    )
    response = client.post(f"/sessies/{session.id}/inschrijven", data=data)
    assert response.status_code == 422
    links = summary_links(response.get_data(as_text=True))
    assert links == ["first_name", "postcode", "planned_places", "enterprise_number", "privacy"]
    assert count_registrations() == 0


def test_one_field_gets_one_message(client, make_session, registration_form_data):
    session = make_session(capacity=5)
    response = client.post(
        f"/sessies/{session.id}/inschrijven", data=registration_form_data(postcode="12345")
    )
    assert summary_links(response.get_data(as_text=True)) == ["postcode"]


def test_the_service_names_every_broken_rule_at_once(make_session):
    session = make_session(capacity=5)
    data = services.RegistrationData(
        first_name="An",
        last_name="",
        email="geen-adres",
        privacy_accepted=True,
        phone="12",
        postcode="5000",
        childcare_type=ChildcareType.GEZINSOPVANG,
        planned_places=900,
        enterprise_number="1234",
    )
    with pytest.raises(InvalidInput) as caught:
        services.register(session.id, data)
    fields = [error.field for error in caught.value.errors]
    assert sorted(fields) == sorted(
        ["last_name", "email", "phone", "postcode", "planned_places", "enterprise_number"]
    )
    assert all(str(error) for error in caught.value.errors)
    assert count_registrations() == 0


def test_one_broken_rule_is_a_plain_domain_error(make_session):
    session = make_session(capacity=5)
    data = services.RegistrationData(
        first_name="An", last_name="Peeters", email="an@example.com", privacy_accepted=True, postcode="4000"
    )
    with pytest.raises(DomainError) as caught:
        services.register(session.id, data)
    assert not isinstance(caught.value, InvalidInput)
    assert caught.value.field == "postcode"
