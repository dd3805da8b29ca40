"""The certificate of attendance: the PDF's text read back (pypdf), who gets one, and the page its
QR code opens, which stops vouching for it once the registration is cancelled or anonymised."""

from __future__ import annotations

import io
import re
import subprocess
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from app.auth.models import Role
from registrations import attendance, certificates, links, privacy
from registrations.models import RegistrationStatus
from tests.support.registrations import begin, fresh


@pytest.fixture
def attended(make_session, make_registration, make_user, make_venue, make_topic):
    """An Peeters, checked in at the door of a two-hour session in Gent presented by Els."""
    presenter = make_user(Role.EXPERT, name="Els Janssens")
    venue = make_venue(name="Zaal De Kouter", street="Kouter 29", postcode="9000")
    topic = make_topic(title="Een kinderopvang starten: van idee tot vergunning")
    session = make_session(topic=topic, venue=venue, presenters=[presenter], minutes=120, hour=19, minute=30)
    registration = make_registration(session, status="confirmed", first_name="An", last_name="Peeters")
    begin(session)
    attendance.check_in(registration, presenter)
    return fresh(registration)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def path_of(url: str) -> str:
    return urlsplit(url).path


# --------------------------------------------------------------------------- the PDF


def test_the_pdf_states_who_what_when_where_how_long_and_by_whom(app, attended):
    pdf = certificates.render_pdf(attended)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)  # A4
    text = " ".join(text_of(pdf).split())
    assert "Attest van deelname" in text
    assert "Agentschap Opgroeien verklaart dat An Peeters heeft deelgenomen aan de infosessie" in text
    assert "Een kinderopvang starten: van idee tot vergunning" in text
    assert "Zaal De Kouter, Kouter 29, 9000 Gent" in text
    assert "Duur 2 uur" in text
    assert "Gegeven door Els Janssens" in text
    session = attended.session
    assert re.search(r"Datum \w+dag \d{1,2} \w+ \d{4}, \d\d:\d\d–\d\d:\d\d", text)
    assert f"{session.starts_at:%Y}" in text
    assert links.certificate_url(attended) in text.replace(" ", "")
    # PDF/A-3u: the document says which part of the standard it follows.
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert "pdfaid:part" in xmp and "3" in re.search(r"pdfaid:part[^0-9]*(\d)", xmp).group(1)


def test_poppler_reads_the_same_text(app, attended, tmp_path):
    (tmp_path / "attest.pdf").write_bytes(certificates.render_pdf(attended))

    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "attest.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert "An Peeters" in text and "Els Janssens" in text


def test_the_agency_is_configurable(app, attended):
    app.config["AGENCY_NAME"] = "Kind en Gezin"

    assert "Kind en Gezin verklaart dat" in " ".join(text_of(certificates.render_pdf(attended)).split())


def test_an_online_session_says_online_and_an_odd_length_in_hours_and_minutes(
    app, make_session, make_registration, make_user
):
    from sessions.models import SessionFormat

    session = make_session(format=SessionFormat.ONLINE, minutes=90)
    registration = make_registration(session, status="confirmed")
    begin(session)
    attendance.check_in(registration, make_user())

    text = " ".join(text_of(certificates.render_pdf(fresh(registration))).split())

    assert "Plaats Online" in text
    assert "Duur 1 uur en 30 minuten" in text


@pytest.mark.parametrize("status", ["confirmed", "pending", "waitlisted"])
def test_nobody_who_was_not_checked_in_gets_one(app, make_session, make_registration, status):
    session = make_session(capacity=1)
    make_registration(session, status="confirmed")  # the one seat
    registration = make_registration(session if status == "waitlisted" else None, status=status)

    with pytest.raises(
        certificates.CertificateRefused, match="alleen voor wie op de infosessie aanwezig was"
    ):
        certificates.render_pdf(registration)


# --------------------------------------------------------------------------- over HTTP


