"""Every page in the house style, in Debian's Chromium: each public page at a phone's width
(360 px) and a laptop's (1366 px), and the staff pages at 1366 px as an admin. On every page
nothing sticks out sideways (`scrollWidth` ≤ the viewport) and axe-core finds no WCAG 2.1 A/AA
violation. Plus what the house style promises: the staff menu opens without JavaScript and marks
where you are, the logo an admin uploads is in every header, a planned start is a month and a
year chosen in two selects, and every error of a form is listed at once above it."""

from __future__ import annotations

import io
import re
from datetime import date

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from registrations.links import confirm_url, manage_url, privacy_url
from registrations.models import Registration
from tests.support import PASSWORD
from tests.support.axe import AxeAudit
from tests.support.browser import DEFAULT_TIMEOUT_MS
from tests.support.staff_walk import DEMO_LOGINS, DEMO_PASSWORD, kind_of, walk

WIDTHS = (360, 1366)


class Look:
    """Visit pages, and collect every page that overflows or fails axe; fail once at the end."""

    def __init__(self) -> None:
        self.audit = AxeAudit()
        self.overflows: list[str] = []

    def check(self, page, what: str, tables_fit: bool = False, axe: bool = True) -> None:
        """tables_fit: no table scrolls sideways inside its box either (every column, the row's
        actions too, in sight), as a staff table must at 1366 px and, stacked, on a phone."""
        page.wait_for_load_state("load")
        if tables_fit:
            for table in page.evaluate(
                """() => [...document.querySelectorAll('.table-wrap')]
                     .filter(w => w.scrollWidth > w.clientWidth + 1)
                     .map(w => (w.querySelector('caption')?.textContent || w.className).trim().slice(0, 40)
                               + ` ${w.scrollWidth}px in ${w.clientWidth}px`)"""
            ):
                self.overflows.append(f"{what} ({page.url}): the table {table} scrolls sideways")
        width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width > viewport:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                     .filter(e => e.getBoundingClientRect().right + window.scrollX > window.innerWidth + 1)
                     .slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 9))"""
            )
            self.overflows.append(f"{what} ({page.url}) is {width}px wide at {viewport}px: {wide}")
        if axe:
            self.audit.check(page, what)

    def assert_clean(self) -> None:
        problems = list(self.overflows)
        if self.audit.reports:
            problems.append("\n\n".join(self.audit.reports))
        assert self.audit.audited, "no page was looked at"
        assert not problems, "\n".join(problems)


def open_page(browser, base_url: str, width: int, **options):
    context = browser.new_context(
        base_url=base_url,
        locale="nl-BE",
        timezone_id="Europe/Brussels",
        viewport={"width": width, "height": 800},
        **options,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context, context.new_page()


def sign_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("E-mailadres", exact=True).fill(user.email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)


def registration_of(email: str) -> Registration:
    db.session.rollback()  # see what the live server committed
    return db.session.scalars(select(Registration).where(Registration.email == email)).one()


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_every_public_page_fits_a_phone_and_a_laptop_and_passes_axe(browser, live_server, make_session):
    look = Look()
    session = make_session(capacity=30)
    for width in WIDTHS:
        context, page = open_page(browser, live_server, width)
        at = f"at {width}px"
        for path, what in (
            ("/sessies", "the catalogue"),
            (f"/sessies/{session.id}", "a session page with its form"),
            ("/privacy", "the privacy notice"),
            ("/toegankelijkheid", "the accessibility statement"),
            ("/login", "the staff login"),
            ("/kennismakingsgesprek", "the intake request form"),
            ("/sessies/999999", "the not-found page"),
            ("/widget", "the embeddable widget"),
            ("/attest/niet-echt", "a certificate that does not check out"),
        ):
            page.goto(path)
            look.check(page, f"{what} {at}")

        # The registration form sent empty: every mistake listed at once, above the form.
        page.goto(f"/sessies/{session.id}")
        page.locator("#inschrijven form").get_by_role("button", name="Inschrijven").click()
        summary = page.locator("#fouten")
        expect(summary).to_be_focused()
        for message in ("Vul je voornaam in.", "Vul je achternaam in.", "Vul je e-mailadres in."):
            expect(summary).to_contain_text(message)
        look.check(page, f"the registration form with its errors {at}")

        page.goto("/login")
        page.get_by_role("button", name="Aanmelden", exact=True).click()
        look.check(page, f"the login form with its errors {at}")
        page.goto("/kennismakingsgesprek")
        page.get_by_role("button", name="Gesprek aanvragen").click()
        look.check(page, f"the intake request with its errors {at}")

        # Registering, then the pages the mails link to.
        email = f"sara.{width}@example.com"
        page.goto(f"/sessies/{session.id}")
        page.get_by_label("Voornaam", exact=True).fill("Sara")
        page.get_by_label("Achternaam", exact=True).fill("Claes")
        page.get_by_label("E-mailadres", exact=True).fill(email)
        page.get_by_role("checkbox", name=re.compile("^Ik heb de privacyverklaring")).check()
        page.locator("#inschrijven form").get_by_role("button", name="Inschrijven").click()
        page.wait_for_url(re.compile(r"/ingeschreven(#.*)?$"))
        look.check(page, f"the check-your-mail page {at}")
        registration = registration_of(email)
        for url, what in (
            (confirm_url(registration), "the confirm page"),
            (manage_url(registration), "the manage page"),
            (privacy_url(registration), "my data"),
        ):
            page.goto(path_of(url))
            look.check(page, f"{what} {at}")
        page.goto("/inschrijving/niet-geldig")
        look.check(page, f"a link that no longer works {at}")
        context.close()
    look.assert_clean()


def test_the_staff_pages_fit_a_laptop_and_pass_axe(browser, live_server, make_user, make_session):
    look = Look()
    admin = make_user(Role.ADMIN, name="An Beheer")
    session = make_session(capacity=30)
    context, page = open_page(browser, live_server, 1366)
    sign_in(page, admin)
    s = session.id
    for path, what in (
        ("/beheer/", "the dashboard"),
        ("/beheer/sessies", "the sessions"),
        (f"/beheer/sessies/{s}", "a session's page"),
        ("/beheer/sessies/nieuw", "a new session"),
        ("/beheer/sessies/reeks", "a series"),
        (f"/beheer/sessies/{s}/bewerken", "editing a session"),
        (f"/beheer/sessies/{s}/annuleren", "cancelling a session"),
        (f"/beheer/sessies/{s}/inschrijvingen/nieuw", "registering someone"),
        (f"/beheer/sessies/{s}/aanwezigheden", "check-in"),
        (f"/beheer/sessies/{s}/aanwezigheden/afdrukken", "the attendance sheet"),
        (f"/beheer/sessies/{s}/opvolging", "follow-up mailings"),
        (f"/beheer/sessies/{s}/materialen", "a session's materials"),
        ("/beheer/themas", "topics"),
        ("/beheer/locaties", "venues"),
        ("/beheer/gebruikers/", "users"),
        (f"/beheer/gebruikers/{admin.id}", "one user"),
        ("/beheer/huisstijl", "logo and house style"),
        ("/beheer/widget", "the widget's websites, snippet and preview"),
        ("/beheer/leads/", "the lead inbox"),
        ("/beheer/leads/regels", "lead rules"),
        ("/beheer/kennismakingsgesprekken", "intake slots"),
        ("/beheer/dossiers", "the dossiers"),
        ("/beheer/dossiers/nieuw", "a new dossier"),
        ("/beheer/dossiers/checklist", "the checklist"),
        ("/beheer/outbox/", "outgoing mail"),
        ("/beheer/rapporten/", "reports"),
    ):
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        look.check(page, what)
    page.goto("/beheer/sessies/nieuw")
    page.get_by_role("button", name="Opslaan").click()
    look.check(page, "a new session with its errors")
    context.close()
    look.assert_clean()


def test_every_staff_page_of_the_demo_fits_a_laptop_for_each_role_and_passes_axe(
    app, browser, live_server, runner
):
    """The demo walked as admin, expert and staff (the navigation, then each list's first rows):
    at 1366 px no page and no table scrolls sideways, and axe-core finds nothing. Each kind of page
    is audited once, by the first role that reaches it; the lists (sessions, registrations,
    outbox, users …) also at 360 px, where their tables stack instead of scrolling."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    look = Look()
    looked_at: set[str] = set()
    paths_of: dict[str, list[str]] = {}
    app.config["WTF_CSRF_ENABLED"] = False  # the walk, over HTTP, before the browser comes
    try:
        for role, email in DEMO_LOGINS.items():
            client = app.test_client()
            assert client.post("/login", data={"email": email, "password": DEMO_PASSWORD}).status_code == 302
            paths_of[role] = [path for path, _ in walk(client) if kind_of(path) not in looked_at]
            assert paths_of[role], role
            looked_at.update(kind_of(path) for path in paths_of[role])
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    for role, email in DEMO_LOGINS.items():
        for width in (1366, 360) if role == "admin" else (1366,):
            context, page = open_page(browser, live_server, width)
            page.goto("/login")
            page.get_by_label("E-mailadres", exact=True).fill(email)
            page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Aanmelden", exact=True).click()
            page.wait_for_url(lambda url: "/login" not in url)
            for path in paths_of[role]:
                if width == 360 and not page_with_a_list(path):
                    continue
                response = page.goto(path)
                assert response.status == 200, f"{path} as {role}: {response.status}"
                look.check(
                    page,
                    f"{path} as {role} at {width}px",
                    tables_fit=not path.startswith("/beheer/rapporten"),
                    axe=width == 1366,  # the phone pass looks at the tables' layout only
                )
            context.close()
    look.assert_clean()


def page_with_a_list(path: str) -> bool:
    """The staff lists checked on a phone too: their tables stack there."""
    return bool(
        re.fullmatch(
            r"/beheer/(|sessies(\?.*)?|sessies/\d+(\?.*)?|sessies/\d+/opvolging|gebruikers/|locaties|themas"
            r"|outbox/(\?.*)?|outbox/\d+|leads/regels)",
            path,
        )
    )


def test_the_staff_menu_works_without_javascript_and_marks_where_you_are(browser, live_server, make_user):
    admin = make_user(Role.ADMIN)
    context, page = open_page(browser, live_server, 360, java_script_enabled=False)
    sign_in(page, admin)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Overzicht")).to_have_attribute("aria-current", "page")
    nav.get_by_text("Beheer", exact=True).click()
    nav.get_by_role("link", name="Gebruikers").click()
    page.wait_for_url(re.compile(r"/beheer/gebruikers/$"))
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.locator("summary", has_text="Beheer")).to_have_attribute("aria-current", "true")
    nav.get_by_text("Beheer", exact=True).click()
    expect(nav.get_by_role("link", name="Gebruikers")).to_have_attribute("aria-current", "page")
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport
    nav.get_by_text("Leads & dossiers", exact=True).click()
    nav.get_by_role("link", name="Dossiers").click()
    page.wait_for_url(re.compile(r"/beheer/dossiers$"))
    expect(page.locator(".nav-current summary")).to_have_text("Leads & dossiers")
    context.close()


