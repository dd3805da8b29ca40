"""Calendar files and feeds, read back by two independent parsers (icalendar and vobject)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import vobject
from itsdangerous import URLSafeSerializer
from sqlalchemy import event, update

from app.auth.services import update_user
from app.db import utcnow
from app.extensions import db
from app.timezone import BRUSSELS, from_local, local
from sessions import ics, services
from sessions.models import InfoSession, SessionFormat, Topic, Venue

MEETING = "https://meet.example.com/abc-defg-hij"


# --------------------------------------------------------------------------- helpers


def parse(body: bytes) -> tuple[dict, dict]:
    """Both parsers must accept the file. Returns the events of each, keyed by UID."""
    ical = icalendar.Calendar.from_ical(body)
    vcal = vobject.readOne(body.decode("utf-8"))
    assert [tz["TZID"] for tz in ical.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert vcal.vtimezone.tzid.value == "Europe/Brussels"
    ical_events = {str(e["UID"]): e for e in ical.walk("VEVENT")}
    vobject_events = {e.uid.value: e for e in vcal.contents.get("vevent", [])}
    assert ical_events.keys() == vobject_events.keys()
    return ical_events, vobject_events


def uid(session) -> str:
    return f"{session.uid}@startklaar"


def local_day(offset_days: int) -> date:
    return local(utcnow()).date() + timedelta(days=offset_days)


def days_until(weekday: int, at_least: int = 3) -> int:
    """Days from today to the first `weekday` (0 = Monday) at least `at_least` days ahead."""
    day = local_day(at_least)
    return at_least + (weekday - day.weekday()) % 7


def last_sunday(year: int, month: int) -> date:
    """The EU clock-change day: the last Sunday of March or October."""
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def monday_after_spring_dst() -> date:
    """The Monday after the last Sunday of March (clocks went forward), still in the future."""
    year = local_day(0).year
    while last_sunday(year, 3) + timedelta(days=1) <= local_day(1):
        year += 1
    return last_sunday(year, 3) + timedelta(days=1)


def path_of(url: str) -> str:
    return urlsplit(url).path


def move_to_past(session, days_ago: int) -> None:
    """Time passes: the session now lies `days_ago` days behind us (set up directly, as a clock would)."""
    length = session.ends_at - session.starts_at
    session.starts_at = utcnow() - timedelta(days=days_ago)
    session.ends_at = session.starts_at + length
    db.session.commit()


@contextmanager
def count_queries():
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


# --------------------------------------------------------------------------- one session


def test_session_file_downloads_as_a_calendar_attachment(client, make_session):
    session = make_session()

    response = client.get(f"/sessies/{session.id}.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".ics" in response.headers["Content-Disposition"]
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]
    assert b"\r\n" in response.data


def test_session_file_says_what_where_and_when_to_both_parsers(client, make_session, make_venue):
    venue = make_venue(name="Zaal De Kouter", street="Kouter 29", postcode="9000")
    session = make_session(venue=venue)

    ical_events, vobject_events = parse(client.get(f"/sessies/{session.id}.ics").data)

    ev, vev = ical_events[uid(session)], vobject_events[uid(session)]
    assert ev.decoded("DTSTART") == session.starts_at
    assert ev["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert ev["DTEND"].params["TZID"] == "Europe/Brussels"
    assert vev.dtstart.value == session.starts_at
    assert vev.dtend.value == session.ends_at
    assert str(ev["SUMMARY"]) == vev.summary.value == session.display_title
    assert "Zaal De Kouter" in vev.location.value and "9000 Gent" in vev.location.value
    assert str(ev["URL"]) == vev.url.value == f"http://localhost/sessies/{session.id}"
    assert str(ev["STATUS"]) == vev.status.value == "CONFIRMED"
    assert int(ev["SEQUENCE"]) == int(vev.sequence.value) == 0
    assert "Van idee tot vergunning." in vev.description.value
    assert "DTSTAMP" in ev and "LAST-MODIFIED" in ev


def test_session_after_the_spring_clock_change_reads_as_evening_local_time(client, make_session):
    monday = monday_after_spring_dst()
    starts_at = datetime.combine(monday, time(19, 30), tzinfo=BRUSSELS).astimezone(UTC)
    assert starts_at.time() == time(17, 30)  # summer time: two hours ahead of UTC
    session = make_session(starts_at=starts_at)

    body = client.get(f"/sessies/{session.id}.ics").data

    assert f"DTSTART;TZID=Europe/Brussels:{monday:%Y%m%d}T193000".encode() in body
    ical_events, vobject_events = parse(body)
    for value in (ical_events[uid(session)].decoded("DTSTART"), vobject_events[uid(session)].dtstart.value):
        assert (value.hour, value.minute) == (19, 30)
        assert value.astimezone(UTC) == datetime.combine(monday, time(17, 30), tzinfo=UTC)


def test_vtimezone_agrees_with_zoneinfo_for_years_to_come():
    """Evenings around both clock changes, the switch nights themselves, mid-winter and
    mid-summer, for fifteen years: both parsers read from our VTIMEZONE what zoneinfo says."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Startklaar tests//NL")
    calendar.add("version", "2.0")
    calendar.add_component(ics.vtimezone())
    expected = {}
    first_year = local_day(0).year
    for year in range(first_year, first_year + 15):
        for month in (3, 10):
            switch = last_sunday(year, month)
            days = [switch - timedelta(days=1), switch, switch + timedelta(days=1)]
            moments = [datetime.combine(d, time(19, 30)) for d in days]
            moments += [datetime.combine(switch, time(1, 30)), datetime.combine(switch, time(3, 30))]
            for wall in moments:
                expected[f"{wall:%Y%m%dT%H%M}"] = wall.replace(tzinfo=BRUSSELS).astimezone(UTC)
        for wall in (datetime(year, 1, 15, 9, 30), datetime(year, 7, 15, 20, 0)):
            expected[f"{wall:%Y%m%dT%H%M}"] = wall.replace(tzinfo=BRUSSELS).astimezone(UTC)
    for key, at in expected.items():
        item = icalendar.Event()
        item.add("uid", key)
        item.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
        item.add("dtstart", at.astimezone(BRUSSELS))
        calendar.add_component(item)

    ical_events, vobject_events = parse(calendar.to_ical())

    for key, at in expected.items():
        assert ical_events[key].decoded("DTSTART").astimezone(UTC) == at, key
        assert vobject_events[key].dtstart.value.astimezone(UTC) == at, key
        assert vobject_events[key].dtstart.value.strftime("%Y%m%dT%H%M") == key


