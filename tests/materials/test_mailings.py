"""Follow-up mailings: segments, the news rule, preview against the sent mail, resumable sending,
scheduling, one-click unsubscribe and one-click registration for another date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import template_rendered
from sqlalchemy import func, select

from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.services import deliver_all_due
from app.outbox.transport import build_message
from app.timezone import BRUSSELS
from materials.mailings import public, rendering, services
from materials.mailings.models import Mailing, MailingRecipient, MailingStatus, Segment, Unsubscribe
from materials.mailings.services import sending
from registrations import attendance
from registrations import services as registrations
from registrations.models import Registration, RegistrationStatus
from sessions import services as sessions
from tests.support.registrations import begin, fresh, mails_to, rendered

S = RegistrationStatus


@pytest.fixture
def held(make_session, make_registration, registration_data, make_topic):
    """A completed session with every kind of registration, and the next date of its topic."""
    topic = make_topic()
    session = make_session(capacity=6, topic=topic)
    people = {}

    def add(key, email, status="confirmed", **fields):
        people[key] = make_registration(session, email, status, **fields)

    add("cancelled", "annuleerde@example.com", news_opt_in=True)
    registrations.cancel_registration(people["cancelled"])
    add("came", "kwam@example.com", childcare_type="groepsopvang", postcode="2000")
    add("came_news", "kwam.nieuws@example.com", news_opt_in=True, childcare_type="gezinsopvang")
    add("absent", "weg@example.com", news_opt_in=True, first_name="Chloé", childcare_type="gezinsopvang")
    add("absent_no_news", "weg.geen.nieuws@example.com")
    add("absent_unsubscribed", "weg.uit@example.com", news_opt_in=True)
    add("pending", "nooit.bevestigd@example.com", status="pending")
    add("waiting", "wachtte@example.com", status="waitlisted", news_opt_in=True)
    unconfirmed = registrations.register(session.id, registration_data("wacht.onbevestigd@example.com"))
    people["waiting_unconfirmed"] = unconfirmed.registration
    session = begin(session)
    attendance.check_in(people["came"], None)
    attendance.check_in(people["came_news"], None)
    sessions.complete_session(session)
    public.unsubscribe("WEG.UIT@example.com")
    following = make_session(days=20, topic=topic)
    return session, following, people


def unsubscribed(email: str) -> bool:
    return db.session.scalar(select(Unsubscribe.id).where(Unsubscribe.email == email)) is not None


def emails(registrations_: list[Registration]) -> set[str]:
    return {r.email for r in registrations_}


def mailing_for(session, segment: Segment) -> Mailing:
    return services.create_mailing(session.id, segment)


def outbox_of(mailing: Mailing) -> list[OutboxMessage]:
    """The mailing's mails, rendered as the worker renders them before sending."""
    rendered()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.reference == f"mailing:{mailing.id}")
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def test_each_segment_holds_the_right_people(held):
    session, _, p = held

    def segment(seg):
        return emails(services.audience(mailing_for(session, seg)).in_segment)

    assert segment(Segment.ATTENDEES) == {p["came"].email, p["came_news"].email}
    assert segment(Segment.NO_SHOWS) == {
        p["absent"].email,
        p["absent_no_news"].email,
        p["absent_unsubscribed"].email,
    }
    # Only confirmed addresses: the unconfirmed waiting-list entry is nobody we may mail.
    assert segment(Segment.WAITLISTED) == {p["waiting"].email}
    assert segment(Segment.CANCELLED) == {p["cancelled"].email}


def test_news_goes_only_to_those_who_asked_for_it_and_did_not_unsubscribe(held):
    session, _, p = held

    no_shows = services.audience(mailing_for(session, Segment.NO_SHOWS))

    assert emails(no_shows.recipients) == {p["absent"].email}
    assert emails(no_shows.no_consent) == {p["absent_no_news"].email}
    assert emails(no_shows.unsubscribed) == {p["absent_unsubscribed"].email}


def test_the_thanks_to_attendees_is_not_news_and_reaches_an_unsubscribed_attendee(held):
    session, _, p = held
    public.unsubscribe(p["came"].email)

    attendees = services.audience(mailing_for(session, Segment.ATTENDEES))

    assert emails(attendees.recipients) == {p["came"].email, p["came_news"].email}


