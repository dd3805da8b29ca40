"""The check-in pages over HTTP: who may use them, search, tick and undo (with and without
JavaScript's JSON), the QR code's link, the printable list and the attendee import."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.auth.models import Role
from registrations import links
from registrations.models import RegistrationStatus
from sessions.models import SessionFormat
from tests.support.registrations import begin, fresh, status_of

S = RegistrationStatus


@pytest.fixture
def evening(make_session, make_registration):
    """A session that started ten minutes ago, with three confirmed people."""
    session = make_session(capacity=10)
    people = [
        make_registration(session, "chloe@example.com", "confirmed", first_name="Chloé", last_name="Dubois"),
        make_registration(session, "jan@example.com", "confirmed", first_name="Jan", last_name="Peeters"),
        make_registration(
            session, "amina@example.com", "confirmed", first_name="Amina", last_name="El Idrissi"
        ),
    ]
    return begin(session), people


def url(session, rest: str = "") -> str:
    return f"/beheer/sessies/{session.id}/aanwezigheden{rest}"


def test_the_page_lists_everyone_expected_with_a_button_each(client, login, evening):
    session, people = evening
    login(Role.EXPERT)

    page = client.get(url(session))

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for person in people:
        assert f'id="r{person.id}"' in html
    assert html.count(">Aanwezig<") == 3
    assert "0 van 3 aanwezig" in html


def test_searching_without_javascript_ignores_accents_and_case(client, login, evening):
    session, people = evening
    login(Role.EXPERT)

    html = client.get(url(session), query_string={"q": "CHLOE"}).get_data(as_text=True)

    assert f'id="r{people[0].id}"' in html
    assert f'id="r{people[1].id}"' not in html


def test_tick_and_undo_with_a_plain_form_post(client, login, evening):
    session, people = evening
    login(Role.EXPERT)

    response = client.post(url(session, f"/{people[1].id}/aanwezig"), data={"q": "jan"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?q=jan#r{people[1].id}")
    assert status_of(people[1]) == S.ATTENDED
    assert "1 van 3 aanwezig" in client.get(url(session)).get_data(as_text=True)

    client.post(url(session, f"/{people[1].id}/ongedaan"))
    assert status_of(people[1]) == S.CONFIRMED


def test_tick_from_the_script_gets_the_new_row_back(client, login, evening):
    session, people = evening
    login(Role.EXPERT)

    response = client.post(url(session, f"/{people[0].id}/aanwezig"), headers={"Accept": "application/json"})

    assert response.status_code == 200
    data = response.get_json()
    assert data["counts"]["present"] == 1
    assert "Ongedaan maken" in data["row"] and f'id="r{people[0].id}"' in data["row"]
    assert data["message"] == "Chloé Dubois is aanwezig."


def test_a_refused_tick_from_the_script_says_why(client, login, make_session, make_registration):
    session = make_session(days=5)
    registration = make_registration(session, status="confirmed")
    login(Role.EXPERT)

    response = client.post(
        url(session, f"/{registration.id}/aanwezig"), headers={"Accept": "application/json"}
    )

    assert response.status_code == 409
    assert "pas vanaf" in response.get_json()["error"]
    assert status_of(registration) == S.CONFIRMED


def test_staff_may_check_in_only_for_sessions_they_present(client, login, make_user, make_session, evening):
    session, _ = evening
    anonymous = client.get(url(session))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    dossier_staff = login(Role.STAFF)
    assert client.get(url(session)).status_code == 403

    presented = make_session(presenters=[dossier_staff])
    assert client.get(url(presented)).status_code == 200


def test_a_registration_of_another_session_is_not_found(
    client, login, evening, make_session, make_registration
):
    session, _ = evening
    other = make_registration(make_session(), status="confirmed")
    login(Role.ADMIN)

    assert client.post(url(session, f"/{other.id}/aanwezig")).status_code == 404
    assert status_of(other) == S.CONFIRMED


def test_the_qr_link_opens_that_persons_check_in_for_a_logged_in_presenter(client, login, evening):
    session, people = evening
    link = links.checkin_url(people[2]).removeprefix("http://localhost")

    assert "/login" in client.get(link).headers["Location"]
    login(Role.EXPERT)
    page = client.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Amina El Idrissi" in html and f"/{people[2].id}/aanwezig" in html

    assert client.get(url(session, "/niet-echt-een-code")).status_code == 404


def test_a_qr_link_for_another_session_is_not_found(client, login, evening, make_session, make_registration):
    session, _ = evening
    elsewhere = make_registration(make_session(), status="confirmed")
    login(Role.EXPERT)
    assert client.get(url(session, "/" + links.checkin_token(elsewhere))).status_code == 404


def test_the_qr_image_is_a_png_anyone_with_the_mail_can_load(client, evening):
    _, people = evening
    response = client.get(links.qr_image_url(people[0]).removeprefix("http://localhost"))

    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.size[0] == image.size[1] > 150
    assert client.get("/aanwezigheid/vervalst/qr.png").status_code == 404


def test_the_printable_list_has_a_signature_column(client, login, evening):
    session, people = evening
    login(Role.EXPERT)

    html = client.get(url(session, "/afdrukken")).get_data(as_text=True)

    assert "Handtekening" in html and "print.css" in html
    assert "Dubois, Chloé" in html


def test_a_walk_in_through_the_form(client, login, evening):
    session, _ = evening
    login(Role.EXPERT)
    response = client.post(
        url(session, "/ter-plaatse"),
        data={
            "terplaatse-first_name": "Nieuw",
            "terplaatse-last_name": "Gezicht",
            "terplaatse-email": "nieuw@example.com",
            "terplaatse-childcare_type": "gezinsopvang",
            "terplaatse-privacy": "y",
        },
    )
    assert response.status_code == 302
    html = client.get(url(session)).get_data(as_text=True)
    assert "Gezicht, Nieuw" in html and "1 van 4 aanwezig" in html


def test_the_walk_in_form_shows_a_rule_beside_its_field(client, login, evening):
    session, people = evening
    login(Role.EXPERT)
    response = client.post(
        url(session, "/ter-plaatse"),
        data={
            "terplaatse-first_name": "Jan",
            "terplaatse-last_name": "Peeters",
            "terplaatse-email": "jan@example.com",
            "terplaatse-childcare_type": "onbekend",
            "terplaatse-privacy": "y",
        },
    )
    assert response.status_code == 422
    assert "al ingeschreven" in response.get_data(as_text=True)


def test_uploading_an_online_sessions_attendee_list(client, login, make_session, make_registration):
    session = make_session(format=SessionFormat.ONLINE)
    person = make_registration(
        session, "online@example.com", "confirmed", first_name="Eline", last_name="Maes"
    )
    session = begin(session)
    login(Role.EXPERT)
    data = b"Name;Email\r\nEline Maes;ONLINE@example.com\r\nIemand Anders;x@example.com\r\n"

    response = client.post(url(session, "/importeren"), data={"file": (io.BytesIO(data), "deelnemers.csv")})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 persoon aanwezig gezet." in html and "Iemand Anders, x@example.com" in html
    assert fresh(person).status == S.ATTENDED


def test_ticking_an_online_sessions_participants_in_one_go(client, login, make_session, make_registration):
    session = make_session(format=SessionFormat.ONLINE)
    people = [make_registration(session, status="confirmed") for _ in range(3)]
    session = begin(session)
    login(Role.EXPERT)
    page = client.get(url(session, "/importeren")).get_data(as_text=True)
    assert all(f'value="{p.id}"' in page for p in people)

    response = client.post(url(session, "/markeren"), data={"registration_id": [people[0].id, people[2].id]})

    assert response.status_code == 302
    assert [status_of(p) for p in people] == [S.ATTENDED, S.CONFIRMED, S.ATTENDED]
