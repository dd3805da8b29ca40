"""The check-your-mail page after registering names the address the mail went to and says how to
fix a wrong one; it tells nobody else anything."""

from __future__ import annotations

import html


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_page_names_the_address_and_how_to_fix_a_wrong_one(client, make_session, registration_form_data):
    session = make_session(capacity=10)
    response = client.post(
        f"/sessies/{session.id}/inschrijven",
        data=registration_form_data(email="an.peetres@example.com"),
        follow_redirects=True,
    )
    page = text(response)
    assert response.status_code == 200 and response.request.path == f"/sessies/{session.id}/ingeschreven"
    assert "naar:" in page and "<strong>an.peetres@example.com</strong>" in page
    assert "Schrijf je opnieuw in met het juiste adres" in page
    assert f'href="/sessies/{session.id}/' in page and '#inschrijven"' in page
    assert "vervalt vanzelf" in page


def test_the_address_is_not_shown_for_another_session_nor_to_another_browser(
    app, client, make_session, registration_form_data
):
    first, second = make_session(capacity=10), make_session(capacity=10)
    client.post(f"/sessies/{first.id}/inschrijven", data=registration_form_data(email="an@example.com"))
    assert "an@example.com" not in text(client.get(f"/sessies/{second.id}/ingeschreven"))
    stranger = app.test_client()
    page = text(stranger.get(f"/sessies/{first.id}/ingeschreven"))
    assert "an@example.com" not in page
    assert "Typte je je e-mailadres fout?" in page  # the way to fix it is said all the same
