"""The experts' registrations panel on /beheer/sessies/<id>: list, filters, counts, changes, exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.timezone import local
from registrations import services
from registrations.models import ChildcareType, Registration, RegistrationSource, RegistrationStatus
from sessions.models import InfoSession

S = RegistrationStatus
BASE = "/beheer/sessies/{id}/inschrijvingen"


@pytest.fixture
def person(app):
    """person(session, first, last, source=STAFF, **profile) → a registration made through the services."""
    counter = iter(range(1, 10_000))

    def make(session, first="Jan", last=None, *, source=RegistrationSource.STAFF, email=None, **kw):
        n = next(counter)
        last = last or f"Peeters{n}"
        data = services.RegistrationData(
            first_name=first,
            last_name=last,
            email=email or f"{first.lower()}.{n}@example.be",
            privacy_accepted=True,
            **kw,
        )
        return services.register(session.id, data, source=source).registration

    return make


def _mail_kinds(registration) -> list[str]:
    from app.outbox.models import OutboxMessage

    recipient = registration.email
    rows = db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.recipient == recipient))
    return [kind.removeprefix("registration.") for kind in rows]


def _reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _panel(client, session, **args) -> str:
    response = client.get(f"/beheer/sessies/{session.id}", query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html[html.index('id="inschrijvingen"') :]


def _rows(html: str) -> list[str]:
    """The names in the panel's table, top to bottom."""
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def _add_form(**overrides) -> dict:
    data = {
        "nieuw-first_name": "Fatima",
        "nieuw-last_name": "El Amrani",
        "nieuw-email": "fatima@example.be",
        "nieuw-phone": "0470 12 34 56",
        "nieuw-postcode": "9000",
        "nieuw-childcare_type": "gezinsopvang",
        "nieuw-privacy": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --------------------------------------------------------------------------- the list


def test_panel_shows_each_registration_with_status_counts_and_waitlist_place(
    client, login, make_session, person
):
    session = make_session(capacity=2)
    person(session, "An", "Claes", phone="0470123456", postcode="2000", childcare_type=ChildcareType.BSO)
    person(session, "Bram", "De Smet")
    person(session, "Chris", "Maes")  # full: waiting list
    online = person(session, "Dirk", "Wouters", source=RegistrationSource.ONLINE)  # waiting, unconfirmed
    services.cancel_registration(_reload(online))
    login(Role.EXPERT)

    html = _panel(client, session)

    assert "ingeschreven: <strong>2</strong>" in html
    assert "wachtlijst: <strong>1</strong>" in html
    assert "geannuleerd: <strong>1</strong>" in html
    assert "wacht op bevestiging: <strong>0</strong>" in html
    assert "Alle: <strong>4</strong>" in html
    assert _rows(html) == ["An Claes", "Bram De Smet", "Chris Maes", "Dirk Wouters"]
    assert "wachtlijst (plaats 1)" in html
    assert "+32470123456" in html and "Antwerpen" in html
    assert "Buitenschoolse opvang of kleuteropvang" in html
    assert "door een medewerker" in html and "online" in html


def test_an_unconfirmed_address_on_the_waiting_list_is_not_in_line(client, login, make_session, person):
    session = make_session(capacity=1)
    person(session, "An", "Claes")
    person(session, "Bram", "De Smet", source=RegistrationSource.ONLINE)  # waiting, address unconfirmed
    person(session, "Chris", "Maes")  # waiting, typed in by staff: in line
    login(Role.EXPERT)

    html = _panel(client, session)

    assert "wachtlijst (nog niet in de rij: e-mailadres niet bevestigd)" in html
    assert html.count("wachtlijst (plaats 1)") == 1 and "plaats 2" not in html


def test_status_filter_shows_only_that_status(client, login, make_session, person):
    session = make_session(capacity=1)
    person(session, "An", "Claes")
    person(session, "Bram", "De Smet")
    login(Role.EXPERT)

    html = _panel(client, session, status="waitlisted")

    assert _rows(html) == ["Bram De Smet"]
    assert 'aria-current="page">wachtlijst' in html
    # An unknown status shows everyone instead of an error.
    assert _rows(_panel(client, session, status="onzin")) == ["An Claes", "Bram De Smet"]


def test_the_list_says_how_many_it_shows_and_marks_each_active_filter(client, login, make_session, person):
    session = make_session(capacity=1)
    person(session, "An", "Claes", phone="+32479667452")
    person(session, "Bram", "De Smet")
    login(Role.EXPERT)

    html = _panel(client, session)
    assert ">2 inschrijvingen<" in html and 'class="filter-chips"' not in html
    assert ">0479 66 74 52</a>" in html and 'href="tel:+32479667452"' in html  # read nationally

    html = _panel(client, session, status="waitlisted", q="smet")
    assert ">1 inschrijving<" in html
    chips = html[html.index('class="filter-chips"') : html.index("</ul>", html.index('class="filter-chips"'))]
    assert "Status: wachtlijst" in chips and "Zoekopdracht „smet”" in chips
    assert f'href="/beheer/sessies/{session.id}?q=smet#inschrijvingen"' in chips
    assert f'href="/beheer/sessies/{session.id}?status=waitlisted#inschrijvingen"' in chips


def test_search_finds_people_by_name_or_email_case_insensitively(client, login, make_session, person):
    session = make_session()
    person(session, "An", "Claes", email="an.claes@example.be")
    person(session, "Bram", "De Smet", email="bram@kinderland.be")
    person(session, "Chris", "Maes", email="chris@example.be")
    login(Role.EXPERT)

    assert _rows(_panel(client, session, q="de smet")) == ["Bram De Smet"]
    assert _rows(_panel(client, session, q="KINDERLAND")) == ["Bram De Smet"]
    assert _rows(_panel(client, session, q="an claes")) == ["An Claes"]
    # % is a character, not a wildcard.
    html = _panel(client, session, q="%")
    assert _rows(html) == [] and "Geen inschrijvingen gevonden" in html


def test_panel_needs_the_same_number_of_queries_for_many_registrations(client, login, make_session, person):
    def queries_for_panel(session_id: int) -> int:
        statements = []

        def count(*_args):
            statements.append(1)

        db.session.expire_all()  # every request reads fresh rows, as in production
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/beheer/sessies/{session_id}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    login(Role.EXPERT)
    small, large = make_session(capacity=1), make_session(capacity=3, days=11)
    make_session(days=12)  # something to move people to
    for n in range(2):
        person(small, "Klein", f"Persoon{n}")
    for n in range(8):
        person(large, "Groot", f"Persoon{n}")

    queries_for_panel(small.id)  # the page header reads the logo once a minute: not per row
    assert queries_for_panel(large.id) == queries_for_panel(small.id)


# --------------------------------------------------------------------------- adding by hand


def test_expert_adds_someone_by_hand_who_is_confirmed_at_once(client, login, make_session):
    session = make_session(capacity=5)
    login(Role.EXPERT)

    response = client.post(BASE.format(id=session.id) + "/nieuw", data=_add_form())

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/beheer/sessies/{session.id}#inschrijvingen")
    html = client.get(f"/beheer/sessies/{session.id}").get_data(as_text=True)
    assert "Fatima El Amrani is ingeschreven en krijgt een bevestiging per mail." in html
    assert "Fatima El Amrani" in _rows(html)
    registration = db.session.scalar(select(Registration).where(Registration.email == "fatima@example.be"))
    assert registration.status == S.CONFIRMED
    assert registration.source == RegistrationSource.STAFF
    assert registration.phone == "+32470123456" and registration.municipality == "Gent"
    assert _reload(session).seats_taken == 1


def test_adding_someone_to_a_full_session_puts_them_on_the_waiting_list(client, login, make_session, person):
    session = make_session(capacity=1)
    person(session, "An", "Claes")
    login(Role.EXPERT)

    response = client.post(BASE.format(id=session.id) + "/nieuw", data=_add_form(), follow_redirects=True)

    assert "staat op de wachtlijst" in response.get_data(as_text=True)
    registration = db.session.scalar(select(Registration).where(Registration.email == "fatima@example.be"))
    assert registration.status == S.WAITLISTED
    assert _reload(session).seats_taken == 1


def test_over_capacity_gives_a_seat_in_a_full_session(client, login, make_session, person):
    session = make_session(capacity=1)
    person(session, "An", "Claes")
    login(Role.EXPERT)

    client.post(BASE.format(id=session.id) + "/nieuw", data=_add_form(**{"nieuw-over_capacity": "y"}))

    registration = db.session.scalar(select(Registration).where(Registration.email == "fatima@example.be"))
    assert registration.status == S.CONFIRMED
    assert _reload(session).seats_taken == 2


def test_adding_without_consent_shows_the_error_beside_the_checkbox(client, login, make_session):
    session = make_session()
    login(Role.EXPERT)

    response = client.post(BASE.format(id=session.id) + "/nieuw", data=_add_form(**{"nieuw-privacy": None}))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="nieuw-privacy-error"[^>]*>\s*Zonder toestemming', html)
    assert db.session.scalar(select(Registration)) is None


def test_a_rule_of_the_services_shows_beside_its_field(client, login, make_session):
    session = make_session()
    login(Role.EXPERT)

    response = client.post(
        BASE.format(id=session.id) + "/nieuw", data=_add_form(**{"nieuw-postcode": "5000"})
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="nieuw-postcode-error"[^>]*>\s*Deze postcode ligt in Walloni', html)
    assert 'value="Fatima"' in html  # what was typed stays


def test_adding_someone_already_registered_changes_nothing_and_says_so(client, login, make_session, person):
    session = make_session()
    person(session, "Fatima", "El Amrani", email="fatima@example.be")
    login(Role.EXPERT)

    response = client.post(BASE.format(id=session.id) + "/nieuw", data=_add_form())

    assert response.status_code == 422
    assert "Deze persoon is al ingeschreven voor deze sessie." in response.get_data(as_text=True)
    assert db.session.query(Registration).count() == 1


# --------------------------------------------------------------------------- cancel, move, promote


def test_cancelling_gives_the_seat_to_the_first_in_line(client, login, make_session, person):
    session = make_session(capacity=1)
    seated = person(session, "An", "Claes")
    waiting = person(session, "Bram", "De Smet")
    login(Role.EXPERT)

    response = client.post(
        BASE.format(id=session.id) + f"/{seated.id}/annuleren", data={"status": "waitlisted"}
    )

    assert response.status_code == 302
    assert "status=waitlisted" in response.headers["Location"]  # back to the list as it was
    assert _reload(seated).status == S.CANCELLED
    assert _reload(waiting).status == S.CONFIRMED
    assert "promoted" in _mail_kinds(waiting)
    html = client.get(f"/beheer/sessies/{session.id}").get_data(as_text=True)
    assert "De inschrijving van An Claes is geannuleerd" in html
    assert "Bram De Smet de vrijgekomen plaats" in html
    assert _reload(session).seats_taken == 1 and _reload(session).waitlist_count == 0


def test_cancel_button_asks_for_confirmation_and_is_a_post_form(client, login, make_session, person):
    session = make_session()
    registration = person(session, "An", "Claes")
    login(Role.EXPERT)

    html = _panel(client, session)

    action = f'action="{BASE.format(id=session.id)}/{registration.id}/annuleren"'
    form = html[html.rindex("<form", 0, html.index(action)) : html.index("</form>", html.index(action))]
    assert 'method="post"' in form and "data-confirm=" in form and 'name="csrf_token"' in form


def test_a_registration_of_another_session_cannot_be_cancelled_through_this_one(
    client, login, make_session, person
):
    session, other = make_session(), make_session(days=11)
    registration = person(other, "An", "Claes")
    login(Role.EXPERT)

    response = client.post(BASE.format(id=session.id) + f"/{registration.id}/annuleren")

    assert response.status_code == 404
    assert _reload(registration).status == S.CONFIRMED


def test_moving_someone_takes_their_seat_along_and_frees_the_old_one(client, login, make_session, person):
    session, target = make_session(capacity=1), make_session(capacity=5, days=11, title="Doelsessie")
    seated = person(session, "An", "Claes")
    waiting = person(session, "Bram", "De Smet")
    login(Role.EXPERT)
    move_page = BASE.format(id=session.id) + f"/{seated.id}/verplaatsen"
    assert f'href="{move_page}"' in _panel(client, session)  # the row links to its move page
    assert "Doelsessie" in client.get(move_page).get_data(as_text=True)  # which offers the target

    response = client.post(
        BASE.format(id=session.id) + f"/{seated.id}/verplaatsen",
        data={"target_session_id": str(target.id)},
        follow_redirects=True,
    )

    assert "An Claes is verplaatst naar" in response.get_data(as_text=True)
    moved = _reload(seated)
    assert moved.session_id == target.id and moved.status == S.CONFIRMED
    assert _reload(waiting).status == S.CONFIRMED
    assert _reload(session).seats_taken == 1 and _reload(session).waitlist_count == 0
    assert _reload(target).seats_taken == 1


def test_the_panel_links_each_row_to_its_move_page_instead_of_listing_every_session_in_it(
    client, login, make_session, person
):
    """A choice of up to sixty sessions in every row made the page grow by ~9 kB a registration
    (4.5 MB for a session with 660): the rows link to the move page, the page stays small."""
    session = make_session()
    for n in range(12):
        make_session(days=11 + n, title=f"Andere sessie {n}")
    people = [person(session, "Persoon", f"Nummer {n}") for n in range(8)]
    login(Role.EXPERT)

    html = _panel(client, session)

    assert 'name="target_session_id"' not in html and "Andere sessie" not in html
    for registration in people:
        assert f'href="{BASE.format(id=session.id)}/{registration.id}/verplaatsen"' in html
    move_page = client.get(BASE.format(id=session.id) + f"/{people[0].id}/verplaatsen").get_data(as_text=True)
    assert all(f"Andere sessie {n}" in move_page for n in range(12))


def test_a_past_session_offers_no_move(client, login, make_session, person):
    session = make_session()
    registration = person(session, "An", "Claes")
    make_session(days=11)
    login(Role.EXPERT)
    assert "/verplaatsen" in _panel(client, session)
    with db.engine.begin() as other:
        past = utcnow() - timedelta(days=1)
        other.execute(
            update(InfoSession)
            .where(InfoSession.id == session.id)
            .values(starts_at=past, ends_at=past + timedelta(hours=2))
        )
    db.session.rollback()
    assert f"{registration.id}/verplaatsen" not in _panel(client, session)


def test_moving_to_a_full_session_puts_them_on_its_waiting_list(client, login, make_session, person):
    session, target = make_session(capacity=5), make_session(capacity=1, days=11)
    leaving = person(session, "An", "Claes")
    person(target, "Bram", "De Smet")
    login(Role.EXPERT)

    client.post(
        BASE.format(id=session.id) + f"/{leaving.id}/verplaatsen", data={"target_session_id": str(target.id)}
    )

    assert _reload(leaving).status == S.WAITLISTED
    assert _reload(session).seats_taken == 0
    assert _reload(target).waitlist_count == 1


def test_a_refused_move_shows_why_beside_the_choice(client, login, make_session, person):
    session, target = make_session(), make_session(days=11)
    registration = person(session, "An", "Claes", email="an@example.be")
    person(target, "An", "Claes", email="an@example.be")
    login(Role.EXPERT)

    response = client.post(
        BASE.format(id=session.id) + f"/{registration.id}/verplaatsen",
        data={"target_session_id": str(target.id)},
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="target_session_id-error"[^>]*>\s*Deze persoon is al ingeschreven', html)
    assert _reload(registration).session_id == session.id
    # Nothing was left locked: the next change goes through.
    assert client.post(BASE.format(id=session.id) + f"/{registration.id}/annuleren").status_code == 302


def test_move_without_a_choice_asks_for_one(client, login, make_session, person):
    session = make_session()
    make_session(days=11)
    registration = person(session, "An", "Claes")
    login(Role.EXPERT)

    response = client.post(
        BASE.format(id=session.id) + f"/{registration.id}/verplaatsen", data={"target_session_id": ""}
    )

    assert response.status_code == 422
    assert "Kies de sessie waarnaar je de persoon verplaatst." in response.get_data(as_text=True)


def test_close_to_the_start_only_the_expert_promotes_from_the_waiting_list(
    client, login, make_session, person
):
    session = make_session(starts_at=utcnow() + timedelta(hours=6), capacity=1)
    seated = person(session, "An", "Claes")
    waiting = person(session, "Bram", "De Smet")
    login(Role.EXPERT)
    client.post(BASE.format(id=session.id) + f"/{seated.id}/annuleren")
    assert _reload(waiting).status == S.WAITLISTED  # nobody promoted by itself this late
    html = _panel(client, session)
    assert "een vrije plaats gaat niet meer vanzelf naar de wachtlijst" in html

    response = client.post(BASE.format(id=session.id) + "/wachtlijst/doorschuiven", follow_redirects=True)

    assert "Bram De Smet kreeg de vrije plaats" in response.get_data(as_text=True)
    assert _reload(waiting).status == S.CONFIRMED
    assert _reload(session).seats_taken == 1


def test_promoting_without_a_free_seat_says_why(client, login, make_session, person):
    session = make_session(capacity=1)
    person(session, "An", "Claes")
    waiting = person(session, "Bram", "De Smet")
    login(Role.EXPERT)

    response = client.post(BASE.format(id=session.id) + "/wachtlijst/doorschuiven", follow_redirects=True)

    assert "Er is geen plaats vrij" in response.get_data(as_text=True)
    assert _reload(waiting).status == S.WAITLISTED


# --------------------------------------------------------------------------- exports


@pytest.fixture
def exported(make_session, person):
    """A session with two registrations, one of them with a full interest profile."""
    session = make_session(capacity=1)
    full = person(
        session,
        '=HYPERLINK("http://x")',
        "Claes",
        email="an@example.be",
        phone="0470 12 34 56",
        postcode="3000",
        childcare_type=ChildcareType.GROEPSOPVANG,
        planned_places=18,
        questions="-Hoeveel kost een vergunning?",
        is_21_or_older=True,
    )
    person(session, "Bram", "De Smet")
    return session, _reload(full)


def test_csv_export_has_dutch_headers_labels_and_brussels_times(client, login, exported):
    session, registration = exported
    login(Role.EXPERT)

    response = client.get(BASE.format(id=session.id) + "/export.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    day = local(session.starts_at).strftime("%Y-%m-%d")
    assert f"inschrijvingen-{day}-" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    row = rows[0]
    assert row["Achternaam"] == "Claes"
    assert row["E-mailadres"] == "an@example.be"
    assert row["Status"] == "ingeschreven"
    assert row["Type opvang"] == "Groepsopvang (vanaf 9 kinderen)"
    assert row["Provincie"] == "Vlaams-Brabant" and row["Gemeente"] == "Leuven"
    assert row["Geplande plaatsen"] == "18"
    assert row["21 jaar of ouder"] == "ja"
    assert row["Bron"] == "door een medewerker"
    assert row["Ingeschreven op"] == local(registration.created_at).strftime("%d/%m/%Y %H:%M")
    assert rows[1]["Status"] == "wachtlijst" and rows[1]["Plaats op de wachtlijst"] == "1"


def test_csv_export_never_hands_excel_a_formula(client, login, exported):
    session, _registration = exported
    login(Role.EXPERT)

    data = client.get(BASE.format(id=session.id) + "/export.csv").data.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(data), delimiter=";"))

    assert row["Voornaam"] == '\'=HYPERLINK("http://x")'
    assert row["Telefoon"] == "'+32470123456"
    assert row["Vragen"] == "'-Hoeveel kost een vergunning?"


def test_xlsx_export_opens_with_the_same_data(client, login, exported):
    from openpyxl import load_workbook

    session, registration = exported
    login(Role.ADMIN)

    response = client.get(BASE.format(id=session.id) + "/export.xlsx")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert headers[:4] == ("Nr.", "Voornaam", "Achternaam", "E-mailadres")
    assert len(rows) == 3
    assert first["Nr."] == registration.id
    assert first["Voornaam"] == registration.first_name  # text, not a formula
    assert first["Telefoon"] == "+32470123456"
    assert first["Status"] == "ingeschreven"
    assert first["Type opvang"] == "Groepsopvang (vanaf 9 kinderen)"
    assert first["Geplande plaatsen"] == 18
    assert first["Ingeschreven op"] == local(registration.created_at).replace(tzinfo=None, microsecond=0)
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_export_follows_the_status_filter(client, login, exported):
    session, _registration = exported
    login(Role.EXPERT)

    data = client.get(BASE.format(id=session.id) + "/export.csv?status=waitlisted").data.decode("utf-8-sig")

    rows = list(csv.DictReader(io.StringIO(data), delimiter=";"))
    assert [row["Achternaam"] for row in rows] == ["De Smet"]


# --------------------------------------------------------------------------- who may


def _staff_urls(session, registration) -> list[tuple[str, str]]:
    base = BASE.format(id=session.id)
    return [
        ("GET", f"/beheer/sessies/{session.id}"),
        ("GET", f"{base}/export.csv"),
        ("GET", f"{base}/export.xlsx"),
        ("GET", f"{base}/nieuw"),
        ("POST", f"{base}/nieuw"),
        ("GET", f"{base}/{registration.id}/verplaatsen"),
        ("POST", f"{base}/{registration.id}/annuleren"),
        ("POST", f"{base}/wachtlijst/doorschuiven"),
    ]


def test_anonymous_visitors_are_sent_to_the_login(client, make_session, person):
    session = make_session()
    registration = person(session, "An", "Claes")
    for method, url in _staff_urls(session, registration):
        response = client.open(url, method=method)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_staff_role_does_not_see_or_export_registrations(client, login, make_session, person):
    """Dossierbeheerders work the leads; a session's registrant list is not theirs to see."""
    session = make_session()
    registration = person(session, "An", "Claes")
    login(Role.STAFF)
    for method, url in _staff_urls(session, registration):
        assert client.open(url, method=method).status_code == 403, url
    assert _reload(registration).status == S.CONFIRMED


@pytest.mark.parametrize("role", [Role.EXPERT, Role.ADMIN])
def test_experts_and_admins_open_every_page(client, login, make_session, person, role):
    session = make_session()
    make_session(days=11)
    registration = person(session, "An", "Claes")
    login(role)
    for method, url in _staff_urls(session, registration):
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_add_and_move_pages_label_every_field(client, login, make_session, person):
    session = make_session()
    make_session(days=11)
    registration = person(session, "An", "Claes")
    login(Role.EXPERT)
    for url in (
        BASE.format(id=session.id) + "/nieuw",
        BASE.format(id=session.id) + f"/{registration.id}/verplaatsen",
    ):
        html = client.get(url).get_data(as_text=True)
        for field_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
            if "csrf" in field_id:
                continue
            assert f'for="{field_id}"' in html, (url, field_id)
    html = _panel(client, session)
    for field_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
        assert f'for="{field_id}"' in html, field_id
    assert "<caption" in html and 'scope="col"' in html


def test_pages_of_an_unknown_session_are_not_found(client, login):
    login(Role.EXPERT)
    assert client.get(BASE.format(id=999) + "/export.csv").status_code == 404
    assert client.get(BASE.format(id=999) + "/nieuw").status_code == 404
