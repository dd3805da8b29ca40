"""The public JSON API (/api/v1): what the agency's website and scripts can rely on."""

import re
from contextlib import contextmanager
from datetime import date, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate as validate_openapi
from sqlalchemy import event

from app.db import utcnow
from app.extensions import db
from app.timezone import from_local, local
from sessions import services
from sessions.models import SessionFormat

MEETING_URL = "https://meet.example.com/geheim-123"


def _day(weekday: int, after: int = 7) -> date:
    """The first given weekday (0 = Monday) at least `after` days from today, Brussels time."""
    first = local(utcnow()).date() + timedelta(days=after)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json["data"]]


@contextmanager
def count_queries():
    """The statements sent to the database meanwhile, transaction control (BEGIN, …) left out."""
    statements = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", statement, re.IGNORECASE):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


def _schema_validator(client, name: str) -> OAS31Validator:
    """A validator for one schema of our own OpenAPI document ($refs resolve inside it)."""
    document = client.get("/api/v1/openapi.json").json
    return OAS31Validator(
        {**document, "$ref": f"#/components/schemas/{name}"}, format_checker=oas31_format_checker
    )


# --------------------------------------------------------------------------- the list


def test_list_shows_published_sessions_soonest_first_and_never_drafts(client, make_session):
    later = make_session(days=20)
    sooner = make_session(days=10)
    make_session(days=5, status="draft")

    response = client.get("/api/v1/sessions")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert _ids(response) == [sooner.id, later.id]
    assert response.json["meta"]["total"] == 2


def test_a_session_carries_the_public_contract(app, client, make_session, make_topic, make_venue):
    app.config["BASE_URL"] = "https://startklaar.example.be"
    topic = make_topic(title="Het starterstraject uitgelegd")
    venue = make_venue(postcode="9000", name="Zaal De Kouter", street="Kouter 1", step_free=True)
    day = _day(2)  # a Wednesday
    session = make_session(
        topic=topic, venue=venue, capacity=25, starts_at=from_local(day, time(19, 30)), minutes=120
    )

    item = client.get("/api/v1/sessions").json["data"][0]

    assert item["id"] == session.id
    assert item["title"] == "Het starterstraject uitgelegd"
    assert item["topic"] == {
        "slug": "het-starterstraject-uitgelegd",
        "title": "Het starterstraject uitgelegd",
    }
    assert item["starts_at"].startswith(f"{day.isoformat()}T19:30:00+0")
    assert item["ends_at"].startswith(f"{day.isoformat()}T21:30:00+0")
    assert item["format"] == "on_site"
    assert item["venue"] == {
        "name": "Zaal De Kouter",
        "address": "Kouter 1, 9000 Gent",
        "postcode": "9000",
        "municipality": "Gent",
        "province": "oost-vlaanderen",
        "step_free": True,
    }
    assert (item["capacity"], item["seats_left"], item["waitlist_open"]) == (25, 25, False)
    assert (item["evening"], item["weekend"]) == (True, False)
    assert (item["status"], item["language"]) == ("published", "nl")
    # Absolute, and from BASE_URL rather than the host the request came in on (a proxy's).
    assert item["url"] == f"https://startklaar.example.be/sessies/{session.id}"
    assert item["ics_url"] == f"https://startklaar.example.be/sessies/{session.id}.ics"


def test_an_own_title_replaces_the_topic_title(client, make_session):
    make_session(title="Starten in Gent: extra avond")

    item = client.get("/api/v1/sessions").json["data"][0]

    assert item["title"] == "Starten in Gent: extra avond"
    assert item["topic"]["title"] != item["title"]


def test_online_sessions_have_no_venue(client, make_session):
    make_session(format=SessionFormat.ONLINE)

    item = client.get("/api/v1/sessions").json["data"][0]

    assert item["format"] == "online"
    assert item["venue"] is None


def test_the_meeting_link_and_presenters_email_never_leave_the_house(client, make_session, make_user):
    presenter = make_user(email="spreker@agentschap.example", name="An Peeters")
    online = make_session(
        format=SessionFormat.ONLINE, meeting_url=MEETING_URL, presenters=[presenter], days=3
    )
    hybrid = make_session(format=SessionFormat.HYBRID, meeting_url=MEETING_URL + "-2", days=4)

    bodies = [
        client.get("/api/v1/sessions").get_data(as_text=True),
        client.get(f"/api/v1/sessions/{online.id}").get_data(as_text=True),
        client.get(f"/api/v1/sessions/{hybrid.id}").get_data(as_text=True),
    ]

    for body in bodies:
        assert "meet.example.com" not in body
        assert "geheim" not in body
        assert "spreker@agentschap.example" not in body
        assert "@" not in body


