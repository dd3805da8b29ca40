"""An attendee rates the session from the thank-you mail, in a real browser: the mail arrives at a
real SMTP server, the "4" link opens the form with 4 filled in (nothing saved yet), one button
saves it, and the expert finds it on the session's results page. axe-core checks each page; the
form and the results fit a 360 px screen."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from app.auth.models import Role
from app.extensions import db
from materials.evaluations import services
from tests.support.axe import AxeAudit
from tests.support.browser import log_in
from tests.support.mailings import attended, thanks_sent
from tests.support.registrations import fresh

PEOPLE = (("an.peeters@example.com", "An", "Peeters"), ("bram.claes@example.com", "Bram", "Claes"))


def fits(page, width: int = 360) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    scroll, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= viewport, f"{page.url} is {scroll}px wide at {viewport}px"


def test_a_rating_link_in_the_mail_opens_the_form_and_the_expert_sees_the_result(
    app, page, phone_page, smtp_server, make_session, make_registration, make_user
):
    from app.outbox.services import deliver_due

    expert = make_user(Role.EXPERT)
    session, (an, _bram) = attended(make_session, make_registration, people=PEOPLE, presenters=[expert])
    thanks_sent(session)
    app.config["SMTP_URL"] = smtp_server.url
    db.session.commit()
    report = deliver_due()
    assert (report.failed, report.error) == (0, None)
    (mail,) = [
        r.message
        for r in smtp_server.messages
        if r.recipients == [an.email] and str(r.message["Subject"]).startswith("Bedankt voor je komst")
    ]
    text = mail.get_body(("plain",)).get_content()
    assert "Hoe tevreden ben je over de infosessie?" in text
    four = re.search(r"4: (https?://\S+/evaluatie/\S+\?score=4)", text).group(1)
    audit = AxeAudit()

    visitor = phone_page
    visitor.goto(urlsplit(four)._replace(scheme="", netloc="").geturl())
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Hoe was de infosessie?")
    rating = visitor.get_by_role("group", name=re.compile("Hoe tevreden ben je"))
    expect(rating.get_by_role("radio", name="4", exact=True)).to_be_checked()
    assert services.response_of(fresh(an)) is None  # opening the link saved nothing
    audit.check(visitor, "the evaluation form")
    fits(visitor)
    visitor.get_by_label("Wil je nog iets kwijt?").fill("Heel duidelijk, dank je!")
    visitor.get_by_role("button", name="Verstuur mijn antwoorden").click()
    expect(visitor.get_by_role("status")).to_contain_text("We hebben je antwoorden goed ontvangen")
    audit.check(visitor, "the evaluation form, saved")

    log_in(page, expert)
    page.goto(f"/beheer/sessies/{session.id}")
    expect(page.get_by_text("1 van 2 aanwezigen vulden ze in")).to_be_visible()
    page.get_by_role("link", name="Resultaten van de evaluatie").click()
    expect(page.get_by_text("1 van 2 aanwezigen (50,0 %)")).to_be_visible()
    first = page.get_by_role("region", name="De cijfers: Hoe tevreden ben je over de infosessie?")
    expect(first.get_by_role("row", name="4 1")).to_be_visible()
    expect(page.get_by_text("Heel duidelijk, dank je!")).to_be_visible()
    audit.check(page, "the evaluation results")
    fits(page)
    audit.assert_clean()


def test_the_admin_edits_a_topics_form_on_a_phone(phone_page, make_topic, make_user):
    topic = make_topic(title="Kinderopvang starten")
    admin = make_user(Role.ADMIN)
    audit = AxeAudit()
    log_in(phone_page, admin)
    phone_page.goto("/beheer/evaluaties")
    audit.check(phone_page, "the evaluation forms")
    fits(phone_page)
    phone_page.get_by_role("link", name="Kinderopvang starten").click()
    questions = phone_page.get_by_label("Vragen")
    expect(questions).to_contain_text("score: Hoe tevreden ben je over de infosessie?")
    questions.fill("score: Hoe tevreden ben je? | niet | heel\nkeuze: Welke dag past? | dinsdag")
    phone_page.get_by_role("button", name="Bewaar als nieuwe versie").click()
    expect(phone_page.get_by_role("alert")).to_contain_text(
        "Regel 2: een keuzevraag heeft minstens twee keuzes."
    )
    audit.check(phone_page, "the form editor with a mistake")
    fits(phone_page)
    questions.fill("score: Hoe tevreden ben je? | niet | heel\nkeuze: Welke dag past? | dinsdag | zaterdag")
    phone_page.get_by_role("button", name="Bewaar als nieuwe versie").click()
    expect(phone_page.get_by_text("Het formulier is bewaard als versie 1.")).to_be_visible()
    db.session.rollback()  # read what the live server wrote
    assert [q["key"] for q in services.current_form(topic.id).questions] == [
        "hoe_tevreden_ben_je",
        "welke_dag_past",
    ]
    audit.assert_clean()
