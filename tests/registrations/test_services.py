"""Registering, confirming, the waiting list, cancelling, reminders: the services on a real database.

Each test looks at what a person would notice: the status of their registration, the seats the
session page shows, and the mails (with their invitations) waiting in the outbox.
"""

from __future__ import annotations

import email
import socket
from dataclasses import replace
from datetime import time, timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import event

from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.outbox.services import deliver_due
from app.timezone import BRUSSELS, from_local, local
from registrations import services
from registrations.models import Registration, RegistrationSource, RegistrationStatus
from sessions import services as sessions
from sessions.models import InfoSession, SessionFormat
from tests.support.registrations import (
    calendar_of,
    count_mails,
    count_registrations,
    fresh,
    kinds_to,
    links_in,
    mails_to,
    rendered,
    status_of,
    the_mail,
)

S = RegistrationStatus
MEETING = "https://meet.example.com/abc-defg-hij"


def seats(session) -> tuple[int, int]:
    """(seats taken, waiting list length) as the database has them."""
    db.session.rollback()
    stored = db.session.get(InfoSession, session.id, populate_existing=True)
    return stored.seats_taken, stored.waitlist_count


def uid(session) -> str:
    return f"{session.uid}@startklaar"


def signed(path: str) -> str:
    """The signed part of a link path: /inschrijving/<signed>[/...]."""
    return path.split("/")[2]


def reschedule(session, **changes):
    data = replace(sessions.session_data_from(session), allow_holiday=True, **changes)
    return sessions.update_session(session, data)


# --------------------------------------------------------------------------- registering


def test_registering_holds_a_seat_and_mails_the_confirm_link(app, make_session, registration_data):
    session = make_session(capacity=10)
    now = utcnow()
    outcome = services.register(session.id, registration_data("an@example.com"), now=now)
    registration = fresh(outcome.registration)
    assert outcome.result == "held"
    assert registration.status == S.PENDING
    assert registration.hold_expires_at == now + timedelta(hours=app.config["CONFIRMATION_HOLD_HOURS"])
    assert seats(session) == (1, 0)
    mail = the_mail("an@example.com", "confirm_link")
    assert "Bevestig je inschrijving" in mail.subject
    assert links_in(mail).confirm is not None
    assert mail.ics is None  # no invitation before the address is confirmed
    assert kinds_to("an@example.com") == ["confirm_link"]


def test_the_profile_is_stored_normalised(app, make_session, registration_data):
    session = make_session()
    data = registration_data(
        "  An.Peeters@Example.COM ",
        phone="0470 12 34 56",
        postcode="3700",
        enterprise_number="BE 0566 988 259",
        questions="  Mag ik mijn eigen kinderen meetellen?  ",
    )
    registration = fresh(services.register(session.id, data).registration)
    assert registration.email == "an.peeters@example.com"
    assert registration.phone == "+32470123456"
    assert (registration.municipality, registration.province) == ("Tongeren-Borgloon", "limburg")
    assert registration.enterprise_number == "0566.988.259"
    assert registration.questions == "Mag ik mijn eigen kinderen meetellen?"
    assert registration.privacy_version == app.config["PRIVACY_NOTICE_VERSION"]


def test_control_characters_typed_or_pasted_never_reach_the_database(make_session, registration_data):
    session = make_session()
    data = registration_data(
        "an@example.com", first_name="An\x00", last_name="Pee\x07ters", questions="Regel 1\r\nRegel\x00 2"
    )
    registration = fresh(services.register(session.id, data).registration)
    assert (registration.first_name, registration.last_name) == ("An", "Peeters")
    assert registration.questions == "Regel 1\r\nRegel 2"
    with pytest.raises(DomainError, match="Vul je voornaam in."):
        services.register(session.id, registration_data(first_name="\x00\x00"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "4000", "Wallonië"),
        ("postcode", "²²²²", "4 cijfers"),
        ("first_name", "A" * 101, "hoogstens 100 tekens"),
        ("last_name", "B" * 101, "hoogstens 100 tekens"),
        ("enterprise_number", "0²²²²²²²²²", "10 cijfers"),
        ("phone", "12", "telefoonnummer"),
        ("enterprise_number", "0566.988.258", "controlegetal"),
        ("privacy_accepted", False, "privacyverklaring"),
    ],
)
def test_bad_data_is_refused_in_dutch_next_to_its_field(
    make_session, registration_data, field, value, message
):
    session = make_session()
    with pytest.raises(DomainError) as refused:
        services.register(session.id, registration_data(**{field: value}))
    assert message in str(refused.value)
    assert refused.value.field == {"privacy_accepted": "privacy"}.get(field, field)
    assert count_registrations() == 0 and count_mails() == 0
    assert seats(session) == (0, 0)