# --------------------------------------------------------------------------- times


def test_times_carry_the_winter_offset_of_brussels(client, make_session):
    year = local(utcnow()).year + 1
    session = make_session(starts_at=from_local(date(year, 1, 16), time(9, 30)), minutes=150)

    item = client.get(f"/api/v1/sessions/{session.id}").json

    assert item["starts_at"] == f"{year}-01-16T09:30:00+01:00"
    assert item["ends_at"] == f"{year}-01-16T12:00:00+01:00"


def test_times_carry_the_summer_offset_of_brussels(client, make_session):
    year = local(utcnow()).year + 1
    session = make_session(starts_at=from_local(date(year, 7, 15), time(19, 30)))

    item = client.get(f"/api/v1/sessions/{session.id}").json

    assert item["starts_at"] == f"{year}-07-15T19:30:00+02:00"
    assert item["ends_at"] == f"{year}-07-15T21:30:00+02:00"
    assert item["evening"] is True


# --------------------------------------------------------------------------- filters


@pytest.fixture
def varied(make_session, make_topic, make_venue):
    """Four sessions that differ in province, format, moment, topic and month."""
    starters = make_topic(title="Het starterstraject uitgelegd")
    types = make_topic(title="Gezinsopvang of groepsopvang?")
    return {
        "gent_evening": make_session(
            topic=starters, venue=make_venue(postcode="9000"), starts_at=from_local(_day(2), time(19, 30))
        ),
        "antwerp_saturday": make_session(
            topic=types, venue=make_venue(postcode="2000"), starts_at=from_local(_day(5), time(9, 30))
        ),
        "online_morning": make_session(
            topic=starters, format=SessionFormat.ONLINE, starts_at=from_local(_day(1), time(10, 0))
        ),
        "hasselt_hybrid_later": make_session(
            topic=types,
            format=SessionFormat.HYBRID,
            venue=make_venue(postcode="3500"),
            starts_at=from_local(_day(3, after=50), time(14, 0)),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"gent_evening", "antwerp_saturday", "online_morning", "hasselt_hybrid_later"}),
        ("province=oost-vlaanderen", {"gent_evening"}),
        ("province=limburg", {"hasselt_hybrid_later"}),
        ("province=brussel", set()),
        ("format=on_site", {"gent_evening", "antwerp_saturday"}),
        ("format=online", {"online_morning", "hasselt_hybrid_later"}),  # hybrid: also online
        ("format=hybrid", {"hasselt_hybrid_later"}),
        ("moment=evening", {"gent_evening"}),
        ("moment=weekend", {"antwerp_saturday"}),
        ("topic=het-starterstraject-uitgelegd", {"gent_evening", "online_morning"}),
        ("topic=gezinsopvang-of-groepsopvang", {"antwerp_saturday", "hasselt_hybrid_later"}),
        ("topic=bestaat-niet", set()),
        ("topic=gezinsopvang-of-groepsopvang&province=antwerpen&moment=weekend", {"antwerp_saturday"}),
    ],
)
def test_filters_narrow_the_list(client, varied, query, expected):
    response = client.get(f"/api/v1/sessions?{query}")

    assert response.status_code == 200
    assert set(_ids(response)) == {varied[name].id for name in expected}
    assert response.json["meta"]["total"] == len(expected)


def test_month_filter_keeps_the_sessions_of_that_month(client, varied):
    later = varied["hasselt_hybrid_later"]

    response = client.get(f"/api/v1/sessions?month={local(later.starts_at):%Y-%m}")

    assert _ids(response) == [later.id]


