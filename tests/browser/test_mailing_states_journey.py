"""A mailing's page in a real browser at 1366 px, with a real SMTP server that refuses one
recipient: the page says "verzonden 2 van 3" and "mislukt: <the server's answer>" for that person,
the retry queues the mail again, and while it goes out the bar moves and the polite live region
announces the new state without a reload. Without JavaScript the same page shows the state at
load with a "Vernieuwen" link, and the retry is a plain form. axe-core checks every state."""

from __future__ import annotations

from playwright.sync_api import expect

from app.auth.models import Role
from app.extensions import db
from app.outbox.services import deliver_all_due
from tests.support.axe import AxeAudit
from tests.support.browser import log_in
from tests.support.mailings import attended, thanks_sent

REFUSAL = "550 5.1.1 <bram.claes@example.com>: Recipient address rejected: User unknown"
LAPTOP = {"width": 1366, "height": 900}


def deliver() -> None:
    deliver_all_due()
    db.session.commit()


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_a_refused_recipient_is_shown_retried_and_announced_as_sent(
    page, app, make_session, make_registration, make_user, smtp_server
):
    page.set_viewport_size(LAPTOP)
    app.config["SMTP_URL"] = smtp_server.url
    session, (_an, bram, _chloe) = attended(make_session, make_registration)
    deliver()  # the registrations' own mails, out of the way
    mailing = thanks_sent(session)
    smtp_server.refuse[bram.email] = REFUSAL
    deliver()
    audit = AxeAudit()
    log_in(page, make_user(Role.EXPERT))

    page.goto(f"/beheer/sessies/{session.id}/opvolging/{mailing.id}/voortgang")
    expect(page.locator("#mailing-state")).to_have_text("verzonden 2 van 3")
    bram_row = page.locator("tr", has_text=bram.full_name)
    expect(bram_row.get_by_role("cell").nth(2)).to_have_text(f"mislukt: {REFUSAL}")
    live = page.locator("#mailing-announce")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(page.get_by_label("Verzonden: 2 van 3")).to_have_attribute("value", "2")
    no_sideways_scroll(page)
    audit.check(page, "the mailing page with one refused recipient")

    del smtp_server.refuse[bram.email]
    page.get_by_role("button", name=f"Opnieuw proberen {bram.full_name}").click()
    expect(page.get_by_text(f"De mail aan {bram.full_name} staat opnieuw in de wachtrij.")).to_be_visible()
    expect(bram_row.get_by_role("cell").nth(2)).to_have_text("in de wachtrij")
    expect(page.get_by_role("link", name="Vernieuwen")).to_be_visible()
    no_sideways_scroll(page)
    audit.check(page, "the mailing page while the retry waits")

    before = len(smtp_server.by_recipient()[bram.email])  # their registration's own mails
    deliver()  # the worker sends it; the page follows without a reload

    expect(live).to_have_text("verzonden 3 van 3")
    expect(page.locator("#mailing-state")).to_have_text("verzonden 3 van 3")
    expect(bram_row.get_by_role("cell").nth(2)).to_have_text("verzonden")  # the list, fetched afresh
    expect(page.get_by_role("button", name=f"Opnieuw proberen {bram.full_name}")).to_have_count(0)
    assert len(smtp_server.by_recipient()[bram.email]) == before + 1
    no_sideways_scroll(page)
    audit.check(page, "the mailing page once everything left")
    audit.assert_clean()


def test_without_javascript_the_page_shows_the_state_and_the_retry_is_a_form(
    nojs_page, app, make_session, make_registration, make_user, smtp_server
):
    page = nojs_page
    page.set_viewport_size(LAPTOP)
    app.config["SMTP_URL"] = smtp_server.url
    session, (_an, bram, _chloe) = attended(make_session, make_registration)
    deliver()
    mailing = thanks_sent(session)
    smtp_server.refuse[bram.email] = REFUSAL
    deliver()
    log_in(page, make_user(Role.EXPERT))
    url = f"/beheer/sessies/{session.id}/opvolging/{mailing.id}/voortgang"

    page.goto(url)
    expect(page.locator("#mailing-state")).to_have_text("verzonden 2 van 3")
    expect(page.get_by_role("link", name="Vernieuwen")).to_have_count(0)  # nothing waits
    del smtp_server.refuse[bram.email]
    page.get_by_role("button", name=f"Opnieuw proberen {bram.full_name}").click()
    bram_state = page.locator("tr", has_text=bram.full_name).get_by_role("cell").nth(2)
    expect(bram_state).to_have_text("in de wachtrij")

    deliver()
    page.get_by_role("link", name="Vernieuwen").click()

    expect(page.locator("#mailing-state")).to_have_text("verzonden 3 van 3")
    expect(page.get_by_role("link", name="Vernieuwen")).to_have_count(0)
    assert page.locator("meta[http-equiv=refresh]").count() == 0  # no timed reload (WCAG 2.2.1)