def test_confirming_gives_the_seat_and_an_invitation(make_registration, make_session):
    session = make_session(capacity=10)
    registration = make_registration(session, "an@example.com")
    outcome = services.confirm_registration(registration)
    assert outcome.result == "confirmed"
    registration = fresh(registration)
    assert registration.status == S.CONFIRMED
    assert registration.hold_expires_at is None and registration.confirmed_at is not None
    assert seats(session) == (1, 0)
    method, event = calendar_of(the_mail("an@example.com", "confirmed"))
    assert method == "REQUEST"
    assert str(event["UID"]) == uid(session)
    assert int(event["SEQUENCE"]) == session.sequence
    assert event.decoded("DTSTART") == session.starts_at.astimezone(BRUSSELS)


def test_confirming_twice_changes_nothing_the_second_time(make_registration):
    registration = make_registration(status="confirmed", email="an@example.com")
    services.confirm_registration(registration)
    assert status_of(registration) == S.CONFIRMED
    assert kinds_to("an@example.com") == ["confirm_link", "confirmed"]


def test_an_online_session_sends_its_meeting_link_only_once_confirmed(make_registration, make_session):
    session = make_session(format=SessionFormat.ONLINE, meeting_url=MEETING)
    registration = make_registration(session, "an@example.com")
    assert MEETING not in the_mail("an@example.com", "confirm_link").text_body
    services.confirm_registration(registration)
    mail = the_mail("an@example.com", "confirmed")
    assert MEETING in mail.text_body
    _, event = calendar_of(mail)
    assert MEETING in str(event["LOCATION"]) + str(event["DESCRIPTION"])


def test_a_full_session_offers_the_waiting_list(make_registration, make_session, registration_data):
    session = make_session(capacity=1)
    make_registration(session, "eerste@example.com")
    outcome = services.register(session.id, registration_data("tweede@example.com"))
    assert outcome.result == "waitlisted"
    registration = fresh(outcome.registration)
    assert registration.status == S.WAITLISTED and registration.email_confirmed_at is None
    assert seats(session) == (1, 1)
    mail = the_mail("tweede@example.com", "confirm_waitlist")
    assert "Bevestig je plaats op de wachtlijst" in mail.subject
    assert links_in(mail).confirm is not None


def test_confirming_a_waiting_list_place(make_registration, make_session):
    session = make_session(capacity=1)
    make_registration(session, "eerste@example.com")
    waiting = make_registration(session, "tweede@example.com", status="waitlisted")
    assert waiting.email_confirmed_at is not None
    assert seats(session) == (1, 1)
    mail = the_mail("tweede@example.com", "waitlisted")
    assert "wachtlijst" in mail.subject
    assert mail.ics is None  # no seat, no calendar item yet
    assert services.waitlist_position(waiting) == 1


def test_staff_registrations_are_confirmed_at_once_and_may_go_over_capacity(make_session, registration_data):
    session = make_session(capacity=1)
    first = services.register(session.id, registration_data("a@example.com"), source=RegistrationSource.STAFF)
    assert first.result == "confirmed"
    extra = services.register(
        session.id, registration_data("b@example.com"), source=RegistrationSource.WALK_IN, over_capacity=True
    )
    assert extra.result == "confirmed"
    assert seats(session) == (2, 0)
    assert calendar_of(the_mail("b@example.com", "confirmed"))[0] == "REQUEST"


# --------------------------------------------------------------------------- cancelling