def test_month_follows_the_brussels_calendar_not_utc(client, make_session):
    # 00:30 on the 1st in Brussels is still the previous day in UTC.
    in_a_month = local(utcnow()).date() + timedelta(days=32)
    first = in_a_month.replace(day=1)
    session = make_session(starts_at=from_local(first, time(0, 30)), minutes=60)
    assert session.starts_at.date() < first

    assert _ids(client.get(f"/api/v1/sessions?month={first:%Y-%m}")) == [session.id]
    previous = first - timedelta(days=1)
    assert _ids(client.get(f"/api/v1/sessions?month={previous:%Y-%m}")) == []


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("province=gent", ["province"]),
        ("format=ter-plaatse", ["format"]),
        ("moment=avond", ["moment"]),
        ("month=2027-13", ["month"]),
        ("month=januari", ["month"]),
        ("month=0000-01", ["month"]),
        ("month=0001-01", ["month"]),
        ("month=9999-12", ["month"]),
        ("page=0", ["page"]),
        ("page=-1", ["page"]),
        ("page=twee", ["page"]),
        ("page=1.5", ["page"]),
        ("page=99999999999999999999", ["page"]),
        ("page=1000001", ["page"]),
        ("per_page=-3", ["per_page"]),
        ("per_page=0", ["per_page"]),
        ("per_page=veel", ["per_page"]),
        ("format=fax&month=morgen&page=x", ["format", "month", "page"]),
    ],
)
def test_a_bad_value_is_a_400_in_dutch_naming_the_parameter(client, query, fields):
    response = client.get(f"/api/v1/sessions?{query}")

    assert response.status_code == 400
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["code"] == 400
    assert error["fields"] == fields
    assert error["message"].startswith("Ongeldige waarde voor: ")
    assert all(field in error["message"] for field in fields)


# --------------------------------------------------------------------------- pagination


def test_pages_link_to_each_other_with_absolute_urls(client, make_session):
    ids = [make_session(days=day).id for day in range(3, 8)]

    first = client.get("/api/v1/sessions?per_page=2").json

    assert first["meta"] == {"page": 1, "per_page": 2, "total": 5, "pages": 3}
    assert first["links"]["self"] == "http://localhost/api/v1/sessions?page=1&per_page=2"
    assert first["links"]["next"] == "http://localhost/api/v1/sessions?page=2&per_page=2"
    assert first["links"]["prev"] is None

    seen, page = [], first
    while True:
        seen += [item["id"] for item in page["data"]]
        if page["links"]["next"] is None:
            break
        page = client.get(page["links"]["next"]).json
    assert seen == ids
    assert page["meta"]["page"] == 3
    assert page["links"]["prev"] == "http://localhost/api/v1/sessions?page=2&per_page=2"


def test_page_links_keep_the_filters(client, make_session):
    for day in range(3, 6):
        make_session(days=day, format=SessionFormat.ONLINE)
    make_session(days=6)

    links = client.get("/api/v1/sessions?format=online&per_page=2&utm_source=website").json["links"]

    query = parse_qs(urlsplit(links["next"]).query)
    assert query == {"format": ["online"], "page": ["2"], "per_page": ["2"]}
    assert client.get(links["next"]).json["meta"]["total"] == 3


def test_page_size_defaults_to_the_setting_and_stops_at_the_maximum(app, client, make_session):
    app.config.update(API_PAGE_SIZE=2, API_MAX_PAGE_SIZE=3)
    for day in range(3, 8):
        make_session(days=day)

    assert client.get("/api/v1/sessions").json["meta"]["per_page"] == 2
    big = client.get("/api/v1/sessions?per_page=500").json
    assert big["meta"]["per_page"] == 3
    assert len(big["data"]) == 3


def test_every_page_the_document_allows_is_answered(client, make_session):
    make_session()
    page = client.get("/api/v1/openapi.json").json["components"]["parameters"]["page"]["schema"]

    response = client.get(f"/api/v1/sessions?page={page['maximum']}")

    assert page["maximum"] == 1_000_000
    assert response.status_code == 200
    assert response.json["data"] == []
    assert response.json["meta"]["page"] == page["maximum"]
    assert client.get(f"/api/v1/sessions?page={page['maximum'] + 1}").status_code == 400


def test_any_larger_page_size_is_brought_down_to_the_maximum(app, client, make_session):
    app.config.update(API_PAGE_SIZE=2, API_MAX_PAGE_SIZE=3)
    for day in range(3, 8):
        make_session(days=day)

    for per_page in ("4", "1" + "0" * 30, "1e400"):
        response = client.get(f"/api/v1/sessions?per_page={per_page}")
        assert response.status_code == 200, per_page
        assert response.json["meta"]["per_page"] == 3
    # A JSON Schema integer may be written with a zero fraction.
    assert client.get("/api/v1/sessions?per_page=2.0").json["meta"]["per_page"] == 2


def test_an_empty_filter_or_page_is_left_out(client, make_session):
    session = make_session()

    response = client.get("/api/v1/sessions?province=&format=&moment=&topic=&month=&page=&per_page=")

    assert response.status_code == 200
    assert _ids(response) == [session.id]


