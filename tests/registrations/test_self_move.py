"""Moving yourself to another date from the manage page: which dates are offered, the one rule
of when it is allowed (services.self_move_refusal, checked again under the lock), what travels
along, and the two mails with their calendar items (new invitation, old one cancelled)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from registrations import links, services
from registrations.models import RegistrationStatus
from sessions.models import InfoSession
from tests.support.registrations import calendar_of, fresh, kinds_to, links_in, mails_to, status_of, the_mail

S = RegistrationStatus


def seats(session) -> tuple[int, int]:
    db.session.rollback()
    stored = db.session.get(InfoSession, session.id, populate_existing=True)
    return stored.seats_taken, stored.waitlist_count


@pytest.fixture
def dates(make_session, make_topic):
    """Three dates of one topic (in 10, 17 and 24 days) and one of another topic."""
    topic = make_topic("Starten als gezinsopvang")
    here = make_session(topic=topic, capacity=2, days=10)
    later = make_session(topic=topic, capacity=2, days=17)
    latest = make_session(topic=topic, capacity=1, days=24)
    other = make_session(capacity=5, days=18)
    return here, later, latest, other


# --------------------------------------------------------------------------- the service


def test_the_choices_are_the_other_open_dates_of_the_topic_with_or_without_a_seat(
    dates, make_registration, make_session
):
    here, later, latest, other = dates
    make_session(topic=here.topic, days=30, status="draft")
    make_registration(latest, "zit@example.com", status="confirmed")  # latest is now full
    me = make_registration(here, "an@example.com", status="confirmed")

    choices = services.move_choices(me)

    assert [(s.id, has_seat) for s, has_seat in choices] == [(later.id, True), (latest.id, False)]


def test_moving_yourself_keeps_your_answers_and_questions_and_frees_your_seat(dates, make_registration):
    here, later, _latest, _other = dates
    me = make_registration(
        here, "an@example.com", status="confirmed", questions="Mag ik mijn baby meebrengen?", planned_places=6
    )
    waiting_seat = make_registration(here, "b@example.com", status="confirmed")
    waiting = make_registration(here, "wacht@example.com", status="waitlisted")
    assert waiting_seat and seats(here) == (2, 1)

    moved = services.move_registration(me, later.id, by_self=True)

    moved = fresh(moved)
    assert (moved.session_id, moved.status) == (later.id, S.CONFIRMED)
    assert moved.questions == "Mag ik mijn baby meebrengen?" and moved.planned_places == 6
    assert (moved.postcode, moved.first_name, moved.last_name) == (me.postcode, me.first_name, me.last_name)
    assert status_of(waiting) == S.CONFIRMED  # the freed seat went to the first in line
    assert seats(here) == (2, 0) and seats(later) == (1, 0)


def test_the_new_invitation_and_the_old_one_cancelled_with_its_own_uid(dates, make_registration):
    here, later, _latest, _other = dates
    me = make_registration(here, "an@example.com", status="confirmed")
    method, first = calendar_of(the_mail("an@example.com", "confirmed"))
    assert method == "REQUEST"

    services.move_registration(me, later.id, by_self=True)

    moved = the_mail("an@example.com", "moved")
    method, event = calendar_of(moved)
    assert method == "REQUEST" and str(event["UID"]) == f"{later.uid}@startklaar"
    assert event.decoded("dtstart") == later.starts_at
    assert "Je hebt je inschrijving verplaatst" in moved.text_body
    cancel = the_mail("an@example.com", "moved_from")
    method, event = calendar_of(cancel)
    assert method == "CANCEL" and str(event["UID"]) == str(first["UID"]) == f"{here.uid}@startklaar"
    assert str(event["STATUS"]) == "CANCELLED" and event.decoded("dtstart") == here.starts_at
    # Both mails carry links to the registration as it is now (each mail its own short link).
    for mail in (cancel, moved):
        assert services.get_by_link(links_in(mail).manage.split("/")[2], "manage").id == me.id


def test_moving_from_a_waiting_list_to_a_full_date_sends_no_calendar_items(dates, make_registration):
    here, later, latest, _other = dates
    for n in range(2):
        make_registration(here, f"zit{n}@example.com", status="confirmed")
    make_registration(latest, "vol@example.com", status="confirmed")
    me = make_registration(here, "an@example.com", status="waitlisted")

    moved = services.move_registration(me, latest.id, by_self=True)

    assert fresh(moved).status == S.WAITLISTED and seats(latest) == (1, 1) and seats(here) == (2, 0)
    assert "moved_from" not in kinds_to("an@example.com")  # no seat, no invitation to cancel
    mail = the_mail("an@example.com", "moved")
    assert mail.ics is None and "wachtlijst" in mail.text_body


@pytest.mark.parametrize(
    ("which", "hours", "message"),
    [
        ("source", 6, "verplaatsen kan nu niet meer"),  # own session within the cut-off (12 h)
        ("target", 6, "Kies een latere datum"),
        ("target", -1, "al begonnen"),
    ],
)
def test_no_move_within_the_cutoff_or_into_a_started_session(dates, make_registration, which, hours, message):
    here, later, _latest, _other = dates
    me = make_registration(here, "an@example.com", status="confirmed")
    soon = utcnow() + timedelta(hours=hours)
    session = here if which == "source" else later
    db.session.get(InfoSession, session.id).starts_at = soon
    db.session.get(InfoSession, session.id).ends_at = soon + timedelta(hours=2)
    db.session.commit()

    with pytest.raises(DomainError, match=message):
        services.move_registration(fresh(me), later.id, by_self=True)

    assert fresh(me).session_id == here.id and seats(here) == (1, 0) and seats(later) == (0, 0)
    assert later.id not in [s.id for s, _ in services.move_choices(fresh(me))]
    assert kinds_to("an@example.com") == ["confirm_link", "confirmed"]


def test_no_move_to_another_topic_or_for_a_hold_not_confirmed(dates, make_registration):
    here, later, _latest, other = dates
    me = make_registration(here, "an@example.com", status="confirmed")
    with pytest.raises(DomainError, match="dezelfde infosessie"):
        services.move_registration(me, other.id, by_self=True)
    held = make_registration(here, "hold@example.com")  # pending
    assert services.move_choices(held) == []
    with pytest.raises(DomainError, match="bevestigde inschrijving"):
        services.move_registration(held, later.id, by_self=True)
    assert seats(here) == (2, 0) and seats(later) == (0, 0) and seats(other) == (0, 0)


def test_staff_move_also_cancels_the_old_invitation(dates, make_registration):
    here, _later, _latest, other = dates
    me = make_registration(here, "an@example.com", status="confirmed")
    services.move_registration(me, other.id)  # staff may move to another topic
    method, event = calendar_of(the_mail("an@example.com", "moved_from"))
    assert method == "CANCEL" and str(event["UID"]) == f"{here.uid}@startklaar"
    assert "Zoals afgesproken" in the_mail("an@example.com", "moved").text_body


# --------------------------------------------------------------------------- the pages


def _manage_path(address: str) -> str:
    return links_in(mails_to(address)[-1]).manage


def test_the_manage_page_offers_the_dates_and_the_confirm_page_moves(client, dates, make_registration):
    here, later, latest, _other = dates
    make_registration(latest, "vol@example.com", status="confirmed")
    me = make_registration(here, "an@example.com", status="confirmed")
    manage = _manage_path("an@example.com")

    html = client.get(manage).get_data(as_text=True)
    assert "Een andere datum kiezen" in html
    assert re.search(rf'name="naar"[^>]*value="{later.id}"', html)
    assert "er is plaats voor je" in html and "volzet: je komt op de wachtlijst" in html

    page = client.get(f"{manage}/verplaatsen?naar={later.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Verplaatsen naar" in text and "Ja, verplaats mijn inschrijving" in text
    assert fresh(me).session_id == here.id  # looking changes nothing

    done = client.post(f"{manage}/verplaatsen", data={"naar": str(later.id)})
    assert done.status_code == 302
    new_manage = done.location
    assert fresh(me).session_id == later.id
    # The new link is a manage link of this registration (its signature holds the second it was
    # made, so it is read back rather than compared with one made now).
    assert links.read_token(new_manage.rsplit("/", 1)[-1], "manage") == fresh(me).token
    result = client.get(new_manage).get_data(as_text=True)
    assert "Je inschrijving is verplaatst" in result, result[result.find("<main") :][:1500]
    assert ">ingeschreven<" in result
    assert client.get(manage).status_code == 404  # the old link is no longer valid


def test_a_refused_or_unknown_choice_changes_nothing_and_says_why(client, dates, make_registration):
    here, later, _latest, other = dates
    make_registration(here, "an@example.com", status="confirmed")
    manage = _manage_path("an@example.com")
    for bad in (str(other.id), "abc", "", str(here.id)):
        response = client.post(f"{manage}/verplaatsen", data={"naar": bad})
        assert response.status_code == 302 and response.location.endswith(f"{manage}#verplaatsen")
        with client.session_transaction() as flask_session:
            flashed = flask_session.get("_flashes", [])
        assert flashed and flashed[-1][0] == "error"
        assert "Kies een van de andere datums" in flashed[-1][1]
    assert seats(here) == (1, 0) and seats(later) == (0, 0)


def test_within_the_cutoff_the_manage_page_says_why_there_is_no_choice(client, dates, make_registration):
    here, later, _latest, _other = dates
    make_registration(here, "an@example.com", status="confirmed")
    manage = _manage_path("an@example.com")
    soon = utcnow() + timedelta(hours=3)
    stored = db.session.get(InfoSession, here.id)
    stored.starts_at, stored.ends_at = soon, soon + timedelta(hours=2)
    db.session.commit()
    html = client.get(manage).get_data(as_text=True)
    assert "verplaatsen kan nu niet meer" in html and 'name="naar"' not in html
    response = client.post(f"{manage}/verplaatsen", data={"naar": str(later.id)})
    assert response.status_code == 302 and seats(later) == (0, 0)
