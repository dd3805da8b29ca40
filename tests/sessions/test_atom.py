"""The Atom feed `/sessies.atom`, read back by a strict XML parser (ElementTree: a document that is
not well-formed raises) and by an independent feed reader (feedparser, as news readers use)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - parses our own output in a test
from datetime import UTC, datetime, timedelta

import feedparser
from sqlalchemy import update

from app.db import utcnow
from app.extensions import db
from app.timezone import local
from sessions import services
from sessions.models import InfoSession, SessionFormat, Topic

NS = {"a": "http://www.w3.org/2005/Atom"}


def parse(body: bytes) -> ET.Element:
    root = ET.fromstring(body)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    # What RFC 4287 requires of a feed and of each entry.
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert root.find(required, NS) is not None, required
    for entry in root.findall("a:entry", NS):
        for required in ("a:id", "a:title", "a:updated", "a:link[@rel='alternate']", "a:summary"):
            assert entry.find(required, NS) is not None, required
    reader = feedparser.parse(body)
    assert not reader.bozo, reader.get("bozo_exception")
    assert reader.version == "atom10"
    assert len(reader.entries) == len(root.findall("a:entry", NS))
    return root


def links(root: ET.Element) -> list[str]:
    return [e.find("a:link[@rel='alternate']", NS).get("href") for e in root.findall("a:entry", NS)]


def days_until(weekday: int, at_least: int = 3) -> int:
    day = local(utcnow()).date() + timedelta(days=at_least)
    return at_least + (weekday - day.weekday()) % 7


def published(session, moment: datetime) -> None:
    db.session.execute(update(InfoSession).where(InfoSession.id == session.id).values(published_at=moment))
    db.session.commit()


def url(session) -> str:
    return f"http://localhost/sessies/{session.id}"


def test_feed_lists_the_newest_published_sessions_first(client, make_session, make_venue):
    venue = make_venue(name="Zaal De Kouter", street="Kouter 29", postcode="9000")
    soon = make_session(days=5, venue=venue)
    later = make_session(days=30)
    middle = make_session(days=12)
    make_session(days=8, status="draft")
    published(soon, datetime(2026, 3, 1, 9, tzinfo=UTC))
    published(later, datetime(2026, 3, 3, 9, tzinfo=UTC))
    published(middle, datetime(2026, 3, 2, 9, tzinfo=UTC))

    response = client.get("/sessies.atom")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = parse(response.data)
    assert links(root) == [url(later), url(middle), url(soon)]
    entry = root.findall("a:entry", NS)[-1]
    assert entry.find("a:published", NS).text == "2026-03-01T09:00:00Z"
    assert soon.display_title in entry.find("a:title", NS).text
    summary = entry.find("a:summary", NS).text
    assert "Zaal De Kouter, Kouter 29, 9000 Gent" in summary
    assert "Van idee tot vergunning." in summary
    assert root.find("a:link[@rel='self']", NS).get("href") == "http://localhost/sessies.atom"
    reader = feedparser.parse(response.data)
    assert reader.feed.title == "Infosessies kinderopvang starten"
    assert reader.entries[0].link == url(later)


def test_feed_applies_the_catalogue_filters(client, make_session, make_topic):
    saturday = make_session(days=days_until(5), hour=9)
    wednesday_evening = make_session(days=days_until(2), hour=19)
    online = make_session(days=days_until(3), hour=14, format=SessionFormat.ONLINE)
    special = make_topic(title="Subsidies: basissubsidie, inkomenstarief, plussubsidie")
    themed = make_session(days=days_until(1), hour=10, topic=special)

    def listed(query: str) -> set[str]:
        return set(links(parse(client.get(f"/sessies.atom?{query}").data)))

    assert listed("moment=weekend") == {url(saturday)}
    assert listed("moment=avond") == {url(wednesday_evening)}
    assert listed("formaat=online") == {url(online)}
    assert listed(f"thema={special.slug}") == {url(themed)}
    assert listed("provincie=limburg") == set()
    assert len(listed("")) == 4
    # A filtered feed is another feed: its own id and self link, and the catalogue it mirrors.
    root = parse(client.get("/sessies.atom?formaat=online").data)
    assert root.find("a:id", NS).text == "http://localhost/sessies.atom?formaat=online"
    assert root.find("a:link[@rel='alternate']", NS).get("href") == "http://localhost/sessies?formaat=online"


def test_bad_filters_are_ignored_not_refused(client, make_session):
    make_session()

    response = client.get("/sessies.atom?maand=dertien&formaat=%3Cscript%3E")

    assert response.status_code == 200
    assert len(links(parse(response.data))) == 1


def test_cancelled_sessions_say_so_and_drafts_and_past_sessions_never_show(client, make_session):
    cancelled = make_session(days=11)
    services.cancel_session(cancelled, "Zaal niet beschikbaar.")
    make_session(days=12, status="draft")

    root = parse(client.get("/sessies.atom").data)

    (entry,) = root.findall("a:entry", NS)
    assert entry.find("a:title", NS).text.startswith("Geannuleerd: ")
    assert "Zaal niet beschikbaar." in entry.find("a:summary", NS).text


def test_texts_with_markup_and_control_characters_stay_text(client, make_session, make_topic):
    topic = make_topic(title='Opvang <b>&</b> "starten"')
    # Pasted from a word processor, past any form's checks.
    db.session.execute(update(Topic).where(Topic.id == topic.id).values(description="Eerst\x0b dit & <dat>."))
    db.session.commit()
    session = make_session(topic=topic)

    response = client.get("/sessies.atom")

    entry = parse(response.data).find("a:entry", NS)
    assert entry.find("a:title", NS).text.startswith('Opvang <b>&</b> "starten"')
    assert "Eerst dit & <dat>." in entry.find("a:summary", NS).text
    assert b"<b>" not in response.data
    assert feedparser.parse(response.data).entries[0].link == url(session)


def test_empty_feed_is_still_valid(client):
    root = parse(client.get("/sessies.atom").data)

    assert root.findall("a:entry", NS) == []


def test_unchanged_feed_answers_304_and_a_change_gives_a_new_etag(client, make_session):
    session = make_session()
    first = client.get("/sessies.atom")

    again = client.get("/sessies.atom", headers={"If-None-Match": first.headers["ETag"]})
    services.cancel_session(session, "Ziek.")
    changed = client.get("/sessies.atom", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_catalogue_announces_the_feed_with_its_filters(client):
    html = client.get("/sessies?formaat=online").get_data(as_text=True)

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Nieuwe infosessies (Atom)" '
        'href="/sessies.atom?formaat=online">'
    ) in html
    assert 'href="/sessies.atom?formaat=online" type="application/atom+xml"' in html


def test_english_feed_speaks_english(client, make_session):
    make_session()

    root = parse(client.get("/sessies.atom?lang=en").data)

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    subtitle = root.find("a:subtitle", NS).text
    assert subtitle == "New free information sessions on starting a childcare business."
