"""The embeddable widget `/widget`, the websites that may frame it, and its admin page."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import product

import pytest
from sqlalchemy import select, update

from app.audit import entries_for
from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from sessions import services
from sessions.models import InfoSession, SessionFormat, SessionStatus, WidgetOrigin


def frame_ancestors(response) -> str:
    return re.search(r"frame-ancestors ([^;]+)", response.headers["Content-Security-Policy"]).group(1)


# --------------------------------------------------------------------------- origins


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("https://www.agentschap.be", "https://www.agentschap.be"),
        ("  HTTPS://WWW.Agentschap.be/infosessies?x=1#top ", "https://www.agentschap.be"),
        ("https://www.agentschap.be:443/", "https://www.agentschap.be"),
        ("http://localhost:8080/pagina", "http://localhost:8080"),
        ("http://127.0.0.2:5999", "http://127.0.0.2:5999"),
    ],
)
def test_an_address_keeps_only_its_origin(app, text, origin):
    assert services.normalise_origin(text) == origin


@pytest.mark.parametrize(
    "text",
    [
        "",
        "www.agentschap.be",
        "ftp://agentschap.be",
        "javascript:alert(1)",
        "https://*.agentschap.be",
        "https://a.be https://b.be",
        "https://a.be;script-src *",
        "https://a.be,https://b.be",
        "'self'",
        "https://user:pw@a.be",
        "https://a.be:99999",
        "https://-a.be",
    ],
)
def test_anything_but_one_website_is_refused(app, text):
    with pytest.raises(DomainError) as refused:
        services.normalise_origin(text)
    assert refused.value.field == "origin"


def test_adding_twice_keeps_one_and_both_changes_are_audited(app, make_user):
    admin = make_user(Role.ADMIN)

    first = services.add_origin("https://www.agentschap.be/", actor=admin)
    again = services.add_origin("https://www.agentschap.be/andere-pagina", actor=admin)
    services.remove_origin(first.id, actor=admin)

    assert again.id == first.id
    assert services.allowed_origins() == []
    actions = [e.action for e in entries_for("widget", first.id)]
    assert sorted(actions) == ["widget.origin_added", "widget.origin_removed"]


# --------------------------------------------------------------------------- the widget


def test_widget_lists_the_next_sessions_with_seats_left_and_links_to_register(
    client, make_session, make_registration
):
    soon = make_session(days=3, capacity=1)
    make_registration(session=soon, status="confirmed")  # full now
    later = make_session(days=6, capacity=20)
    make_session(days=8, status="draft")
    closed = make_session(days=9, registration_closes_at=utcnow() + timedelta(days=7))

    page = client.get("/widget").get_data(as_text=True)

    assert f"/sessies/{later.id}-" in page
    assert f"/sessies/{soon.id}-" not in page  # full
    assert f"/sessies/{closed.id}-" in page  # registration still open for a week
    assert "nog 20 plaatsen" in page
    link = re.search(rf'<a class="button primary" href="([^"]+/sessies/{later.id}-[^"]+)"([^>]*)>', page)
    assert link.group(1).startswith("http://localhost/") and link.group(1).endswith("#inschrijven")
    assert 'target="_blank"' in link.group(2) and 'rel="noopener"' in link.group(2)
    assert "opent in een nieuw tabblad" in page
    assert 'class="site-header"' not in page  # no page frame inside a frame


def test_widget_takes_the_catalogue_filters_and_a_number(client, make_session, make_topic):
    online = make_session(days=4, format=SessionFormat.ONLINE)
    on_site = make_session(days=5)
    topic = make_topic(title="Gezinsopvang")
    themed = [make_session(days=10 + n, topic=topic) for n in range(7)]

    only_online = client.get("/widget?formaat=online").get_data(as_text=True)
    default = client.get(f"/widget?thema={topic.slug}").get_data(as_text=True)
    three = client.get(f"/widget?thema={topic.slug}&aantal=3").get_data(as_text=True)
    silly = client.get("/widget?aantal=veel&maand=nooit")

    assert f"/sessies/{online.id}-" in only_online and f"/sessies/{on_site.id}-" not in only_online
    assert [s.id for s in themed if f"/sessies/{s.id}-" in default] == [s.id for s in themed[:5]]
    assert [s.id for s in themed if f"/sessies/{s.id}-" in three] == [s.id for s in themed[:3]]
    assert silly.status_code == 200
    assert f'href="http://localhost/sessies?thema={topic.slug}"' in default  # "all sessions" keeps the filter


def test_widget_without_sessions_says_so(client):
    page = client.get("/widget").get_data(as_text=True)

    assert "Er zijn nu geen infosessies met vrije plaatsen." in page


def test_only_the_widget_may_be_framed_and_only_by_the_listed_websites(client, make_user):
    alone = client.get("/widget")
    assert frame_ancestors(alone) == "'self'"
    assert alone.headers["X-Frame-Options"] == "SAMEORIGIN"

    services.add_origin("https://www.agentschap.be", actor=make_user(Role.ADMIN))
    services.add_origin("http://localhost:8080", actor=None)
    listed = client.get("/widget")
    assert frame_ancestors(listed) == "'self' http://localhost:8080 https://www.agentschap.be"
    assert "X-Frame-Options" not in listed.headers
    assert "script-src 'self'" in listed.headers["Content-Security-Policy"]

    for path in ("/sessies", "/sessies.atom", "/login", "/static/js/widget.js"):
        other = client.get(path)
        other.close()
        assert frame_ancestors(other) == "'none'", path
        assert other.headers["X-Frame-Options"] == "DENY", path


# --------------------------------------------------------------------------- the admin page


def test_admin_adds_and_removes_a_website_and_sees_the_snippet(client, login):
    login(Role.ADMIN)

    added = client.post("/beheer/widget", data={"origin": "https://www.agentschap.be/infosessies"})
    page = client.get(added.headers["Location"]).get_data(as_text=True)

    assert added.status_code == 302
    assert "https://www.agentschap.be mag de widget nu tonen." in page
    assert '<td data-label="Website">https://www.agentschap.be</td>' in page
    assert "&lt;iframe src=&#34;http://localhost/widget&#34;" in page
    assert "http://localhost/static/js/widget-frame.js" in page
    assert '<iframe class="widget-preview" src="/widget"' in page

    row = WidgetOrigin.query.one()
    removed = client.post(f"/beheer/widget/{row.id}/verwijderen")
    assert removed.status_code == 302
    assert services.allowed_origins() == []


def test_admin_snippet_follows_the_chosen_filters(client, login, make_topic):
    login(Role.ADMIN)
    topic = make_topic(title="Groepsopvang")

    page = client.get(f"/beheer/widget?thema={topic.slug}&formaat=online&aantal=3").get_data(as_text=True)

    assert f"http://localhost/widget?formaat=online&amp;amp;thema={topic.slug}&amp;amp;aantal=3" in page
    assert f'src="/widget?formaat=online&amp;thema={topic.slug}&amp;aantal=3"' in page


def test_admin_gets_a_clear_message_for_a_bad_address_and_nothing_changes(client, login):
    login(Role.ADMIN)

    response = client.post("/beheer/widget", data={"origin": "www.agentschap.be"})

    assert response.status_code == 422
    assert "Begin het adres met https://" in response.get_data(as_text=True)
    assert services.allowed_origins() == []


@pytest.mark.parametrize("role", [Role.EXPERT, Role.STAFF])
def test_only_admins_manage_the_widget(client, login, role):
    login(role)

    assert client.get("/beheer/widget").status_code == 403
    assert client.post("/beheer/widget", data={"origin": "https://evil.example"}).status_code == 403
    assert services.allowed_origins() == []


# --------------------------------------------------------------------------- WIDGET_ORIGINS


class TestConfiguredOrigins:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WIDGET_ORIGINS": ("https://www.agentschap.be/pagina", "http://localhost:8080")}

    def test_the_servers_websites_may_frame_the_widget_and_the_admin_sees_them(self, client, login):
        assert (
            frame_ancestors(client.get("/widget")) == "'self' http://localhost:8080 https://www.agentschap.be"
        )

        login(Role.ADMIN)
        page = client.get("/beheer/widget").get_data(as_text=True)
        assert "Toegelaten door de instellingen van de server" in page
        assert "<li>https://www.agentschap.be</li>" in page


def test_a_bad_widget_origin_in_the_configuration_stops_the_start(app_config):
    from app import create_app
    from app.config import ConfigError

    with pytest.raises(ConfigError, match="WIDGET_ORIGINS"):
        create_app({**app_config, "WIDGET_ORIGINS": ("https://*.agentschap.be",)})


def test_the_widget_lists_a_hybrid_session_while_either_way_of_attending_has_a_place(
    client, make_session, make_registration
):
    """On a hybrid session the seats on site and the online places are two pools: the session
    is offered while one of them has room, and the widget says how much room each has."""
    hybrid = dict(format=SessionFormat.HYBRID, meeting_url="https://meet.example.com/abc-defg-hij")
    # Two online and one on site: three seats held, more than the two seats on site, yet one is free.
    seat_free = make_session(days=3, capacity=2, online_capacity=None, **hybrid)
    for attends in ("online", "online", "on_site"):
        make_registration(session=seat_free, status="confirmed", attends=attends)
    # The room is full, the online places are not.
    online_free = make_session(days=4, capacity=1, online_capacity=5, **hybrid)
    make_registration(session=online_free, status="confirmed", attends="on_site")
    # Both full.
    full = make_session(days=5, capacity=1, online_capacity=1, **hybrid)
    for attends in ("on_site", "online"):
        make_registration(session=full, status="confirmed", attends=attends)

    page = client.get("/widget").get_data(as_text=True)

    assert f"/sessies/{seat_free.id}-" in page
    assert f"/sessies/{online_free.id}-" in page
    assert f"/sessies/{full.id}-" not in page
    item = page[page.index(f'id="widget-s{online_free.id}"') :]
    seats = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item[: item.index("Inschrijven")]))
    assert "ter plaatse: volzet — wachtlijst" in seats and "online: nog 5 plaatsen" in seats, seats


def test_open_for_registration_means_the_same_in_a_query_as_on_the_page(make_session):
    """`registration_is_open` (the pages, the services) and its SQL form (the widget's list)
    agree for every status, start and registration window."""
    now = utcnow()
    hour = timedelta(hours=1)
    ids = []
    for status, starts, opens, closes in product(
        (SessionStatus.PUBLISHED, SessionStatus.DRAFT, SessionStatus.CANCELLED),
        (now - hour, now + 48 * hour),
        (None, now - hour, now + hour),
        (None, now - hour, now + hour),
    ):
        session = make_session(status="draft")
        db.session.execute(
            update(InfoSession)
            .where(InfoSession.id == session.id)
            .values(
                status=status,
                starts_at=starts,
                ends_at=starts + 2 * hour,
                registration_opens_at=opens,
                registration_closes_at=closes,
            )
        )
        ids.append(session.id)
    db.session.commit()
    db.session.expire_all()

    by_python = {i for i in ids if services.registration_is_open(db.session.get(InfoSession, i), now)}
    by_sql = set(
        db.session.scalars(
            select(InfoSession.id).where(InfoSession.id.in_(ids), services.registration_open_in_sql(now))
        )
    )
    assert by_python == by_sql
    assert 0 < len(by_python) < len(ids)