def test_an_id_too_large_for_the_database_is_a_json_404(client):
    for path in ("/api/v1/sessions/9223372036854775808", "/api/v1/sessions/0"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json["error"]["code"] == 404


def test_a_page_past_the_end_is_empty_and_links_back(client, make_session):
    make_session()

    response = client.get("/api/v1/sessions?page=4")

    assert response.status_code == 200
    assert response.json["data"] == []
    assert response.json["meta"]["total"] == 1
    assert response.json["links"]["next"] is None
    assert parse_qs(urlsplit(response.json["links"]["prev"]).query)["page"] == ["1"]


def test_one_page_costs_the_same_queries_whatever_its_size(
    client, make_session, make_topic, make_venue, make_user
):
    topics = [make_topic() for _ in range(3)]
    venues = [make_venue(postcode="9000"), make_venue(postcode="2000")]
    presenter = make_user()
    for n in range(24):
        fmt = [SessionFormat.ON_SITE, SessionFormat.ONLINE, SessionFormat.HYBRID][n % 3]
        make_session(
            days=n + 1,
            topic=topics[n % 3],
            format=fmt,
            venue=venues[n % 2] if fmt.needs_venue else None,
            presenters=[presenter],
        )

    def fetch(query: str) -> tuple[int, int]:
        db.session.remove()  # a fresh session, as a new request has: every lazy load would show
        with count_queries() as statements:
            response = client.get(f"/api/v1/sessions?{query}")
        return len(response.json["data"]), len(statements)

    queries = ["per_page=2", "per_page=20&province=oost-vlaanderen", "per_page=20"]
    sizes, counts = zip(*map(fetch, queries), strict=True)

    assert sizes == (2, 8, 20)
    assert counts[0] == counts[1] == counts[2] <= 2  # the count and the page, topics and venues joined


# --------------------------------------------------------------------------- one session


def test_one_session_with_its_presenters_names(client, make_session, make_user):
    presenters = [make_user(name="Bart Claes"), make_user(name="An Peeters")]
    session = make_session(presenters=presenters)

    response = client.get(f"/api/v1/sessions/{session.id}")

    assert response.status_code == 200
    assert response.json["id"] == session.id
    assert response.json["presenters"] == [{"name": "An Peeters"}, {"name": "Bart Claes"}]


def test_presenters_are_only_in_the_detail(client, make_session):
    make_session()

    assert "presenters" not in client.get("/api/v1/sessions").json["data"][0]


def test_an_unknown_session_is_a_404_in_json(client):
    response = client.get("/api/v1/sessions/987654")

    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.json == {"error": {"code": 404, "message": "Deze infosessie bestaat niet."}}


def test_a_draft_is_a_404(client, make_session):
    draft = make_session(status="draft")

    response = client.get(f"/api/v1/sessions/{draft.id}")

    assert response.status_code == 404
    assert response.json["error"]["code"] == 404


def test_a_non_numeric_id_is_a_404_in_json(client):
    response = client.get("/api/v1/sessions/gent")

    assert response.status_code == 404
    assert response.json["error"]["code"] == 404
    assert "bestaat niet" in response.json["error"]["message"]


def test_a_cancelled_session_can_still_be_looked_up_but_is_not_listed(client, make_session):
    session = make_session()
    services.cancel_session(session, "De spreker is ziek.")

    item = client.get(f"/api/v1/sessions/{session.id}").json

    assert item["status"] == "cancelled"
    assert item["cancel_reason"] == "De spreker is ziek."
    assert item["registration_open"] is False
    assert item["waitlist_open"] is False
    assert client.get("/api/v1/sessions").json["data"] == []


# --------------------------------------------------------------------------- seats


def test_seats_left_and_waitlist_follow_the_registrations(client, make_session):
    session = make_session(capacity=3)

    def seats():
        item = client.get(f"/api/v1/sessions/{session.id}").json
        return item["seats_left"], item["registration_open"], item["waitlist_open"]

    assert seats() == (3, True, False)
    session.seats_taken = 2
    db.session.commit()
    assert seats() == (1, True, False)
    session.seats_taken = 3
    db.session.commit()
    assert seats() == (0, True, True)
    listed = client.get("/api/v1/sessions").json["data"][0]
    assert (listed["seats_left"], listed["waitlist_open"]) == (0, True)


def test_no_waiting_list_once_registration_has_closed(client, make_session):
    session = make_session(capacity=3)
    session.seats_taken = 3
    session.registration_closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    item = client.get(f"/api/v1/sessions/{session.id}").json

    assert (item["seats_left"], item["registration_open"], item["waitlist_open"]) == (0, False, False)


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize("path", ["/api/v1/sessions", "/api/v1/sessions/{id}", "/api/v1/openapi.json"])
def test_any_website_may_read_the_api_and_cache_it_a_minute(client, make_session, path):
    session = make_session()

    response = client.get(path.format(id=session.id))

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_errors_are_readable_cross_origin_but_not_cached_as_public(client):
    for response in (client.get("/api/v1/sessions/987654"), client.get("/api/v1/sessions?format=fax")):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "public" not in response.headers.get("Cache-Control", "")


# --------------------------------------------------------------------------- OpenAPI


def test_the_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    validate_openapi(document)
    assert document["servers"] == [{"url": "http://localhost/api/v1"}]
    assert {"/sessions", "/sessions/{id}"} <= set(document["paths"])


def test_every_documented_filter_value_is_accepted_and_others_refused(client, make_session):
    make_session()
    parameters = client.get("/api/v1/openapi.json").json["components"]["parameters"]

    for name in ("province", "format", "moment"):
        values = parameters[name]["schema"]["enum"]
        assert values
        for value in values:
            assert client.get(f"/api/v1/sessions?{name}={value}").status_code == 200, (name, value)
        assert client.get(f"/api/v1/sessions?{name}=niet-bestaand").status_code == 400
    # A larger page size is brought down to the maximum, not refused: the document says so in
    # words, and has no schema "maximum" (that would promise a 400).
    assert "maximum" not in parameters["per_page"]["schema"]
    assert "100" in parameters["per_page"]["description"]
    assert client.get("/api/v1/sessions?per_page=101").json["meta"]["per_page"] == 100
    assert parameters["per_page"]["schema"]["default"] == 20


def test_real_responses_match_the_documented_schemas(client, make_session, make_user):
    on_site = make_session(days=3)
    online = make_session(days=4, format=SessionFormat.ONLINE)
    make_session(days=5, format=SessionFormat.HYBRID)
    cancelled = make_session(days=6)
    services.cancel_session(cancelled, "Te weinig inschrijvingen.")
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]

    listing = client.get("/api/v1/sessions?per_page=2").json
    _schema_validator(client, "SessionList").validate(listing)
    for item in listing["data"]:
        _schema_validator(client, "Session").validate(item)
        # Nothing undocumented slips out.
        assert set(item) == set(schemas["Session"]["properties"])
    for session in (on_site, online, cancelled):
        _schema_validator(client, "SessionDetail").validate(client.get(f"/api/v1/sessions/{session.id}").json)
    _schema_validator(client, "Error").validate(client.get("/api/v1/sessions?page=0").json)
    _schema_validator(client, "Error").validate(client.get("/api/v1/sessions/987654").json)