def test_the_interest_profile_filters_narrow_the_segment(held):
    session, _, p = held
    mailing = mailing_for(session, Segment.ATTENDEES)

    services.update_mailing(
        mailing,
        services.MailingData(
            subject=mailing.subject, body=mailing.body, session_ids=[], childcare_type="groepsopvang"
        ),
    )
    assert emails(services.audience(mailing).recipients) == {p["came"].email}

    services.update_mailing(
        mailing,
        services.MailingData(
            subject=mailing.subject,
            body=mailing.body,
            session_ids=[],
            province="oost-vlaanderen",
            planned_start_from=date(2027, 9, 1),
            planned_start_until=date(2027, 9, 1),
        ),
    )
    assert emails(services.audience(mailing).recipients) == {p["came_news"].email}


def test_an_unknown_placeholder_is_refused(held):
    session, _, _ = held
    mailing = mailing_for(session, Segment.ATTENDEES)
    with pytest.raises(DomainError, match="{voornam}"):
        services.update_mailing(
            mailing, services.MailingData(subject="Dag {voornam}", body=mailing.body, session_ids=[])
        )


@pytest.fixture
def frozen_signatures(monkeypatch):
    """Signed links carry the second they were made: hold the clock so two renderings compare."""
    import itsdangerous.timed

    now = int(utcnow().timestamp())
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now)


def test_the_preview_is_exactly_the_mail_that_is_sent(held, frozen_signatures):
    session, following, p = held
    mailing = mailing_for(session, Segment.NO_SHOWS)

    chosen, preview = services.preview(mailing, p["absent"].id)
    services.send_mailing(mailing.id)

    [sent] = outbox_of(mailing)
    assert chosen.id == p["absent"].id
    assert (sent.recipient, sent.subject, sent.text_body, sent.html_body, sent.list_unsubscribe) == (
        preview.to,
        preview.subject,
        preview.text,
        preview.html,
        preview.list_unsubscribe,
    )
    assert "Dag Chloé," in sent.text_body and "/opvolging/inschrijven/" in sent.text_body
    assert sent.subject.startswith("We hebben je gemist")


def test_news_carries_one_click_unsubscribe_and_the_thanks_does_not(held):
    session, _, _ = held
    news, thanks = mailing_for(session, Segment.NO_SHOWS), mailing_for(session, Segment.ATTENDEES)
    services.send_mailing(news.id)
    services.send_mailing(thanks.id)

    message = build_message(outbox_of(news)[0], "Startklaar <noreply@startklaar.local>", utcnow())
    assert message["List-Unsubscribe"].startswith("<http://localhost/uitschrijven/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert all(row.list_unsubscribe is None for row in outbox_of(thanks))
    assert "op de infosessie" in outbox_of(thanks)[0].text_body


ALL_PLACEHOLDERS = (
    "Dag {voornaam} ({naam}),\n\nOver {sessie} van {datum}:\n{link_materiaal}\n\n"
    "Een gesprek? {link_kennismaking}\n\nJe attest: {link_attest}\n\nVolgende data:\n{volgende_sessies}\n\n"
    "Geen nieuws meer: {link_uitschrijven}."
)


@pytest.mark.parametrize("segment", list(Segment))
def test_each_persons_mail_is_the_mailing_rendered_for_them_alone(
    held, frozen_signatures, monkeypatch, segment
):
    """The frame rendered once per mailing, with each person's values put in, is exactly the
    mail a rendering for that person alone gives: the default text and every placeholder."""
    session, _, p = held
    mailing = mailing_for(session, segment)
    people = services.audience(mailing).in_segment
    for body in (mailing.body, ALL_PLACEHOLDERS):
        mailing.body = body
        db.session.commit()
        framed = [rendering.render(mailing, person) for person in people]
        with monkeypatch.context() as alone:
            alone.setattr(rendering, "_frame", lambda *_args: None)
            assert framed == [rendering.render(mailing, person) for person in people]
    assert "<a href=" in framed[0].html


def test_sending_a_mailing_renders_nothing_and_the_worker_renders_the_body_once(app, crowd):
    session, people = crowd
    mailing = mailing_for(session, Segment.ATTENDEES)
    rendered()  # the registrations' own mails, out of the way
    names = []

    def record(_sender, template, context, **_kw):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        assert services.send_mailing(mailing.id) == 7
        assert names == []  # the send writes intents; nothing is rendered
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.reference == f"mailing:{mailing.id}")
        ).all()
        assert {(row.kind, row.rendered_at) for row in rows} == {("mailing.attendees", None)}
        assert sorted(row.ids["registration"] for row in rows) == sorted(p.id for p in people)
        rendered()
    finally:
        template_rendered.disconnect(record, app)
    # The text and its HTML layout once for the seven, not seven times.
    assert names.count("materials/mailings/mail.txt") == 1
    assert names.count("outbox/mail.html") == 1
    texts = {row.recipient: row.text_body for row in outbox_of(mailing)}
    assert all(f"Dag {p.first_name}" in texts[p.email] for p in people)


