"""The journey from the issue, in a real browser: an expert plans a Saturday session and publishes
it; a visitor on a phone finds it with the weekend filter and puts it in their calendar. axe-core
checks every page on the way against WCAG 2.1 A/AA."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

from babel.dates import format_date
from icalendar import Calendar
from playwright.sync_api import expect

from app.auth.models import Role
from app.db import utcnow
from app.geo import holiday_name
from app.timezone import BRUSSELS, local
from tests.support.axe import AxeAudit, assert_no_axe_violations
from tests.support.browser import log_in

START, END = time(10, 0), time(12, 30)


def next_saturday(at_least_days: int = 14) -> date:
    """The first Saturday at least `at_least_days` ahead that is not a public holiday."""
    day = local(utcnow()).date() + timedelta(days=at_least_days)
    day += timedelta(days=(5 - day.weekday()) % 7)
    while holiday_name(day):
        day += timedelta(days=7)
    return day


def days_until_weekday(weekday: int, at_least_days: int = 3) -> int:
    day = local(utcnow()).date() + timedelta(days=at_least_days)
    return at_least_days + (weekday - day.weekday()) % 7


def choose_option_containing(select, text: str) -> None:
    """Pick the option whose visible text contains `text` (a venue's name, say)."""
    label = select.locator("option", has_text=text).first.text_content()
    select.select_option(label=label.strip())


def test_expert_plans_a_saturday_session_that_a_phone_visitor_finds_and_adds_to_their_calendar(
    page, phone_page, make_user, make_topic, make_venue, make_session
):
    audit = AxeAudit()
    expert = make_user(Role.EXPERT, name="An Janssens")
    colleague = make_user(Role.EXPERT, name="Lotte Peeters")
    topic = make_topic(title="Het starterstraject uitgelegd")
    venue = make_venue(postcode="9000", capacity=40, name="Zaal De Kouter")
    evening = make_session(
        days=days_until_weekday(1), hour=19, topic=make_topic(title="Gezinsopvang of groepsopvang?")
    )
    assert evening.is_evening and not evening.is_weekend
    saturday = next_saturday()

    # The expert signs in and plans a Saturday morning session.
    page.goto("/login")
    audit.check(page, "the login page")
    log_in(page, expert)
    page.goto("/beheer/sessies")
    page.get_by_role("link", name="Nieuwe sessie").click()
    page.wait_for_url("**/beheer/sessies/nieuw")
    audit.check(page, "the new-session form")

    page.get_by_label("Thema", exact=True).select_option(label=topic.title)
    page.get_by_label("Vorm", exact=True).select_option(label="Ter plaatse")
    choose_option_containing(page.get_by_label("Locatie", exact=True), venue.name)
    page.get_by_label("Datum", exact=True).fill(saturday.isoformat())
    page.get_by_label("Begin", exact=True).fill(START.strftime("%H:%M"))
    page.get_by_label("Einde", exact=True).fill(END.strftime("%H:%M"))
    page.get_by_label("Capaciteit", exact=True).fill("25")
    presenters = page.get_by_role("group", name="Presentatoren")
    expect(presenters.get_by_label(expert.name)).to_be_checked()  # the planner presents by default
    presenters.get_by_label(colleague.name).check()
    page.get_by_role("button", name="Opslaan").click()

    page.wait_for_url(re.compile(r"/beheer/sessies/\d+$"))
    session_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text(topic.title)
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_text(re.compile(r"Status:\s*gepubliceerd"))).to_be_visible()
    expect(page.get_by_role("button", name="Publiceren")).to_have_count(0)

    # A visitor on a phone looks for a weekend session.
    phone = phone_page
    phone.goto("/sessies")
    saturday_link = phone.get_by_role("link", name=topic.title, exact=True)
    evening_link = phone.get_by_role("link", name=evening.topic.title, exact=True)
    expect(saturday_link).to_be_visible()
    expect(evening_link).to_be_visible()

    # On a phone the filters wait behind one "Filters" button, so the first screen shows sessions.
    # With JavaScript the filter form sends itself as soon as the choice changes; pressing
    # "Filteren" too would race that navigation. The button has its own test without JavaScript.
    phone.get_by_text("Filters", exact=True).click()
    phone.get_by_label("Moment", exact=True).select_option(label="weekend")
    phone.wait_for_url(re.compile(r"[?&]moment=weekend"))
    expect(phone.get_by_label("Moment", exact=True)).to_have_value("weekend")
    expect(evening_link).to_have_count(0)
    card = phone.get_by_role("listitem").filter(has=saturday_link)
    expect(card).to_contain_text(format_date(saturday, "EEEE d MMMM y", locale="nl_BE"))
    expect(card).to_contain_text(START.strftime("%H:%M"))
    audit.check(phone, "the catalogue filtered on weekend (phone)")

    saturday_link.click()
    phone.wait_for_url(re.compile(rf"/sessies/{session_id}-[a-z0-9-]+$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(topic.title)
    main = phone.get_by_role("main")
    expect(main).to_contain_text(venue.name)
    expect(main).to_contain_text(colleague.name)
    audit.check(phone, "the session page (phone)")

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Zet in je agenda (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Brussels"
    assert start.dt == datetime.combine(saturday, START, tzinfo=BRUSSELS)
    assert (start.dt.date(), start.dt.time()) == (saturday, START)  # the wall clock, not only the instant
    assert event["DTEND"].dt == datetime.combine(saturday, END, tzinfo=BRUSSELS)
    assert topic.title in str(event["SUMMARY"])

    audit.assert_clean()


def test_a_session_form_with_a_missing_date_says_what_is_wrong_where_a_screen_reader_hears_it(
    page, make_user, make_topic, make_venue
):
    expert = make_user(Role.EXPERT)
    make_topic(title="Het starterstraject uitgelegd")
    make_venue()
    log_in(page, expert)
    page.goto("/beheer/sessies/nieuw")

    page.get_by_role("button", name="Opslaan").click()

    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name="Controleer het formulier")
    )
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Kies een datum.")
    date_input = page.get_by_label("Datum", exact=True)
    expect(date_input).to_have_attribute("aria-invalid", "true")
    expect(date_input).to_have_accessible_description(re.compile("Kies een datum"))
    assert_no_axe_violations(page, "the new-session form with an error")


def test_the_weekend_filter_works_without_javascript(nojs_page, make_session, make_topic):
    saturday = make_session(
        starts_at=datetime.combine(next_saturday(), START, tzinfo=BRUSSELS),
        topic=make_topic(title="Zelfstandige onthaalouder worden"),
    )
    evening = make_session(days=days_until_weekday(3), hour=20, topic=make_topic(title="Subsidies"))
    assert saturday.is_weekend and not evening.is_weekend

    nojs_page.goto("/sessies")
    nojs_page.get_by_text("Filters", exact=True).click()  # a <details>: opens without JavaScript
    nojs_page.get_by_label("Moment", exact=True).select_option(label="weekend")
    nojs_page.get_by_role("button", name="Filteren").click()

    nojs_page.wait_for_url(re.compile(r"[?&]moment=weekend"))
    expect(nojs_page.get_by_role("link", name="Zelfstandige onthaalouder worden", exact=True)).to_be_visible()
    expect(nojs_page.get_by_role("link", name="Subsidies", exact=True)).to_have_count(0)