def test_cancelling_frees_the_seat_for_the_first_confirmed_in_line(make_registration, make_session):
    session = make_session(capacity=1)
    leaving = make_registration(session, "weg@example.com", status="confirmed")
    unconfirmed = make_registration(session, "onbevestigd@example.com", status="waitlisted")
    db.session.execute(  # their waiting-list place was never confirmed by mail
        Registration.__table__.update()
        .where(Registration.id == unconfirmed.id)
        .values(email_confirmed_at=None)
    )
    db.session.commit()
    first = make_registration(session, "eerst@example.com", status="waitlisted")
    second = make_registration(session, "daarna@example.com", status="waitlisted")

    services.cancel_registration(leaving)

    assert status_of(leaving) == S.CANCELLED
    assert status_of(first) == S.CONFIRMED
    assert status_of(second) == S.WAITLISTED and status_of(unconfirmed) == S.WAITLISTED
    assert seats(session) == (1, 2)
    method, event = calendar_of(the_mail("weg@example.com", "cancelled"))
    assert method == "CANCEL" and str(event["UID"]) == uid(session)
    assert str(event["STATUS"]) == "CANCELLED"
    method, event = calendar_of(the_mail("eerst@example.com", "promoted"))
    assert method == "REQUEST" and str(event["UID"]) == uid(session)
    assert mails_to("daarna@example.com", "promoted") == []
    assert services.waitlist_position(fresh(second)) == 1
    assert services.waitlist_position(fresh(unconfirmed)) is None  # not in line until confirmed


def test_cancelling_twice_changes_nothing(make_registration, make_session):
    session = make_session(capacity=2)
    registration = make_registration(session, "an@example.com", status="confirmed")
    services.cancel_registration(registration)
    services.cancel_registration(fresh(registration))
    assert seats(session) == (0, 0)
    assert len(mails_to("an@example.com", "cancelled")) == 1


def test_leaving_the_waiting_list(make_registration, make_session):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    waiting = make_registration(session, "wacht@example.com", status="waitlisted")
    services.cancel_registration(waiting)
    assert status_of(waiting) == S.CANCELLED
    assert seats(session) == (1, 0)
    mail = the_mail("wacht@example.com", "left_waitlist")
    assert "niet meer op de wachtlijst" in mail.subject
    assert mail.ics is None


# --------------------------------------------------------------------------- holds that lapse


def test_a_lapsed_hold_is_released_and_the_waiting_list_moves(app, make_session, registration_data):
    session = make_session(capacity=1)
    hold = timedelta(hours=app.config["CONFIRMATION_HOLD_HOURS"])
    then = utcnow() - hold - timedelta(hours=1)
    forgot = services.register(session.id, registration_data("vergeten@example.com"), now=then).registration
    waiting = services.register(session.id, registration_data("wacht@example.com"), now=then).registration
    services.confirm_registration(waiting, now=then + timedelta(minutes=5))
    recent = make_session(capacity=1)
    still_held = services.register(recent.id, registration_data("net@example.com")).registration

    assert services.expire_holds() == 1

    assert status_of(forgot) == S.EXPIRED
    assert status_of(waiting) == S.CONFIRMED
    assert len(mails_to("wacht@example.com", "promoted")) == 1
    assert seats(session) == (1, 0)
    assert status_of(still_held) == S.PENDING and seats(recent) == (1, 0)
    assert services.expire_holds() == 0


def test_the_next_registration_releases_a_lapsed_hold_by_itself(app, make_session, registration_data):
    session = make_session(capacity=1)
    then = utcnow() - timedelta(hours=app.config["CONFIRMATION_HOLD_HOURS"] + 1)
    forgot = services.register(session.id, registration_data("vergeten@example.com"), now=then).registration
    waiting = services.register(session.id, registration_data("wacht@example.com"), now=then).registration
    services.confirm_registration(waiting, now=then + timedelta(minutes=5))

    outcome = services.register(session.id, registration_data("nieuw@example.com"))

    assert status_of(forgot) == S.EXPIRED
    assert status_of(waiting) == S.CONFIRMED  # first in line gets the seat, not the newcomer
    assert outcome.result == "waitlisted"
    assert seats(session) == (1, 1)


def test_an_unconfirmed_waiting_list_place_lapses_too(
    app, make_registration, make_session, registration_data
):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    then = utcnow() - timedelta(hours=app.config["CONFIRMATION_HOLD_HOURS"] + 1)
    silent = services.register(session.id, registration_data("stil@example.com"), now=then).registration
    assert services.expire_holds() == 1
    assert status_of(silent) == S.EXPIRED
    assert seats(session) == (1, 0)


