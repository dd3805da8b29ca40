"""Moving yourself to another date, in a real browser on a 360 px phone, with real mail: open the
manage page from the confirmation mail's link, choose another date, confirm, and see it done;
then the mails: the new invitation (the new session's UID) and the old one cancelled (its UID).
axe-core checks every page on the way; nothing sticks out sideways."""

from __future__ import annotations

import re
from email.message import EmailMessage

from icalendar import Calendar
from playwright.sync_api import expect

from app.extensions import db
from app.i18n import long_datetime
from app.outbox.services import deliver_due
from tests.support.axe import AxeAudit
from tests.support.browser import fits


def deliver(app, smtp_server, seen: int) -> list[EmailMessage]:
    """Run the outbox once, as `flask mail send` would; the messages it brought."""
    app.config["SMTP_URL"] = smtp_server.url
    db.session.commit()  # end the test's read transaction: the live server wrote since
    report = deliver_due()
    assert (report.failed, report.retrying, report.error) == (0, 0, None), report
    return [received.message for received in smtp_server.messages[seen:]]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def subject_of(message: EmailMessage) -> str:
    return " ".join(str(message["Subject"]).split())


def invitation(message: EmailMessage, method: str):
    (attachment,) = [part for part in message.iter_attachments() if part.get_filename() == "invite.ics"]
    assert attachment.get_param("method") == method
    calendar = Calendar.from_ical(attachment.get_content())
    assert calendar["METHOD"] == method
    (event,) = calendar.walk("VEVENT")
    return event


def test_move_myself_to_another_date_on_a_phone(
    app, live_server, phone_page, smtp_server, make_session, make_topic, make_registration
):
    audit = AxeAudit()
    topic = make_topic("Starten als gezinsopvang")
    here = make_session(topic=topic, capacity=5, days=10)
    later = make_session(topic=topic, capacity=5, days=17)
    full = make_session(topic=topic, capacity=1, days=24)
    make_registration(full, "vol@example.com", status="confirmed")
    make_registration(here, "sara@example.com", status="confirmed", first_name="Sara")
    here_uid, later_uid, later_id = here.uid, later.uid, later.id
    later_when = long_datetime(later.starts_at)

    mails = deliver(app, smtp_server, 0)
    (confirmed,) = [m for m in mails if m["To"] == "sara@example.com" and "Ingeschreven" in subject_of(m)]
    assert str(invitation(confirmed, "REQUEST")["UID"]) == f"{here_uid}@startklaar"
    manage = re.search(rf"{re.escape(live_server)}/inschrijving/[A-Za-z0-9_.-]+(?=\s)", text_of(confirmed))
    seen = len(smtp_server.messages)

    sara = phone_page
    sara.set_viewport_size({"width": 360, "height": 780})
    sara.goto(manage.group(0))
    expect(sara.get_by_role("heading", level=1)).to_have_text("Je inschrijving")
    choices = sara.get_by_role("group", name="Kies een andere datum")
    expect(choices.get_by_role("radio")).to_have_count(2)
    expect(choices).to_contain_text("volzet: je komt op de wachtlijst")
    fits(sara)
    audit.check(sara, "the manage page with the other dates (360 px)")

    choices.get_by_role("radio", name=re.compile(re.escape(later_when))).check()
    sara.get_by_role("button", name="Verder").click()
    expect(sara.get_by_role("heading", level=1)).to_have_text(f"Verplaatsen naar {later_when}?")
    expect(sara.get_by_role("main")).to_contain_text("Er is een plaats voor je op de nieuwe datum.")
    fits(sara)
    audit.check(sara, "the move confirm page (360 px)")

    sara.get_by_role("button", name="Ja, verplaats mijn inschrijving").click()
    sara.wait_for_url(re.compile(r"/inschrijving/[^/#?]+$"))
    expect(sara.get_by_role("status")).to_contain_text("Je inschrijving is verplaatst.")
    expect(sara.locator(".summary-list .status")).to_have_text("ingeschreven")
    expect(sara.get_by_role("main")).to_contain_text(later_when)
    fits(sara)
    audit.check(sara, "the manage page after the move (360 px)")
    audit.assert_clean()

    moved = [m for m in deliver(app, smtp_server, seen) if m["To"] == "sara@example.com"]
    assert len(moved) == 2, [subject_of(m) for m in moved]
    new, old = sorted(moved, key=lambda m: "Niet meer" in subject_of(m))
    assert subject_of(new).startswith("Je inschrijving is verplaatst")
    request = invitation(new, "REQUEST")
    assert str(request["UID"]) == f"{later_uid}@startklaar"
    assert f"/sessies/{later_id}" in text_of(new)
    assert subject_of(old).startswith("Niet meer op deze datum")
    cancel = invitation(old, "CANCEL")
    assert str(cancel["UID"]) == f"{here_uid}@startklaar" and str(cancel["STATUS"]) == "CANCELLED"
