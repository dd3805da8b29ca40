"""The registration journey from the issue, in a real browser on a phone-sized screen, with real
mail: two people register for a session with one seat; the first gets the seat, the second the
waiting list. Each confirms through the link in the mail that the outbox delivered to an SMTP
server on loopback. The first cancels; the second is promoted and mailed an invitation.
axe-core checks the form, its error state and every page on the way against WCAG 2.1 A/AA.

No sleeps: the browser waits through Playwright, and the mail is delivered by calling the outbox's
`deliver_due` in the test process (the live server shares the test's database); it returns once
the SMTP server has accepted every message, so what arrived can be read at once.
"""

from __future__ import annotations

import re
from email.message import EmailMessage

from icalendar import Calendar
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.outbox.services import deliver_due
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession
from tests.support.axe import AxeAudit
from tests.support.browser import PHONE

# The SMTP server fixture (tests/smtp.py), as tests/core/test_mail_delivery.py takes it.

PRIVACY = re.compile(r"^Ik heb de privacyverklaring gelezen")
GEZINSOPVANG = "Gezinsopvang (tot 8 kinderen)"


class Mailbox:
    """What the test SMTP server received, read one delivery at a time."""

    def __init__(self, app, server) -> None:
        self.app, self.server, self.seen = app, server, 0

    def deliver(self, expected: int) -> list[EmailMessage]:
        """Run the outbox once, as `flask mail send` would, and return the messages it brought."""
        self.app.config["SMTP_URL"] = self.server.url
        db.session.commit()  # end the test's read transaction: the live server wrote since
        report = deliver_due()
        assert (report.sent, report.failed, report.retrying, report.error) == (expected, 0, 0, None), report
        arrived = self.server.messages[self.seen :]
        self.seen = len(self.server.messages)
        assert len(arrived) == expected, [r.recipients for r in arrived]
        return [received.message for received in arrived]


def only_mail_to(messages: list[EmailMessage], address: str) -> EmailMessage:
    found = [m for m in messages if m["To"] == address]
    assert len(found) == 1, f"expected one mail to {address}, got {[subject_of(m) for m in found]}"
    return found[0]


def subject_of(message: EmailMessage) -> str:
    # Python's folder may break a long Subject right after the colon ("Subject:\r\n Ingeschreven…"):
    # legal folding, but the stdlib's parser then keeps the leading space that mail clients drop.
    return " ".join(str(message["Subject"]).split())


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message: EmailMessage, base_url: str, pattern: str) -> str:
    """The one link in the mail's text whose path matches `pattern`; it must point at the live app."""
    links = re.findall(rf"{re.escape(base_url)}{pattern}", text_of(message))
    assert len(links) == 1, f"expected one {pattern} link in:\n{text_of(message)}"
    return links[0]


def confirm_link(message: EmailMessage, base_url: str) -> str:
    return link_in(message, base_url, r"/inschrijving/[A-Za-z0-9_.-]+/bevestigen")


def manage_link(message: EmailMessage, base_url: str) -> str:
    return link_in(message, base_url, r"/inschrijving/[A-Za-z0-9_.-]+(?=\s)")


def invitation(message: EmailMessage, method: str):
    """The calendar item attached as invite.ics (and sent as text/calendar alternative): its VEVENT."""
    (attachment,) = [part for part in message.iter_attachments() if part.get_filename() == "invite.ics"]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == method
    calendar = Calendar.from_ical(attachment.get_content())
    assert calendar["METHOD"] == method
    (event,) = calendar.walk("VEVENT")
    return event


def no_invitation(message: EmailMessage) -> None:
    assert not [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]


def assert_fits_the_phone(page) -> None:
    """Nothing sticks out sideways: no horizontal scrolling on a 390 px wide screen."""
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def fill_registration(page, first: str, last: str, email: str, *, consent: bool = True) -> None:
    page.get_by_label("Voornaam", exact=True).fill(first)
    page.get_by_label("Achternaam", exact=True).fill(last)
    page.get_by_label("E-mailadres", exact=True).fill(email)
    page.get_by_label("Postcode van de geplande opvanglocatie", exact=True).fill("9000")
    page.get_by_role("group", name="Welke opvang plan je?").get_by_role("radio", name=GEZINSOPVANG).check()
    if consent:
        page.get_by_role("checkbox", name=PRIVACY).check()