def test_confirming_after_the_hold_lapsed_takes_a_free_seat_or_the_waiting_list(
    app, make_session, registration_data
):
    session = make_session(capacity=1)
    then = utcnow() - timedelta(hours=app.config["CONFIRMATION_HOLD_HOURS"] + 1)
    late = services.register(session.id, registration_data("laat@example.com"), now=then).registration
    services.expire_holds()
    assert status_of(late) == S.EXPIRED
    assert services.confirm_registration(fresh(late)).result == "confirmed"
    assert seats(session) == (1, 0)


# --------------------------------------------------------------------------- close to the start


def test_close_to_the_start_nobody_is_promoted_until_the_expert_says_so(app, make_registration, make_session):
    assert app.config["PROMOTION_CUTOFF_HOURS"] == 12
    session = make_session(capacity=1)
    leaving = make_registration(session, "weg@example.com", status="confirmed")
    waiting = make_registration(session, "wacht@example.com", status="waitlisted")

    services.cancel_registration(leaving, now=session.starts_at - timedelta(hours=6))

    assert status_of(waiting) == S.WAITLISTED
    assert seats(session) == (0, 1)
    assert mails_to("wacht@example.com", "promoted") == []

    promoted = services.promote_next(session.id)

    assert promoted.id == waiting.id and status_of(waiting) == S.CONFIRMED
    assert seats(session) == (1, 0)
    assert calendar_of(the_mail("wacht@example.com", "promoted"))[0] == "REQUEST"


def test_before_the_cutoff_the_seat_moves_on_by_itself(make_registration, make_session):
    session = make_session(capacity=1)
    leaving = make_registration(session, "weg@example.com", status="confirmed")
    waiting = make_registration(session, "wacht@example.com", status="waitlisted")
    services.cancel_registration(leaving, now=session.starts_at - timedelta(hours=13))
    assert status_of(waiting) == S.CONFIRMED


def test_promote_next_says_why_it_cannot(make_registration, make_session):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    with pytest.raises(DomainError, match="geen plaats vrij"):
        services.promote_next(session.id)
    empty = make_session(capacity=3)
    with pytest.raises(DomainError, match="niemand"):
        services.promote_next(empty.id)


# --------------------------------------------------------------------------- the session changes


def test_a_larger_capacity_lets_the_waiting_list_in(make_registration, make_session):
    session = make_session(capacity=1)
    make_registration(session, "zit@example.com", status="confirmed")
    first = make_registration(session, "een@example.com", status="waitlisted")
    second = make_registration(session, "twee@example.com", status="waitlisted")

    reschedule(session, capacity=2)

    assert status_of(first) == S.CONFIRMED and status_of(second) == S.WAITLISTED
    assert seats(session) == (2, 1)
    assert len(mails_to("een@example.com", "promoted")) == 1
    assert mails_to("zit@example.com", "updated") == []  # capacity is no news for a calendar


def test_a_new_time_sends_everyone_an_updated_invitation(make_registration, make_session):
    session = make_session(capacity=1)
    confirmed = make_registration(session, "zit@example.com", status="confirmed")
    make_registration(session, "wacht@example.com", status="waitlisted")
    gone = make_registration(session, "weg@example.com", status="waitlisted")
    services.cancel_registration(gone)
    _, before = calendar_of(the_mail("zit@example.com", "confirmed"))
    later = session.starts_at + timedelta(hours=1)

    reschedule(session, starts_at=later, ends_at=later + timedelta(hours=2))

    for address in ("zit@example.com", "wacht@example.com"):
        mail = the_mail(address, "updated")
        assert "gewijzigd" in mail.text_body
        method, event = calendar_of(mail)
        assert method == "REQUEST"
        assert str(event["UID"]) == str(before["UID"]) == uid(session)
        assert int(event["SEQUENCE"]) > int(before["SEQUENCE"])
        assert event.decoded("DTSTART") == later.astimezone(BRUSSELS)
    assert mails_to("weg@example.com", "updated") == []
    assert status_of(confirmed) == S.CONFIRMED