def test_the_manage_page_offers_the_download_to_an_attendee(client, attended):
    manage = path_of(links.manage_url(attended))

    page = client.get(manage).get_data(as_text=True)
    response = client.get(f"{manage}/attest.pdf")

    assert "Attest downloaden (PDF)" in page
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="attest-van-deelname-')
    assert "no-store" in response.headers["Cache-Control"]
    assert "An Peeters" in text_of(response.data)


def test_someone_not_checked_in_sees_no_button_and_gets_a_clear_refusal(client, make_registration):
    registration = make_registration(status="confirmed")
    manage = path_of(links.manage_url(registration))

    page = client.get(manage).get_data(as_text=True)
    response = client.get(f"{manage}/attest.pdf")

    assert "Attest downloaden" not in page
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/html")
    body = response.get_data(as_text=True)
    assert "Geen attest van deelname" in body
    assert "Een attest van deelname is er alleen voor wie op de infosessie aanwezig was." in body


def test_a_bad_manage_link_gets_the_link_page(client):
    response = client.get("/inschrijving/niet-echt/attest.pdf")

    assert response.status_code == 404
    assert "Deze link werkt niet (meer)" in response.get_data(as_text=True)


def test_the_qr_code_page_vouches_for_a_genuine_certificate(client, attended):
    response = client.get(path_of(links.certificate_url(attended)))

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dit attest is echt" in body
    assert "An Peeters" in body and "Een kinderopvang starten: van idee tot vergunning" in body
    assert "Agentschap Opgroeien" in body
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_a_made_up_code_is_not_valid(client):
    response = client.get("/attest/verzonnen.code")

    assert response.status_code == 404
    assert "Dit attest is niet (meer) geldig" in response.get_data(as_text=True)


def test_an_undone_check_in_stops_the_certificate_verifying(client, attended):
    url = path_of(links.certificate_url(attended))

    attendance.undo_check_in(attended)

    assert fresh(attended).status == RegistrationStatus.CONFIRMED
    assert "Dit attest is niet (meer) geldig" in client.get(url).get_data(as_text=True)


def test_a_cancelled_registration_stops_verifying(client, attended):
    from registrations import services

    url = path_of(links.certificate_url(attended))
    attendance.undo_check_in(attended)
    services.cancel_registration(fresh(attended))

    assert fresh(attended).status == RegistrationStatus.CANCELLED
    assert client.get(url).status_code == 404


def test_an_anonymised_registration_stops_verifying_and_has_no_pdf(client, attended):
    url = path_of(links.certificate_url(attended))
    manage = path_of(links.manage_url(attended))

    privacy.erase_personal_data(attended)

    assert client.get(url).status_code == 404
    assert client.get(f"{manage}/attest.pdf").status_code == 404  # the old links died with the token
    with pytest.raises(certificates.CertificateRefused, match="gewist"):
        certificates.render_pdf(fresh(attended))


# --------------------------------------------------------------------------- the thank-you mail


def test_the_thank_you_mail_carries_the_download_link(client, attended, make_user):
    from materials.mailings import rendering
    from materials.mailings import services as mailings

    mailing = mailings.create_mailing(attended.session_id, "attendees", make_user(Role.EXPERT))
    mail = rendering.render(mailing, attended, keep_links=True)  # as the worker sends it

    assert "Je attest van deelname (PDF) download je hier:" in mail.text
    url = re.search(r"(http://localhost/inschrijving/\S+/attest\.pdf)", mail.text).group(1)
    assert f'href="{url}"' in mail.html
    assert client.get(path_of(url)).headers["Content-Type"] == "application/pdf"


def test_the_placeholder_tells_someone_who_was_not_there_that_there_is_none(
    app, make_registration, make_user
):
    from materials.mailings import rendering
    from materials.mailings import services as mailings

    registration = make_registration(status="confirmed")
    mailing = mailings.create_mailing(registration.session_id, "attendees", make_user(Role.EXPERT))

    mail = rendering.render(mailing, registration)

    assert "Een attest van deelname is er alleen voor wie aanwezig was." in mail.text
    assert "attest.pdf" not in mail.text
