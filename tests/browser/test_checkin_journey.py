"""Check-in at the door, in a real browser on a phone-sized screen: the presenter searches as they
type, ticks someone present without the page reloading, undoes it; without JavaScript the same
works through plain forms. axe-core checks the pages against WCAG 2.1 A/AA."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.auth.models import Role
from registrations import services
from registrations.models import RegistrationStatus
from tests.browser.axe import AxeAudit
from tests.browser.test_sessions_journey import log_in
from tests.registrations.conftest import begin, status_of


def confirmed(session, email: str, first_name: str, last_name: str):
    data = services.RegistrationData(
        first_name=first_name, last_name=last_name, email=email, privacy_accepted=True
    )
    registration = services.register(session.id, data).registration
    return services.confirm_registration(registration).registration


def evening(make_session, presenter):
    session = make_session(capacity=10, presenters=[presenter])
    people = [
        confirmed(session, "chloe@example.com", "Chloé", "Dubois"),
        confirmed(session, "jan@example.com", "Jan", "Peeters"),
        confirmed(session, "amina@example.com", "Amina", "El Idrissi"),
    ]
    return begin(session), people


def test_the_presenter_searches_ticks_and_undoes_on_a_phone(phone_page, make_session, make_user):
    page = phone_page
    presenter = make_user(Role.EXPERT)
    session, (chloe, jan, amina) = evening(make_session, presenter)
    audit = AxeAudit()
    log_in(page, presenter)

    page.goto(f"/beheer/sessies/{session.id}/aanwezigheden")
    expect(page.get_by_role("heading", name="Aanwezigheden")).to_be_visible()
    audit.check(page, "the check-in page")
    rows = page.locator(".checkin-row")
    expect(rows).to_have_count(3)

    page.get_by_label("Zoek op naam").press_sequentially("chlo")  # no accent typed
    expect(page.locator(f"#r{chloe.id}")).to_be_visible()
    expect(page.locator(f"#r{jan.id}")).to_be_hidden()
    expect(page.locator(f"#r{amina.id}")).to_be_hidden()

    url_before = page.url
    page.get_by_role("button", name="Aanwezig voor Chloé Dubois").click()
    expect(page.get_by_role("button", name="Ongedaan maken voor Chloé Dubois")).to_be_focused()
    expect(page.locator("#checkin-counts")).to_have_text("1 van 3 aanwezig")
    expect(page.locator("#checkin-melding")).to_have_text("Chloé Dubois is aanwezig.")
    assert page.url == url_before  # no reload: the search stays as typed
    expect(page.get_by_label("Zoek op naam")).to_have_value("chlo")
    assert status_of(chloe) == RegistrationStatus.ATTENDED
    audit.check(page, "the check-in page after a tick")

    page.get_by_role("button", name="Ongedaan maken voor Chloé Dubois").click()
    expect(page.get_by_role("button", name="Aanwezig voor Chloé Dubois")).to_be_visible()
    expect(page.locator("#checkin-counts")).to_have_text("0 van 3 aanwezig")
    assert status_of(chloe) == RegistrationStatus.CONFIRMED

    page.get_by_label("Zoek op naam").fill("")
    expect(rows).to_have_count(3)
    for row in rows.all():
        expect(row).to_be_visible()

    page.get_by_role("link", name="Aanwezigheidslijst afdrukken").click()
    expect(page.get_by_role("columnheader", name="Handtekening")).to_be_visible()
    audit.check(page, "the printable attendance list")
    audit.assert_clean()


def test_check_in_works_without_javascript(nojs_page, make_session, make_user):
    page = nojs_page
    presenter = make_user(Role.EXPERT)
    session, (chloe, jan, _) = evening(make_session, presenter)
    log_in(page, presenter)

    page.goto(f"/beheer/sessies/{session.id}/aanwezigheden")
    page.get_by_label("Zoek op naam").fill("peeters")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".checkin-row")).to_have_count(1)

    page.get_by_role("button", name="Aanwezig voor Jan Peeters").click()
    expect(page.get_by_text("Jan Peeters is aanwezig.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q=peeters#r\d+$"))
    expect(page.get_by_role("button", name="Ongedaan maken voor Jan Peeters")).to_be_visible()
    assert status_of(jan) == RegistrationStatus.ATTENDED
    assert status_of(chloe) == RegistrationStatus.CONFIRMED


def test_the_expert_sends_the_follow_up_and_watches_the_progress_bar(
    app, page, smtp_server, make_session, make_user
):
    from app.extensions import db
    from app.outbox.services import deliver_due
    from registrations import attendance
    from sessions import services as sessions

    expert = make_user(Role.EXPERT)
    session, people = evening(make_session, expert)
    for person in people[:2]:
        attendance.check_in(person, expert)
    sessions.complete_session(session)
    audit = AxeAudit()
    log_in(page, expert)

    page.goto(f"/beheer/sessies/{session.id}")
    expect(page.get_by_text("2 van 3 aanwezig")).to_be_visible()
    page.get_by_role("link", name="Opvolgmails").click()
    audit.check(page, "the follow-up list")
    page.get_by_label("Naar wie?").select_option(label="Wie er was: bedanking, materiaal en de volgende stap")
    page.get_by_role("button", name="Opvolgmail maken").click()
    expect(page.get_by_text("2 personen krijgen deze mail")).to_be_visible()
    expect(page.locator(".preview-text")).to_contain_text("Bedankt dat je er was")
    audit.check(page, "the follow-up editor with its preview")

    page.on("dialog", lambda dialog: dialog.accept())  # "Nu versturen naar 2 personen?"
    page.get_by_role("button", name="Nu versturen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verzending")
    bar = page.locator("progress#mailing-bar")
    expect(bar).to_have_attribute("value", "0")
    audit.check(page, "the progress page")

    app.config["SMTP_URL"] = smtp_server.url
    db.session.commit()  # end the test's read transaction: the live server wrote since
    report = deliver_due()  # the registrations' own mails go out too
    assert (report.failed, report.error) == (0, None)
    thanks = [
        r for r in smtp_server.messages if str(r.message["Subject"]).startswith("Bedankt voor je komst")
    ]
    assert sorted(r.recipients[0] for r in thanks) == sorted(p.email for p in people[:2])
    # The script polls the JSON endpoint, moves the bar, and reloads once everything went out.
    expect(bar).to_have_attribute("value", "2")
    expect(page.get_by_role("cell", name="verzonden", exact=True)).to_have_count(2)
    audit.assert_clean()
