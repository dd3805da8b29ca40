"""Finding a session in a real browser at 360 px: the filters fold away so the first screen shows
sessions; an empty province leads to a session alert; the confirmation mail arrives at the SMTP
server on loopback, its link turns the alert on; a matching session is published, the batch runs,
and the alert mail arrives with its one-click unsubscribe. axe-core checks every page on the way,
and nothing sticks out sideways at 360 and 1366 px.

The test process shares the live server's database: it publishes the session and runs the batch
and the outbox itself, as the scheduled jobs would.
"""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.outbox.services import deliver_due
from sessions.alerts import services as alerts
from sessions.models import SessionFormat
from tests.support.axe import AxeAudit

ADDRESS = "an.peeters@example.com"


def _context(browser, live_server, width: int):
    return browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 800},
        locale="nl-BE",
        timezone_id="Europe/Brussels",
    )


def _fits(page) -> None:
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def _deliver(app, smtp_server, seen: int, expected: int) -> list[EmailMessage]:
    app.config["SMTP_URL"] = smtp_server.url
    db.session.commit()  # end the test's read transaction: the live server wrote since
    report = deliver_due()
    assert (report.sent, report.failed) == (expected, 0), report
    return [received.message for received in smtp_server.messages[seen : seen + expected]]


def _text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _link(message: EmailMessage, base: str, path: str) -> str:
    found = re.findall(rf"{re.escape(base)}{path}/[A-Za-z0-9_-]+", _text(message))
    assert len(found) == 1, _text(message)
    return found[0]


@pytest.mark.browser
def test_from_an_empty_province_to_the_alert_mail_on_a_360_px_phone(
    app, browser, live_server, smtp_server, make_session, make_venue
):
    for day in range(5, 9):
        make_session(venue=make_venue("9000"), title=f"Gent {day}", days=day)
    audit = AxeAudit()
    context = _context(browser, live_server, 360)
    page = context.new_page()

    # The first screen shows sessions: the filters wait behind one button.
    page.goto("/sessies")
    filters = page.locator("details#filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_role("link", name="Gent 5", exact=True)).to_be_in_viewport()
    audit.check(page, "the catalogue at 360 px")
    _fits(page)

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Provincie").select_option("brussel")  # submits itself (app.js)
    expect(page).to_have_url(re.compile(r"provincie=brussel"))
    expect(page.get_by_role("heading", name="Geen infosessie gevonden")).to_be_visible()
    expect(filters).to_have_attribute("open", "")
    audit.check(page, "an empty result at 360 px")
    _fits(page)

    page.get_by_role("link", name="Laat me weten wanneer er een sessie is").first.click()
    expect(page.get_by_label("Provincie")).to_have_value("brussel")
    page.get_by_label("E-mailadres").fill(ADDRESS)
    audit.check(page, "the alert form at 360 px")
    _fits(page)
    page.get_by_role("button", name="Houd me op de hoogte").click()
    expect(page.get_by_text(f"We stuurden een mail naar {ADDRESS}.")).to_be_visible()
    audit.check(page, "check your mail at 360 px")

    (confirmation,) = _deliver(app, smtp_server, 0, 1)
    assert confirmation["To"] == ADDRESS
    page.goto(_link(confirmation, live_server, "/meldingen/bevestigen"))
    audit.check(page, "the confirmation page at 360 px")
    page.get_by_role("button", name="Melding aanzetten").click()
    expect(page.get_by_role("heading", name="Je melding staat aan")).to_be_visible()
    audit.check(page, "the alert is on at 360 px")
    _fits(page)

    # An expert publishes a session in Brussel; the hourly batch finds it.
    brussel = make_session(venue=make_venue("1000"), title="Eindelijk in Brussel", days=20)
    assert alerts.send_alerts() == 1
    (alert_mail,) = _deliver(app, smtp_server, 1, 1)
    assert " ".join(str(alert_mail["Subject"]).split()) == "Nieuwe infosessie: Eindelijk in Brussel"
    assert f"{live_server}/sessies/{brussel.id}" in _text(alert_mail)
    unsubscribe = _link(alert_mail, live_server, "/meldingen/uitschrijven")
    assert str(alert_mail["List-Unsubscribe"]).strip() == f"<{unsubscribe}>"
    assert alert_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto(unsubscribe)
    audit.check(page, "the unsubscribe page at 360 px")
    page.get_by_role("button", name="Ja, schrijf me uit").click()
    expect(page.get_by_role("heading", name="Je bent uitgeschreven")).to_be_visible()
    audit.check(page, "unsubscribed at 360 px")
    context.close()
    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1366])
def test_the_catalogue_is_clean_and_fits_at_both_sizes(
    app, browser, live_server, make_session, make_venue, width
):
    app.config["CATALOGUE_PAGE_SIZE"] = 3
    for day in range(5, 10):
        make_session(venue=make_venue("1000"), title=f"Brussel {day}", days=day)
    make_session(format=SessionFormat.ONLINE, title="Online", days=11)
    full = make_session(venue=make_venue("9000"), capacity=1, title="Vol", days=4)
    full.seats_taken = 1
    db.session.commit()
    audit = AxeAudit()
    context = _context(browser, live_server, width)
    page = context.new_page()

    page.goto("/sessies?provincie=brussel")
    expect(page.get_by_text("1–3 van 5 infosessies")).to_be_visible()
    expect(page.get_by_role("heading", name="Ook online te volgen")).to_be_visible()
    audit.check(page, f"a province with the online sessions beside it at {width} px")
    _fits(page)
    page.get_by_role("link", name="Volgende pagina").click()
    expect(page.get_by_text("4–5 van 5 infosessies")).to_be_visible()

    page.goto("/sessies")
    # On a wide screen the filters stand open; on a phone they wait behind the button.
    if width >= 768:
        expect(page.locator("details#filters")).to_have_attribute("open", "")
    expect(page.locator(".card-cta").first).to_contain_text("Op de wachtlijst")
    audit.check(page, f"the catalogue at {width} px")
    _fits(page)

    page.goto(f"/sessies/{full.id}")
    expect(page.locator(".cta-bar")).to_contain_text("Op de wachtlijst")
    audit.check(page, f"a full session at {width} px")
    _fits(page)
    context.close()
    audit.assert_clean()
