"""Every mail the application writes, laid out: each kind renders (its HTML part too); the one
thing a mail asks is a button whose link is written beneath it and stands in the text part on a
line of its own; the HTML part links nowhere the text part does not; the links are short (22
opaque characters) and work; mails about an appointment carry "add to calendar" links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.support.every_mail import application_kinds, every_mail

# The kinds whose mail asks no one thing of its reader: a staff member's notice, a free text.
NO_ACTION = ("intake.staff_", "mailing.")
SHORT = r"[A-Za-z0-9_-]{22}"
APP_LINK = re.compile(r"https?://localhost(/[^\s<>\"']*)")
CALENDAR_KINDS = {
    "registration.confirmed",
    "registration.promoted",
    "registration.reminder",
    "registration.updated",
    "registration.moved",
    "intake.booked",
    "intake.moved",
}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.buttons: list[tuple[str, str]] = []
        self._in_button: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.hrefs.append(attrs["href"])
            if "display:inline-block" in (attrs.get("style") or ""):
                self._in_button = attrs["href"]
                self.buttons.append((attrs["href"], ""))

    def handle_data(self, data):
        if self._in_button is not None:
            href, label = self.buttons[-1]
            self.buttons[-1] = (href, label + data)

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_button = None


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


@pytest.fixture
def mails(app, make_session, make_registration, make_lead, make_user):
    return every_mail(make_session, make_registration, make_lead, make_user)


def test_every_kind_of_mail_renders_with_an_html_part(mails):
    assert set(mails) >= application_kinds(), application_kinds() - set(mails)
    for code, mail in mails.items():
        assert mail.subject and mail.text_body and mail.html_body, code
        assert '<meta name="viewport"' in mail.html_body and "max-width:600px" in mail.html_body, code


def test_the_primary_action_is_a_button_with_its_link_beneath_and_in_the_text(mails):
    for code, mail in mails.items():
        found = links_of(mail.html_body)
        if code.startswith(NO_ACTION):
            assert found.buttons == [], code
            continue
        assert len(found.buttons) == 1, f"{code}: {found.buttons}"
        ((url, label),) = found.buttons
        assert label.strip(), code
        assert found.hrefs.count(url) == 2, f"{code}: the link is written beneath the button"
        assert f">{url}</a>" in mail.html_body, code
        assert url in mail.text_body.splitlines(), f"{code}: the text part has the link on a line of its own"


def test_the_html_part_links_nowhere_the_text_part_does_not(mails):
    for code, mail in mails.items():
        for href in links_of(mail.html_body).hrefs:
            assert href in mail.text_body, f"{code}: {href} is in the HTML part only"


def test_every_link_to_the_app_in_a_mail_is_short(mails):
    long_ones = []
    for code, mail in mails.items():
        for path in APP_LINK.findall(mail.text_body):
            token_paths = (
                "/inschrijving/",
                "/dossier/",
                "/kennismakingsgesprek/",
                "/uitschrijven/",
                "/opvolging/inschrijven/",
            )
            if path.startswith(token_paths) and not re.search(rf"/{SHORT}(/[a-z.-]+)?$", path):
                long_ones.append(f"{code}: {path}")
    assert not long_ones, long_ones


def test_the_short_links_in_mails_open_their_pages(client, mails):
    confirm = next(
        u for u in mails["registration.confirm_link"].text_body.split() if u.endswith("/bevestigen")
    )
    manage = links_of(mails["registration.confirmed"].html_body).buttons[0][0]
    pick = links_of(mails["intake.pick_link"].html_body).buttons[0][0]
    dossier = links_of(mails["dossier.missing"].html_body).buttons[0][0]
    for url in (confirm, manage, pick, dossier):
        response = client.get(APP_LINK.match(url).group(1))
        assert response.status_code == 200, url
    assert len(confirm) < len("http://localhost/inschrijving//bevestigen") + 23


def test_mails_about_an_appointment_carry_calendar_links_beside_the_ics(mails):
    for code in CALENDAR_KINDS:
        mail = mails[code]
        hrefs = links_of(mail.html_body).hrefs
        google = [h for h in hrefs if h.startswith("https://calendar.google.com/calendar/render?")]
        outlook = [h for h in hrefs if h.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")]
        assert len(google) == 1 and len(outlook) == 1, code
        assert re.search(r"dates=\d{8}T\d{6}Z%2F\d{8}T\d{6}Z", google[0]), code
        assert "startdt=" in outlook[0] and "enddt=" in outlook[0], code
        assert google[0] in mail.text_body and outlook[0] in mail.text_body, code
    assert "calendar.google.com" not in mails["registration.confirm_link"].text_body


def test_links_sent_before_short_links_keep_working(app, client, mails):
    """Mails already in inboxes carry signed payloads: those still open their pages."""
    from sqlalchemy import select

    from app.extensions import db
    from dossiers import links as dossier_links
    from dossiers.leads import links as lead_links
    from dossiers.leads.models import Lead
    from dossiers.models import Dossier
    from materials.mailings import links as mailing_links
    from registrations import links as registration_links
    from registrations.models import Registration

    registration = db.session.scalars(
        select(Registration).where(Registration.email == "confirmed@example.com")
    ).one()
    dossier = db.session.scalars(select(Dossier)).first()
    lead = db.session.scalars(select(Lead).where(Lead.email == "lead@example.com")).one()
    with app.test_request_context():
        old = {
            f"/inschrijving/{registration_links.make_token(registration, 'manage')}": "manage",
            f"/dossier/{dossier_links.make_token(dossier)}": "dossier",
            f"/kennismakingsgesprek/kies/{lead_links.make_token(lead)}": "pick",
        }
        unsubscribe = mailing_links._unsubscribe_serializer().dumps([registration.email, None])
    for path, what in old.items():
        assert len(path) > 60, what
        assert client.get(path).status_code == 200, what
    assert client.get(f"/uitschrijven/{unsubscribe}").status_code == 200