def test_a_cancelled_session_tells_everyone_why_and_offers_the_next_dates(
    make_registration, make_session, make_topic
):
    topic = make_topic("Het starterstraject uitgelegd")
    session = make_session(capacity=1, topic=topic)
    later = make_session(capacity=20, topic=topic, days=20)
    make_session(days=21)  # another topic: not offered
    confirmed = make_registration(session, "zit@example.com", status="confirmed")
    waiting = make_registration(session, "wacht@example.com", status="waitlisted")
    gone = make_registration(session, "weg@example.com", status="waitlisted")
    services.cancel_registration(gone)

    sessions.cancel_session(session, "De presentator is ziek.")

    for registration, address in ((confirmed, "zit@example.com"), (waiting, "wacht@example.com")):
        mail = the_mail(address, "session_cancelled")
        assert "De presentator is ziek." in mail.text_body
        assert f"/sessies/{later.id}" in mail.text_body
        assert status_of(registration) == S.CANCELLED
    method, event = calendar_of(the_mail("zit@example.com", "session_cancelled"))
    assert method == "CANCEL" and str(event["UID"]) == uid(session)
    assert mails_to("weg@example.com", "session_cancelled") == []
    assert seats(session) == (0, 0)


# --------------------------------------------------------------------------- the same person again


def test_the_same_address_twice_gives_one_registration_and_a_reminder_of_the_links(
    make_registration, make_session, registration_data
):
    session = make_session(capacity=5)
    first = make_registration(session, "an@example.com", status="confirmed")

    outcome = services.register(session.id, registration_data("AN@example.com", first_name="Anneke"))

    assert outcome.result == "already" and outcome.registration.id == first.id
    assert count_registrations() == 1
    assert seats(session) == (1, 0)
    assert fresh(first).first_name == "An"  # a stranger cannot overwrite someone's data
    mail = the_mail("an@example.com", "already")
    assert services.get_by_link(signed(links_in(mail).manage), "manage").id == first.id


def test_a_pending_duplicate_gets_its_confirm_link_again(make_registration, make_session, registration_data):
    session = make_session()
    first = make_registration(session, "an@example.com")
    services.register(session.id, registration_data("an@example.com"))
    services.register(session.id, registration_data("an@example.com"))  # within the hour: no third mail
    mails = mails_to("an@example.com", "already")
    assert len(mails) == 1
    assert services.get_by_link(signed(links_in(mails[0]).confirm), "confirm").id == first.id


def test_registering_again_after_cancelling_starts_afresh(make_registration, make_session, registration_data):
    session = make_session(capacity=3)
    old = make_registration(session, "an@example.com", status="confirmed")
    old_token, old_links = old.token, links_in(the_mail("an@example.com", "confirmed"))
    services.cancel_registration(old)

    outcome = services.register(session.id, registration_data("an@example.com"))

    assert outcome.result == "held"
    again = fresh(outcome.registration)
    assert again.status == S.PENDING and again.token != old_token
    assert again.cancelled_at is None and again.confirmed_at is None
    assert seats(session) == (1, 0)
    for path, purpose in ((old_links.manage, "manage"), (old_links.privacy, "privacy")):
        with pytest.raises(NotFound):
            services.get_by_link(signed(path), purpose)
    new_links = links_in(mails_to("an@example.com", "confirm_link")[-1])
    assert services.get_by_link(signed(new_links.manage), "manage").id == again.id


def test_a_new_address_is_registered_without_looking_for_it_first_and_a_known_one_still_is_found(
    make_registration, make_session, registration_data
):
    """The unique key (session, address) decides whether someone registered already: a new
    address goes straight in; one the key refuses starts again and is answered "already"."""
    session = make_session(capacity=5)
    make_registration(session, "an@example.com", status="confirmed")
    sent: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        sent.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        new = services.register(session.id, registration_data("bo@example.com"))
        looked_up_new = [s for s in sent if s.startswith("SELECT registrations.id FROM registrations")]
        sent.clear()
        known = services.register(session.id, registration_data("an@example.com"))
        looked_up_known = [s for s in sent if s.startswith("SELECT registrations.id FROM registrations")]
    finally:
        event.remove(db.engine, "before_cursor_execute", note)

    assert new.result == "held" and looked_up_new == []
    assert known.result == "already" and len(looked_up_known) == 1
    assert count_registrations() == 2
    assert seats(session) == (2, 0)
    assert len(mails_to("an@example.com", "already")) == 1


# --------------------------------------------------------------------------- moving


