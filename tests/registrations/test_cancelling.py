"""Cancelling asks once, on its own page, with the consequences; then says what happened and
offers the next dates of the same topic. A GET never cancels."""

from __future__ import annotations

from registrations.models import RegistrationStatus
from tests.support.registrations import kinds_to, links_in, status_of, the_mail

S = RegistrationStatus


def test_opening_the_cancel_link_asks_and_changes_nothing(client, make_session, make_registration):
    session = make_session(capacity=1)
    registration = make_registration(session, "zit@example.com", status="confirmed")
    make_registration(session, "wacht@example.com", status="waitlisted")
    manage = links_in(the_mail("zit@example.com", "confirmed")).manage

    for _ in range(2):  # a mail scanner, then the person
        response = client.get(f"{manage}/annuleren")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Ben je zeker?" in html and "Je inschrijving annuleren?" in html
        assert "de eerste op de wachtlijst krijgt ze meteen" in html  # the consequences
        assert "verdwijnt dan ook uit je agenda" in html
        assert "Ja, annuleer mijn inschrijving" in html and "Nee, ik kom toch" in html
    assert status_of(registration) == S.CONFIRMED
    assert kinds_to("zit@example.com") == ["confirm_link", "confirmed"]


def test_after_cancelling_the_next_dates_of_the_topic_are_offered(client, make_session, make_registration):
    session = make_session(capacity=5)
    later = make_session(topic=session.topic, days=30)
    make_registration(session, "an@example.com", status="confirmed")
    manage = links_in(the_mail("an@example.com", "confirmed")).manage

    response = client.post(f"{manage}/annuleren")
    html = client.get(response.location).get_data(as_text=True)

    assert '<h1 class="panel-title">Je inschrijving is geannuleerd</h1>' in html
    assert "Een ander moment?" in html
    assert f'href="/sessies/{later.id}-' in html
    assert f"/sessies?thema={session.topic.slug}" in html
    assert "Toch komen? Schrijf je opnieuw in." in html


def test_the_waiting_list_page_names_the_place_that_would_be_lost(client, make_session, make_registration):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    make_registration(session, "wacht@example.com", status="waitlisted")
    manage = links_in(the_mail("wacht@example.com", "waitlisted")).manage
    html = client.get(f"{manage}/annuleren").get_data(as_text=True)
    assert "Van de wachtlijst gaan?" in html
    assert "Je verliest je plaats in de rij (je staat nu als 1e)." in html


def test_what_is_already_cancelled_is_not_asked_again(client, make_session, make_registration):
    session = make_session(capacity=5)
    make_registration(session, "an@example.com", status="confirmed")
    manage = links_in(the_mail("an@example.com", "confirmed")).manage
    client.post(f"{manage}/annuleren")
    response = client.get(f"{manage}/annuleren")
    assert response.status_code == 302 and response.location.endswith(manage)
    again = client.post(f"{manage}/annuleren")
    assert again.status_code == 302 and again.location.endswith(manage)
    assert kinds_to("an@example.com").count("cancelled") == 1


def test_the_done_page_of_an_active_registration_is_the_manage_page(client, make_session, make_registration):
    make_registration(make_session(), "an@example.com", status="confirmed")
    manage = links_in(the_mail("an@example.com", "confirmed")).manage
    response = client.get(f"{manage}/geannuleerd")
    assert response.status_code == 302 and response.location.endswith(manage)


def test_a_bad_cancel_link_explains_itself(client):
    response = client.get("/inschrijving/onzin/annuleren")
    assert response.status_code == 404
    assert "Deze link klopt niet." in response.get_data(as_text=True)
