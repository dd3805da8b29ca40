"""Registration mails are rendered by the outbox's worker, not in the request: the change writes an
intent, and what the person reads is decided when the mail goes out.

What is right then: the session as it is at that moment (a new time, title or venue name is in
the mail and its invitation), the change as it was (the seat held until the time given then, the
status an "already" mail was written for), and nothing at all for a registration that was erased,
anonymised or moved meanwhile — the mail of the later change says what is true.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flask import template_rendered
from sqlalchemy import select, update

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.i18n import long_datetime
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.services import deliver_all_due
from app.timezone import local
from registrations import privacy, services
from sessions import services as sessions
from sessions.models import InfoSession, Venue
from tests.support.registrations import calendar_of, fresh, kinds_to, mails_to, the_mail


def intents_to(address: str) -> list[OutboxMessage]:
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == address)
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def reschedule(session: InfoSession, **changes) -> None:
    data = replace(sessions.session_data_from(session), allow_holiday=True, **changes)
    sessions.update_session(session, data)


def templates_rendered_during(app, action) -> list[str]:
    names = []

    def record(_sender, template, context, **_kw):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        action()
    finally:
        template_rendered.disconnect(record, app)
    return names


# --------------------------------------------------------------------------- the request


def test_registering_and_confirming_render_no_mail_and_leave_an_intent(app, make_session, registration_data):
    session = make_session(capacity=10)
    outcome = {}

    def register():
        outcome["held"] = services.register(session.id, registration_data("an@example.com"))

    assert templates_rendered_during(app, register) == []
    (intent,) = intents_to("an@example.com")
    registration = fresh(outcome["held"].registration)
    assert (intent.kind, intent.ids, intent.locale) == (
        "registration.confirm_link",
        {"registration": registration.id},
        "nl",
    )
    assert intent.snapshot["status"] == "pending"
    assert intent.snapshot["hold_expires_at"] == registration.hold_expires_at.isoformat()
    assert registration.token not in str(intent.snapshot)  # the links are made when rendered
    assert (intent.rendered_at, intent.subject, intent.text_body, intent.status) == (
        None,
        None,
        None,
        MailStatus.QUEUED,
    )

    assert templates_rendered_during(app, lambda: services.confirm_registration(registration)) == []
    assert [m.kind for m in intents_to("an@example.com")] == [
        "registration.confirm_link",
        "registration.confirmed",
    ]


def test_the_registration_page_renders_the_page_and_no_mail(
    app, client, make_session, registration_form_data
):
    session = make_session(capacity=10)
    names = templates_rendered_during(
        app,
        lambda: client.post(
            f"/sessies/{session.id}/inschrijven", data=registration_form_data(), follow_redirects=True
        ),
    )
    assert names, "the page itself is rendered"
    assert not [name for name in names if "/mail" in name], names
    assert kinds_to("an.peeters@example.com") == ["confirm_link"]


# --------------------------------------------------------------------------- what the mail says


def test_a_confirmation_rendered_after_a_reschedule_shows_the_new_time(make_registration):
    registration = make_registration(email="an@example.com", status="confirmed")
    session = registration.session
    old = session.starts_at
    later = old + timedelta(hours=1)
    reschedule(session, starts_at=later, ends_at=later + timedelta(hours=2))

    confirmed = the_mail("an@example.com", "confirmed")
    assert f"{local(later):%H:%M}" in confirmed.text_body
    assert f"{local(old):%H:%M}" not in confirmed.text_body
    assert long_datetime(later) in confirmed.subject
    method, event = calendar_of(confirmed)
    assert method == "REQUEST"
    assert event.decoded("dtstart") == later
    assert int(event["SEQUENCE"]) == fresh(registration).session.sequence
    # The update goes too, and says the same.
    assert f"{local(later):%H:%M}" in the_mail("an@example.com", "updated").text_body


def test_a_new_title_before_the_mail_goes_out_is_in_the_mail(make_session, registration_data):
    session = make_session(capacity=10, title="Oude titel")
    services.register(session.id, registration_data("an@example.com"))
    db.session.execute(update(InfoSession).where(InfoSession.id == session.id).values(title="Nieuw"))
    db.session.commit()
    mail = the_mail("an@example.com", "confirm_link")
    assert "Nieuw" in mail.subject and "Oude titel" not in mail.subject
    assert "Oude titel" not in mail.text_body


def test_a_renamed_venue_before_the_mail_goes_out_is_in_the_mail(make_registration):
    registration = make_registration(email="an@example.com", status="confirmed")
    venue_id = registration.session.venue_id
    assert venue_id is not None
    db.session.execute(update(Venue).where(Venue.id == venue_id).values(name="Zaal Nieuw"))
    db.session.commit()
    assert "Zaal Nieuw" in the_mail("an@example.com", "confirmed").text_body


def test_the_confirm_link_mail_keeps_the_hold_it_was_written_for(app, make_session, registration_data):
    """Confirmed before the mail went out: the mail still says until when the seat was held."""
    session = make_session(capacity=10)
    now = utcnow()
    outcome = services.register(session.id, registration_data("an@example.com"), now=now)
    services.confirm_registration(outcome.registration)
    assert fresh(outcome.registration).hold_expires_at is None
    held_until = now + timedelta(hours=app.config["CONFIRMATION_HOLD_HOURS"])
    assert long_datetime(held_until) in the_mail("an@example.com", "confirm_link").text_body


def test_an_already_mail_says_the_status_it_was_written_for(make_session, registration_data):
    session = make_session(capacity=10)
    first = services.register(session.id, registration_data("an@example.com")).registration
    assert services.register(session.id, registration_data("an@example.com")).result == "already"
    services.confirm_registration(first)
    already = the_mail("an@example.com", "already")
    # Written for a pending registration: it says so, and asks to confirm.
    assert "(status: wacht op bevestiging)" in already.text_body
    assert "/bevestigen" in already.text_body


def test_the_session_cancelled_mail_offers_the_dates_there_are_when_it_goes_out(
    make_session, make_registration
):
    registration = make_registration(email="an@example.com", status="confirmed")
    session = registration.session
    sessions.cancel_session(session, "De zaal is onder water gelopen.")
    replacement = make_session(topic=session.topic, days=20)  # published after the cancellation
    mail = the_mail("an@example.com", "session_cancelled")
    assert "Reden: De zaal is onder water gelopen." in mail.text_body
    assert f"/sessies/{replacement.id}" in mail.text_body
    assert calendar_of(mail)[0] == "CANCEL"


def test_the_mail_speaks_the_language_of_the_session(make_session, registration_data):
    session = make_session(capacity=10, language="en")
    services.register(session.id, registration_data("an@example.com"))
    (intent,) = intents_to("an@example.com")
    assert intent.locale == "en"
    mail = the_mail("an@example.com", "confirm_link")
    assert mail.subject == f"Please confirm your registration: {session.display_title}"
    assert mail.text_body.startswith("Hello An,")


# --------------------------------------------------------------------------- nothing to say


def test_a_registration_erased_before_its_mail_is_rendered_sends_nothing(app, make_registration, smtp_server):
    erased = make_registration(email="an@example.com", status="confirmed")
    kept = make_registration(session=erased.session, email="els@example.com", status="confirmed")
    privacy.erase_personal_data(fresh(erased))

    app.config["SMTP_URL"] = smtp_server.url
    report = deliver_all_due()
    assert report.failed == 0 and report.retrying == 0
    received = smtp_server.wait_for(report.sent)
    assert "an@example.com" not in {to for m in received for to in m.recipients}
    assert sorted(kinds_to("els@example.com")) == ["confirm_link", "confirmed"]
    assert kept.id != erased.id
    assert intents_to("an@example.com") == []  # forgotten, as the person asked


def test_a_registration_anonymised_before_its_mail_is_rendered_is_closed_unsent(
    app, client, login, make_registration, smtp_server
):
    registration = make_registration(email="an@example.com", status="confirmed")
    # The retention purge runs long after the session, while its mails still wait (no server).
    privacy.purge(now=registration.session.ends_at + timedelta(days=800))
    assert fresh(registration).anonymised_at is not None

    app.config["SMTP_URL"] = smtp_server.url
    report = deliver_all_due()
    assert (report.sent, report.dropped) == (0, 2)
    assert smtp_server.messages == []
    for mail in intents_to("an@example.com"):
        assert mail.status is MailStatus.DROPPED and mail.subject is None
        assert "de inschrijving werd gewist" in mail.last_error

    login(Role.ADMIN)
    page = client.get("/beheer/outbox/?status=dropped").get_data(as_text=True)
    assert "Bevestiging van inschrijving" in page and "niet verstuurd" in page


def test_a_registration_moved_before_its_confirmation_goes_out_gets_only_the_moved_mail(
    make_session, make_registration
):
    registration = make_registration(email="an@example.com", status="confirmed")
    target = make_session(days=30)
    services.move_registration(fresh(registration), target.id)
    mails = {m.kind.removeprefix("registration."): m for m in mails_to("an@example.com")}
    assert mails["confirm_link"].status is MailStatus.DROPPED
    assert mails["confirmed"].status is MailStatus.DROPPED
    moved = mails["moved"]
    assert moved.status is MailStatus.QUEUED and moved.rendered_at is not None
    assert long_datetime(target.starts_at) in moved.text_body
    assert calendar_of(moved)[1].decoded("dtstart") == target.starts_at


def test_a_reminder_for_someone_who_cancelled_before_it_went_out_is_not_sent(make_session, registration_data):
    session = make_session(days=1, hour=19)  # tomorrow evening: the two-day reminder is due
    long_ago = utcnow() - timedelta(days=3)
    staying = services.register(session.id, registration_data("blijft@example.com"), now=long_ago)
    leaving = services.register(session.id, registration_data("weg@example.com"), now=long_ago)
    for outcome in (staying, leaving):
        services.confirm_registration(outcome.registration, now=long_ago)
    assert services.send_reminders() == 2
    services.cancel_registration(fresh(leaving.registration))

    (gone,) = mails_to("weg@example.com", "reminder")
    assert gone.status is MailStatus.DROPPED and "geannuleerd" in gone.last_error
    (kept,) = mails_to("blijft@example.com", "reminder")
    assert kept.status is MailStatus.QUEUED and "herinnering" in kept.text_body.lower()
