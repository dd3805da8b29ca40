"""The registration mails rendered before the session's lock (to keep the lock short) are the
mails the person would have had anyway, and a change made in between is never lost."""

from __future__ import annotations

import re

from sqlalchemy import update

from app.extensions import db
from app.timezone import local
from registrations import mails, services
from sessions import services as sessions
from sessions.models import InfoSession, Venue
from tests.support.registrations import fresh, the_mail

# A signed link carries the second it was signed: two renders a second apart differ there only.
SIGNED = re.compile(r"/inschrijving/[A-Za-z0-9_.\-]+")


def same(text: str | None) -> str | None:
    return SIGNED.sub("/inschrijving/…", text) if text else text


def assert_same_mail(stored, expected) -> None:
    assert stored.subject == expected.subject
    assert same(stored.text_body) == same(expected.text)
    assert same(stored.html_body) == same(expected.html)
    assert stored.ics_method == expected.ics_method


def test_the_early_confirm_link_mail_is_the_one_rendered_under_the_lock(make_session, registration_data):
    session = make_session(capacity=10)
    registration = fresh(services.register(session.id, registration_data("an@example.com")).registration)
    expected = mails.compose("confirm_link", registration, "")
    assert_same_mail(the_mail("an@example.com", "confirm_link"), expected)


def test_the_early_waiting_list_mail_is_the_one_rendered_under_the_lock(make_session, registration_data):
    session = make_session(capacity=1)
    services.register(session.id, registration_data("eerste@example.com"))
    outcome = services.register(session.id, registration_data("an@example.com"))
    assert outcome.result == "waitlisted"
    expected = mails.compose("confirm_waitlist", fresh(outcome.registration), "")
    assert_same_mail(the_mail("an@example.com", "confirm_waitlist"), expected)


def test_a_seat_freed_between_early_mail_and_lock_gives_the_seat_and_its_mail(
    monkeypatch, make_session, registration_data
):
    """The early mail foresaw the waiting list; the seat that came free meanwhile is what counts."""
    session = make_session(capacity=1)
    first = services.register(session.id, registration_data("eerste@example.com")).registration
    change_before_the_lock(
        monkeypatch, update(InfoSession).where(InfoSession.id == session.id).values(capacity=2)
    )
    outcome = services.register(session.id, registration_data("an@example.com"))
    assert outcome.result == "held" and first.id != outcome.registration.id
    assert "wachtlijst" not in the_mail("an@example.com", "confirm_link").text_body


def test_the_early_confirmation_is_the_one_rendered_under_the_lock(make_registration):
    registration = make_registration(email="an@example.com")
    services.confirm_registration(registration)
    expected = mails.compose("confirmed", fresh(registration), "")
    stored = the_mail("an@example.com", "confirmed")
    assert_same_mail(stored, expected)
    assert stored.ics is not None


def change_before_the_lock(monkeypatch, statement) -> None:
    """Run `statement` after the early mail was rendered and before the session is locked, as
    an expert's edit that lands in between would."""
    lock = sessions.lock_session

    def edited_then_locked(session_id):
        with db.engine.begin() as other:  # the other request's edit, committed
            other.execute(statement)
        return lock(session_id)  # reads the session afresh, under its lock

    monkeypatch.setattr(services.sessions, "lock_session", edited_then_locked)


def test_a_new_title_between_early_mail_and_lock_is_in_the_mail(monkeypatch, make_session, registration_data):
    session = make_session(capacity=10, title="Oude titel")
    change_before_the_lock(
        monkeypatch, update(InfoSession).where(InfoSession.id == session.id).values(title="Nieuw")
    )
    services.register(session.id, registration_data("an@example.com"))
    mail = the_mail("an@example.com", "confirm_link")
    assert "Nieuw" in mail.subject and "Oude titel" not in mail.text_body


def test_a_moved_session_between_early_mail_and_lock_sends_the_new_time(monkeypatch, make_registration):
    registration = make_registration(email="an@example.com")
    session = registration.session
    later = session.starts_at.replace(hour=session.starts_at.hour - 1)
    statement = update(InfoSession).where(InfoSession.id == session.id).values(starts_at=later)
    change_before_the_lock(monkeypatch, statement)
    services.confirm_registration(registration)
    assert f"{local(later):%H:%M}" in the_mail("an@example.com", "confirmed").text_body


def test_a_renamed_venue_between_early_mail_and_lock_is_in_the_mail(
    monkeypatch, make_registration, make_venue
):
    registration = make_registration(email="an@example.com")
    venue_id = registration.session.venue_id
    assert venue_id is not None
    change_before_the_lock(monkeypatch, update(Venue).where(Venue.id == venue_id).values(name="Zaal Nieuw"))
    services.confirm_registration(registration)
    assert "Zaal Nieuw" in the_mail("an@example.com", "confirmed").text_body
