"""The service as a whole: icons, the accessibility statement, the logo, the navigation, the
month/year field, and the HTML every page shares (meta description, canonical link, footer)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from PIL import Image
from werkzeug.datastructures import MultiDict

from app import branding
from app.auth.models import Role
from app.forms import DayMonthYearField, Form, MonthYearField, month_args, parse_month
from app.pages import staff_nav

# --------------------------------------------------------------------------- icons and statement


def test_the_favicon_and_the_touch_icon_are_served_and_kept(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert Image.open(io.BytesIO(icon.data)).format == "ICO"
    assert icon.cache_control.max_age >= 24 * 3600
    assert client.get("/favicon.ico", headers={"If-None-Match": icon.headers["ETag"]}).status_code == 304
    touch = client.get("/apple-touch-icon.png")
    assert touch.status_code == 200 and Image.open(io.BytesIO(touch.data)).size == (180, 180)
    page = client.get("/sessies").text
    assert 'rel="icon" href="/favicon.ico"' in page and 'type="image/svg+xml"' in page


def test_the_accessibility_statement_follows_the_model_and_is_linked_from_every_footer(app, client, login):
    app.config["CONTACT_EMAIL"] = "toegankelijk@agentschap.example"
    page = client.get("/toegankelijkheid").text
    for part in (
        "WCAG) versie 2.1 niveau AA",
        "gedeeltelijk conform",
        "Niet-toegankelijke inhoud",
        "axe-core",
        "zondag 6 december 2026",
        "toegankelijk@agentschap.example",
        "Vlaamse Ombudsdienst",
        "klachten@vlaamseombudsdienst.be",
    ):
        assert part in page, part
    for url in ("/sessies", "/privacy", "/login", "/toegankelijkheid", "/bestaat-niet"):
        footer = client.get(url).text.split('<footer class="site-footer">', 1)[1]
        assert 'href="/toegankelijkheid"' in footer and 'href="/privacy"' in footer, url
    login(Role.EXPERT)
    footer = client.get("/beheer/").text.split('<footer class="site-footer">', 1)[1]
    assert 'href="/toegankelijkheid"' in footer


def test_public_pages_carry_their_own_description_and_a_canonical_link(client, make_session):
    session = make_session()
    described = {}
    for url in ("/sessies", f"/sessies/{session.id}", "/privacy", "/toegankelijkheid", "/login"):
        page = client.get(url).text
        found = re.search(r'<meta name="description" content="([^"]{50,})">', page)
        assert found, url
        described[url] = found.group(1)
        assert f'<link rel="canonical" href="http://localhost{url}">' in page, url
        assert 'name="robots"' not in page, url
    assert len(set(described.values())) == len(described)  # each page says what is on it
    assert session.topic.title in described[f"/sessies/{session.id}"]
    assert session.venue.municipality in described[f"/sessies/{session.id}"]
    english = client.get("/sessies?lang=en").text
    assert '<link rel="canonical" href="http://localhost/sessies?lang=en">' in english


def test_staff_pages_are_kept_out_of_search_engines(client, login):
    login(Role.ADMIN)
    assert '<meta name="robots" content="noindex, nofollow">' in client.get("/beheer/").text


# --------------------------------------------------------------------------- the logo


def png(width=300, height=80, colour="navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "white").save(buffer, "JPEG")
    return buffer.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50">'
    b'<rect width="200" height="50" fill="#036"/></svg>'
)


def test_without_a_logo_the_header_shows_the_word_mark(client):
    assert branding.current_logo() is None
    header = client.get("/sessies").text.split("</header>", 1)[0]
    assert 'class="brand-name">Startklaar<' in header and 'class="brand-mark"' in header
    assert "/logo/" not in header


@pytest.mark.parametrize(("data", "kind"), [(png(), "png"), (jpeg(), "jpeg"), (SVG, "svg")])
def test_an_admin_uploads_a_logo_and_every_page_shows_it(app, client, login, data, kind):
    admin = login(Role.ADMIN)
    response = client.post(
        "/beheer/huisstijl",
        data={"file": (io.BytesIO(data), f"logo.{kind}"), "alt": "Agentschap Opgroeien"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    logo = branding.current_logo()
    assert (logo.kind, logo.data, logo.alt) == (kind, data, "Agentschap Opgroeien")
    assert logo.mimetype == {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}[kind]
    url = f"/logo/{logo.version}.{logo.extension}"
    header = client.get("/sessies").text.split("</header>", 1)[0]
    assert f'src="{url}" alt="Agentschap Opgroeien"' in header
    admin_page = client.get("/beheer/huisstijl").text.split("</header>", 1)[1]
    assert f'<img src="{url}" alt="Agentschap Opgroeien">' in admin_page  # the preview
    assert f"{kind.upper()}" in admin_page and "Logo verwijderen" in admin_page
    served = client.get(url)
    assert served.data == data and served.mimetype == logo.mimetype
    assert "immutable" in served.headers["Cache-Control"]
    if kind == "svg":
        assert "sandbox" in served.headers["Content-Security-Policy"]
    assert client.get(f"/logo/{'0' * 64}.{logo.extension}").status_code == 404
    entries = [e for e in __import__("app.audit", fromlist=["x"]).entries_for("branding", "logo")]
    assert entries[0].actor_name == admin.name

    client.post("/beheer/huisstijl/verwijderen")
    assert branding.current_logo() is None
    assert client.get(url).status_code == 404
    assert 'class="brand-mark"' in client.get("/sessies").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Kies een bestand."),
        (b"%PDF-1.4 not a picture", "Dit is geen PNG-, JPEG- of SVG-afbeelding."),
        (png()[:40], "Dit is geen PNG-, JPEG- of SVG-afbeelding."),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Dit SVG-bestand bevat scripts",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>',
            "Dit SVG-bestand bevat scripts",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="https://elders.example/a.png"/></svg>',
            "Dit SVG-bestand bevat scripts",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "Dit SVG-bestand bevat scripts",
        ),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "Dit SVG-bestand is beschadigd."),
    ],
)
def test_a_file_that_is_not_a_safe_picture_is_refused_and_changes_nothing(client, login, data, message):
    login(Role.ADMIN)
    response = client.post(
        "/beheer/huisstijl",
        data={"file": (io.BytesIO(data), "logo.png"), "alt": "Agentschap"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.text
    assert branding.current_logo() is None


def test_a_logo_over_one_megabyte_is_refused(app):
    # Through the service: the test client spools a large body to a file it never closes.
    with pytest.raises(branding.LogoRefused, match="hoogstens 1 MB"):
        branding.save_logo(png() + b"\0" * branding.MAX_LOGO_BYTES, "groot.png", "Agentschap")
    assert branding.current_logo() is None


def test_a_logo_needs_its_text_and_only_an_admin_may_change_it(client, login):
    login(Role.ADMIN)
    response = client.post(
        "/beheer/huisstijl",
        data={"file": (io.BytesIO(png()), "logo.png"), "alt": "  "},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "Geef de tekst van het logo" in response.text
    assert branding.current_logo() is None
    client.post("/logout")
    login(Role.EXPERT)
    assert client.get("/beheer/huisstijl").status_code == 403
    assert client.post("/beheer/huisstijl/verwijderen").status_code == 403


def test_current_logo_gives_other_code_the_bytes_and_a_version(app, make_user):
    first = branding.save_logo(png(colour="red"), "a.png", "Agentschap", actor=make_user(Role.ADMIN))
    assert (first.width, first.height, first.kind) == (300, 80, "png")
    second = branding.save_logo(png(colour="blue"), "b.png", "Agentschap")
    assert second.version != first.version
    assert branding.current_logo().data == second.data
    assert branding.logo_version() == second.version


# --------------------------------------------------------------------------- navigation


def test_the_staff_navigation_is_grouped_by_task_and_marks_the_current_page(app):
    with app.test_request_context():
        admin = staff_nav("/beheer/leads/regels/3", Role.ADMIN)
        assert [s["key"] for s in admin] == ["overzicht", "sessies", "leads", "rapporten", "beheer"]
        current = [(s["key"], link["label"]) for s in admin for link in s["links"] if link["current"]]
        assert [(key, str(label)) for key, label in current] == [("beheer", "Leadregels")]
        leads = staff_nav("/beheer/leads/12", Role.STAFF)
        assert [s["key"] for s in leads] == ["overzicht", "leads", "rapporten"]  # no sessions, no admin
        assert next(s for s in leads if s["key"] == "leads")["current"]
        assert staff_nav("/beheer/", Role.EXPERT)[0]["current"]
        checklist = staff_nav("/beheer/dossiers/checklist/K01", Role.ADMIN)
        assert [s["key"] for s in checklist if s["current"]] == ["beheer"]


def test_the_admin_menu_lists_every_admin_screen_and_works_without_javascript(client, login):
    login(Role.ADMIN)
    page = client.get("/beheer/outbox/").text
    nav = page.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert "<details>" in nav and '<summary aria-current="true">Beheer</summary>' in nav
    for text in (
        "Gebruikers",
        "Locaties",
        "Thema’s",
        "Presentatiesjabloon",
        "Checklist",
        "Leadregels",
        "Logo en huisstijl",
        "Widget voor websites",
    ):
        assert f">{text}</a>" in nav, text
    assert '<a href="/beheer/outbox/" aria-current="page">Uitgaande mail</a>' in nav


# --------------------------------------------------------------------------- forms


class PlannedStart(Form):
    class Meta:
        csrf = False

    start = MonthYearField("Geplande start")


def form_with(**data) -> PlannedStart:
    return PlannedStart(formdata=MultiDict(data))


@pytest.mark.parametrize(
    ("data", "expected", "error"),
    [
        ({"start-maand": "5", "start-jaar": "2027"}, date(2027, 5, 1), None),
        ({"start": "2027-09"}, date(2027, 9, 1), None),  # old links and scripts
        ({}, None, None),
        ({"start-maand": "", "start-jaar": ""}, None, None),
        ({"start-maand": "5", "start-jaar": ""}, None, "Kies ook het jaar."),
        ({"start-maand": "", "start-jaar": "2027"}, None, "Kies ook de maand."),
        ({"start-maand": "13", "start-jaar": "2027"}, None, "Kies een maand uit de lijst."),
        ({"start-maand": "5", "start-jaar": "0000"}, None, "Kies een jaar uit de lijst."),
        ({"start": "2027-13"}, None, "Kies een maand uit de lijst."),
        ({"start": "mei"}, None, "Kies een maand en een jaar."),
    ],
)
def test_a_month_is_two_selects_read_into_the_first_of_the_month(app, data, expected, error):
    with app.test_request_context():
        form = form_with(**data)
        assert form.validate() is (error is None)
        assert form.start.data == expected
        assert form.start.errors == ([error] if error else [])


def test_the_month_field_draws_two_labelled_selects_and_no_native_month_input(app):
    with app.test_request_context():
        html = str(PlannedStart(data={"start": date(2027, 5, 1)}).start())
    assert 'type="month"' not in html
    assert '<label class="month-year-label" for="start">Maand</label>' in html
    assert '<select id="start" name="start-maand">' in html and 'name="start-jaar"' in html
    assert '<option value="5" selected>mei</option>' in html
    assert '<option value="2027" selected>2027</option>' in html
    assert parse_month("1", "2030") == date(2030, 1, 1)


def test_month_filters_from_two_selects_reach_the_filters_as_one_month(app):
    args = month_args(MultiDict({"van-maand": "3", "van-jaar": "2027", "tot": "2027-06"}), "van", "tot")
    assert (args["van"], args["tot"]) == ("2027-03", "2027-06")
    assert month_args(MultiDict({"van-jaar": "2027"}), "van")["van"] == "2027-"  # refused, with a message


def test_no_page_draws_a_native_month_input(client, login):
    login(Role.ADMIN)
    for url in ("/beheer/leads/", "/beheer/rapporten/", "/beheer/dossiers/nieuw"):
        page = client.get(url).text
        assert 'type="month"' not in page, url
    assert "Geplande start uiterlijk" in client.get("/beheer/leads/?start-maand=6&start-jaar=2027").text


def test_a_page_with_many_forms_repeats_no_id_and_a_required_select_starts_empty(
    app, client, login, make_session
):
    session = make_session()
    login(Role.ADMIN)
    app.config["WTF_CSRF_ENABLED"] = True  # every form draws its token, as in production
    page = client.get(f"/beheer/sessies/{session.id}").text
    assert page.count('name="csrf_token"') > 3
    assert 'id="csrf_token"' not in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    new_session = client.get("/beheer/sessies/nieuw").text
    topic_select = new_session.split('id="topic_id"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'^[^>]*required[^>]*><option value="">Kies …</option>', topic_select)


def typed(day: str, month: str, year: str) -> dict:
    return {"received-dag": day, "received-maand": month, "received-jaar": year}


class Letter(Form):
    class Meta:
        csrf = False

    received = DayMonthYearField("Datum van de brief")


@pytest.mark.parametrize(
    ("data", "expected", "error"),
    [
        ({"received-dag": "27", "received-maand": "3", "received-jaar": "2027"}, date(2027, 3, 27), None),
        ({"received": "2027-03-27"}, date(2027, 3, 27), None),
        ({}, None, None),
        ({"received-dag": "27", "received-maand": "3", "received-jaar": ""}, None, "Vul ook het jaar in."),
        ({"received-dag": "", "received-maand": "3", "received-jaar": "2027"}, None, "Vul ook de dag in."),
        (
            {"received-dag": "31", "received-maand": "2", "received-jaar": "2027"},
            None,
            "Deze datum bestaat niet.",
        ),
        (
            {"received-dag": "1", "received-maand": "2", "received-jaar": "27"},
            None,
            "Het jaar heeft vier cijfers",
        ),
        (
            {"received-dag": "een", "received-maand": "2", "received-jaar": "2027"},
            None,
            "Een datum bestaat uit",
        ),
    ],
)
def test_a_date_is_three_numbers_day_month_year(app, data, expected, error):
    with app.test_request_context():
        form = Letter(formdata=MultiDict(data))
        assert form.validate() is (error is None)
        assert form.received.data == expected
        if error:
            assert form.received.errors[0].startswith(error)
        html = str(form.received())
    assert 'type="date"' not in html and html.count('inputmode="numeric"') == 3
    assert '<label for="received">Dag</label>' in html