def test_draft_has_no_calendar_file(client, make_session):
    draft = make_session(status="draft")

    assert client.get(f"/sessies/{draft.id}.ics").status_code == 404
    assert client.get("/sessies/999999.ics").status_code == 404


def test_calendar_suffix_wins_over_the_session_page_routes(app):
    adapter = app.url_map.bind("localhost")

    assert adapter.match("/sessies/12.ics") == ("ics.session_file", {"session_id": 12})
    assert adapter.match("/sessies.ics") == ("ics.feed", {})


def test_uid_stays_and_sequence_rises_when_the_time_changes(client, make_session):
    session = make_session()
    before, _ = parse(client.get(f"/sessies/{session.id}.ics").data)

    data = services.session_data_from(session)
    services.update_session(
        session,
        replace(
            data,
            starts_at=data.starts_at + timedelta(hours=1),
            ends_at=data.ends_at + timedelta(hours=1),
            allow_holiday=True,
        ),
    )
    after_ical, after_vobject = parse(client.get(f"/sessies/{session.id}.ics").data)

    assert list(before) == list(after_ical) == [uid(session)]
    assert int(after_ical[uid(session)]["SEQUENCE"]) == int(after_vobject[uid(session)].sequence.value) == 1
    moved = before[uid(session)].decoded("DTSTART") + timedelta(hours=1)
    assert after_vobject[uid(session)].dtstart.value == moved


