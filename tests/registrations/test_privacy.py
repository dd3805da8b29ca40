"""A registrant's own data: download it, have it erased, and the purge after the retention period."""

from __future__ import annotations

import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession
from tests.support.registrations import fresh, links_in, mails_to, status_of, the_mail

S = RegistrationStatus


def privacy_link(address: str) -> str:
    return links_in(mails_to(address)[-1]).privacy


def test_the_privacy_page_shows_what_we_keep_and_offers_both_actions(client, make_registration):
    make_registration(email="an@example.com")
    html = client.get(privacy_link("an@example.com")).get_data(as_text=True)
    assert "an@example.com" in html
    assert "Download mijn gegevens" in html and "Wis mijn gegevens" in html


def test_the_export_has_all_of_my_registrations_and_nobody_elses(client, make_session, make_registration):
    first, second = make_session(capacity=5), make_session(capacity=5, days=17)
    make_registration(first, "an@example.com", status="confirmed", phone="0470 12 34 56")
    make_registration(second, "an@example.com", questions="Hoe zit het met subsidies?")
    make_registration(first, "bert@example.com", status="confirmed", first_name="Bert")

    response = client.post(privacy_link("an@example.com"), data={"action": "export"})

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    export = json.loads(response.get_data(as_text=True))
    rows = export["registrations"]
    assert sorted(row["session"]["id"] for row in rows) == sorted([first.id, second.id])
    assert {row["email"] for row in rows} == {"an@example.com"}
    assert {row["status"] for row in rows} == {"confirmed", "pending"}
    assert any(row["phone"] == "+32470123456" for row in rows)
    assert any(row["questions"] == "Hoe zit het met subsidies?" for row in rows)
    assert "bert" not in response.get_data(as_text=True).lower()


def test_a_manage_link_does_not_open_the_data_page(client, make_registration):
    make_registration(email="an@example.com")
    manage = links_in(the_mail("an@example.com", "confirm_link")).manage
    response = client.post(f"{manage}/mijn-gegevens", data={"action": "export"})
    assert response.status_code == 404


def test_erasing_cancels_anonymises_gives_the_seat_away_and_kills_the_links(
    client, make_session, make_registration
):
    session = make_session(capacity=1)
    other = make_session(capacity=5, days=17)
    mine = make_registration(session, "an@example.com", status="confirmed", phone="0470 12 34 56")
    also_mine = make_registration(other, "an@example.com", questions="Mijn vraag")
    waiting = make_registration(session, "wacht@example.com", status="waitlisted")
    links = [links_in(m) for m in mails_to("an@example.com")]

    response = client.post(links[-1].privacy, data={"action": "erase", "sure": "ja"})

    assert response.status_code == 200
    assert "Je gegevens zijn gewist" in response.get_data(as_text=True)
    for registration in (mine, also_mine):
        erased = fresh(registration)
        assert erased.status == S.CANCELLED
        assert erased.first_name == "(gewist)" and erased.last_name == ""
        assert erased.email.endswith("@anoniem.invalid") and "an@" not in erased.email
        assert erased.phone is None and erased.questions == "" and erased.postcode is None
        assert erased.anonymised_at is not None
    assert status_of(waiting) == S.CONFIRMED
    assert len(mails_to("wacht@example.com", "promoted")) == 1
    stored = db.session.get(InfoSession, session.id, populate_existing=True)
    assert (stored.seats_taken, stored.waitlist_count) == (1, 0)
    for found in links:
        for path in (found.manage, found.privacy, found.confirm):
            if path:
                assert client.get(path).status_code == 404, path
    remaining = db.session.scalars(select(Registration.email)).all()
    assert "an@example.com" not in remaining
    # Nothing is sent to an erased person, and the mails they already got are gone from the outbox.
    assert mails_to("an@example.com") == []


def test_erasing_needs_the_tick_box(client, make_registration):
    registration = make_registration(email="an@example.com", status="confirmed")
    response = client.post(privacy_link("an@example.com"), data={"action": "erase"})
    assert response.status_code == 200
    assert "Vink aan dat je zeker bent" in response.get_data(as_text=True)
    kept = fresh(registration)
    assert kept.email == "an@example.com" and kept.status == S.CONFIRMED


def _move_into_the_past(session: InfoSession, ended_ago: timedelta | relativedelta) -> None:
    ends = utcnow() - ended_ago
    session.starts_at, session.ends_at = ends - timedelta(hours=2), ends
    db.session.commit()


def test_flask_privacy_purge_anonymises_only_what_is_past_the_retention(
    app, runner, make_session, make_registration
):
    months = app.config["PRIVACY_RETENTION_MONTHS"]
    long_ago = make_session(capacity=5)
    recently = make_session(capacity=5, days=17)
    coming = make_session(capacity=5, days=24)
    old = make_registration(long_ago, "oud@example.com", status="confirmed")
    forgot = make_registration(long_ago, "vergeten@example.com")
    recent = make_registration(recently, "recent@example.com", status="confirmed")
    future = make_registration(coming, "straks@example.com", status="confirmed")
    _move_into_the_past(long_ago, relativedelta(months=months, days=3))
    _move_into_the_past(recently, relativedelta(months=months, days=-3))

    result = runner.invoke(args=["privacy", "purge"])

    assert result.exit_code == 0, result.output
    assert "2 registrations anonymised" in result.output
    purged = fresh(old)
    assert purged.first_name == "(gewist)" and purged.email.endswith("@anoniem.invalid")
    assert purged.status == S.CONFIRMED  # statistics keep the outcome
    assert fresh(forgot).status == S.EXPIRED and fresh(forgot).anonymised_at is not None
    assert fresh(recent).email == "recent@example.com"
    assert fresh(future).email == "straks@example.com"
    again = runner.invoke(args=["privacy", "purge"])
    assert "0 registrations anonymised" in again.output
