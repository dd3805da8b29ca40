"""Session alerts: ask from the catalogue, confirm by mail (double opt-in), one mail when a
matching session is published (at most one a week per address), one-click unsubscribe (RFC
8058), and the person's data in their export, erasure and the retention purge."""

import re
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.links import ShortLink
from app.outbox.services import deliver_all_due
from registrations import privacy
from sessions.alerts import services as alerts
from sessions.alerts.models import SessionAlert
from sessions.models import SessionFormat
from tests.support.registrations import queued_mails

ADDRESS = "an.peeters@example.com"
_PATH = re.compile(r"https?://[^\s/]+(/meldingen/[a-z]+/[A-Za-z0-9_-]+)")


def _alert_mails(address: str = ADDRESS, kind: str | None = None):
    return queued_mails(address, "alerts.%", f"alerts.{kind}" if kind else None)


def _link(mail) -> str:
    return _PATH.search(mail.text_body).group(1)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _confirmed(province="brussel", topic_slug=None, include_online=True, email=ADDRESS, now=None):
    alert = alerts.subscribe(
        email, province=province, topic_slug=topic_slug, include_online=include_online, now=now
    )
    alerts.confirm(alert, now=now)
    return alert


def test_the_alert_table_matches_its_model(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert [d for d in differences if "session_alerts" in repr(d)] == []


# --------------------------------------------------------------------------- the rules


def test_asking_sends_a_confirmation_and_nothing_matches_before_it_is_confirmed(
    app, make_session, make_venue
):
    alert = alerts.subscribe(" An.Peeters@Example.com ", province="brussel")
    make_session(venue=make_venue("1000"))

    assert alert.email == ADDRESS and alert.confirmed_at is None
    (mail,) = _alert_mails(kind="confirm")
    assert "Provincie: Brussel (en online sessies)" in mail.text_body
    assert re.fullmatch(r"/meldingen/bevestigen/[A-Za-z0-9_-]{22}", _link(mail))
    assert alerts.send_alerts() == 0


@pytest.mark.parametrize(
    ("wish", "message"),
    [
        ({}, "Kies een provincie of een thema (of allebei)."),
        ({"province": "namen"}, "Kies een provincie uit de lijst."),
        ({"topic_slug": "bestaat-niet"}, "Kies een thema uit de lijst."),
    ],
)
def test_a_wish_without_a_province_or_topic_is_refused_and_nothing_is_kept(app, wish, message):
    with pytest.raises(DomainError) as caught:
        alerts.subscribe(ADDRESS, **wish)

    assert str(caught.value) == message
    assert _count(SessionAlert) == 0


def test_a_matching_session_is_mailed_once_with_a_one_click_unsubscribe(app, make_session, make_venue):
    _confirmed(province="brussel")
    brussel = make_session(venue=make_venue("1000"), title="In Brussel", days=20)
    online = make_session(format=SessionFormat.ONLINE, title="Van thuis", days=21)
    make_session(venue=make_venue("9000"), title="In Gent", days=22)

    assert alerts.send_alerts() == 1
    assert alerts.send_alerts() == 0  # nothing new

    (mail,) = _alert_mails(kind="sessions")
    assert mail.subject == "2 nieuwe infosessies"
    assert "In Brussel" in mail.text_body and "Van thuis" in mail.text_body
    assert "In Gent" not in mail.text_body
    assert f"/sessies/{brussel.id}" in mail.text_body and f"/sessies/{online.id}" in mail.text_body
    assert mail.list_unsubscribe.endswith(_link(mail)) and "/meldingen/uitschrijven/" in mail.list_unsubscribe


def test_a_province_without_online_and_a_topic_narrow_what_is_mailed(
    app, make_session, make_venue, make_topic
):
    subsidies = make_topic("Subsidies")
    _confirmed(province="limburg", include_online=False, topic_slug=subsidies.slug)
    make_session(format=SessionFormat.ONLINE, topic=subsidies, days=20)
    make_session(venue=make_venue("3500"), days=21)  # another topic
    fits = make_session(venue=make_venue("3500"), topic=subsidies, title="Subsidies in Hasselt", days=22)

    alerts.send_alerts()

    (mail,) = _alert_mails(kind="sessions")
    assert mail.subject == "Nieuwe infosessie: Subsidies in Hasselt"
    assert f"/sessies/{fits.id}" in mail.text_body


def test_at_most_one_mail_a_week_per_address_and_what_waited_comes_next(
    app, make_session, make_venue, make_topic
):
    start = utcnow() - timedelta(days=10)
    _confirmed(province="brussel", now=start)
    _confirmed(province=None, topic_slug=make_topic("Subsidies").slug, now=start)  # the same address
    make_session(venue=make_venue("1000"), title="Eerste", days=20)

    assert alerts.send_alerts() == 1
    make_session(venue=make_venue("1000"), title="Tweede", days=21)
    assert alerts.send_alerts() == 0  # within the week: it waits
    assert alerts.send_alerts(now=utcnow() + timedelta(days=7, minutes=1)) == 1

    first, second = _alert_mails(kind="sessions")
    assert "Eerste" in first.text_body and "Tweede" not in first.text_body
    assert "Tweede" in second.text_body and "Eerste" not in second.text_body


def test_asking_twice_sends_another_confirmation_but_keeps_one_wish(app):
    now = utcnow()
    first = alerts.subscribe(ADDRESS, province="brussel", now=now)
    alerts.subscribe(ADDRESS, province="brussel", now=now + timedelta(minutes=1))  # no flood
    assert len(_alert_mails(kind="confirm")) == 1
    again = alerts.subscribe(ADDRESS, province="brussel", now=now + timedelta(minutes=6))  # a lost mail
    assert len(_alert_mails(kind="confirm")) == 2
    alerts.confirm(again)
    alerts.subscribe(ADDRESS, province="brussel", now=now + timedelta(minutes=20))

    assert first.id == again.id and _count(SessionAlert) == 1
    assert len(_alert_mails(kind="confirm")) == 2  # confirmed already: no mail


def test_export_erasure_and_purge_take_the_alerts_along(app, make_registration):
    alert = _confirmed(province="brussel")
    _alert_mails()  # rendered: its links exist
    registration = make_registration(email=ADDRESS, status="confirmed")

    exported = privacy.export_personal_data(registration)
    assert exported["session_alerts"][0]["province"] == "brussel"
    assert exported["session_alerts"][0]["confirmed_at"] is not None

    privacy.erase_personal_data(registration)
    assert _count(SessionAlert) == 0
    assert db.session.scalar(select(func.count()).where(ShortLink.payload == alert.token)) == 0


def test_the_purge_forgets_unconfirmed_wishes_after_a_week_and_old_ones_after_two_years(app):
    long_ago = utcnow() - timedelta(days=8)
    alerts.subscribe("vergeten@example.com", province="brussel", now=long_ago)
    _confirmed(province="limburg", email="oud@example.com", now=utcnow() - timedelta(days=800))
    _confirmed(province="limburg", email="blijft@example.com")
    alerts.subscribe("nieuw@example.com", province="brussel")

    privacy.purge()

    assert {a.email for a in db.session.scalars(select(SessionAlert))} == {
        "blijft@example.com",
        "nieuw@example.com",
    }


# --------------------------------------------------------------------------- over HTTP


def test_the_empty_catalogue_leads_to_the_alert_form_with_the_wish_filled_in(client, make_topic):
    topic = make_topic("Subsidies")

    catalogue = client.get(f"/sessies?provincie=brussel&thema={topic.slug}").get_data(as_text=True)
    link = re.search(r'href="(/meldingen\?[^"]+)"', catalogue).group(1).replace("&amp;", "&")
    page = client.get(link).get_data(as_text=True)

    assert "Laat me weten wanneer er een sessie is" in catalogue
    assert '<option selected value="brussel">' in page or 'value="brussel" selected' in page
    assert f'value="{topic.slug}" selected' in page or f'<option selected value="{topic.slug}">' in page


def test_the_form_subscribes_names_the_address_and_confirms_with_a_button(client):
    response = client.post(
        "/meldingen", data={"email": ADDRESS, "province": "brussel", "include_online": "y"}
    )
    assert response.status_code == 302
    check = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"We stuurden een mail naar {ADDRESS}." in check

    link = _link(_alert_mails(kind="confirm")[0])
    page = client.get(link).get_data(as_text=True)
    assert "Melding aanzetten" in page
    assert (
        db.session.scalar(select(SessionAlert.confirmed_at)) is None
    )  # a GET (a mail scanner) changes nothing

    done = client.post(link, data={}).get_data(as_text=True)
    assert "Je melding staat aan" in done
    assert db.session.scalar(select(SessionAlert.confirmed_at)) is not None


def test_a_bad_form_says_what_to_fix_and_keeps_nothing(client):
    response = client.post("/meldingen", data={"email": "geen-adres", "province": "", "topic": ""})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dit is geen geldig e-mailadres." in html
    assert _count(SessionAlert) == 0


def test_a_made_up_or_expired_link_says_so(client):
    assert client.get("/meldingen/bevestigen/x" * 1).status_code == 404
    assert client.get("/meldingen/uitschrijven/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    assert "werkt niet (meer)" in client.get("/meldingen/bevestigen/AAAAAAAAAAAAAAAAAAAAAA").get_data(
        as_text=True
    )


def test_one_click_unsubscribe_without_a_form_forgets_the_address(client, make_session, make_venue):
    _confirmed(province="brussel")
    make_session(venue=make_venue("1000"))
    alerts.send_alerts()
    link = _link(_alert_mails(kind="sessions")[0])

    page = client.get(link).get_data(as_text=True)
    assert f"Wil {ADDRESS} geen mails over nieuwe infosessies meer krijgen?" in page
    assert _count(SessionAlert) == 1

    # What a mail client sends for RFC 8058: no CSRF token, no cookie.
    response = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Je bent uitgeschreven" in response.get_data(as_text=True)
    assert _count(SessionAlert) == 0


def test_the_alert_mails_reach_the_smtp_server_with_the_unsubscribe_headers(
    app, make_session, make_venue, smtp_server
):
    _confirmed(province="brussel")
    make_session(venue=make_venue("1000"), title="In Brussel")
    alerts.send_alerts()
    app.config["SMTP_URL"] = smtp_server.url

    report = deliver_all_due()

    received = smtp_server.wait_for(report.sent)
    message = [m.message for m in received if "nieuwe infosessie" in m.message["Subject"].lower()][0]
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://localhost/meldingen/uitschrijven/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_long_list_stays_short_and_links_to_the_catalogue(app, make_session, make_topic):
    topic = make_topic("Subsidies")
    _confirmed(province=None, topic_slug=topic.slug)
    for day in range(10, 19):
        make_session(topic=topic, days=day, title=f"Sessie {day}")

    alerts.send_alerts()

    (mail,) = _alert_mails(kind="sessions")
    assert mail.subject == "9 nieuwe infosessies"
    assert mail.text_body.count("Inschrijven:") == 8
    assert "En nog 1 andere sessie.\nAlle infosessies:\nhttp://localhost/sessies\n" in mail.text_body


def test_a_full_session_in_an_alert_says_op_de_wachtlijst(app, make_session, make_venue):
    _confirmed(province="brussel")
    full = make_session(venue=make_venue("1000"), capacity=1)
    full.seats_taken = 1
    db.session.commit()

    alerts.send_alerts()

    (mail,) = _alert_mails(kind="sessions")
    assert f"Op de wachtlijst: http://localhost/sessies/{full.id}" in mail.text_body
    assert "Inschrijven:" not in mail.text_body
