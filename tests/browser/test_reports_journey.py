"""In a real browser: an expert reads their own figures on their home page, then the reports on a
1366-px laptop and on a phone. No chart's text runs past its chart, no page scrolls sideways,
every table fits its card or scrolls inside it in a labelled region; axe-core finds nothing.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from registrations import attendance
from registrations import services as registrations
from sessions import services as sessions
from sessions.models import SessionStatus
from tests.support import PASSWORD
from tests.support.axe import AxeAudit

pytestmark = pytest.mark.browser

LONG_TOPIC = "Opportuniteitsadvies en samenwerken met je gemeente, de provincie en het agentschap"

# For each chart: texts whose right edge passes the chart's, and texts cut off on the left.
CLIPPED = """
() => [...document.querySelectorAll("svg.chart")].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")]
    .filter(t => {
      const r = t.getBoundingClientRect();
      return r.right > box.right + 0.5 || r.left < box.left - 0.5;
    })
    .map(t => t.textContent);
})
"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
REGIONS = """
() => [...document.querySelectorAll(".table-scroll")].map(r => ({
  name: document.getElementById(r.getAttribute("aria-labelledby"))?.textContent || "",
  focusable: r.tabIndex === 0,
  scrolls: r.scrollWidth > r.clientWidth,
  overflowsCard: r.getBoundingClientRect().right > r.closest(".card").getBoundingClientRect().right,
}))
"""


@pytest.fixture
def expert_with_history(app, make_user, make_topic, make_session, registration_data):  # noqa: F811
    expert = make_user(Role.EXPERT, name="Els Peeters")
    colleague = make_user(Role.EXPERT)
    for presenter, topic, came, missed in (
        (expert, make_topic(LONG_TOPIC), 3, 1),
        (colleague, make_topic("Gezinsopvang starten"), 2, 2),
    ):
        starts_at = utcnow() - timedelta(days=3)
        session = make_session(topic=topic, starts_at=starts_at, status="draft", presenters=[presenter])
        session.status, session.published_at = SessionStatus.PUBLISHED, starts_at - timedelta(days=30)
        db.session.commit()
        booked = starts_at - timedelta(days=7)
        for n in range(came + missed):
            data = registration_data(questions="Hoe vraag ik subsidie aan?" if n == 0 else "")
            registration = registrations.register(session.id, data, now=booked).registration
            registrations.confirm_registration(registration, now=booked)
            if n < came:
                attendance.check_in(registration, presenter, now=starts_at)
        sessions.complete_session(sessions.get_session(session.id))
    return expert


def _log_in(page, user) -> None:
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Aanmelden")).click()


def test_an_expert_reads_their_figures_and_the_reports_on_a_laptop_and_a_phone(
    browser, live_server, expert_with_history
):
    audit = AxeAudit()
    for width in (1366, 360):
        context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
        page = context.new_page()
        _log_in(page, expert_with_history)
        page.goto("/beheer/")
        figures = page.get_by_role("region", name="Mijn sessies in cijfers")
        expect(figures).to_contain_text("75,0 %")  # three of four came to the expert's session
        expect(figures).to_contain_text("62,5 %")  # five of eight over the whole team
        assert page.evaluate(OVERFLOW) <= 0, f"the home page scrolls sideways at {width} px"
        audit.check(page, f"home page at {width} px")

        page.goto("/beheer/rapporten/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Rapporten")
        expect(page.get_by_role("img", name="Niet gekomen, per thema")).to_be_visible()
        assert page.evaluate(CLIPPED) == [], f"chart text past its chart at {width} px"
        assert page.evaluate(OVERFLOW) <= 0, f"the reports page scrolls sideways at {width} px"
        regions = page.evaluate(REGIONS)
        assert regions and all(r["name"] and r["focusable"] and not r["overflowsCard"] for r in regions)
        if width == 360:
            assert any(r["scrolls"] for r in regions)  # wide tables scroll inside their card
        else:
            assert not any(r["scrolls"] for r in regions)  # on a laptop every table fits
        audit.check(page, f"reports at {width} px")
        context.close()
    audit.assert_clean()
