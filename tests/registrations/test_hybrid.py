"""Hybrid sessions: "ter plaatse of online?". The seats on site are the capacity; the online places
have their own (unlimited unless set). Each way of attending has its own seats and its own waiting
list, under the same lock; the mails and the invitation say where to go (the room or the link)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.errors import DomainError
from app.extensions import db
from registrations import services
from registrations.models import Registration, RegistrationSource, RegistrationStatus
from sessions import services as sessions
from sessions.models import AttendMode, InfoSession, SessionFormat
from tests.support.registrations import calendar_of, fresh, the_mail

S = RegistrationStatus
ON_SITE, ONLINE = AttendMode.ON_SITE, AttendMode.ONLINE
HYBRID = SessionFormat.HYBRID
MEETING = "https://meet.example.com/abc-defg-hij"


def stored(session: InfoSession) -> InfoSession:
    db.session.rollback()
    return db.session.get(InfoSession, session.id, populate_existing=True)


@pytest.fixture
def sign_up(registration_data):
    """sign_up(session, attends, email=None, confirm=True) → the registration as stored."""

    def do(session, attends, email=None, *, confirm=True, **kw):
        outcome = services.register(session.id, registration_data(email, attends=attends), **kw)
        if confirm:
            services.confirm_registration(outcome.registration)
        return fresh(outcome.registration)

    return do


def counters(session: InfoSession) -> dict:
    s = stored(session)
    return {
        "on_site": (s.seats_taken_for(ON_SITE), s.waitlist_count_for(ON_SITE), s.seats_left_for(ON_SITE)),
        "online": (s.seats_taken_for(ONLINE), s.waitlist_count_for(ONLINE), s.seats_left_for(ONLINE)),
    }


# --------------------------------------------------------------------------- the model and its migration


def test_the_new_columns_match_their_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    mine = [d for d in differences if any(n in repr(d) for n in ("online_", "attends"))]
    assert mine == []


# ------------------------------------------------------------- the capacity rule per way of attending


def test_each_way_of_attending_has_its_own_seats(make_session, sign_up):
    session = make_session(format=HYBRID, capacity=1, online_capacity=2)

    first_here = sign_up(session, ON_SITE)
    second_here = sign_up(session, ON_SITE)
    online = [sign_up(session, ONLINE) for _ in range(3)]

    assert (first_here.status, second_here.status) == (S.CONFIRMED, S.WAITLISTED)
    assert [r.status for r in online] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert [r.attends for r in online] == [ONLINE] * 3
    assert counters(session) == {"on_site": (1, 1, 0), "online": (2, 1, 0)}
    s = stored(session)
    assert (s.seats_taken, s.waitlist_count) == (3, 2)  # the totals count everyone
    assert s.is_full and s.seats_left_by_mode == {"on_site": 0, "online": 0}


def test_online_places_are_unlimited_unless_set(make_session, sign_up):
    session = make_session(format=HYBRID, capacity=1)

    sign_up(session, ON_SITE)
    online = [sign_up(session, ONLINE) for _ in range(5)]

    assert {r.status for r in online} == {S.CONFIRMED}
    s = stored(session)
    assert s.seats_left_by_mode == {"on_site": 0, "online": None}
    assert not s.is_full  # online there is room: nobody is turned to "the waiting list" on the page
    assert counters(session)["online"] == (5, 0, None)


def test_a_public_registration_for_a_hybrid_session_must_say_how(make_session, registration_data):
    session = make_session(format=HYBRID)

    with pytest.raises(DomainError) as refused:
        services.register(session.id, registration_data("an@example.com"), attendance_asked=True)

    assert refused.value.field == "attends"
    assert "ter plaatse of online" in str(refused.value)
    assert db.session.scalar(select(Registration)) is None


@pytest.mark.parametrize("source", [RegistrationSource.STAFF, RegistrationSource.ONLINE])
def test_whoever_was_not_asked_is_seated_on_site(make_session, registration_data, source):
    session = make_session(format=HYBRID)

    outcome = services.register(session.id, registration_data("an@example.com"), source=source)

    assert fresh(outcome.registration).attends == ON_SITE


@pytest.mark.parametrize(("fmt", "mode"), [(SessionFormat.ON_SITE, ON_SITE), (SessionFormat.ONLINE, ONLINE)])
def test_other_sessions_have_one_pool_and_say_how_by_themselves(make_session, sign_up, fmt, mode):
    session = make_session(format=fmt, capacity=1)

    first = sign_up(session, None)
    second = sign_up(session, ONLINE if mode == ON_SITE else ON_SITE)  # a stray answer changes nothing

    assert (first.attends, second.attends) == (mode, mode)
    assert (first.status, second.status) == (S.CONFIRMED, S.WAITLISTED)
    assert stored(session).seats_left_by_mode == {mode.value: 0}


def test_full_means_the_same_in_a_query_as_on_the_page(make_session, sign_up):
    """`InfoSession.is_full` is one rule in Python (the pages) and in SQL (the widget's list of
    sessions with room): they agree whatever the format and whoever holds the seats."""
    cases = []
    for fmt, capacity, online_capacity, seated in [
        (SessionFormat.ON_SITE, 2, None, [ON_SITE]),
        (SessionFormat.ON_SITE, 1, None, [ON_SITE]),
        (SessionFormat.ONLINE, 1, None, [ONLINE]),
        (SessionFormat.ONLINE, 2, None, [ONLINE]),
        (HYBRID, 2, None, [ONLINE, ONLINE, ONLINE, ON_SITE]),  # more held than seats on site
        (HYBRID, 1, None, [ON_SITE, ONLINE]),  # online unlimited
        (HYBRID, 1, 2, [ON_SITE, ONLINE]),
        (HYBRID, 1, 1, [ON_SITE, ONLINE]),
        (HYBRID, 2, 1, [ONLINE]),
    ]:
        kw = {"meeting_url": MEETING} if fmt == HYBRID else {}
        session = make_session(format=fmt, capacity=capacity, online_capacity=online_capacity, **kw)
        for attends in seated:
            sign_up(session, attends if fmt == HYBRID else None)
        cases.append(session.id)
    db.session.expire_all()
    by_python = {i for i in cases if db.session.get(InfoSession, i).is_full}
    by_sql = set(
        db.session.scalars(select(InfoSession.id).where(InfoSession.id.in_(cases), InfoSession.is_full))
    )
    assert by_python == by_sql
    assert 1 < len(by_python) < len(cases) - 1  # both answers occur, several times


# ---------------------------------------------------------------- waiting lists per way of attending


def test_an_online_place_freeing_goes_to_the_first_waiting_online(make_session, sign_up):
    session = make_session(format=HYBRID, capacity=1, online_capacity=1)
    sign_up(session, ON_SITE)
    online = sign_up(session, ONLINE)
    waiting_here = sign_up(session, ON_SITE)  # waiting longer, but for a seat on site
    waiting_online = sign_up(session, ONLINE)

    services.cancel_registration(online)

    assert fresh(waiting_online).status == S.CONFIRMED
    assert fresh(waiting_here).status == S.WAITLISTED
    assert the_mail(waiting_online.email, "promoted")
    assert counters(session) == {"on_site": (1, 1, 0), "online": (1, 0, 0)}


def test_a_seat_on_site_freeing_goes_to_the_first_waiting_on_site(make_session, sign_up):
    session = make_session(format=HYBRID, capacity=1, online_capacity=1)
    here = sign_up(session, ON_SITE)
    sign_up(session, ONLINE)
    waiting_online = sign_up(session, ONLINE)
    waiting_here = sign_up(session, ON_SITE)

    services.cancel_registration(here)

    assert (fresh(waiting_here).status, fresh(waiting_online).status) == (S.CONFIRMED, S.WAITLISTED)
    assert counters(session) == {"on_site": (1, 0, 0), "online": (1, 1, 0)}


def test_the_place_in_line_counts_only_those_waiting_the_same_way(make_session, sign_up):
    session = make_session(format=HYBRID, capacity=1, online_capacity=1)
    sign_up(session, ON_SITE)
    sign_up(session, ONLINE)
    sign_up(session, ON_SITE)
    sign_up(session, ON_SITE)
    online = sign_up(session, ONLINE)

    assert services.waitlist_position(online) == 1


def test_more_online_places_let_the_online_waiting_list_move(make_session, sign_up):
    session = make_session(format=HYBRID, capacity=1, online_capacity=1)
    sign_up(session, ONLINE)
    waiting = [sign_up(session, ONLINE) for _ in range(2)]

    sessions.update_session(
        stored(session), replace(sessions.session_data_from(stored(session)), online_capacity=None)
    )

    assert [fresh(r).status for r in waiting] == [S.CONFIRMED, S.CONFIRMED]
    assert counters(session)["online"] == (3, 0, None)


def test_online_places_cannot_go_below_those_taken(make_session, sign_up):
    session = make_session(format=HYBRID, capacity=5, online_capacity=5)
    sign_up(session, ONLINE)
    sign_up(session, ONLINE)

    data = sessions.session_data_from(stored(session))
    with pytest.raises(DomainError) as refused:
        sessions.update_session(stored(session), replace(data, online_capacity=1))
    assert refused.value.field == "online_capacity"
    # The seats on site count only those on site: 2 online attendees do not hold 5 seats there.
    sessions.update_session(stored(session), replace(data, capacity=1, online_capacity=2))
    assert (stored(session).capacity, stored(session).online_capacity) == (1, 2)


def test_online_places_are_kept_only_for_hybrid_sessions(make_session):
    session = make_session(format=HYBRID, online_capacity=10)
    data = sessions.session_data_from(stored(session))

    sessions.update_session(stored(session), replace(data, format=SessionFormat.ON_SITE))

    assert stored(session).online_capacity is None


def test_a_lapsed_online_hold_gives_its_place_to_the_online_line(app, make_session, sign_up):
    from datetime import timedelta

    from app.db import utcnow

    session = make_session(format=HYBRID, capacity=1, online_capacity=1)
    held = sign_up(session, ONLINE, confirm=False)
    waiting = sign_up(session, ONLINE)

    services.expire_holds(now=utcnow() + timedelta(hours=25))

    assert (fresh(held).status, fresh(waiting).status) == (S.EXPIRED, S.CONFIRMED)
    assert counters(session)["online"] == (1, 0, 0)


def test_moving_keeps_online_attendees_online_where_the_target_is_hybrid(make_session, sign_up):
    source = make_session(format=SessionFormat.ONLINE)
    target = make_session(format=HYBRID, capacity=1, online_capacity=1, days=20)
    registration = sign_up(source, None)

    moved = services.move_registration(registration, target.id)

    assert (moved.attends, moved.status) == (ONLINE, S.CONFIRMED)
    assert counters(target) == {"on_site": (0, 0, 1), "online": (1, 0, 0)}
    assert stored(source).seats_taken == 0


def test_cancelling_the_session_empties_both_pools(make_session, sign_up):
    session = make_session(format=HYBRID, capacity=1, online_capacity=1)
    for mode in (ON_SITE, ONLINE, ON_SITE, ONLINE):
        sign_up(session, mode)

    sessions.cancel_session(stored(session), "De presentator is ziek.")

    assert counters(session) == {"on_site": (0, 0, 1), "online": (0, 0, 1)}


# --------------------------------------------------------------------------- the mails and the invitation


@pytest.mark.parametrize("kind", ["confirmed", "promoted", "reminder"])
def test_mails_name_the_room_on_site_and_the_link_online(app, make_session, sign_up, kind):
    session = make_session(format=HYBRID, capacity=1, online_capacity=1, meeting_url=MEETING)
    street = session.venue.street
    if kind == "promoted":
        first_here, first_online = sign_up(session, ON_SITE), sign_up(session, ONLINE)
        here, online = (
            sign_up(session, ON_SITE, "hier@example.com"),
            sign_up(session, ONLINE, "thuis@example.com"),
        )
        services.cancel_registration(first_here)
        services.cancel_registration(first_online)
    else:
        here, online = (
            sign_up(session, ON_SITE, "hier@example.com"),
            sign_up(session, ONLINE, "thuis@example.com"),
        )
    if kind == "reminder":
        from datetime import timedelta

        services.send_reminders(now=stored(session).starts_at - timedelta(hours=47))  # "2 days before"

    on_site_mail, online_mail = the_mail(here.email, kind), the_mail(online.email, kind)

    assert street in on_site_mail.text_body and MEETING not in on_site_mail.text_body
    assert "Je neemt deel: ter plaatse" in on_site_mail.text_body
    assert MEETING in online_mail.text_body and street not in online_mail.text_body
    assert "Je neemt deel: online" in online_mail.text_body
    assert street in on_site_mail.html_body and MEETING in online_mail.html_body
    assert street in str(calendar_of(on_site_mail)[1]["LOCATION"])
    assert str(calendar_of(online_mail)[1]["LOCATION"]) == MEETING


def test_an_online_session_mail_still_carries_the_link(make_session, sign_up):
    session = make_session(format=SessionFormat.ONLINE, meeting_url=MEETING)
    registration = sign_up(session, None, "thuis@example.com")

    mail = the_mail(registration.email, "confirmed")

    assert MEETING in mail.text_body and "Je neemt deel" not in mail.text_body
    assert str(calendar_of(mail)[1]["LOCATION"]) == MEETING


# --------------------------------------------------------------------------- the pages


def test_the_form_asks_ter_plaatse_of_online_only_on_a_hybrid_session(client, make_session):
    hybrid = make_session(format=HYBRID, capacity=1, online_capacity=None)
    on_site = make_session(format=SessionFormat.ON_SITE)

    page = client.get(f"/sessies/{hybrid.id}").get_data(as_text=True)
    other = client.get(f"/sessies/{on_site.id}").get_data(as_text=True)

    assert "Ter plaatse of online?" in page and 'name="attends"' in page
    assert "Ter plaatse (nog 1 plaats)" in page and "Online (plaats genoeg)" in page
    assert ">ter plaatse: nog 1 plaats</span> · <span" in page  # the seats per way
    assert ">online: plaats genoeg</span>" in page
    assert "Ter plaatse of online?" not in other and 'name="attends"' not in other


def test_no_answer_is_asked_again_and_nothing_is_kept(client, make_session, registration_form_data):
    session = make_session(format=HYBRID)

    response = client.post(f"/sessies/{session.id}/inschrijven", data=registration_form_data())

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies of je ter plaatse of online deelneemt." in page
    assert 'href="#attends' in page  # the error summary links to the question
    assert db.session.scalar(select(Registration)) is None


def test_the_answer_online_is_kept(client, make_session, registration_form_data):
    session = make_session(format=HYBRID, capacity=1, online_capacity=3)

    response = client.post(
        f"/sessies/{session.id}/inschrijven", data=registration_form_data(attends="online")
    )

    assert response.status_code == 302
    db.session.rollback()
    registration = db.session.scalar(select(Registration))
    assert (registration.attends, registration.status) == (ONLINE, S.PENDING)
    assert counters(session)["online"] == (1, 0, 2)


def test_staff_plan_online_places_and_see_seats_and_attendance_per_way(client, login, make_session, sign_up):
    from app.auth.models import Role

    login(Role.EXPERT)
    session = make_session(format=HYBRID, capacity=2, online_capacity=None)
    edit = client.get(f"/beheer/sessies/{session.id}/bewerken").get_data(as_text=True)
    assert "Online plaatsen (leeg = onbeperkt)" in edit

    form = {
        "topic_id": session.topic_id,
        "format": "hybrid",
        "venue_id": session.venue_id,
        "meeting_url": MEETING,
        "day": session.starts_at.date().isoformat(),
        "start_time": "19:30",
        "end_time": "21:30",
        "capacity": 2,
        "online_capacity": "0",
        "presenter_ids": [p.id for p in session.presenters],
        "language": "nl",
    }
    refused = client.post(f"/beheer/sessies/{session.id}/bewerken", data=form)
    assert refused.status_code == 422 and "Geef minstens 1 online plaats" in refused.get_data(as_text=True)
    saved = client.post(f"/beheer/sessies/{session.id}/bewerken", data={**form, "online_capacity": "1"})
    assert saved.status_code == 302
    assert stored(session).online_capacity == 1

    sign_up(session, ONLINE, "thuis@example.com")
    sign_up(session, ONLINE, "wacht@example.com")
    sign_up(session, ON_SITE, "hier@example.com")
    page = client.get(f"/beheer/sessies/{session.id}").get_data(as_text=True)
    assert "Plaatsen ter plaatse" in page and "1 / 2 · nog 1 plaats" in page
    assert "Online plaatsen" in page and "1 / 1 · volzet — wachtlijst · 1 op de wachtlijst" in page
    assert "Deelname" in page and page.count('class="registration-mode"') == 3


def test_staff_register_someone_online_by_hand_and_it_shows_everywhere(
    client, login, make_session, registration_data
):
    from app.auth.models import Role

    login(Role.EXPERT)
    session = make_session(format=HYBRID, capacity=1, online_capacity=None)
    form = client.get(f"/beheer/sessies/{session.id}/inschrijvingen/nieuw").get_data(as_text=True)
    assert "Ter plaatse of online?" in form and "Online plaatsen: 0 / onbeperkt" in form

    response = client.post(
        f"/beheer/sessies/{session.id}/inschrijvingen/nieuw",
        data={
            "nieuw-first_name": "Mo",
            "nieuw-last_name": "Aerts",
            "nieuw-email": "mo@example.com",
            "nieuw-attends": "online",
            "nieuw-childcare_type": "onbekend",
            "nieuw-privacy": "y",
        },
    )

    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert (registration.attends, registration.status) == (ONLINE, S.CONFIRMED)
    export = client.get(f"/beheer/sessies/{session.id}/inschrijvingen/export.csv").get_data(as_text=True)
    header, row = export.splitlines()[:2]
    separator = ";" if ";" in header else ","
    columns = dict(zip(header.lstrip("\ufeff").split(separator), row.split(separator), strict=False))
    assert columns["Deelname"] == "online"
    on_site = make_session(format=SessionFormat.ON_SITE, days=20)
    assert "Ter plaatse of online?" not in client.get(
        f"/beheer/sessies/{on_site.id}/inschrijvingen/nieuw"
    ).get_data(as_text=True)


def test_the_check_in_list_marks_who_attends_online(client, login, make_session, sign_up):
    from app.auth.models import Role

    login(Role.EXPERT)
    session = make_session(format=HYBRID)
    sign_up(session, ON_SITE, "hier@example.com")
    sign_up(session, ONLINE, "thuis@example.com")

    page = client.get(f"/beheer/sessies/{session.id}/aanwezigheden").get_data(as_text=True)

    assert page.count("· online") == 1
