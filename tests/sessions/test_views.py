"""The pages visitors and experts use, over HTTP."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.timezone import local
from sessions.models import InfoSession, SessionFormat, SessionStatus


def _future_weekday(weekday: int, min_days: int = 14) -> date:
    day = local(utcnow()).date() + timedelta(days=min_days)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def _count_sessions() -> int:
    return db.session.scalar(select(func.count()).select_from(InfoSession))


# --------------------------------------------------------------------------- public pages


def test_catalogue_lists_published_sessions_but_not_drafts(client, make_session):
    published = make_session(title="Gezinsopvang of groepsopvang?")
    make_session(title="Geheim ontwerp", status="draft", days=12)
    html = client.get("/sessies").get_data(as_text=True)
    assert "Gezinsopvang of groepsopvang?" in html
    assert "Geheim ontwerp" not in html
    assert f"/sessies/{published.id}-" in html


def test_catalogue_shows_seats_left_and_full_sessions(client, make_session, make_topic):
    open_session = make_session(capacity=20, topic=make_topic("Open sessie"))
    full = make_session(capacity=10, days=11, topic=make_topic("Volle sessie"))
    open_session.seats_taken, full.seats_taken = 8, 10
    db.session.commit()
    html = client.get("/sessies").get_data(as_text=True)
    assert "nog 12 plaatsen" in html
    assert "volzet — wachtlijst" in html


def test_weekend_filter_keeps_only_weekend_sessions(client, make_session, make_topic):
    saturday = _future_weekday(5)
    tuesday = _future_weekday(1)
    today = local(utcnow()).date()
    make_session(days=(saturday - today).days, hour=9, title="Zaterdagsessie")
    make_session(days=(tuesday - today).days, hour=19, title="Dinsdagavond")
    html = client.get("/sessies?moment=weekend").get_data(as_text=True)
    assert "Zaterdagsessie" in html and "Dinsdagavond" not in html
    html = client.get("/sessies?moment=avond").get_data(as_text=True)
    assert "Dinsdagavond" in html and "Zaterdagsessie" not in html


def test_province_filter_and_nonsense_filters_do_not_break_the_page(
    client, make_session, make_venue, make_topic
):
    make_session(venue=make_venue("3500"), title="In Hasselt")
    make_session(venue=make_venue("9000"), title="In Gent", days=12)
    html = client.get("/sessies?provincie=limburg").get_data(as_text=True)
    assert "In Hasselt" in html and "In Gent" not in html
    response = client.get("/sessies?provincie=mars&maand=2027-13&formaat=%00&moment=nacht&page=-3")
    assert response.status_code == 200
    assert "klopte niet" in response.get_data(as_text=True)


@pytest.mark.parametrize("month", ["0000-01", "0001-01", "9999-12"])
def test_a_month_out_of_range_is_ignored_with_a_notice(client, make_session, month):
    make_session(title="Gewoon zichtbaar")

    response = client.get(f"/sessies?maand={month}&page=99999999999999999999")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "klopte niet" in html and "Gewoon zichtbaar" in html
    feed = client.get(f"/sessies.ics?maand={month}")
    assert feed.status_code == 200
    assert b"Gewoon zichtbaar" in feed.data


def test_a_session_id_too_large_for_the_database_is_not_found(client):
    for path in ("/sessies/9223372036854775808", "/sessies/18446744073709551616-slug", "/sessies/0.ics"):
        assert client.get(path).status_code == 404, path


def test_session_page_tells_what_when_where_and_never_the_meeting_link(client, make_session, make_venue):
    venue = make_venue(
        "9000", name="Huis van het Kind Gent", street="Sint-Pietersnieuwstraat 33", step_free=True
    )
    session = make_session(
        venue=venue, format=SessionFormat.HYBRID, meeting_url="https://meet.example.com/geheim"
    )
    response = client.get(f"/sessies/{session.id}-{session.topic.slug}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sint-Pietersnieuwstraat 33" in html and "9000 Gent" in html
    assert "drempelvrij" in html.lower()
    assert "meet.example.com/geheim" not in html
    start = local(session.starts_at)
    assert start.strftime("%H:%M") in html
    # The agenda's times follow from the start: Welkom 10 min, then the second block.
    assert (start + timedelta(minutes=10)).strftime("%H:%M") in html
    assert client.get(f"/sessies/{session.id}").status_code == 200


def test_a_draft_session_page_is_not_found(client, make_session):
    draft = make_session(status="draft")
    assert client.get(f"/sessies/{draft.id}").status_code == 404
    assert client.get("/sessies/999999").status_code == 404


def test_dates_read_naturally_in_dutch(client, make_session):
    session = make_session()
    html = client.get(f"/sessies/{session.id}").get_data(as_text=True)
    day_names = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    assert day_names[local(session.starts_at).weekday()] in html


# --------------------------------------------------------------------------- experts


def _form(topic, venue, presenter, day: date, start="19:30", end="21:30", **extra):
    data = {
        "topic_id": topic.id,
        "format": "on_site",
        "venue_id": venue.id if venue else 0,
        "day": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "capacity": 25,
        "presenter_ids": [presenter.id],
        "language": "nl",
    }
    data.update(extra)
    return data


def test_expert_plans_a_saturday_session_and_publishes_it(client, login, make_topic, make_venue):
    expert = login(Role.EXPERT)
    topic, venue = make_topic(), make_venue("2000")
    saturday = _future_weekday(5)
    response = client.post(
        "/beheer/sessies/nieuw", data=_form(topic, venue, expert, saturday, "09:30", "11:30")
    )
    assert response.status_code == 302
    session = db.session.scalars(select(InfoSession)).one()
    assert session.status == SessionStatus.DRAFT and session.is_weekend and not session.is_evening
    assert local(session.starts_at).strftime("%H:%M") == "09:30"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Publiceren" in page
    client.post(f"/beheer/sessies/{session.id}/publiceren")
    db.session.refresh(session)
    assert session.status == SessionStatus.PUBLISHED
    assert topic.title in client.get("/sessies?moment=weekend").get_data(as_text=True)


def test_an_end_before_the_start_is_refused_next_to_the_field_and_nothing_is_saved(
    client, login, make_topic, make_venue
):
    expert = login(Role.EXPERT)
    response = client.post(
        "/beheer/sessies/nieuw",
        data=_form(make_topic(), make_venue(), expert, _future_weekday(1), "21:00", "19:00"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Het einde moet na het begin liggen." in html
    assert 'id="end_time-error"' in html
    assert _count_sessions() == 0


def test_a_public_holiday_asks_for_confirmation(client, login, make_topic, make_venue):
    expert = login(Role.EXPERT)
    topic, venue = make_topic(), make_venue()
    year = local(utcnow()).year + 1
    christmas = date(year, 12, 25)
    response = client.post("/beheer/sessies/nieuw", data=_form(topic, venue, expert, christmas))
    assert response.status_code == 422
    assert "feestdag" in response.get_data(as_text=True)
    assert _count_sessions() == 0
    response = client.post(
        "/beheer/sessies/nieuw", data=_form(topic, venue, expert, christmas, allow_holiday="y")
    )
    assert response.status_code == 302
    assert _count_sessions() == 1


def test_capacity_above_the_venue_is_refused(client, login, make_topic, make_venue):
    expert = login(Role.EXPERT)
    response = client.post(
        "/beheer/sessies/nieuw",
        data=_form(make_topic(), make_venue(capacity=20), expert, _future_weekday(2), capacity=50),
    )
    assert response.status_code == 422
    assert "plaats voor 20 personen" in response.get_data(as_text=True)


def test_publishing_an_online_session_without_a_link_is_refused(client, login, make_session):
    expert = login(Role.EXPERT)
    session = make_session(status="draft", format=SessionFormat.ONLINE, meeting_url="", presenters=[expert])
    response = client.post(f"/beheer/sessies/{session.id}/publiceren", follow_redirects=True)
    assert "vergaderlink" in response.get_data(as_text=True)
    db.session.refresh(session)
    assert session.status == SessionStatus.DRAFT


def test_cancelling_needs_a_reason_and_shows_on_the_public_page(client, login, make_session):
    login(Role.EXPERT)
    session = make_session()
    response = client.post(f"/beheer/sessies/{session.id}/annuleren", data={"reason": ""})
    assert response.status_code == 422
    client.post(f"/beheer/sessies/{session.id}/annuleren", data={"reason": "De zaal is onder water gelopen."})
    db.session.refresh(session)
    assert session.status == SessionStatus.CANCELLED
    html = client.get(f"/sessies/{session.id}").get_data(as_text=True)
    assert "geannuleerd" in html and "onder water" in html


def test_duplicate_makes_a_draft_a_week_later(client, login, make_session):
    login(Role.EXPERT)
    session = make_session()
    response = client.post(f"/beheer/sessies/{session.id}/dupliceren")
    assert response.status_code == 302
    copy = db.session.scalars(select(InfoSession).where(InfoSession.id != session.id)).one()
    assert copy.status == SessionStatus.DRAFT
    assert local(copy.starts_at).date() == local(session.starts_at).date() + timedelta(weeks=1)
    assert local(copy.starts_at).time() == local(session.starts_at).time()


def test_my_sessions_and_all_sessions(client, login, make_session, make_user, make_topic):
    expert = login(Role.EXPERT)
    make_session(presenters=[expert], title="Mijn eigen sessie")
    make_session(presenters=[make_user(Role.EXPERT)], title="Sessie van een collega", days=12)
    mine = client.get("/beheer/sessies?scope=mine").get_data(as_text=True)
    assert "Mijn eigen sessie" in mine and "Sessie van een collega" not in mine
    everything = client.get("/beheer/sessies?scope=all").get_data(as_text=True)
    assert "Mijn eigen sessie" in everything and "Sessie van een collega" in everything


def test_series_preview_lists_skipped_holidays_before_anything_is_created(
    client, login, make_topic, make_venue
):
    expert = login(Role.EXPERT)
    topic, venue = make_topic(), make_venue()
    year = local(utcnow()).year + 1
    form = _form(topic, venue, expert, date(year, 3, 1), "19:30", "21:30")
    # Every Monday in April–May: Easter Monday and Whit Monday fall on Mondays every year.
    form.update(pattern="weekly", weekday=0, interval=1, nth=1, day=date(year, 4, 1).isoformat(),
                last_day=date(year, 5, 31).isoformat(), action="preview")  # fmt: skip
    response = client.post("/beheer/sessies/reeks", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "Paasmaandag" in html or "Pinkstermaandag" in html
    assert _count_sessions() == 0
    form.update(action="create", confirmed="y")
    response = client.post("/beheer/sessies/reeks", data=form)
    assert response.status_code == 302
    created = db.session.scalars(select(InfoSession)).all()
    assert created and all(local(s.starts_at).weekday() == 0 for s in created)
    assert len({s.series_id for s in created}) == 1


def test_admin_adds_a_venue_and_a_walloon_postcode_gets_a_kind_answer(client, login):
    login(Role.ADMIN)
    response = client.post(
        "/beheer/locaties", data={"name": "Zaal Namen", "street": "Rue 1", "postcode": "5000", "capacity": 30}
    )
    assert response.status_code == 422
    assert "Wallonië" in response.get_data(as_text=True)
    response = client.post(
        "/beheer/locaties",
        data={"name": "Zaal Hasselt", "street": "Markt 1", "postcode": "3500", "capacity": 30, "active": "y"},
    )
    assert response.status_code == 302
    assert "Hasselt" in client.get("/beheer/locaties").get_data(as_text=True)


def test_admin_edits_a_topic_agenda(client, login, make_topic):
    login(Role.ADMIN)
    topic = make_topic()
    response = client.post(
        f"/beheer/themas/{topic.id}",
        data={"title": topic.title, "default_duration_minutes": 120, "active": "y",
              "agenda": "10 Welkom\n20 Het starterstraject\n15 Vragen"},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(topic)
    assert [(b.title, b.minutes) for b in topic.agenda_blocks] == [
        ("Welkom", 10), ("Het starterstraject", 20), ("Vragen", 15)
    ]  # fmt: skip
    response = client.post(
        f"/beheer/themas/{topic.id}",
        data={"title": topic.title, "default_duration_minutes": 120, "agenda": "tien Welkom"},
    )
    assert response.status_code == 422