def test_an_unsubscribe_after_the_send_drops_the_mail_that_did_not_go_out_yet(held, smtp_server, app):
    session, _, p = held
    mailing = mailing_for(session, Segment.NO_SHOWS)
    app.config["SMTP_URL"] = smtp_server.url
    deliver_all_due()  # the registrations' own mails, out of the way
    smtp_server.messages.clear()
    services.send_mailing(mailing.id)
    public.unsubscribe(p["absent"].email)

    report = deliver_all_due()
    assert (report.dropped, report.sent) == (1, 0)
    assert smtp_server.messages == []
    [row] = outbox_of(mailing)
    assert row.status is MailStatus.DROPPED and "schreef zich uit" in row.last_error
    assert services.progress(mailing).dropped == 1


@pytest.fixture
def crowd(make_session, make_registration):
    """A completed session that seven people attended."""
    session = make_session(capacity=10)
    people = [make_registration(session, f"aanwezig{n}@example.com", "confirmed") for n in range(7)]
    session = begin(session)
    for person in people:
        attendance.check_in(person, None)
    sessions.complete_session(session)
    return session, people


def test_a_rerun_after_a_crash_halfway_sends_only_what_was_not_sent(crowd, monkeypatch):
    session, people = crowd
    mailing = mailing_for(session, Segment.ATTENDEES)
    real_enqueue = sending.enqueue_many
    calls = []

    def crash_on_third_batch(mails):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the worker was killed")
        return real_enqueue(mails)

    monkeypatch.setattr(sending, "enqueue_many", crash_on_third_batch)
    with pytest.raises(RuntimeError):
        services.send_mailing(mailing.id, batch_size=2)
    assert len(outbox_of(mailing)) == 4  # two whole batches; the third rolled back
    assert db.session.get(Mailing, mailing.id).status == MailingStatus.SENDING

    monkeypatch.setattr(sending, "enqueue_many", real_enqueue)
    assert services.send_mailing(mailing.id, batch_size=2) == 3
    assert services.send_mailing(mailing.id, batch_size=2) == 0  # a second click: nothing more

    sent_to = [row.recipient for row in outbox_of(mailing)]
    assert sorted(sent_to) == sorted(p.email for p in people)  # each person exactly once
    recipients = db.session.scalar(
        select(func.count()).select_from(MailingRecipient).where(MailingRecipient.mailing_id == mailing.id)
    )
    assert recipients == 7
    assert db.session.get(Mailing, mailing.id, populate_existing=True).status == MailingStatus.SENT


def test_the_worker_resumes_an_interrupted_mailing(crowd, monkeypatch):
    session, _ = crowd
    mailing = mailing_for(session, Segment.ATTENDEES)
    monkeypatch.setattr(sending, "enqueue_many", lambda mails: (_ for _ in ()).throw(RuntimeError("crash")))
    with pytest.raises(RuntimeError):
        services.send_mailing(mailing.id)
    monkeypatch.undo()

    assert services.send_due() == []  # too fresh to be called interrupted
    assert services.send_due(now=utcnow() + services.STALE_SENDING + timedelta(minutes=1)) == [mailing.id]
    assert len(outbox_of(mailing)) == 7


def test_progress_follows_the_outbox_rows(crowd):
    session, _ = crowd
    mailing = mailing_for(session, Segment.ATTENDEES)
    services.send_mailing(mailing.id)
    rows = outbox_of(mailing)
    rows[0].status = "sent"
    rows[1].status, rows[1].last_error = "failed", "550 no such user"
    db.session.commit()

    progress = services.progress(db.session.get(Mailing, mailing.id))

    assert (progress.planned, progress.written, progress.sent, progress.failed, progress.queued) == (
        7,
        7,
        1,
        1,
        5,
    )
    assert not progress.done
    statuses = [r.status for r in services.recipients(mailing).items]
    assert statuses[0] == "failed"  # failures first: what the expert must look at