def test_the_session_schema_rejects_what_the_contract_forbids(client):
    validator = _schema_validator(client, "Session")
    good = {
        "id": 1,
        "title": "Kinderopvang starten",
        "topic": {"slug": "kinderopvang-starten", "title": "Kinderopvang starten"},
        "starts_at": "2027-01-16T09:30:00+01:00",
        "ends_at": "2027-01-16T11:30:00+01:00",
        "format": "online",
        "venue": None,
        "capacity": 20,
        "online_capacity": None,
        "seats_left": 20,
        "seats_left_by_mode": {"online": 20},
        "registration_open": True,
        "waitlist_open": False,
        "evening": False,
        "weekend": True,
        "status": "published",
        "cancel_reason": None,
        "language": "nl",
        "url": "http://localhost/sessies/1",
        "ics_url": "http://localhost/sessies/1.ics",
    }
    validator.validate(good)

    assert not validator.is_valid({**good, "status": "draft"})
    assert not validator.is_valid({**good, "format": "ter-plaatse"})
    assert not validator.is_valid({**good, "starts_at": "zaterdag 16 januari"})
    assert not validator.is_valid({**good, "topic": {"slug": "kinderopvang-starten"}})
    assert not validator.is_valid({**good, "venue": {"name": "Zaal", "postcode": "9000"}})
    assert not validator.is_valid({key: value for key, value in good.items() if key != "seats_left"})
    assert not validator.is_valid({**good, "seats_left_by_mode": {}})
    assert not validator.is_valid({**good, "seats_left_by_mode": {"online": -1}})
    assert not validator.is_valid({**good, "seats_left_by_mode": {"elsewhere": 3}})
    hybrid = {"format": "hybrid", "seats_left_by_mode": {"on_site": 0, "online": None}}
    assert validator.is_valid({**good, **hybrid})
