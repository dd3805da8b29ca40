"""The public session page is cached by its version (sessions/views/public.py): a visitor never
sees a stale page, and never another visitor's token, name or message.

Each test first loads the page (the cache is filled), changes something the page shows the way
staff or a visitor would, and loads it again: the change must be there at once. The last tests
are about the one bound, for the catalogue too: how late another server's change reaches a visitor.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from materials.handouts import services as handouts
from materials.handouts.models import Visibility
from sessions import services
from sessions.models import InfoSession
from tests.support.registrations import FORM_DEFAULTS

BODY = "sessions/_detail_body.html"


def visit(client, path: str, **kwargs) -> str:
    db.session.commit()
    db.session.expire_all()  # the page must not be handed this test's loaded objects
    response = client.get(path, **kwargs)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def page(client, session, **kwargs) -> str:
    return visit(client, f"/sessies/{session.id}", **kwargs)


def seats(html: str) -> str:
    return re.search(r'class="seats[^"]*">([^<]*)<', html).group(1)


def register(client, session, email: str, **extra):
    form = {**FORM_DEFAULTS, "email": email, **extra}
    response = client.post(f"/sessies/{session.id}/inschrijven", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def test_the_page_is_built_once_and_served_from_the_cache_until_something_changes(
    client, make_session, rendered
):
    session = make_session(capacity=5)
    first = page(client, session)
    assert page(client, session) == first
    assert rendered[BODY] == 1
    register(client, session, "an@example.com")
    assert seats(page(client, session)) == "nog 4 plaatsen"
    assert rendered[BODY] == 2


def test_a_registration_changes_the_seats_left_at_once_and_a_full_session_offers_the_waiting_list(
    client, make_session
):
    session = make_session(capacity=2)
    assert seats(page(client, session)) == "nog 2 plaatsen"
    register(client, session, "an@example.com")
    assert seats(page(client, session)) == "nog 1 plaats"
    register(client, session, "bert@example.com")
    html = page(client, session)
    assert "Op de wachtlijst" in html and "Zet me op de wachtlijst" in html


def test_editing_the_session_shows_the_new_title_capacity_and_presenters_at_once(
    client, make_session, make_user
):
    earlier = make_user(Role.EXPERT, name="Zita Presentator")  # older than the session's presenter
    session = make_session(capacity=10)
    assert seats(page(client, session)) == "nog 10 plaatsen"
    data = services.session_data_from(session)
    data.title = "Starten als onthaalouder"
    data.capacity = 12
    services.update_session(session, data)
    html = page(client, session)
    assert "<h1>Starten als onthaalouder</h1>" in html
    assert "Starten als onthaalouder –" in html.split("</title>")[0]  # the title in <head> too
    assert seats(html) == "nog 12 plaatsen"
    # Only the presenters change (rows of their own, an older user): still the page follows.
    data = services.session_data_from(session)
    data.presenter_ids = [earlier.id]
    services.update_session(session, data)
    assert "Zita Presentator" in page(client, session)


def test_a_change_of_topic_or_venue_shows_at_once(client, make_session, make_topic, make_venue):
    topic, venue = make_topic(title="Groepsopvang starten"), make_venue(name="Zaal Kouter")
    session = make_session(topic=topic, venue=venue)
    html = page(client, session)
    assert "Zaal Kouter" in html and "Vragen en antwoorden" not in html
    # Only the agenda changes (rows of their own): still the page follows.
    services.save_topic(
        topic,
        title=topic.title,
        description=topic.description,
        agenda=[("Welkom", 10), ("Het starterstraject", 20), ("Vragen en antwoorden", 15)],
    )
    assert "Vragen en antwoorden" in page(client, session)
    services.save_topic(topic, title=topic.title, description="Alles over de vergunning.")
    assert "Alles over de vergunning." in page(client, session)
    services.save_venue(venue, name="Zaal Zuid", street=venue.street, postcode=venue.postcode, capacity=40)
    html = page(client, session)
    assert "Zaal Zuid" in html and "Zaal Kouter" not in html


def test_the_topics_other_dates_and_a_cancellation_show_at_once(client, make_session, make_topic):
    topic = make_topic()
    session = make_session(topic=topic, days=10)
    assert "Andere data voor dit thema" not in page(client, session)
    other = make_session(topic=topic, days=20)
    html = page(client, session)
    assert "Andere data voor dit thema" in html and f"/sessies/{other.id}-" in html
    services.cancel_session(other, "De spreker is ziek.")
    assert f"/sessies/{other.id}-" not in page(client, session)
    services.cancel_session(session, "De zaal is onder water gelopen.")
    html = page(client, session)
    assert "Deze infosessie is geannuleerd." in html and "onder water" in html
    assert 'action="/sessies/' not in html  # no registration form any more


def test_a_registration_for_another_date_of_the_topic_leaves_the_page_alone(
    client, make_session, make_topic, rendered
):
    """The page lists the topic's other dates by day and place, not by seats: people registering
    for one of them (the soonest dates, the busiest) must not rebuild every page of the topic.
    Moving that date does."""
    topic = make_topic()
    session = make_session(topic=topic, days=20)
    other = make_session(topic=topic, days=10)
    page(client, session)
    register(client, other, "an@example.com")
    register(client, other, "bram@example.com")
    page(client, session)
    assert rendered[BODY] == 1
    moved = replace(services.session_data_from(other), allow_holiday=True)
    moved = replace(
        moved, starts_at=moved.starts_at + timedelta(days=1), ends_at=moved.ends_at + timedelta(days=1)
    )
    services.update_session(other, moved)
    html = page(client, session)
    assert rendered[BODY] == 2
    assert f"/sessies/{other.id}-" in html


def test_public_materials_added_hidden_and_removed_show_at_once(client, make_session):
    session = make_session()
    assert "Materiaal" not in page(client, session)
    data = handouts.MaterialData("Brochure starters", Visibility.PUBLIC, link_url="https://example.com/b.pdf")
    material = handouts.add_material(data, session=session)
    assert "Brochure starters" in page(client, session)
    handouts.update_visibility(material, Visibility.STAFF)
    assert "Brochure starters" not in page(client, session)
    topic_wide = handouts.add_material(
        handouts.MaterialData("Checklist", Visibility.PUBLIC, link_url="https://example.com/c.pdf"),
        topic=session.topic,
    )
    assert "Checklist" in page(client, session)
    handouts.delete_material(topic_wide)
    assert "Checklist" not in page(client, session)


def test_the_clock_closes_registration_on_a_cached_page(app, make_session):
    session = make_session(days=10, registration_closes_at=utcnow() + timedelta(days=2))
    db.session.commit()
    now = utcnow()
    before = services.session_page_version(session.id, now=now)
    assert before.open and not before.past
    after = services.session_page_version(session.id, now=now + timedelta(days=3))
    assert not after.open and after != before
    ended = services.session_page_version(session.id, now=session.ends_at + timedelta(minutes=1))
    assert ended.past


def test_a_draft_or_unknown_session_has_no_page_version(app, make_session):
    draft = make_session(status="draft")
    db.session.commit()
    assert services.session_page_version(draft.id) is None
    assert services.session_page_version(999_999) is None


def test_the_language_is_part_of_the_key(client, make_session):
    session = make_session()
    assert "Zet in je agenda" in page(client, session)
    assert "Add to your calendar" in page(client, session, query_string={"lang": "en"})
    assert "Zet in je agenda" in page(client, session, query_string={"lang": "nl"})


def test_a_visitor_never_sees_the_staff_members_header_or_message_of_another(
    app, client, login, make_session, make_user, rendered
):
    session = make_session()
    login(user=make_user(Role.EXPERT, name="Ilse Medewerker"))
    with client.session_transaction() as cookie:
        cookie.setdefault("_flashes", []).append(("success", "Sessie opgeslagen."))
    html = page(client, session)
    assert "Ilse Medewerker" in html and "Afmelden" in html and "Sessie opgeslagen." in html
    visitor = app.test_client()
    html = page(visitor, session)
    assert rendered[BODY] == 1  # the visitor got the cached page…
    assert "Ilse Medewerker" not in html and "Afmelden" not in html  # …without the staff header
    assert "Sessie opgeslagen." not in html


# A visitor's visits trust the version read for PAGE_VERSION_MAX_AGE seconds in this process
# (app.cache.RecentReads): every commit here makes the next visit ask again (the tests above, on
# the default of a second), and a change another server commits shows once that time has passed.


def _statements(request) -> int:
    """The SQL statements the app sends, on any of its engines, while `request()` runs."""
    sent = []

    def note(*_args) -> None:
        sent.append(1)

    engines = list(db.engines.values())
    for engine in engines:
        event.listen(engine, "before_cursor_execute", note)
    try:
        request()
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", note)
    return len(sent)


def _retitle_elsewhere(app, session, title: str) -> None:
    """Commit a new title as another app server (or the worker) would: on a connection of its
    own, whose commit this process does not see."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with Session(engine) as other:
            other.get(InfoSession, session.id).title = title
            other.commit()
    finally:
        engine.dispose()
    # The test's session, which the requests share, must not hand the page its loaded objects,
    # nor its snapshot (SQLite): end its transaction, without a commit this process would count.
    db.session.rollback()