def test_thanks_cannot_go_before_the_session_is_completed(make_session, make_registration):
    session = make_session()
    make_registration(session, status="confirmed")
    mailing = mailing_for(session, Segment.ATTENDEES)

    with pytest.raises(DomainError, match="Rond eerst de sessie af"):
        services.send_mailing(mailing.id)
    assert db.session.get(Mailing, mailing.id).status == MailingStatus.DRAFT


def test_the_automatic_follow_up_waits_for_its_morning_and_the_completed_check_in(
    make_session, make_registration
):
    session = make_session()
    person = make_registration(session, "volgt@example.com", "confirmed")
    session = begin(session, minutes_ago=300)
    mailing = services.schedule_mailing(mailing_for(session, Segment.ATTENDEES))
    morning = mailing.scheduled_at
    assert morning > session.ends_at
    assert morning.astimezone(BRUSSELS).hour == 9

    assert services.send_due(now=morning + timedelta(minutes=5)) == []  # the check-in is not in
    attendance.check_in(person, None)
    sessions.complete_session(db.session.get(type(session), session.id))
    assert services.send_due(now=morning - timedelta(minutes=5)) == []
    assert services.send_due(now=morning + timedelta(minutes=5)) == [mailing.id]
    assert [row.recipient for row in outbox_of(mailing)] == ["volgt@example.com"]


def test_send_due_from_the_command_line(runner, held):
    session, _, _ = held
    mailing = mailing_for(session, Segment.NO_SHOWS)
    db.session.get(Mailing, mailing.id).status = MailingStatus.SCHEDULED
    db.session.get(Mailing, mailing.id).scheduled_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    result = runner.invoke(args=["mailings", "send-due"])

    assert result.exit_code == 0, result.output
    assert f"({mailing.id})" in result.output
    assert len(outbox_of(mailing)) == 1


