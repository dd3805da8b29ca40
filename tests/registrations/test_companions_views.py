"""Registering with a partner over HTTP: the form's companion rows, the page after it that says who
is where, the registrant's page that lists and cancels them, and the staff list and export."""

from __future__ import annotations

import csv
import io
import re

from app.auth.models import Role
from tests.support.registrations import kinds_to, links_in, the_mail


def register_url(session) -> str:
    return f"/sessies/{session.id}/inschrijven"


def test_the_form_offers_three_companion_rows_and_the_choice_when_full(client, make_session):
    session = make_session(capacity=5)
    html = client.get(f"/sessies/{session.id}").get_data(as_text=True)
    for n in (1, 2, 3):
        assert f'name="companion_{n}_first_name"' in html and f'name="companion_{n}_email"' in html
    assert "Schrijf je samen in met je partner of medezaakvoerder?" in html
    assert "Zet ons allemaal samen op de wachtlijst" in html
    assert "Neem de vrije plaatsen en zet de rest op de wachtlijst" in html


def test_registering_with_a_partner_shows_both_on_the_page_after_the_form(
    client, make_session, registration_form_data
):
    session = make_session(capacity=2)
    data = registration_form_data(
        email="an@example.com",
        companion_1_first_name="Bart",
        companion_1_last_name="Janssens",
        companion_2_first_name="Cis",
        companion_2_last_name="Wouters",
        companion_2_email="cis@example.com",
        when_full="split",
    )

    response = client.post(register_url(session), data=data)

    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Wie waar staat" in html
    assert "An Peeters (jij)" in html
    assert "Bart Janssens" in html and "Plaats vastgehouden" in html
    assert "Cis Wouters" in html and "Op de wachtlijst" in html
    # The page for anyone else (no link from the answer) tells nothing about the group.
    plain = client.get(f"/sessies/{session.id}/ingeschreven").get_data(as_text=True)
    assert "Bart" not in plain


def test_a_companion_without_a_last_name_gets_a_clear_message_and_nothing_is_kept(
    client, make_session, registration_form_data
):
    session = make_session(capacity=5)
    data = registration_form_data(email="an@example.com", companion_1_first_name="Bart")

    response = client.post(register_url(session), data=data)

    assert response.status_code == 422
    assert "Vul de achternaam in van wie je meebrengt." in response.get_data(as_text=True)
    assert kinds_to("an@example.com") == []


def test_the_registrant_sees_and_cancels_a_companion_and_staff_see_whom_they_came_with(
    client, login, make_session, registration_form_data
):
    session = make_session(capacity=5)
    data = registration_form_data(
        email="an@example.com", companion_1_first_name="Bart", companion_1_last_name="Janssens"
    )
    client.post(register_url(session), data=data)
    manage = links_in(the_mail("an@example.com", "confirm_link")).manage

    html = client.get(manage).get_data(as_text=True)
    assert "Wie je meebracht" in html and "Bart Janssens" in html

    login(Role.EXPERT)
    staff = client.get(f"/beheer/sessies/{session.id}").get_data(as_text=True)
    assert "begeleider van An Peeters" in staff
    exported = client.get(f"/beheer/sessies/{session.id}/inschrijvingen/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig")), delimiter=";"))
    by_name = {row["Voornaam"]: row for row in rows}
    assert by_name["Bart"]["Begeleider van"] == "An Peeters"
    assert by_name["An"]["Begeleider van"] == ""

    cancel_path = re.search(r'action="(/inschrijving/[^"]+/annuleren)" class="inline"', html).group(1)
    signed = manage.split("/inschrijving/")[1]
    response = client.post(cancel_path, data={"terug": signed})
    assert response.status_code == 302 and response.location.endswith(signed)
    html = client.get(response.location).get_data(as_text=True)
    assert "De inschrijving van Bart Janssens is geannuleerd." in html
    assert re.search(r"Bart Janssens</a>\s*<strong[^>]*>geannuleerd</strong>", html)