def test_moving_someone_takes_their_seat_along_and_the_old_waiting_list_moves(
    make_registration, make_session
):
    old_session = make_session(capacity=1)
    new_session = make_session(capacity=2, days=17)
    moving = make_registration(old_session, "verhuis@example.com", status="confirmed")
    old_links = links_in(the_mail("verhuis@example.com", "confirmed"))
    waiting = make_registration(old_session, "wacht@example.com", status="waitlisted")

    services.move_registration(moving, new_session.id)

    moved = fresh(moving)
    assert moved.session_id == new_session.id and moved.status == S.CONFIRMED
    assert seats(new_session) == (1, 0)
    assert seats(old_session) == (1, 0)
    assert status_of(waiting) == S.CONFIRMED
    method, event = calendar_of(the_mail("verhuis@example.com", "moved"))
    assert method == "REQUEST" and str(event["UID"]) == uid(new_session)
    with pytest.raises(NotFound):
        services.get_by_link(signed(old_links.manage), "manage")


def test_moving_to_a_full_session_puts_them_on_its_waiting_list(make_registration, make_session):
    old_session = make_session(capacity=3)
    full = make_session(capacity=1, days=17)
    make_registration(full, "zit@example.com", status="confirmed")
    moving = make_registration(old_session, "verhuis@example.com", status="confirmed")
    services.move_registration(moving, full.id)
    assert status_of(moving) == S.WAITLISTED
    assert seats(full) == (1, 1) and seats(old_session) == (0, 0)
    assert "wachtlijst" in the_mail("verhuis@example.com", "moved").text_body


def test_a_move_that_cannot_be_done_changes_nothing(make_registration, make_session):
    session = make_session(capacity=3)
    other = make_session(capacity=3, days=17)
    moving = make_registration(session, "an@example.com", status="confirmed")
    make_registration(other, "an@example.com")
    with pytest.raises(DomainError, match="andere sessie"):
        services.move_registration(moving, session.id)
    with pytest.raises(DomainError, match="al ingeschreven"):
        services.move_registration(fresh(moving), other.id)
    draft = make_session(status="draft", days=18)
    with pytest.raises(DomainError):
        services.move_registration(fresh(moving), draft.id)
    assert fresh(moving).session_id == session.id
    assert seats(session) == (1, 0) and seats(other) == (1, 0)


# --------------------------------------------------------------------------- reminders


def _reminders(address: str) -> list[str]:
    """The reminder specs an address was sent ("2d", "morning"), in order."""
    return [m.dedup_key.rsplit(":", 1)[1] for m in mails_to(address, "reminder")]


def test_reminders_go_two_days_before_and_on_the_morning_once_each(make_session, registration_data):
    session = make_session(days=10, hour=19)
    start = session.starts_at
    two_days = start - timedelta(days=2)
    morning = from_local(local(start).date(), time(8, 0))
    early = start - timedelta(days=5)

    def sign_up(address, at, confirm_at=None):
        registration = services.register(session.id, registration_data(address), now=at).registration
        services.confirm_registration(registration, now=confirm_at or at)
        return registration

    sign_up("vroeg@example.com", early)
    cancelled = sign_up("weg@example.com", early)
    services.cancel_registration(cancelled, now=early + timedelta(days=1))

    services.send_reminders(now=two_days + timedelta(hours=1))
    services.send_reminders(now=two_days + timedelta(hours=2))
    assert _reminders("vroeg@example.com") == ["2d"]

    late = start - timedelta(days=1)
    sign_up("laat@example.com", late)  # confirmed after the first reminder was due

    services.send_reminders(now=morning + timedelta(minutes=5))
    services.send_reminders(now=morning + timedelta(hours=3))

    assert _reminders("vroeg@example.com") == ["2d", "morning"]
    assert _reminders("laat@example.com") == ["morning"]
    assert _reminders("weg@example.com") == []
    mail = mails_to("laat@example.com", "reminder")[0]
    assert "Vandaag is het zover" in mail.text_body
    assert links_in(mail).manage is not None
    assert calendar_of(mail)[1]["UID"] == uid(session)


def test_flask_reminders_send_twice_queues_each_reminder_once(runner, make_session, registration_data):
    # Tomorrow evening: the two-day reminder is due now, the morning one is not yet.
    session = make_session(days=1, hour=19)
    long_ago = utcnow() - timedelta(days=3)
    early = services.register(session.id, registration_data("vroeg@example.com"), now=long_ago).registration
    services.confirm_registration(early, now=long_ago)
    just_now = services.register(session.id, registration_data("net@example.com")).registration
    services.confirm_registration(just_now)
    gone = services.register(session.id, registration_data("weg@example.com"), now=long_ago).registration
    services.confirm_registration(gone, now=long_ago)
    services.cancel_registration(gone)

    for _ in range(2):
        result = runner.invoke(args=["reminders", "send"])
        assert result.exit_code == 0, result.output
        assert "reminders queued" in result.output

    assert _reminders("vroeg@example.com") == ["2d"]
    assert _reminders("net@example.com") == []
    assert _reminders("weg@example.com") == []


