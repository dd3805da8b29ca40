"""Finding a session: online includes hybrid, a province offers the online sessions beside its
own, the filters fold away on a phone, the list is paged, and an empty result shows a way out."""

import re

import icalendar

from app.db import utcnow
from app.extensions import db
from app.timezone import local
from sessions import services
from sessions.models import InfoSession, SessionFormat
from sessions.services import CatalogueFilters

ONLINE, HYBRID = SessionFormat.ONLINE, SessionFormat.HYBRID


def _varied(make_session, make_venue, make_topic):
    """On site in Brussel and in Gent, hybrid in Leuven and in Brussel, and online."""
    return {
        "brussel": make_session(venue=make_venue("1000"), title="Brussel ter plaatse", days=10),
        "gent": make_session(venue=make_venue("9000"), title="Gent ter plaatse", days=11),
        "leuven_hybrid": make_session(
            format=HYBRID, venue=make_venue("3000"), title="Leuven hybride", days=12
        ),
        "brussel_hybrid": make_session(
            format=HYBRID, venue=make_venue("1000"), title="Brussel hybride", days=13
        ),
        "online": make_session(format=ONLINE, title="Online sessie", days=14),
    }


def _titles(items) -> set[str]:
    return {s.title for s in items}


def test_online_includes_the_hybrid_sessions_and_a_province_does_not_narrow_it(
    app, make_session, make_venue, make_topic
):
    _varied(make_session, make_venue, make_topic)

    online = services.list_catalogue(CatalogueFilters(format=ONLINE))
    brussel_online = services.list_catalogue(CatalogueFilters(province="brussel", format=ONLINE))

    assert _titles(online.items) == {"Leuven hybride", "Brussel hybride", "Online sessie"}
    assert _titles(brussel_online.items) == _titles(online.items)
    assert services.online_alternatives(CatalogueFilters(province="brussel", format=ONLINE)) is None


def test_a_province_lists_its_sessions_on_site_and_offers_the_online_ones_beside_them(
    app, make_session, make_venue, make_topic
):
    _varied(make_session, make_venue, make_topic)
    filters = CatalogueFilters(province="brussel")

    page = services.list_catalogue(filters)
    alternatives = services.online_alternatives(filters)

    assert _titles(page.items) == {"Brussel ter plaatse", "Brussel hybride"}
    # The hybrid session in Brussel is in the list already; the others to follow from home are offered.
    assert _titles(alternatives.items) == {"Leuven hybride", "Online sessie"}
    assert alternatives.total == 2
    assert alternatives.args == {"formaat": "online"}
    assert services.online_alternatives(CatalogueFilters()) is None


def test_the_alternatives_keep_the_other_filters(app, make_session, make_venue, make_topic):
    special = make_topic("Subsidies")
    make_session(format=ONLINE, title="Online subsidies", topic=special, days=5)
    make_session(format=ONLINE, title="Online iets anders", days=6)

    alternatives = services.online_alternatives(CatalogueFilters(province="limburg", topic=special.slug))

    assert _titles(alternatives.items) == {"Online subsidies"}
    assert alternatives.args == {"formaat": "online", "thema": special.slug}


def test_an_empty_month_points_to_the_next_month_with_sessions(app, make_session, make_venue):
    session = make_session(venue=make_venue("3500"), days=70)
    month = local(utcnow()).date().replace(day=1)  # 70 days on is at least two months later
    session_month = local(session.starts_at).date().replace(day=1)

    help_ = services.empty_help(CatalogueFilters(province="limburg", month=month))

    assert help_.next_month == session_month
    assert help_.next_month_args == {"provincie": "limburg", "maand": session_month.strftime("%Y-%m")}
    assert help_.everything == 1
    assert services.empty_help(CatalogueFilters(province="brussel", month=month)).next_month is None


# --------------------------------------------------------------------------- over HTTP


def test_brussel_and_online_never_shows_an_empty_page_while_online_sessions_exist(
    client, make_session, make_venue
):
    make_session(venue=make_venue("9000"), title="Gent ter plaatse")
    make_session(format=HYBRID, venue=make_venue("3000"), title="Leuven hybride", days=12)

    html = client.get("/sessies?provincie=brussel&formaat=online").get_data(as_text=True)

    assert "Leuven hybride" in html and "Gent ter plaatse" not in html
    assert "de provincie telt alleen voor sessies ter plaatse" in html
    assert "Geen infosessie gevonden" not in html


def test_a_province_page_shows_the_online_sessions_in_their_own_section(client, make_session, make_venue):
    make_session(venue=make_venue("1000"), title="Brussel ter plaatse")
    make_session(format=ONLINE, title="Online sessie", days=12)

    html = client.get("/sessies?provincie=brussel").get_data(as_text=True)

    section = html.split('id="online-kop"', 1)[1]
    assert "Ook online te volgen" in section
    assert "Online sessie" in section and "Brussel ter plaatse" not in section
    assert "1 infosessie gevonden" in html