def test_cancelled_session_is_marked_cancelled_with_the_reason(client, make_session):
    session = make_session()

    services.cancel_session(session, "De spreker is ziek.")
    ical_events, vobject_events = parse(client.get(f"/sessies/{session.id}.ics").data)

    ev, vev = ical_events[uid(session)], vobject_events[uid(session)]
    assert str(ev["STATUS"]) == vev.status.value == "CANCELLED"
    assert int(vev.sequence.value) == 1
    assert "De spreker is ziek." in vev.description.value
    assert vev.summary.value.startswith("Geannuleerd")


def test_public_files_never_carry_the_meeting_link(client, make_session):
    online = make_session(format=SessionFormat.ONLINE, meeting_url=MEETING)
    hybrid = make_session(format=SessionFormat.HYBRID, meeting_url=MEETING)

    single = client.get(f"/sessies/{online.id}.ics").data
    hybrid_file = client.get(f"/sessies/{hybrid.id}.ics").data
    feed = client.get("/sessies.ics").data

    ical_events, vobject_events = parse(single)
    assert vobject_events[uid(online)].location.value == "Online"
    for body in (single, hybrid_file, feed):
        assert b"meet.example.com" not in body
    assert len(parse(feed)[0]) == 2
    for link in (*ics.calendar_links(online).values(), *ics.calendar_links(hybrid).values()):
        assert "meet.example.com" not in link


# --------------------------------------------------------------------------- conditional requests