def test_one_click_unsubscribe_works_without_a_form_token(app, client, held):
    session, _, p = held
    app.config["WTF_CSRF_ENABLED"] = True
    mailing = mailing_for(session, Segment.NO_SHOWS)
    services.send_mailing(mailing.id)
    link = outbox_of(mailing)[0].list_unsubscribe.removeprefix("http://localhost")

    page = client.get(link)
    assert page.status_code == 200 and "Ja, schrijf me uit" in page.get_data(as_text=True)
    assert not unsubscribed(p["absent"].email)

    # What Gmail sends (RFC 8058): a POST with this body and no cookies.
    response = client.post(link, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert unsubscribed(p["absent"].email)
    assert fresh(p["absent"]).news_opt_in is False
    assert services.audience(mailing_for(session, Segment.NO_SHOWS)).recipients == []
    assert client.post("/uitschrijven/vervalst").status_code == 404


def test_an_unsubscribe_while_a_mailing_goes_out_counts_for_the_next_batches(
    make_session, make_registration, monkeypatch
):
    session = make_session(capacity=5)
    people = [
        make_registration(session, f"n{n}@example.com", "confirmed", news_opt_in=True) for n in range(3)
    ]
    sessions.complete_session(begin(session))
    mailing = mailing_for(session, Segment.NO_SHOWS)
    real_enqueue = sending.enqueue_many

    def the_others_unsubscribe_after_the_first_batch(mails):
        mails = list(mails)
        added = real_enqueue(mails)
        if not db.session.scalar(select(func.count()).select_from(Unsubscribe)):
            db.session.add_all(Unsubscribe(email=p.email) for p in people if p.email != mails[0].to)
        return added

    monkeypatch.setattr(sending, "enqueue_many", the_others_unsubscribe_after_the_first_batch)
    services.send_mailing(mailing.id, batch_size=1)

    assert len(outbox_of(mailing)) == 1


def test_a_no_show_registers_for_the_next_date_from_the_mail_in_one_click(client, held):
    session, following, p = held
    mailing = mailing_for(session, Segment.NO_SHOWS)
    services.send_mailing(mailing.id)
    text = outbox_of(mailing)[0].text_body
    link = next(word for word in text.split() if "/opvolging/inschrijven/" in word).removeprefix(
        "http://localhost"
    )

    page = client.get(link)
    assert page.status_code == 200 and "Ja, schrijf me in" in page.get_data(as_text=True)
    response = client.post(link)

    assert response.status_code == 200 and "Je bent ingeschreven." in response.get_data(as_text=True)
    new = db.session.scalar(
        select(Registration).where(
            Registration.session_id == following.id, Registration.email == p["absent"].email
        )
    )
    # The link came to this address: the seat is confirmed at once, with the invitation.
    assert new is not None and new.first_name == "Chloé" and new.status == S.CONFIRMED
    assert [m.kind for m in mails_to(p["absent"].email)][-1] == "registration.confirmed"
    assert client.get("/opvolging/inschrijven/vervalst").status_code == 404


# --------------------------------------------------------------------------- the expert's pages


def test_the_expert_makes_checks_previews_tests_and_sends_a_mailing(client, login, held):
    session, _, p = held
    expert = login(Role.EXPERT)
    base = f"/beheer/sessies/{session.id}/opvolging"

    created = client.post(f"{base}/nieuw", data={"segment": "attendees"})
    assert created.status_code == 302
    edit_url = created.headers["Location"]
    page = client.get(edit_url).get_data(as_text=True)
    assert "2 personen krijgen deze mail" in page
    assert p["came"].full_name in page and p["came_news"].full_name in page
    assert "Bedankt dat je er was" in page

    saved = client.post(
        edit_url,
        data={
            "subject": "Merci, {voornaam}!",
            "body": "Dag {voornaam}, tot de volgende keer.",
            "childcare_type": "",
            "province": "",
        },
    )
    assert saved.status_code == 302
    mailing_id = int(edit_url.rstrip("/").split("/")[-1])
    preview = client.get(edit_url, query_string={"r": p["came"].id}).get_data(as_text=True)
    assert f"Merci, {p['came'].first_name}!" in preview

    client.post(f"{base}/{mailing_id}/test", data={"r": p["came"].id})
    rendered()
    [test_mail] = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == expert.email)
    ).all()
    assert test_mail.subject == f"[TEST] Merci, {p['came'].first_name}!"

    sent = client.post(f"{base}/{mailing_id}/versturen")
    assert sent.headers["Location"].endswith(f"/opvolging/{mailing_id}/voortgang")
    client.post(f"{base}/{mailing_id}/versturen")  # a second click
    assert len(outbox_of(db.session.get(Mailing, mailing_id))) == 2
    progress = client.get(f"{base}/{mailing_id}/voortgang.json").get_json()
    assert {k: progress[k] for k in ("state", "label", "total", "queued", "sent", "failed", "done")} == {
        "state": "queued",
        "label": "in de wachtrij",  # written, but nothing has left yet
        "total": 2,
        "queued": 2,
        "sent": 0,
        "failed": 0,
        "done": False,
    }
    html = client.get(f"{base}/{mailing_id}/voortgang").get_data(as_text=True)
    assert "<progress" in html and p["came"].email in html


def test_the_session_page_shows_check_in_and_follow_up(client, login, held):
    session, _, _ = held
    login(Role.EXPERT)
    mailing_for(session, Segment.ATTENDEES)

    html = client.get(f"/beheer/sessies/{session.id}").get_data(as_text=True)

    assert "2 van 5 aanwezig" in html
    assert f"/beheer/sessies/{session.id}/aanwezigheden" in html and "Bedankt voor je komst" in html


def test_staff_cannot_open_the_follow_up_pages(client, login, held):
    session, _, _ = held
    login(Role.STAFF)
    assert client.get(f"/beheer/sessies/{session.id}/opvolging").status_code == 403


def test_erasing_a_person_also_blanks_them_in_the_mailings_they_got(held):
    from registrations import privacy

    session, _, p = held
    mailing = mailing_for(session, Segment.ATTENDEES)
    services.send_mailing(mailing.id)

    privacy.erase_personal_data(p["came"])

    rows = {r.registration_id: r for r in services.recipients(mailing).items}
    assert rows[p["came"].id].name == "(gewist)" and "kwam@example.com" not in rows[p["came"].id].email
    assert rows[p["came_news"].id].email == p["came_news"].email
    assert "kwam@example.com" not in {m.recipient for m in outbox_of(mailing)}
