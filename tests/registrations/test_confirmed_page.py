"""After the click in the mail: a confirmation panel, the summary, add-to-calendar, what to
expect and the manage link; the waiting list says the place in line."""

from __future__ import annotations

import re

from tests.support.registrations import links_in, the_mail


def confirm(client, address: str, kind: str = "confirm_link"):
    link = links_in(the_mail(address, kind)).confirm
    response = client.post(link)
    assert response.status_code == 302
    assert response.location.endswith("/bevestigd")
    return client.get(response.location)


def test_confirming_shows_the_confirmation_panel(client, make_session, make_registration):
    session = make_session(capacity=5)
    make_registration(session, "an@example.com")
    response = confirm(client, "an@example.com")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h1 class="panel-title">Je bent ingeschreven</h1>' in html
    assert "an@example.com" in html and session.display_title in html  # the summary
    assert f"/sessies/{session.id}.ics" in html  # add to calendar
    assert "https://calendar.google.com/calendar/render?" in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    assert "Wat je kunt verwachten" in html
    manage = re.search(r'<a href="(/inschrijving/[^"/]+)">Je inschrijving bekijken of annuleren</a>', html)
    assert manage, "the manage link"
    assert "Annuleer mijn inschrijving" in client.get(manage.group(1)).get_data(as_text=True)


def test_joining_the_waiting_list_shows_the_place_in_line(client, make_session, make_registration):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    make_registration(session, "eerst@example.com", status="waitlisted")
    make_registration(session, "tweede@example.com", status="waitlisted")
    make_registration(session, "derde@example.com", status="waitlisted")  # confirms its mail at once
    # The confirm link of a full session's registration (a second click changes nothing).
    html = confirm(client, "derde@example.com", "confirm_waitlist").get_data(as_text=True)
    assert '<h1 class="panel-title">Je staat op de wachtlijst</h1>' in html
    assert "Je staat als 3e op de wachtlijst." in html
    assert "calendar.google.com" not in html  # no seat yet, nothing to put in a calendar
    assert "Komt er een plaats vrij" in html


def test_the_manage_page_says_the_place_in_line_too(client, make_session, make_registration):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    make_registration(session, "wacht@example.com", status="waitlisted")
    html = client.get(links_in(the_mail("wacht@example.com", "waitlisted")).manage).get_data(as_text=True)
    assert "je staat als 1e in de rij" in html


def test_the_confirmation_page_of_an_unconfirmed_registration_is_the_manage_page(client, make_registration):
    make_registration(email="an@example.com")
    manage = links_in(the_mail("an@example.com", "confirm_link")).manage
    response = client.get(f"{manage}/bevestigd")
    assert response.status_code == 302 and response.location.endswith(manage)
