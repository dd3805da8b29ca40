"""Registering with a partner or co-founder: each companion a registration of their own, on a seat
of their own, placed in the registrant's transaction; the registrant's confirmation confirms the
group; the outcome and the mails say who is where."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import DomainError
from app.extensions import db
from registrations import services
from registrations.models import Registration, RegistrationStatus
from sessions.models import AttendMode, InfoSession, SessionFormat
from tests.support.registrations import fresh, kinds_to, links_in, mails_to, the_mail

S = RegistrationStatus
C = services.CompanionData


def seats(session) -> tuple[int, int]:
    db.session.rollback()
    stored = db.session.get(InfoSession, session.id, populate_existing=True)
    return stored.seats_taken, stored.waitlist_count


def group_of(registration) -> dict[str, RegistrationStatus]:
    db.session.rollback()
    rows = db.session.scalars(
        select(Registration).where(
            (Registration.id == registration.id) | (Registration.companion_of_id == registration.id)
        )
    ).all()
    return {r.first_name: r.status for r in rows}


def test_a_couple_fits_both_hold_a_seat_and_confirming_confirms_both(make_session, registration_data):
    session = make_session(capacity=5)

    outcome = services.register(
        session.id,
        registration_data("an@example.com", first_name="An"),
        companions=[C("Bart", "Peeters", "bart@example.com")],
    )

    assert group_of(outcome.registration) == {"An": S.PENDING, "Bart": S.PENDING}
    assert seats(session) == (2, 0)
    mail = the_mail("an@example.com", "confirm_link")
    assert "Bart Peeters: een plaats" in mail.text_body
    assert mails_to("bart@example.com") == []  # nothing until the group is confirmed

    services.confirm_registration(fresh(outcome.registration))

    assert group_of(outcome.registration) == {"An": S.CONFIRMED, "Bart": S.CONFIRMED}
    bart_mail = the_mail("bart@example.com", "confirmed")
    assert "schreef je mee in" in bart_mail.text_body
    assert links_in(bart_mail).manage  # Bart's own link
    assert "Bart Peeters: een plaats" in the_mail("an@example.com", "confirmed").text_body


def test_not_all_fit_together_puts_the_whole_group_on_the_waiting_list(make_session, registration_data):
    session = make_session(capacity=2)

    outcome = services.register(
        session.id,
        registration_data("an@example.com", first_name="An"),
        companions=[C("Bart", "Peeters"), C("Cis", "Peeters")],
        when_full=services.WhenFull.TOGETHER,
    )

    assert group_of(outcome.registration) == {"An": S.WAITLISTED, "Bart": S.WAITLISTED, "Cis": S.WAITLISTED}
    assert seats(session) == (0, 3)
    assert [p["status"] for p in outcome.group] == ["waitlisted"] * 3


def test_not_all_fit_split_takes_the_free_seats_registrant_first(make_session, registration_data):
    session = make_session(capacity=2)

    outcome = services.register(
        session.id,
        registration_data("an@example.com", first_name="An"),
        companions=[C("Bart", "Peeters"), C("Cis", "Peeters")],
        when_full=services.WhenFull.SPLIT,
    )

    assert group_of(outcome.registration) == {"An": S.PENDING, "Bart": S.PENDING, "Cis": S.WAITLISTED}
    assert seats(session) == (2, 1)
    text = the_mail("an@example.com", "confirm_link").text_body
    assert "Bart Peeters: een plaats" in text and "Cis Peeters: op de wachtlijst" in text


def test_a_companion_without_an_address_is_confirmed_with_the_group_and_gets_no_mail(
    make_session, registration_data
):
    session = make_session(capacity=5)
    outcome = services.register(
        session.id, registration_data("an@example.com"), companions=[C("Bart", "Peeters")]
    )
    bart = outcome.companions[0]

    services.confirm_registration(fresh(outcome.registration))

    bart = fresh(bart)
    assert (
        bart.email is None and bart.status == S.CONFIRMED and bart.companion_of_id == outcome.registration.id
    )
    assert kinds_to("an@example.com") == ["confirm_link", "confirmed"]


def test_a_hybrid_companion_attends_like_the_registrant(make_session, registration_data):
    session = make_session(format=SessionFormat.HYBRID, capacity=5, online_capacity=1)

    outcome = services.register(
        session.id,
        registration_data("an@example.com", attends=AttendMode.ONLINE),
        companions=[C("Bart", "Peeters")],
        when_full=services.WhenFull.SPLIT,
    )

    assert fresh(outcome.registration).status == S.PENDING
    bart = fresh(outcome.companions[0])
    assert (bart.attends, bart.status) == (AttendMode.ONLINE, S.WAITLISTED)


def test_cancelling_a_companion_frees_the_seat_for_the_first_in_line(make_session, registration_data):
    session = make_session(capacity=2)
    outcome = services.register(
        session.id, registration_data("an@example.com"), companions=[C("Bart", "Peeters")]
    )
    services.confirm_registration(fresh(outcome.registration))
    waiting = services.register(session.id, registration_data("dirk@example.com")).registration
    services.confirm_registration(fresh(waiting))
    assert fresh(waiting).status == S.WAITLISTED

    services.cancel_registration(fresh(outcome.companions[0]))

    assert fresh(outcome.companions[0]).status == S.CANCELLED
    assert fresh(waiting).status == S.CONFIRMED
    assert fresh(outcome.registration).status == S.CONFIRMED
    assert seats(session) == (2, 0)


def test_bad_companions_are_refused_with_nothing_changed(make_session, registration_data):
    session = make_session(capacity=5)
    with pytest.raises(DomainError) as refused:
        services.register(session.id, registration_data("an@example.com"), companions=[C("Bart", "")])
    assert refused.value.field == "companion_1_last_name"
    with pytest.raises(DomainError):
        services.register(
            session.id, registration_data("an@example.com"), companions=[C("Bart", "P", "an@example.com")]
        )
    with pytest.raises(DomainError):
        services.register(session.id, registration_data("an@example.com"), companions=[C("X", "Y")] * 4)
    assert seats(session) == (0, 0)


def test_the_companion_columns_match_their_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    mine = [d for d in differences if "registrations" in repr(d)]
    assert mine == []


def test_erasing_one_companion_without_an_address_leaves_the_others(make_session, registration_data):
    from registrations import privacy

    session = make_session(capacity=5)
    first = services.register(
        session.id, registration_data("an@example.com"), companions=[C("Bart", "Janssens")]
    )
    second = services.register(
        session.id, registration_data("dirk@example.com"), companions=[C("Eva", "Maes")]
    )

    privacy.erase_personal_data(fresh(first.companions[0]))

    assert fresh(first.companions[0]).anonymised_at is not None
    eva = fresh(second.companions[0])
    assert eva.anonymised_at is None and eva.first_name == "Eva" and eva.status == S.PENDING


def test_a_companion_without_an_address_checks_in_and_has_a_certificate_from_the_registrants_page(
    client, make_session, registration_data, make_user
):
    import re as _re

    from app.auth.models import Role
    from registrations import attendance, certificates, links
    from tests.support.registrations import begin

    session = make_session(capacity=5)
    outcome = services.register(
        session.id, registration_data("an@example.com"), companions=[C("Bart", "Janssens")]
    )
    services.confirm_registration(fresh(outcome.registration))
    begin(session)

    attendance.check_in(fresh(outcome.companions[0]), make_user(Role.EXPERT))

    bart = fresh(outcome.companions[0])
    assert bart.status == S.ATTENDED and certificates.may_have_certificate(bart)
    page = client.get(links.manage_url(fresh(outcome.registration))).get_data(as_text=True)
    bart_page = _re.search(r'href="(/inschrijving/[^"]+)">Bart Janssens</a>', page).group(1)
    assert "Attest downloaden (PDF)" in client.get(bart_page).get_data(as_text=True)


def test_a_lapsed_group_comes_back_together_when_the_registrant_confirms_late(
    make_session, registration_data
):
    from datetime import timedelta

    from app.db import utcnow

    session = make_session(capacity=5)
    then = utcnow() - timedelta(hours=30)
    outcome = services.register(
        session.id, registration_data("an@example.com"), companions=[C("Bart", "J")], now=then
    )
    services.expire_holds()
    assert group_of(outcome.registration) == {"An": S.EXPIRED, "Bart": S.EXPIRED}
    assert seats(session) == (0, 0)

    services.confirm_registration(fresh(outcome.registration))

    assert group_of(outcome.registration) == {"An": S.CONFIRMED, "Bart": S.CONFIRMED}
    assert seats(session) == (2, 0)
