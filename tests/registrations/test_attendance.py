"""Check-in, attendance and completing a session: the services, without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.errors import DomainError
from app.extensions import db
from registrations import attendance, links, services, signals
from registrations.models import RegistrationSource, RegistrationStatus
from sessions import services as sessions
from sessions.models import InfoSession, SessionFormat
from tests.support.registrations import begin, fresh, mails_to, status_of

S = RegistrationStatus


@pytest.fixture
def attended_signals(app):
    received = []

    def receiver(registration, **_kw):
        received.append(registration.id)

    signals.registration_attended.register(app, receiver)
    return received


def seats(session) -> tuple[int, int]:
    db.session.rollback()
    s = db.session.get(InfoSession, session.id, populate_existing=True)
    return s.seats_taken, s.waitlist_count


def test_a_tick_makes_someone_attended_and_keeps_their_seat(make_session, make_registration, make_user):
    session = make_session(capacity=5)
    registration = make_registration(session, status="confirmed")
    presenter = make_user()
    begin(session)
    before = seats(session)

    attendance.check_in(registration, presenter)

    registration = fresh(registration)
    assert registration.status == S.ATTENDED
    assert registration.checked_in_at is not None and registration.checked_in_by_id == presenter.id
    assert seats(session) == before


def test_undo_puts_them_back_and_the_attended_signal_goes_once(
    make_session, make_registration, make_user, attended_signals
):
    session = make_session()
    registration = make_registration(session, status="confirmed")
    begin(session)
    presenter = make_user()

    attendance.check_in(registration, presenter)
    attendance.check_in(registration, presenter)  # a second tap changes nothing
    attendance.undo_check_in(registration)
    assert status_of(registration) == S.CONFIRMED
    assert fresh(registration).checked_in_at is None
    attendance.check_in(registration, presenter)

    assert status_of(registration) == S.ATTENDED
    assert attended_signals == [registration.id]


def test_check_in_opens_only_shortly_before_the_start(make_session, make_registration):
    session = make_session(days=3)
    registration = make_registration(session, status="confirmed")

    with pytest.raises(DomainError, match="pas vanaf"):
        attendance.check_in(registration, None)
    assert status_of(registration) == S.CONFIRMED

    attendance.check_in(registration, None, now=session.starts_at - timedelta(hours=1))
    assert status_of(registration) == S.ATTENDED


def test_someone_from_the_waiting_list_who_turns_up_takes_a_seat(make_session, make_registration):
    session = make_session(capacity=1)
    make_registration(session, status="confirmed")
    waiting = make_registration(session, status="waitlisted")
    begin(session)
    assert seats(session) == (1, 1)

    attendance.check_in(waiting, None)

    assert status_of(waiting) == S.ATTENDED
    assert seats(session) == (2, 0)


def test_a_cancelled_registration_cannot_be_ticked(make_session, make_registration):
    session = make_session()
    registration = make_registration(session, status="confirmed")
    services.cancel_registration(registration)
    begin(session)

    with pytest.raises(DomainError, match="geannuleerd"):
        attendance.check_in(registration, None)
    assert status_of(registration) == S.CANCELLED


def test_completing_a_session_makes_the_absent_no_shows(make_session, make_registration, attended_signals):
    session = make_session(capacity=3)
    came = make_registration(session, status="confirmed")
    absent = make_registration(session, status="confirmed")
    never_confirmed = make_registration(session, status="pending")
    waiting = make_registration(session, status="waitlisted")
    session = begin(session)
    attendance.check_in(came, None)
    assert seats(session) == (3, 1)

    sessions.complete_session(session)

    assert status_of(came) == S.ATTENDED
    assert status_of(absent) == S.NO_SHOW
    assert status_of(never_confirmed) == S.EXPIRED
    assert status_of(waiting) == S.WAITLISTED
    assert seats(session) == (2, 1)  # the no-show keeps the seat they booked; the lapsed hold does not
    assert attended_signals == [came.id]


def test_after_completion_a_late_tick_and_its_undo_correct_a_no_show(make_session, make_registration):
    session = make_session()
    registration = make_registration(session, status="confirmed")
    sessions.complete_session(begin(session))
    assert status_of(registration) == S.NO_SHOW

    attendance.check_in(registration, None)
    assert status_of(registration) == S.ATTENDED
    attendance.undo_check_in(registration)
    assert status_of(registration) == S.NO_SHOW


def test_a_walk_in_is_registered_the_normal_way_and_checked_in(make_session, make_user, registration_data):
    session = begin(make_session(capacity=5))

    outcome = attendance.register_walk_in(session.id, registration_data("binnen@example.com"), make_user())

    registration = fresh(outcome.registration)
    assert registration.source == RegistrationSource.WALK_IN
    assert registration.status == S.ATTENDED
    assert [m.kind for m in mails_to("binnen@example.com")] == ["registration.confirmed"]


def test_a_walk_in_in_a_full_session_needs_the_presenters_explicit_choice(
    make_session, make_registration, registration_data
):
    session = make_session(capacity=1)
    make_registration(session, status="confirmed")
    session = begin(session)

    waiting = attendance.register_walk_in(session.id, registration_data("a@example.com"), None)
    assert status_of(waiting.registration) == S.WAITLISTED

    seated = attendance.register_walk_in(
        session.id, registration_data("b@example.com"), None, over_capacity=True
    )
    assert status_of(seated.registration) == S.ATTENDED
    assert seats(session) == (2, 1)


def test_marking_an_online_sessions_attendance_by_hand(make_session, make_registration):
    session = make_session(format=SessionFormat.ONLINE)
    people = [make_registration(session, status="confirmed") for _ in range(3)]
    session = begin(session)

    changed = attendance.mark_attendance(session.id, [people[0].id, people[2].id], None)

    assert changed == 2
    assert [status_of(p) for p in people] == [S.ATTENDED, S.CONFIRMED, S.ATTENDED]


def test_the_attendee_import_matches_despite_case_and_accents(make_session, make_registration):
    session = make_session(format=SessionFormat.ONLINE)
    chloe = make_registration(
        session, "chloe.dubois@example.com", "confirmed", first_name="Chloé", last_name="Dubois"
    )
    ayse = make_registration(session, "ayse@example.com", "confirmed", first_name="Ayşe", last_name="Yılmaz")
    els = make_registration(
        session, "els@example.com", "confirmed", first_name="Els", last_name="Van den Broeck"
    )
    absent = make_registration(session, "weg@example.com", "confirmed", first_name="Tom", last_name="Maes")
    begin(session)
    # A Teams export as Excel saves it on Windows: semicolons, Windows-1252.
    csv_text = (
        "Volledige naam;E-mailadres;Deelnameduur\r\n"
        "CHLOE DUBOIS;Chloe.Dubois@Example.COM;1u 55m\r\n"
        "Ayşe Yılmaz;ayse@example.com;2u\r\n"
        "els van den broeck;els.vandenbroeck@werk.example;1u 30m\r\n"
        "Chloé Dubois;chloe.dubois@example.com;0u 05m\r\n"
        "Onbekende Gast;gast@example.com;1u\r\n"
    )

    report = attendance.import_attendees(session.id, csv_text.encode("utf-8-sig"))

    assert {r.id for r in report.marked} == {chloe.id, ayse.id, els.id}
    assert [r.id for r in report.by_name] == [els.id]  # another address, same name (accents, case)
    assert report.unmatched == ["Onbekende Gast, gast@example.com"]
    assert [status_of(r) for r in (chloe, ayse, els, absent)] == [
        S.ATTENDED,
        S.ATTENDED,
        S.ATTENDED,
        S.CONFIRMED,
    ]


def test_the_import_reads_windows_1252_and_commas(make_session, make_registration):
    session = make_session(format=SessionFormat.ONLINE)
    chloe = make_registration(
        session, "chloe@example.com", "confirmed", first_name="Chloé", last_name="Dubois"
    )
    begin(session)
    data = "Name,Email\r\nChloé Dubois,CHLOE@example.com\r\n".encode("cp1252")

    report = attendance.import_attendees(session.id, data)

    assert [r.id for r in report.marked] == [chloe.id]


def test_an_import_without_name_or_email_columns_is_refused(make_session):
    session = begin(make_session(format=SessionFormat.ONLINE))
    with pytest.raises(DomainError, match="kolom"):
        attendance.import_attendees(session.id, b"a;b\r\n1;2\r\n")


def test_the_confirmation_mail_carries_the_check_in_qr_code(app, make_session, make_registration):
    session = make_session()
    registration = make_registration(session, "qr@example.com", "confirmed")
    mail = mails_to("qr@example.com", "confirmed")[0]

    urls = [part.split('"')[0] for part in mail.html_body.split('src="')[1:]]
    assert (
        len(urls) == 1
        and urls[0].startswith("http://localhost/aanwezigheid/")
        and urls[0].endswith("/qr.png")
    )
    token = urls[0].split("/")[-2]
    assert attendance.by_checkin_token(token).id == registration.id
    assert "QR-code" in mail.text_body


def test_someone_promoted_from_the_waiting_list_also_gets_a_qr_code(make_session, make_registration):
    session = make_session(capacity=1)
    first = make_registration(session, "eerst@example.com", "confirmed")
    second = make_registration(session, "tweede@example.com", "waitlisted")
    services.cancel_registration(first)

    [promoted] = mails_to("tweede@example.com", "promoted")
    assert links.qr_image_url(fresh(second)) in promoted.html_body
    assert links.qr_image_url(fresh(second)) not in mails_to("tweede@example.com", "waitlisted")[0].html_body


def test_the_qr_code_stops_working_a_month_after_the_session(make_session, make_registration):
    from app.errors import NotFound

    session = make_session()
    registration = make_registration(session, status="confirmed")
    token = links.checkin_token(registration)

    assert attendance.by_checkin_token(token, now=session.ends_at + timedelta(days=29)).id == registration.id
    with pytest.raises(NotFound):
        attendance.by_checkin_token(token, now=session.ends_at + timedelta(days=31))
