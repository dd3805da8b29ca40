"""A likely typo in an e-mail address gets a "Bedoelde je …?" hint: one tap accepts it, and
ignoring it is fine — never a refusal."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.validation import suggest_email
from registrations.models import Registration
from tests.support.registrations import count_registrations, kinds_to


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("an@gmial.com", "an@gmail.com"),
        ("an@hotmial.com", "an@hotmail.com"),
        ("an@telenet.bee", "an@telenet.be"),
        ("an@skynet.b", "an@skynet.be"),
        ("an@gmail.co", "an@gmail.com"),
        ("An.Peeters@Outlok.com", "An.Peeters@outlook.com"),
        ("an@gmail.com", None),
        ("an@example.com", None),
        ("an@hotmail.nl", None),  # the same provider in another country is an address, not a slip
        ("an@kindengezin.be", None),
        ("geen-adres", None),
        ("", None),
    ],
)
def test_a_likely_typo_is_noticed(typed, meant):
    assert suggest_email(typed) == meant


def test_after_a_submit_with_mistakes_the_hint_offers_the_address(
    client, make_session, registration_form_data
):
    session = make_session(capacity=5)
    response = client.post(
        f"/sessies/{session.id}/inschrijven", data=registration_form_data(email="an@gmial.com", phone="12")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bedoelde je <button" in html
    assert 'name="email_suggestion" value="an@gmail.com"' in html
    assert 'value="an@gmial.com"' in html  # what was typed stays until the person chooses
    assert 'id="email-error"' not in html  # a hint, not a mistake


def test_the_hint_never_blocks(client, make_session, registration_form_data):
    session = make_session(capacity=5)
    response = client.post(
        f"/sessies/{session.id}/inschrijven", data=registration_form_data(email="an@gmial.com")
    )
    assert response.status_code == 302
    assert kinds_to("an@gmial.com") == ["confirm_link"]


def test_one_tap_on_the_hint_registers_with_the_suggested_address(
    client, make_session, registration_form_data
):
    session = make_session(capacity=5)
    data = registration_form_data(email="an@gmial.com", email_suggestion="an@gmail.com")
    response = client.post(f"/sessies/{session.id}/inschrijven", data=data)
    assert response.status_code == 302
    db.session.rollback()
    assert [r.email for r in db.session.query(Registration)] == ["an@gmail.com"]
    assert kinds_to("an@gmail.com") == ["confirm_link"] and kinds_to("an@gmial.com") == []


def test_a_tap_on_the_hint_still_shows_the_other_mistakes(client, make_session, registration_form_data):
    session = make_session(capacity=5)
    data = registration_form_data(email="an@gmial.com", email_suggestion="an@gmail.com", phone="12")
    response = client.post(f"/sessies/{session.id}/inschrijven", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="an@gmail.com"' in html and "email_suggestion" not in html
    assert count_registrations() == 0


def test_the_page_asks_the_server_for_a_hint_with_only_the_domain(client):
    assert client.get("/inschrijven/e-mailsuggestie?domein=gmial.com").get_json() == {"domain": "gmail.com"}
    assert client.get("/inschrijven/e-mailsuggestie?domein=gmail.com").get_json() == {"domain": None}
    assert client.get("/inschrijven/e-mailsuggestie").get_json() == {"domain": None}
