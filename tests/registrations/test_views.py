"""The public registration pages over HTTP: the form, the thanks page, the links in the mails."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.db import utcnow
from app.extensions import db
from registrations import services
from registrations.models import RegistrationStatus
from sessions import services as sessions
from sessions.models import SessionFormat
from tests.support.registrations import count_mails, count_registrations, kinds_to, links_in, the_mail

S = RegistrationStatus
MEETING = "https://meet.example.com/abc-defg-hij"


def page(client, path: str, status: int = 200) -> str:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def form_action(session) -> str:
    return f'action="/sessies/{session.id}/inschrijven'


def register_url(session) -> str:
    return f"/sessies/{session.id}/inschrijven"


def registration_of(address: str):
    from registrations.models import Registration

    db.session.rollback()
    return db.session.query(Registration).filter_by(email=address).one()


# --------------------------------------------------------------------------- the session page


def test_an_open_session_shows_the_form(client, make_session):
    session = make_session(capacity=5)
    html = page(client, f"/sessies/{session.id}")
    assert form_action(session) in html
    assert 'name="first_name"' in html and 'name="privacy"' in html
    assert "Zet me op de wachtlijst" not in html


def test_a_full_session_shows_the_waiting_list_form(client, make_session, make_registration):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    html = page(client, f"/sessies/{session.id}")
    assert form_action(session) in html
    assert "Deze sessie is volzet" in html and "Zet me op de wachtlijst" in html


@pytest.mark.parametrize("closed", ["not yet open", "closed", "cancelled", "past"])
def test_a_closed_session_shows_no_form(client, make_session, closed):
    if closed == "not yet open":
        session = make_session(registration_opens_at=utcnow() + timedelta(days=3))
    elif closed == "closed":
        session = make_session(registration_closes_at=utcnow() - timedelta(minutes=5))
    else:
        session = make_session()
    if closed == "cancelled":
        sessions.cancel_session(session, "De zaal is niet beschikbaar.")
    if closed == "past":
        session.starts_at, session.ends_at = (
            utcnow() - timedelta(days=3),
            utcnow() - timedelta(days=3, hours=-2),
        )
        db.session.commit()
    html = page(client, f"/sessies/{session.id}")
    assert form_action(session) not in html
    assert 'name="first_name"' not in html


# --------------------------------------------------------------------------- posting the form


def test_registering_through_the_form_leads_to_the_check_your_mail_page(
    client, make_session, registration_form_data
):
    session = make_session(capacity=5)
    response = client.post(register_url(session), data=registration_form_data(email="an@example.com"))
    assert response.status_code == 302
    assert response.location.endswith(f"/sessies/{session.id}/ingeschreven")
    html = page(client, response.location)
    assert "kijk in je mailbox" in html
    registration = registration_of("an@example.com")
    assert registration.status == S.PENDING
    assert registration.phone == "+32470123456" and registration.enterprise_number == "0566.988.259"
    assert kinds_to("an@example.com") == ["confirm_link"]


def test_the_thanks_page_is_the_same_for_new_waitlisted_and_known_addresses(
    client, make_session, registration_form_data
):
    session = make_session(capacity=1)
    responses = [
        client.post(register_url(session), data=registration_form_data(email=address))
        for address in ("een@example.com", "twee@example.com", "een@example.com")
    ]
    assert {r.status_code for r in responses} == {302}
    assert len({r.location for r in responses}) == 1
    bodies = [client.get(r.location).get_data() for r in responses]
    assert bodies[0] == bodies[1] == bodies[2]
    # ...while three different things happened behind it.
    assert registration_of("een@example.com").status == S.PENDING
    assert registration_of("twee@example.com").status == S.WAITLISTED
    assert kinds_to("een@example.com") == ["confirm_link", "already"]
    assert count_registrations() == 2


def test_a_filled_in_honeypot_looks_fine_but_keeps_nothing(client, make_session, registration_form_data):
    session = make_session()
    response = client.post(
        register_url(session), data=registration_form_data(website="https://goedkope-pillen.example")
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/sessies/{session.id}/ingeschreven")
    assert count_registrations() == 0 and count_mails() == 0


def test_a_rule_broken_shows_its_dutch_message_next_to_the_field(
    client, make_session, registration_form_data
):
    session = make_session()
    response = client.post(register_url(session), data=registration_form_data(postcode="4000"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = html[html.index('id="postcode-error"') :]
    assert "Wallonië" in error[: error.index("</p>")]
    assert 'value="Peeters"' in html  # what was typed stays
    assert count_registrations() == 0 and count_mails() == 0


def test_a_missing_name_and_consent_are_asked_for_in_dutch(client, make_session, registration_form_data):
    session = make_session()
    response = client.post(register_url(session), data=registration_form_data(first_name="", privacy=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Vul je voornaam in." in html
    assert "Je moet de privacyverklaring aanvaarden" in html
    assert count_registrations() == 0


def test_posting_to_a_cancelled_session_says_it_is_closed(client, make_session, registration_form_data):
    session = make_session()
    sessions.cancel_session(session, "Overmacht.")
    response = client.post(register_url(session), data=registration_form_data())
    assert response.status_code == 422
    assert "De inschrijvingen voor deze sessie zijn gesloten." in response.get_data(as_text=True)
    assert count_registrations() == 0


def test_a_draft_session_cannot_be_posted_to(client, make_session, registration_form_data):
    session = make_session(status="draft")
    assert client.post(register_url(session), data=registration_form_data()).status_code == 404
    assert count_registrations() == 0


# --------------------------------------------------------------------------- the confirm link


def test_opening_the_confirm_link_changes_nothing_until_the_button_is_pressed(
    client, make_session, registration_form_data
):
    session = make_session(format=SessionFormat.ONLINE, meeting_url=MEETING)
    client.post(register_url(session), data=registration_form_data(email="an@example.com"))
    confirm = links_in(the_mail("an@example.com", "confirm_link")).confirm

    for _ in range(2):  # a mail scanner, then the person
        response = client.get(confirm)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert '<form method="post"' in html and "Bevestigen" in html
    assert registration_of("an@example.com").status == S.PENDING
    assert kinds_to("an@example.com") == ["confirm_link"]

    response = client.post(confirm)
    assert response.status_code == 302 and "/inschrijving/" in response.location
    assert registration_of("an@example.com").status == S.CONFIRMED
    html = page(client, response.location)
    assert "ingeschreven" in html and MEETING in html
    assert kinds_to("an@example.com") == ["confirm_link", "confirmed"]

    again = client.get(confirm).get_data(as_text=True)
    assert "Dit is al in orde" in again and '<form method="post"' not in again


def _expired_link(app, registration, purpose: str, days: int) -> str:
    class Yesterday(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - days * 86400

    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=f"registration-{purpose}", signer=Yesterday
    )
    return serializer.dumps(registration.token)


def test_an_expired_confirm_link_explains_itself(app, client, make_registration):
    registration = make_registration(email="an@example.com")
    old = _expired_link(app, registration, "confirm", days=8)
    response = client.get(f"/inschrijving/{old}/bevestigen")
    assert response.status_code == 404
    assert "Deze link is verlopen." in response.get_data(as_text=True)
    assert client.post(f"/inschrijving/{old}/bevestigen").status_code == 404
    assert registration_of("an@example.com").status == S.PENDING


def test_a_garbled_link_explains_itself(client, make_registration):
    make_registration(email="an@example.com")
    manage = links_in(the_mail("an@example.com", "confirm_link")).manage
    garbled = manage[:-3] + ("aaa" if not manage.endswith("aaa") else "bbb")
    for path in (garbled, "/inschrijving/onzin", garbled + "/bevestigen"):
        response = client.get(path)
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "Deze link klopt niet." in html and "Deze link werkt niet (meer)" in html


# --------------------------------------------------------------------------- the manage link


def test_the_manage_page_shows_the_place_on_the_waiting_list_and_leaves_it_after_asking_once(
    client, make_session, make_registration
):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    make_registration(session, "eerst@example.com", status="waitlisted")
    make_registration(session, "wacht@example.com", status="waitlisted")
    manage = links_in(the_mail("wacht@example.com", "waitlisted")).manage

    html = page(client, manage)
    assert "je staat als 2e in de rij" in html
    assert '<form method="post"' not in html and f'href="{manage}/annuleren"' in html

    html = page(client, f"{manage}/annuleren")
    assert "Van de wachtlijst gaan?" in html and "Ja, haal me van de wachtlijst" in html
    response = client.post(f"{manage}/annuleren")
    assert response.status_code == 302 and f"{manage}/geannuleerd" in response.location
    html = page(client, response.location)
    assert "Je staat niet meer op de wachtlijst" in html
    assert registration_of("wacht@example.com").status == S.CANCELLED
    assert services.waitlist_position(registration_of("eerst@example.com")) == 1
    html = page(client, manage)
    assert "geannuleerd" in html and "Annuleer" not in html


def test_cancelling_a_confirmed_place_from_the_manage_page(client, make_session, make_registration):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    make_registration(session, "wacht@example.com", status="waitlisted")
    manage = links_in(the_mail("zit@example.com", "confirmed")).manage
    assert "Annuleer mijn inschrijving" in page(client, manage)

    html = page(client, client.post(f"{manage}/annuleren").location)

    assert "Je inschrijving is geannuleerd" in html and "bevestiging per mail" in html
    assert registration_of("zit@example.com").status == S.CANCELLED
    assert registration_of("wacht@example.com").status == S.CONFIRMED
    assert kinds_to("zit@example.com")[-1] == "cancelled"


def test_cancelling_an_unconfirmed_registration_promises_no_mail(client, make_registration):
    make_registration(email="an@example.com")
    manage = links_in(the_mail("an@example.com", "confirm_link")).manage
    html = page(client, client.post(f"{manage}/annuleren").location)
    assert "Je inschrijving is geannuleerd" in html
    assert kinds_to("an@example.com") == ["confirm_link"]
    assert "per mail" not in html


def test_an_old_manage_link_dies_when_the_person_registers_again(
    client, make_session, make_registration, registration_form_data
):
    session = make_session()
    registration = make_registration(session, "an@example.com", status="confirmed")
    old = links_in(the_mail("an@example.com", "confirmed")).manage
    services.cancel_registration(registration)
    client.post(register_url(session), data=registration_form_data(email="an@example.com"))
    response = client.get(old)
    assert response.status_code == 404
    assert "niet meer geldig" in response.get_data(as_text=True)


# --------------------------------------------------------------------------- too many posts


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "PUBLIC_POST_RATE_LIMIT": "3 per minute"}

    def test_the_fourth_post_in_a_minute_gets_a_dutch_please_wait_page(
        self, client, make_session, registration_form_data
    ):
        session = make_session(capacity=20)
        codes = [
            client.post(
                register_url(session), data=registration_form_data(email=f"p{n}@example.com")
            ).status_code
            for n in range(4)
        ]
        assert codes == [302, 302, 302, 429]
        response = client.post(register_url(session), data=registration_form_data(email="p9@example.com"))
        assert response.status_code == 429
        html = response.get_data(as_text=True)
        assert '<html lang="nl"' in html and "Te veel pogingen na elkaar" in html
        assert count_registrations() == 3
        assert client.get(f"/sessies/{session.id}").status_code == 200  # reading is not limited