def test_unchanged_feed_answers_304_to_its_etag(client, make_session):
    make_session()
    first = client.get("/sessies.ics")

    again = client.get("/sessies.ics", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_unchanged_session_file_answers_304_to_if_modified_since(client, make_session):
    session = make_session()
    first = client.get(f"/sessies/{session.id}.ics")

    again = client.get(
        f"/sessies/{session.id}.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )

    assert again.status_code == 304


def test_changed_feed_gets_a_new_etag(client, make_session):
    session = make_session()
    first = client.get("/sessies.ics")

    services.cancel_session(session, "Te weinig inschrijvingen.")
    again = client.get("/sessies.ics", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]
    assert b"STATUS:CANCELLED" in again.data


def test_unchanged_feed_answers_304_to_if_modified_since(client, make_session):
    make_session()
    first = client.get("/sessies.ics")

    again = client.get("/sessies.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]})

    assert again.status_code == 304


def test_a_registration_leaves_the_feeds_as_they_were(client, make_session, make_registration):
    """Calendars and feed readers show no seats: people registering must not make every
    subscriber download the feed again, nor mark its events as changed."""
    session = make_session()
    make_session(days=12)
    feed, single, atom = "/sessies.ics", f"/sessies/{session.id}.ics", "/sessies.atom"
    first = {url: client.get(url) for url in (feed, single, atom)}

    make_registration(session, status="confirmed")
    make_registration(session, status="pending")

    for url, response in first.items():
        for headers in (
            {"If-None-Match": response.headers["ETag"]},
            {"If-Modified-Since": response.headers["Last-Modified"]},
        ):
            assert client.get(url, headers=headers).status_code == 304, (url, headers)
        assert client.get(url).data == response.data, url


def test_an_edit_of_what_a_calendar_shows_changes_the_feed(client, make_session):
    session = make_session()
    first = client.get("/sessies.ics")
    services.update_session(
        session, replace(services.session_data_from(session), title="Nieuwe titel", allow_holiday=True)
    )
    again = client.get("/sessies.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert "Nieuwe titel" in again.get_data(as_text=True)


def test_another_presenter_alone_changes_the_feed(client, make_session, make_user):
    """The presenters are a link table, not a column of the session: changing only them is a
    change of the session's details all the same, and the feeds follow the details' stamp."""
    session = make_session()
    make_session(days=12)
    first = client.get("/sessies.ics")
    other = make_user(name="Nieuwe Presentator")
    services.update_session(
        session, replace(services.session_data_from(session), presenter_ids=[other.id], allow_holiday=True)
    )
    again = client.get("/sessies.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.headers["ETag"] != first.headers["ETag"]


def test_an_edit_stamped_before_one_that_committed_first_still_changes_the_feed(client, make_session):
    """Stamps are taken at flush, not at commit: an edit can commit after one stamped later.
    The feed's version counts edits (the sum of the revisions), so it sees that one too."""
    edited_later, edited_now = make_session(), make_session(days=12)
    with db.engine.begin() as other:  # its stamp is the newest, and it committed first
        other.execute(
            update(InfoSession)
            .where(InfoSession.id == edited_later.id)
            .values(details_changed_at=utcnow() + timedelta(minutes=5))
        )
    db.session.rollback()  # this request starts after that commit
    first = client.get("/sessies.ics")

    services.update_session(
        edited_now,
        replace(services.session_data_from(edited_now), title="Later gewijzigd", allow_holiday=True),
    )

    again = client.get("/sessies.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert "Later gewijzigd" in again.get_data(as_text=True)


def test_session_leaving_a_filtered_feed_is_not_answered_304(client, make_session, make_venue):
    session = make_session(venue=make_venue(postcode="9000"))  # Gent, Oost-Vlaanderen
    make_session(venue=make_venue(postcode="9300"))  # Aalst, stays in the feed
    a_day_ago = utcnow() - timedelta(days=1)
    for table in (InfoSession, Topic, Venue):  # the subscriber last looked yesterday
        db.session.execute(update(table).values(updated_at=a_day_ago))
    db.session.execute(update(InfoSession).values(details_changed_at=a_day_ago))
    db.session.commit()
    first = client.get("/sessies.ics?provincie=oost-vlaanderen")
    assert len(parse(first.data)[0]) == 2

    hasselt = make_venue(postcode="3500")  # Limburg
    services.update_session(
        session, replace(services.session_data_from(session), venue_id=hasselt.id, allow_holiday=True)
    )
    again = client.get(
        "/sessies.ics?provincie=oost-vlaanderen",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )

    assert again.status_code == 200
    assert uid(session) not in parse(again.data)[0]


# --------------------------------------------------------------------------- the public feed


def test_feed_lists_published_and_cancelled_sessions_but_no_drafts(client, make_session):
    published = make_session(days=10)
    cancelled = make_session(days=11)
    services.cancel_session(cancelled, "Zaal niet beschikbaar.")
    draft = make_session(days=12, status="draft")

    response = client.get("/sessies.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("inline")
    ical_events, vobject_events = parse(response.data)
    assert set(ical_events) == {uid(published), uid(cancelled)}
    assert uid(draft) not in vobject_events
    assert vobject_events[uid(cancelled)].status.value == "CANCELLED"
    assert b"X-WR-CALNAME:" in response.data


def test_feed_applies_the_catalogue_filters(client, make_session, make_topic):
    saturday = make_session(days=days_until(5), hour=9)
    wednesday_evening = make_session(days=days_until(2), hour=19)
    online = make_session(days=days_until(3), hour=14, format=SessionFormat.ONLINE)
    special = make_topic(title="Subsidies: basissubsidie, inkomenstarief, plussubsidie")
    themed = make_session(days=days_until(1), hour=10, topic=special)

    def uids(query: str) -> set[str]:
        return set(parse(client.get(f"/sessies.ics?{query}").data)[0])

    assert uids("moment=weekend") == {uid(saturday)}
    assert uids("moment=avond") == {uid(wednesday_evening)}
    assert uids("formaat=online") == {uid(online)}
    assert uids(f"thema={special.slug}") == {uid(themed)}
    assert uids("provincie=limburg") == set()
    assert len(uids("")) == 4


def test_empty_feed_is_still_a_valid_calendar(client):
    response = client.get("/sessies.ics")

    assert response.status_code == 200
    ical_events, vobject_events = parse(response.data)
    assert ical_events == vobject_events == {}
    assert "Last-Modified" not in response.headers


def test_feed_needs_the_same_number_of_queries_for_many_sessions(client, make_session):
    make_session(days=10)
    with count_queries() as few:
        client.get("/sessies.ics")
    for offset in range(11, 16):
        make_session(days=offset)

    with count_queries() as many:
        body = client.get("/sessies.ics").data

    assert len(parse(body)[0]) == 6
    assert len(many) == len(few)


# --------------------------------------------------------------------------- the presenter's feed


def test_presenter_feed_lists_own_sessions_with_the_meeting_link(client, make_session, make_user):
    presenter = make_user()
    mine = make_session(days=10, format=SessionFormat.ONLINE, meeting_url=MEETING, presenters=[presenter])
    cancelled = make_session(days=11, presenters=[presenter])
    services.cancel_session(cancelled, "Ziek.")
    draft = make_session(days=12, presenters=[presenter], status="draft")
    someone_elses = make_session(days=13)

    response = client.get(path_of(ics.presenter_feed_url(presenter)))

    assert response.status_code == 200
    assert "no-cache" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    ical_events, vobject_events = parse(response.data)
    assert set(ical_events) == {uid(mine), uid(cancelled)}
    assert uid(draft) not in ical_events and uid(someone_elses) not in ical_events
    assert MEETING in vobject_events[uid(mine)].description.value
    assert MEETING in str(ical_events[uid(mine)]["DESCRIPTION"])
    assert vobject_events[uid(cancelled)].status.value == "CANCELLED"


def test_presenter_feed_keeps_the_last_ninety_days(client, make_session, make_user):
    presenter = make_user()
    last_month = make_session(days=10, presenters=[presenter])
    long_ago = make_session(days=11, presenters=[presenter])
    move_to_past(last_month, days_ago=30)
    move_to_past(long_ago, days_ago=120)
    services.complete_session(last_month)

    ical_events, _ = parse(client.get(path_of(ics.presenter_feed_url(presenter))).data)

    assert set(ical_events) == {uid(last_month)}


def test_presenter_taken_off_a_session_no_longer_sees_it(client, make_session, make_user):
    presenter, colleague = make_user(), make_user()
    session = make_session(days=10, presenters=[presenter])
    kept = make_session(days=11, presenters=[presenter])
    url = path_of(ics.presenter_feed_url(presenter))
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    services.update_session(
        session,
        replace(services.session_data_from(session), presenter_ids=[colleague.id], allow_holiday=True),
    )

    for headers in (
        {"If-None-Match": first.headers["ETag"]},
        {"If-Modified-Since": first.headers["Last-Modified"]},
    ):
        again = client.get(url, headers=headers)
        assert again.status_code == 200
        assert set(parse(again.data)[0]) == {uid(kept)}


@pytest.mark.parametrize(
    "token",
    ["nonsense", "WzEsImFiYyJd.invalid-signature", "W10.abc"],
)
def test_presenter_feed_refuses_a_bad_token(client, make_session, token):
    make_session()

    assert client.get(f"/agenda/{token}.ics").status_code == 404


def test_presenter_feed_refuses_a_token_signed_for_something_else(app, client, make_user):
    presenter = make_user()
    good = ics.presenter_feed_token(presenter)
    payload = URLSafeSerializer(app.config["SECRET_KEY"]).loads_unsafe(good)[1]
    forged = URLSafeSerializer(app.config["SECRET_KEY"], salt="something-else").dumps(payload)

    assert client.get(f"/agenda/{forged}.ics").status_code == 404
    assert client.get(f"/agenda/{good}.ics").status_code == 200


def test_presenter_feed_dies_when_the_user_is_deactivated(client, make_session, make_user):
    presenter = make_user()
    make_session(presenters=[presenter])
    url = path_of(ics.presenter_feed_url(presenter))
    assert client.get(url).status_code == 200

    update_user(presenter, presenter.role, active=False)

    assert client.get(url).status_code == 404


def test_presenter_feed_dies_after_a_password_reset(client, make_user):
    presenter = make_user()
    url = path_of(ics.presenter_feed_url(presenter))

    update_user(presenter, presenter.role, active=True, password="een nieuw lang wachtwoord")

    assert client.get(url).status_code == 404
    assert client.get(path_of(ics.presenter_feed_url(presenter))).status_code == 200


def test_presenter_feed_url_is_absolute_and_subscribable(app, make_user):
    url = ics.presenter_feed_url(make_user())

    assert url.startswith("http://localhost/agenda/") and url.endswith(".ics")
    assert ics.webcal_url(url).startswith("webcal://localhost/agenda/")


# --------------------------------------------------------------------------- mail attachments


def test_invitation_carries_method_organizer_attendee_and_the_link(app, make_session):
    session = make_session(format=SessionFormat.ONLINE, meeting_url=MEETING)
    before = utcnow().replace(microsecond=0)

    body = ics.build_calendar(
        [session],
        method="REQUEST",
        include_private=True,
        organizer='"Startklaar" <noreply@startklaar.local>',
        attendee="Janssens, An <an.janssens@example.com>",
    )

    ical_events, vobject_events = parse(body)
    assert icalendar.Calendar.from_ical(body)["METHOD"] == "REQUEST"
    ev, vev = ical_events[uid(session)], vobject_events[uid(session)]
    assert vev.organizer.value == "mailto:noreply@startklaar.local"
    assert vev.organizer.params["CN"] == ["Startklaar"]
    assert vev.attendee.value == "mailto:an.janssens@example.com"
    assert vev.attendee.params["CN"] == ["Janssens, An"]
    assert ev["ATTENDEE"].params["CN"] == "Janssens, An"
    assert MEETING in vev.description.value
    # A message's DTSTAMP is when it was made, so a later mail wins at the same SEQUENCE.
    assert ev.decoded("DTSTAMP") >= before


def test_cancel_message_marks_the_event_cancelled(app, make_session):
    session = make_session()

    body = ics.build_calendar([session], method="CANCEL")

    ical_events, vobject_events = parse(body)
    assert vobject_events[uid(session)].status.value == "CANCELLED"
    assert b"METHOD:CANCEL" in body


def test_unknown_method_is_refused(app, make_session):
    with pytest.raises(ValueError, match="method"):
        ics.build_calendar([make_session()], method="INVITE")


# --------------------------------------------------------------------------- "add to calendar"


def test_calendar_links_fill_in_google_and_outlook(app, make_session):
    session = make_session(starts_at=from_local(local_day(20), time(19, 30)))
    start = session.starts_at.astimezone(UTC)
    end = session.ends_at.astimezone(UTC)

    links = ics.calendar_links(session)

    google = urlsplit(links["google"])
    assert google.netloc == "calendar.google.com"
    query = parse_qs(google.query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == [session.display_title]
    assert query["dates"] == [f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"]
    assert f"http://localhost/sessies/{session.id}" in query["details"][0]
    assert session.venue.name in query["location"][0]
    for key in ("outlook", "office365"):
        outlook = parse_qs(urlsplit(links[key]).query)
        assert outlook["rru"] == ["addevent"]
        assert outlook["subject"] == [session.display_title]
        assert outlook["startdt"] == [f"{start:%Y-%m-%dT%H:%M:%SZ}"]
        assert outlook["enddt"] == [f"{end:%Y-%m-%dT%H:%M:%SZ}"]
    assert " " not in links["google"] and " " not in links["outlook"]
    assert links["ics"] == f"http://localhost/sessies/{session.id}.ics"


def test_webcal_url_swaps_the_scheme():
    assert ics.webcal_url("https://startklaar.be/sessies.ics?moment=avond") == (
        "webcal://startklaar.be/sessies.ics?moment=avond"
    )
    assert ics.webcal_url("http://localhost/sessies.ics") == "webcal://localhost/sessies.ics"