def test_the_logo_an_admin_uploads_is_in_every_header(browser, live_server, make_user, tmp_path):
    admin = make_user(Role.ADMIN)
    logo = tmp_path / "logo.png"
    Image.new("RGB", (320, 80), "#003e66").save(logo)
    context, page = open_page(browser, live_server, 1366)
    sign_in(page, admin)
    page.goto("/beheer/huisstijl")
    expect(page.locator(".site-header .brand-name")).to_have_text("Startklaar")  # the word mark
    page.get_by_label("Logo", exact=True).set_input_files(str(logo))
    page.get_by_label("Tekst van het logo").fill("Agentschap Opgroeien")
    page.get_by_role("button", name="Logo opladen").click()
    expect(page.get_by_role("status")).to_contain_text("Het logo staat nu op elke pagina.")
    page.goto("/sessies")
    header_logo = page.locator(".site-header img[alt='Agentschap Opgroeien']")
    expect(header_logo).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", header_logo.element_handle()) == 320
    context.close()


def test_a_planned_start_is_a_month_and_a_year_and_every_mistake_comes_in_one_round(
    browser, live_server, make_session
):
    session = make_session()
    context, page = open_page(browser, live_server, 360, java_script_enabled=False)
    page.goto(f"/sessies/{session.id}")
    assert page.locator('input[type="month"]').count() == 0
    group = page.get_by_role("group", name="Geplande start")
    group.get_by_label("Maand").select_option(label="mei")
    page.get_by_label("Voornaam", exact=True).fill("Sara")
    page.locator("#inschrijven form").get_by_role("button", name="Inschrijven").click()
    summary = page.locator("#fouten")
    for message in ("Kies ook het jaar.", "Vul je achternaam in.", "Vul je e-mailadres in."):
        expect(summary).to_contain_text(message)
    expect(summary.get_by_role("link", name=re.compile("^Geplande start"))).to_have_attribute(
        "href", "#planned_start"
    )
    group = page.get_by_role("group", name="Geplande start")
    expect(group.get_by_label("Maand")).to_have_value("5")  # what was chosen is kept
    group.get_by_label("Jaar").select_option(str(date.today().year + 1))
    page.get_by_label("Achternaam", exact=True).fill("Claes")
    page.get_by_label("E-mailadres", exact=True).fill("sara.claes@example.com")
    page.get_by_role("checkbox", name=re.compile("^Ik heb de privacyverklaring")).check()
    page.locator("#inschrijven form").get_by_role("button", name="Inschrijven").click()
    page.wait_for_url(re.compile(r"/ingeschreven(#.*)?$"))
    assert registration_of("sara.claes@example.com").planned_start == date(date.today().year + 1, 5, 1)
    context.close()


def test_the_favicon_loads_in_the_browser(browser, live_server):
    context, page = open_page(browser, live_server, 360)
    response = page.goto("/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/vnd.microsoft.icon"
    Image.open(io.BytesIO(response.body()))
    context.close()