# --------------------------------------------------------------------------- closed


def test_registration_is_closed_outside_the_window_after_the_start_and_for_drafts(
    make_session, registration_data
):
    not_yet = make_session(registration_opens_at=utcnow() + timedelta(days=2))
    too_late = make_session(days=11, registration_closes_at=utcnow() - timedelta(hours=1))
    draft = make_session(days=12, status="draft")
    started = make_session(days=13)
    cases = [
        (not_yet, None),
        (too_late, None),
        (draft, None),
        (started, started.starts_at + timedelta(minutes=1)),
    ]
    for session, now in cases:
        with pytest.raises(DomainError) as refused:
            services.register(session.id, registration_data(), now=now)
        assert str(refused.value) == "De inschrijvingen voor deze sessie zijn gesloten."
    db.session.rollback()
    assert count_registrations() == 0 and count_mails() == 0


def test_a_cancelled_session_takes_no_registrations(make_session, registration_data):
    session = make_session()
    sessions.cancel_session(session, "Te weinig inschrijvingen.")
    with pytest.raises(DomainError, match="gesloten"):
        services.register(session.id, registration_data())


# --------------------------------------------------------------------------- every mail


def test_every_mail_about_a_registration_has_the_manage_and_privacy_links(
    make_registration, make_session, registration_data
):
    session = make_session(capacity=1)
    other = make_session(capacity=5, days=17)
    staying = make_registration(session, "zit@example.com", status="confirmed")
    waiting = make_registration(session, "wacht@example.com", status="waitlisted")
    services.register(session.id, registration_data("zit@example.com"))  # "already"
    leaving = make_registration(other, "weg@example.com", status="confirmed")
    services.cancel_registration(leaving)
    services.cancel_registration(staying)  # the waiting one is promoted
    mover = make_registration(other, "verhuis@example.com", status="confirmed")
    rendered()  # the worker renders mail as it comes: these went out before the move
    services.move_registration(mover, session.id)
    assert status_of(waiting) == S.CONFIRMED
    later = session.starts_at + timedelta(hours=1)
    reschedule(session, starts_at=later, ends_at=later + timedelta(hours=2))
    sessions.cancel_session(session, "Overmacht.")

    all_mails = [
        m for address in ("zit", "wacht", "weg", "verhuis") for m in mails_to(f"{address}@example.com")
    ]
    kinds = {m.kind.removeprefix("registration.") for m in all_mails}
    assert kinds >= {
        "confirm_link", "confirmed", "confirm_waitlist", "waitlisted", "already", "cancelled",
        "promoted", "moved", "updated", "session_cancelled",
    }  # fmt: skip
    for mail in all_mails:
        found = links_in(mail)
        assert found.manage and found.privacy, f"{mail.kind} has no manage or privacy link"
        assert mail.html_body and found.manage in mail.html_body


# --------------------------------------------------------------------------- a real mailbox


class _Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(app):
    """A real SMTP server on loopback; the app delivers its outbox there."""
    box = _Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}?timeout=5"
    try:
        yield box
    finally:
        controller.stop()


def test_the_confirmation_arrives_with_an_invitation_a_calendar_accepts(
    mailbox, make_registration, make_session
):
    session = make_session(format=SessionFormat.ONLINE, meeting_url=MEETING)
    make_registration(session, "an@example.com", status="confirmed")

    report = deliver_due()

    assert report.sent == 2
    received = {message["Subject"]: (to, message) for to, message in mailbox.messages}
    subject = next(s for s in received if s.strip().startswith("Ingeschreven"))
    to, message = received[subject]
    assert to == ["an@example.com"]
    parts = {part.get_content_type(): part for part in message.walk()}
    calendar = parts["text/calendar"]
    assert "method=request" in calendar["Content-Type"].lower().replace('"', "")
    body = calendar.get_payload(decode=True).decode()
    assert f"UID:{uid(session)}" in body and "METHOD:REQUEST" in body
    text = parts["text/plain"].get_payload(decode=True).decode()
    assert MEETING in text and "/inschrijving/" in text