# The session page and the catalogue, each read the same way.
PAGES = pytest.mark.parametrize(
    "path_of", [lambda s: f"/sessies/{s.id}", lambda s: "/sessies"], ids=["session page", "catalogue"]
)


@PAGES
def test_a_visitor_s_next_visits_within_the_max_age_ask_the_database_nothing(
    app, client, make_session, path_of
):
    app.config["PAGE_VERSION_MAX_AGE"] = 60
    path = path_of(make_session())
    visit(client, path)
    visitor = app.test_client()
    assert _statements(lambda: visitor.get(path)) == 0
    assert _statements(lambda: visit(visitor, path)) >= 1  # a commit here: the next visit asks
    app.config["PAGE_VERSION_MAX_AGE"] = 0
    assert _statements(lambda: visitor.get(path)) >= 1


@PAGES
def test_a_change_another_server_commits_shows_to_a_visitor_once_the_max_age_has_passed(
    app, client, make_session, path_of
):
    app.config["PAGE_VERSION_MAX_AGE"] = 0.3
    session = make_session(title="Van idee tot opvang")
    assert "Van idee tot opvang" in visit(client, path_of(session))
    _retitle_elsewhere(app, session, "Starten met een gezinsopvang")
    time.sleep(0.35)
    assert "Starten met een gezinsopvang" in client.get(path_of(session)).get_data(as_text=True)


@PAGES
def test_staff_and_a_visitor_with_a_message_see_another_server_s_change_at_once(
    app, client, login, make_session, path_of
):
    app.config["PAGE_VERSION_MAX_AGE"] = 60
    session = make_session(title="Van idee tot opvang")
    visitor = app.test_client()
    assert "Van idee tot opvang" in visit(visitor, path_of(session))
    _retitle_elsewhere(app, session, "Starten met een gezinsopvang")
    with visitor.session_transaction() as cookie:
        cookie.setdefault("_flashes", []).append(("success", "Je inschrijving is geannuleerd."))
    assert "Starten met een gezinsopvang" in visitor.get(path_of(session)).get_data(as_text=True)
    login()
    assert "Starten met een gezinsopvang" in client.get(path_of(session)).get_data(as_text=True)