def test_register_confirm_cancel_on_a_phone_and_the_waiting_list_moves_up_by_mail(
    app, browser, live_server, phone_page, smtp_server, make_session
):
    audit = AxeAudit()
    mailbox = Mailbox(app, smtp_server)
    session = make_session(capacity=1, days=10)
    session_id, title, starts_at = session.id, session.display_title, session.starts_at
    db.session.commit()

    # ---- Person A, on a phone: the form, its error state, then a seat.
    sara = phone_page
    sara.goto(f"/sessies/{session_id}")
    expect(sara.get_by_role("heading", level=1)).to_have_text(title)
    form = sara.locator("section#inschrijven")
    expect(form.get_by_role("heading", level=2)).to_have_text("Inschrijven")
    expect(form.get_by_role("button", name="Inschrijven")).to_be_visible()
    assert_fits_the_phone(sara)
    audit.check(sara, "the session page with the registration form (phone)")

    # First try: no e-mail address and no consent. The server answers with the errors.
    fill_registration(sara, "Sara", "Claes", "", consent=False)
    form.get_by_role("button", name="Inschrijven").click()
    summary = sara.get_by_role("alert").filter(
        has=sara.get_by_role("heading", name="Controleer het formulier")
    )
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Vul je e-mailadres in.")
    expect(summary).to_contain_text("Je moet de privacyverklaring aanvaarden om in te schrijven.")
    email_input = sara.get_by_label("E-mailadres", exact=True)
    expect(email_input).to_have_attribute("aria-invalid", "true")
    expect(email_input).to_have_accessible_description(re.compile("Vul je e-mailadres in."))
    consent = sara.get_by_role("checkbox", name=PRIVACY)
    expect(consent).to_have_attribute("aria-invalid", "true")
    expect(consent).to_have_accessible_description(re.compile("privacyverklaring aanvaarden"))
    # What was typed is kept, so only the mistakes need fixing.
    expect(sara.get_by_label("Voornaam", exact=True)).to_have_value("Sara")
    expect(sara.get_by_label("Postcode van de geplande opvanglocatie", exact=True)).to_have_value("9000")
    assert_fits_the_phone(sara)
    audit.check(sara, "the registration form with errors (phone)")

    sara.get_by_label("E-mailadres", exact=True).fill("sara.claes@example.com")
    consent.check()
    sara.get_by_role("button", name="Inschrijven").click()
    sara.wait_for_url(re.compile(rf"/sessies/{session_id}/ingeschreven(#.*)?$"))
    expect(sara.get_by_role("heading", level=1)).to_have_text("Bijna klaar: kijk in je mailbox")
    audit.check(sara, "the check-your-mail page (phone)")

    # ---- Person B, on another phone: the only seat is held, so the form offers the waiting list.
    context_b = browser.new_context(
        base_url=live_server, locale="nl-BE", timezone_id="Europe/Brussels", **PHONE
    )
    try:
        jonas = context_b.new_page()
        jonas.goto(f"/sessies/{session_id}")
        form_b = jonas.locator("section#inschrijven")
        expect(form_b.get_by_role("heading", level=2)).to_have_text("Op de wachtlijst")
        expect(form_b).to_contain_text("Deze sessie is volzet. Schrijf je in op de wachtlijst")
        expect(jonas.get_by_role("main")).to_contain_text("volzet — wachtlijst")
        audit.check(jonas, "the session page with the waiting-list form (phone)")
        fill_registration(jonas, "Jonas", "Maes", "jonas.maes@example.be")
        form_b.get_by_role("button", name="Zet me op de wachtlijst").click()
        jonas.wait_for_url(re.compile(rf"/sessies/{session_id}/ingeschreven(#.*)?$"))
        expect(jonas.get_by_role("heading", level=1)).to_have_text("Bijna klaar: kijk in je mailbox")

        # ---- The outbox delivers: each gets a link to confirm; nobody an invitation yet.
        first = mailbox.deliver(2)
        to_sara = only_mail_to(first, "sara.claes@example.com")
        to_jonas = only_mail_to(first, "jonas.maes@example.be")
        assert subject_of(to_sara) == f"Bevestig je inschrijving: {title}"
        assert subject_of(to_jonas) == f"Bevestig je plaats op de wachtlijst: {title}"
        no_invitation(to_sara)
        no_invitation(to_jonas)

        # A follows the link from the mail and confirms with the button.
        sara.goto(confirm_link(to_sara, live_server))
        expect(sara.get_by_role("heading", level=1)).to_have_text("Inschrijving bevestigen")
        audit.check(sara, "the confirm page (phone)")
        sara.get_by_role("button", name="Bevestigen").click()
        sara.wait_for_url(re.compile(r"/inschrijving/[^/]+/bevestigd$"))
        expect(sara.get_by_role("heading", level=1)).to_have_text("Je bent ingeschreven")
        expect(sara.locator(".summary-list .status")).to_have_text("ingeschreven")
        expect(sara.get_by_role("link", name="Google Agenda")).to_be_visible()
        audit.check(sara, "the confirmation page (phone)")

        # B confirms their place on the waiting list the same way.
        jonas.goto(confirm_link(to_jonas, live_server))
        expect(jonas.get_by_role("main")).to_contain_text("bevestig je plaats op de wachtlijst")
        jonas.get_by_role("button", name="Bevestigen").click()
        jonas.wait_for_url(re.compile(r"/inschrijving/[^/]+/bevestigd$"))
        expect(jonas.get_by_role("heading", level=1)).to_have_text("Je staat op de wachtlijst")
        expect(jonas.get_by_role("main")).to_contain_text("Je staat als 1e op de wachtlijst.")
        audit.check(jonas, "the confirmation page, on the waiting list (phone)")
        jonas.get_by_role("link", name="Je inschrijving bekijken of annuleren").click()
        expect(jonas.get_by_role("link", name="Haal me van de wachtlijst")).to_be_visible()

        # A's confirmation carries the invitation; B's says they are on the waiting list.
        second = mailbox.deliver(2)
        confirmed = only_mail_to(second, "sara.claes@example.com")
        assert subject_of(confirmed).startswith(f"Ingeschreven: {title} op ")
        request = invitation(confirmed, "REQUEST")
        assert request["DTSTART"].dt == starts_at
        assert request["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert "sara.claes@example.com" in str(request["ATTENDEE"])
        uid = str(request["UID"])
        waitlisted = only_mail_to(second, "jonas.maes@example.be")
        assert subject_of(waitlisted) == f"Je staat op de wachtlijst: {title}"
        no_invitation(waitlisted)

        # ---- A cancels from the link in the mail.
        sara.goto(manage_link(confirmed, live_server))
        expect(sara.locator(".summary-list .status")).to_have_text("ingeschreven")
        sara.get_by_role("link", name="Annuleer mijn inschrijving").click()
        expect(sara.get_by_role("heading", level=1)).to_have_text("Je inschrijving annuleren?")
        audit.check(sara, "the cancel confirmation (phone)")
        sara.get_by_role("button", name="Ja, annuleer mijn inschrijving").click()
        expect(sara.get_by_role("heading", level=1)).to_have_text("Je inschrijving is geannuleerd")
        expect(sara.get_by_role("link", name="Toch komen? Schrijf je opnieuw in.")).to_be_visible()
        audit.check(sara, "cancelled (phone)")
        sara.goto(manage_link(confirmed, live_server))
        expect(sara.locator(".summary-list .status")).to_have_text("geannuleerd")
        expect(sara.get_by_role("link", name="Annuleer mijn inschrijving")).to_have_count(0)

        # A's calendar item is withdrawn; B gets the free seat and an invitation for it.
        third = mailbox.deliver(2)
        cancelled = only_mail_to(third, "sara.claes@example.com")
        assert subject_of(cancelled) == f"Je inschrijving is geannuleerd: {title}"
        withdrawn = invitation(cancelled, "CANCEL")
        assert str(withdrawn["UID"]) == uid
        assert str(withdrawn["STATUS"]) == "CANCELLED"
        promoted = only_mail_to(third, "jonas.maes@example.be")
        assert subject_of(promoted) == f"Er is een plaats vrij: je bent ingeschreven voor {title}"
        assert "er is een plaats vrijgekomen en die is voor jou" in text_of(promoted)
        offered = invitation(promoted, "REQUEST")
        assert str(offered["UID"]) == uid
        assert "jonas.maes@example.be" in str(offered["ATTENDEE"])

        jonas.goto(manage_link(promoted, live_server))
        expect(jonas.locator(".summary-list .status")).to_have_text("ingeschreven")
        expect(jonas.get_by_role("link", name="Annuleer mijn inschrijving")).to_be_visible()
        audit.check(jonas, "the manage page after promotion (phone)")

        # Nothing else is waiting to go out, and the books add up: one seat, taken by B.
        assert mailbox.deliver(0) == []
        db.session.commit()
        seats = db.session.execute(
            select(InfoSession.seats_taken, InfoSession.waitlist_count).where(InfoSession.id == session_id)
        ).one()
        assert tuple(seats) == (1, 0)
        statuses = dict(
            db.session.execute(
                select(Registration.email, Registration.status).where(Registration.session_id == session_id)
            ).all()
        )
        assert statuses == {
            "sara.claes@example.com": RegistrationStatus.CANCELLED,
            "jonas.maes@example.be": RegistrationStatus.CONFIRMED,
        }
    finally:
        context_b.close()

    audit.assert_clean()


def test_without_javascript_the_browser_still_takes_a_screen_reader_to_the_form_errors(
    nojs_page, make_session
):
    session_id = make_session(capacity=5).id
    db.session.commit()
    nojs_page.goto(f"/sessies/{session_id}")
    fill_registration(nojs_page, "Sara", "Claes", "geen-adres", consent=False)
    nojs_page.get_by_role("button", name="Inschrijven").click()

    summary = nojs_page.get_by_role("alert").filter(
        has=nojs_page.get_by_role("heading", name="Controleer het formulier")
    )
    # The form posts to ...#fouten: the browser scrolls to the summary and focuses it by itself.
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Dit is geen geldig e-mailadres.")
    expect(summary.get_by_role("link", name=re.compile("^E-mailadres"))).to_have_attribute("href", "#email")
    expect(nojs_page.get_by_label("E-mailadres", exact=True)).to_have_accessible_description(
        re.compile("Dit is geen geldig e-mailadres.")
    )
