"""Every kind of mail's HTML part in Debian's Chromium, at a phone's width (360 px) and a
laptop's (1366 px): nothing sticks out sideways, axe-core finds no WCAG 2.1 A/AA violation, and
a mail that asks one thing shows it as a button with its link written beneath it.

The mails are the application's own: queued through each package's API and rendered by the
outbox (tests.support.every_mail). MAIL_SHOTS=/some/dir saves a screenshot of each."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from tests.support.axe import AxeAudit
from tests.support.browser import DEFAULT_TIMEOUT_MS
from tests.support.every_mail import application_kinds, every_mail

WIDTHS = (360, 1366)
NO_ACTION = ("intake.staff_", "mailing.")


def test_every_mail_fits_a_phone_and_a_laptop_and_passes_axe(
    browser, app, make_session, make_registration, make_lead, make_user
):
    mails = every_mail(make_session, make_registration, make_lead, make_user)
    assert set(mails) >= application_kinds()
    shots = os.environ.get("MAIL_SHOTS")
    audit, overflows = AxeAudit(), []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-BE")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        # A mail client shows no pictures from the web until asked: neither does this page.
        context.route("**/*", lambda route: route.abort())
        page = context.new_page()
        for code, mail in sorted(mails.items()):
            what = f"the mail {code} at {width}px"
            page.set_content(mail.html_body, wait_until="domcontentloaded")
            scroll, viewport = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll > viewport:
                overflows.append(f"{what} is {scroll}px wide")
            audit.check(page, what)
            if not code.startswith(NO_ACTION):
                button = page.locator("a[style*='inline-block']")
                expect(button).to_have_count(1)
                expect(button).to_be_visible()
                url = button.get_attribute("href")
                beneath = page.get_by_role("link", name=url, exact=True)
                expect(beneath).to_be_visible()
                assert beneath.bounding_box()["y"] > button.bounding_box()["y"], what
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{code}-{width}.png", full_page=True)
        context.close()
    problems = overflows + audit.reports
    assert audit.audited and not problems, "\n".join(problems)