def test_the_feed_follows_the_catalogue_online_includes_hybrid(client, make_session, make_venue):
    hybrid = make_session(format=HYBRID, venue=make_venue("3000"), days=12)
    online = make_session(format=ONLINE, days=13)
    make_session(venue=make_venue("9000"), days=14)

    calendar = icalendar.Calendar.from_ical(client.get("/sessies.ics?formaat=online&provincie=brussel").data)

    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {f"{hybrid.uid}@startklaar", f"{online.uid}@startklaar"}


def test_the_filters_fold_away_until_one_is_chosen(client, make_session):
    make_session()

    plain = client.get("/sessies").get_data(as_text=True)
    filtered = client.get("/sessies?moment=avond&provincie=limburg").get_data(as_text=True)

    assert re.search(r'<details class="filters-disclosure" id="filters" data-open-wide>', plain)
    assert re.search(r'<details class="filters-disclosure" id="filters" open data-open-wide>', filtered)
    assert "(2 gekozen)" in filtered


def test_the_list_is_paged_and_says_what_it_shows(app, client, make_session):
    app.config["CATALOGUE_PAGE_SIZE"] = 2
    for day in range(5, 10):
        make_session(days=day, title=f"Sessie {day}")

    first = client.get("/sessies").get_data(as_text=True)
    last = client.get("/sessies?page=3").get_data(as_text=True)

    assert "1–2 van 5 infosessies" in first and "Pagina 1 van 3" in first
    assert "Sessie 5" in first and "Sessie 7" not in first
    assert "5–5 van 5 infosessies" in last and "Sessie 9" in last


def test_an_empty_result_says_why_and_where_to_look(client, make_session, make_venue):
    online = make_session(format=ONLINE, title="Online sessie")
    later = make_session(venue=make_venue("1000"), title="Brussel later", days=70)
    this_month = local(online.starts_at).date().strftime("%Y-%m")
    later_month = local(later.starts_at).date().strftime("%Y-%m")

    html = client.get(f"/sessies?provincie=brussel&maand={this_month}").get_data(as_text=True)

    assert "Geen infosessie gevonden" in html
    assert "die bij al je keuzes past: Brussel, " in html
    assert 'href="#online"' in html and "1 sessie die je online kunt volgen" in html
    assert f"maand={later_month}" in html and "provincie=brussel" in html
    assert "Alle 2 geplande infosessies, zonder filters" in html


def test_nothing_planned_at_all_says_so(client):
    html = client.get("/sessies").get_data(as_text=True)

    assert "Er zijn op dit moment geen infosessies gepland." in html


# --------------------------------------------------------------------------- a full session


def test_a_full_session_says_op_de_wachtlijst_on_every_call_to_action(client, make_session):
    full = make_session(capacity=2, title="Volle sessie")
    full.seats_taken = 2
    db.session.commit()

    page = client.get(f"/sessies/{full.id}").get_data(as_text=True)
    catalogue = client.get("/sessies").get_data(as_text=True)

    top = page.split('class="cta-bar"', 1)[1].split("</div>", 1)[0]
    assert "Op de wachtlijst" in top and "Inschrijven" not in top
    assert "Zet me op de wachtlijst" in page
    card = catalogue.split('class="card-cta"', 1)[1].split("</p>", 1)[0]
    assert "Op de wachtlijst" in card


def test_a_session_with_seats_invites_to_register(client, make_session):
    open_ = make_session(capacity=20)

    page = client.get(f"/sessies/{open_.id}").get_data(as_text=True)

    assert "Inschrijven" in page.split('class="cta-bar"', 1)[1].split("</div>", 1)[0]


def test_a_session_stays_listed_until_it_ends_however_long_it_lasts(app, client, make_session, make_topic):
    """The catalogue's query bounds the start (sessions.models.LONGEST_SESSION) so its index scan
    skips the past: a session of the longest length allowed, started hours ago, is still listed
    everywhere the public looks, and once it has ended it is gone."""
    from datetime import timedelta

    from sessions.models import LONGEST_SESSION

    topic = make_topic()
    long_day = make_session(topic=topic, minutes=int(LONGEST_SESSION.total_seconds() // 60))
    later = make_session(topic=topic, days=20)
    db.session.commit()
    started = utcnow() - LONGEST_SESSION + timedelta(minutes=5)  # ends in five minutes
    long_day.starts_at, long_day.ends_at = started, started + LONGEST_SESSION
    db.session.commit()
    link = re.compile(rf'/sessies/{long_day.id}[-"]')

    def listed(now=None) -> set[int]:
        query = services.catalogue_query(CatalogueFilters(), now=now)
        return set(db.session.scalars(query.with_only_columns(InfoSession.id)))

    assert long_day.id in listed()
    assert link.search(client.get("/sessies").get_data(as_text=True))
    # The later date's page lists it among the topic's other dates.
    assert link.search(client.get(f"/sessies/{later.id}").get_data(as_text=True))
    assert long_day.id not in listed(long_day.ends_at + timedelta(seconds=1))
