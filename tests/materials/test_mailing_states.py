"""A mailing's state tells the truth: "in de wachtrij" while nothing has left, "verzonden n van m"
as mails leave, "mislukt: <the server's answer>" per person with a retry that works, "niet
verstuurd: <reason>" for what the worker closed unsent — derived from the outbox rows in one
query, and said plainly when no mail server is configured."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select, update

from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.services import deliver_all_due
from materials.mailings import public, services
from materials.mailings.models import Mailing, MailingStatus, Segment
from materials.mailings.services import State
from registrations import attendance
from sessions import services as sessions
from tests.support.mailings import PEOPLE, attended, text_of, thanks_sent
from tests.support.registrations import begin

REFUSAL = "550 5.1.1 <bram.claes@example.com>: Recipient address rejected: User unknown"


@pytest.fixture
def trio(make_session, make_registration):
    return attended(make_session, make_registration)


def rows_of(mailing: Mailing) -> dict[str, OutboxMessage]:
    """The mailing's newest outbox row per address."""
    db.session.commit()
    found = {}
    for row in db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.reference == f"mailing:{mailing.id}")
        .order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)
    ):
        found[row.recipient] = row
    return found


def deliver():
    """One pass of the outbox's worker; then the test reads afresh (its read transaction ends)."""
    report = deliver_all_due()
    db.session.commit()
    return report


def set_status(mailing: Mailing, email: str, status: MailStatus, error: str | None = None) -> None:
    row = rows_of(mailing)[email]
    row.status, row.last_error = status, error
    db.session.commit()


def progress_of(mailing: Mailing):
    return services.progress(db.session.get(Mailing, mailing.id, populate_existing=True))


def page_of(client, mailing: Mailing) -> str:
    return client.get(f"/beheer/sessies/{mailing.session_id}/opvolging/{mailing.id}/voortgang").get_data(
        as_text=True
    )


def state_cell(page: str, recipient_name: str) -> str:
    """The "Toestand" cell of a person's row, as read."""
    for row in re.findall(r"<tr id=\"ontvanger-\d+\">(.*?)</tr>", page, flags=re.S):
        if recipient_name in row:
            return text_of(re.findall(r"<td data-label=\"Toestand\">(.*?)</td>", row, flags=re.S)[0])
    raise AssertionError(f"{recipient_name} is not on the page")


# --------------------------------------------------------------------------- the state, derived


def test_written_but_not_left_is_in_the_queue_never_sent(trio):
    session, _ = trio
    mailing = services.create_mailing(session.id, Segment.ATTENDEES)
    assert progress_of(mailing).state == State.DRAFT

    services.send_mailing(mailing.id)
    progress = progress_of(mailing)

    assert db.session.get(Mailing, mailing.id).status == MailingStatus.SENT  # every intent written
    assert progress.state == State.QUEUED  # … but nothing has left: not "verzonden"
    assert (progress.total, progress.queued, progress.sent, progress.done) == (3, 3, 0, False)


def test_while_mails_leave_it_counts_what_left_of_all(trio):
    session, _ = trio
    mailing = thanks_sent(session)
    set_status(mailing, PEOPLE[0][0], MailStatus.SENT)

    progress = progress_of(mailing)

    assert progress.state == State.SENDING and (progress.sent, progress.total, progress.queued) == (1, 3, 2)


def test_once_nothing_waits_it_is_sent_with_what_failed_and_what_was_closed_unsent(trio):
    session, _ = trio
    mailing = thanks_sent(session)
    set_status(mailing, PEOPLE[0][0], MailStatus.SENT)
    set_status(mailing, PEOPLE[1][0], MailStatus.FAILED, "550 no such user")
    set_status(mailing, PEOPLE[2][0], MailStatus.DROPPED, "Niet verstuurd: gewist")

    progress = progress_of(mailing)

    assert progress.state == State.SENT and progress.done
    assert (progress.sent, progress.failed, progress.dropped, progress.total) == (1, 1, 1, 3)


@pytest.mark.parametrize(
    ("status", "state"), [(MailStatus.FAILED, State.FAILED), (MailStatus.DROPPED, State.NOT_SENT)]
)
def test_a_mailing_of_which_nothing_left_is_never_called_sent(trio, status, state):
    session, _ = trio
    mailing = thanks_sent(session)
    for email, _first, _last in PEOPLE:
        set_status(mailing, email, status, "550 refused")

    assert progress_of(mailing).state == state


def test_a_mailing_to_nobody_says_so(make_session, make_registration):
    session, _ = attended(make_session, make_registration, people=())
    mailing = thanks_sent(session)
    assert progress_of(mailing).state == State.EMPTY


def test_mail_purged_from_the_outbox_is_not_counted_as_sent(trio):
    session, _ = trio
    mailing = thanks_sent(session)
    set_status(mailing, PEOPLE[0][0], MailStatus.FAILED, "550 refused")
    db.session.execute(
        OutboxMessage.__table__.delete().where(OutboxMessage.reference == f"mailing:{mailing.id}")
    )
    db.session.commit()

    progress = progress_of(mailing)

    assert (progress.sent, progress.failed, progress.unknown) == (0, 0, 3)
    assert progress.state == State.FORGOTTEN


def test_the_state_is_one_query_whatever_the_number_of_recipients(make_session, make_registration):
    def statements_for(count: int) -> int:
        people = [(f"p{count}-{n}@example.com", "Jo", f"Janssens{n}") for n in range(count)]
        session, _ = attended(make_session, make_registration, people=people)
        mailing = thanks_sent(session)
        mailing = db.session.get(Mailing, mailing.id)
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            progress = services.progress(mailing)
            page = services.recipients(mailing)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert progress.total == count and len(page.items) == count
        return len(seen)

    assert statements_for(2) == statements_for(12) == 3  # the counts; the page's count and rows


# --------------------------------------------------------------------------- retry


def test_a_retry_queues_the_failed_mail_once_and_becomes_its_state(trio):
    session, _ = trio
    mailing = thanks_sent(session)
    set_status(mailing, PEOPLE[1][0], MailStatus.FAILED, "550 no such user")
    [bram] = [r for r in services.recipients(mailing).items if r.email == PEOPLE[1][0]]
    assert bram.can_retry

    services.retry_recipient(mailing, bram.id)
    with pytest.raises(DomainError, match="staat al in de wachtrij"):
        services.retry_recipient(mailing, bram.id)  # a double click, a stale page posted again

    to_bram = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == PEOPLE[1][0])).all()
    assert [m.status for m in to_bram if m.reference == f"mailing:{mailing.id}"] == ["failed", "queued"]
    progress = progress_of(mailing)
    assert (progress.failed, progress.queued) == (0, 3)  # the retry is Bram's state now


def test_only_a_failed_mail_can_be_retried(trio, make_session, make_registration):
    session, _ = trio
    mailing = thanks_sent(session)
    [an] = [r for r in services.recipients(mailing).items if r.email == PEOPLE[0][0]]
    assert not an.can_retry
    with pytest.raises(DomainError):
        services.retry_recipient(mailing, an.id)  # waiting: nothing to retry
    set_status(mailing, PEOPLE[0][0], MailStatus.SENT)
    with pytest.raises(DomainError, match="niet mislukt"):
        services.retry_recipient(mailing, an.id)
    other_session, _ = attended(make_session, make_registration, people=[("x@example.com", "X", "Y")])
    other = thanks_sent(other_session)
    with pytest.raises(NotFound):
        services.retry_recipient(other, an.id)  # not a recipient of that mailing
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.dedup_key.like("%:retry:%"))
        )
        == 0
    )


def test_a_retry_after_an_unsubscribe_is_closed_unsent_with_the_reason(held_no_shows, smtp_server, app):
    mailing, person = held_no_shows
    app.config["SMTP_URL"] = smtp_server.url
    smtp_server.refuse[person.email] = "550 5.1.1 unknown user"
    deliver()
    [failed] = services.recipients(mailing).items
    assert failed.status == MailStatus.FAILED

    public.unsubscribe(person.email)
    services.retry_recipient(mailing, failed.id)
    del smtp_server.refuse[person.email]
    deliver()

    [closed] = services.recipients(mailing).items
    assert closed.status == MailStatus.DROPPED and "uit" in closed.reason
    assert progress_of(mailing).state == State.NOT_SENT


@pytest.fixture
def held_no_shows(make_session, make_registration):
    """A no-show mailing (news) to one person who asked for news, sent."""
    session = make_session(capacity=5)
    came = make_registration(session, "kwam@example.com", "confirmed")
    absent = make_registration(session, "weg@example.com", "confirmed", news_opt_in=True)
    session = begin(session)
    attendance.check_in(came, None)
    sessions.complete_session(session)
    mailing = services.create_mailing(session.id, Segment.NO_SHOWS)
    services.send_mailing(mailing.id)
    return mailing, absent


# --------------------------------------------------------------------------- with a real SMTP server


def test_a_server_that_refuses_one_recipient_shows_on_the_page_and_the_retry_sends_it(
    trio, smtp_server, app, client, login
):
    session, (an, bram, chloe) = trio
    app.config["SMTP_URL"] = smtp_server.url
    deliver()  # the registrations' own mails, out of the way
    smtp_server.messages.clear()
    login(Role.EXPERT)
    mailing = thanks_sent(session)
    smtp_server.refuse[bram.email] = REFUSAL

    report = deliver()

    assert (report.sent, report.failed) == (2, 1)
    assert sorted(smtp_server.by_recipient()) == sorted([an.email, chloe.email])
    page = page_of(client, mailing)
    assert "verzonden 2 van 3" in text_of(page)
    assert state_cell(page, bram.full_name) == f"mislukt: {REFUSAL}"
    assert state_cell(page, an.full_name) == "verzonden"
    assert "Opnieuw proberen Bram Claes" in text_of(page)  # the button, named for the person
    assert "Vernieuwen" not in text_of(page)  # nothing left to wait for
    [bram_row] = re.findall(r'action="([^"]+/ontvangers/\d+/opnieuw)"', page)

    del smtp_server.refuse[bram.email]  # the mailbox exists again
    retried = client.post(bram_row)
    assert retried.status_code == 302
    page = client.get(retried.headers["Location"]).get_data(as_text=True)
    assert "De mail aan Bram Claes staat opnieuw in de wachtrij." in text_of(page)
    assert state_cell(page, bram.full_name) == "in de wachtrij"
    assert "verzonden 2 van 3" in text_of(page) and "Vernieuwen" in text_of(page)

    report = deliver()

    assert report.sent == 1
    assert len(smtp_server.by_recipient()[bram.email]) == 1
    page = page_of(client, mailing)
    assert "verzonden 3 van 3" in text_of(page)
    assert state_cell(page, bram.full_name) == "verzonden"
    assert "mislukt" not in text_of(page) and "Opnieuw proberen" not in text_of(page)


def test_a_temporary_error_shows_the_next_attempt_and_the_servers_answer(
    trio, smtp_server, app, client, login
):
    session, (_, bram, _) = trio
    app.config["SMTP_URL"] = smtp_server.url
    deliver()
    login(Role.EXPERT)
    mailing = thanks_sent(session)
    smtp_server.refuse[bram.email] = "451 4.3.0 try again later"

    deliver()

    cell = state_cell(page_of(client, mailing), bram.full_name)
    assert cell.startswith("in de wachtrij: nieuwe poging na ") and cell.endswith(
        "(451 4.3.0 try again later)"
    )


# --------------------------------------------------------------------------- the pages


def test_the_pages_say_plainly_that_no_mail_server_is_configured(trio, client, login, app):
    session, _ = trio
    mailing = thanks_sent(session)
    login(Role.EXPERT)
    notice = "Er is geen mailserver ingesteld: mails blijven in de uitgaande mail staan"

    page = page_of(client, mailing)
    assert notice in text_of(page) and "Vraag een beheerder om de mailserver in te stellen." in text_of(page)
    assert "in de wachtrij" in text_of(page) and "verzonden 0" not in text_of(page)
    assert "Vernieuwen" not in text_of(page)  # nothing will move here
    assert notice in text_of(client.get(f"/beheer/sessies/{session.id}/opvolging").get_data(as_text=True))
    assert notice in text_of(client.get("/beheer/").get_data(as_text=True))

    client.post("/logout")
    login(Role.ADMIN)
    dashboard = client.get("/beheer/").get_data(as_text=True)
    assert notice in text_of(dashboard) and 'href="/beheer/outbox/?status=queued"' in dashboard

    app.config["SMTP_URL"] = "smtp://127.0.0.1:2525"
    assert notice not in text_of(client.get("/beheer/").get_data(as_text=True))
    page = page_of(client, mailing)
    assert notice not in text_of(page)
    assert "mailing-progress.js" in page and "Vernieuwen" in text_of(page)  # mail is on its way


def test_the_session_pages_show_the_derived_state_not_the_mailings_own(trio, client, login):
    session, _ = trio
    mailing = thanks_sent(session)
    login(Role.EXPERT)

    index = text_of(client.get(f"/beheer/sessies/{session.id}/opvolging").get_data(as_text=True))
    panel = text_of(client.get(f"/beheer/sessies/{session.id}").get_data(as_text=True))
    assert "in de wachtrij" in index and "in de wachtrij" in panel
    assert "verstuurd" not in index.replace("niet verstuurd", "")

    set_status(mailing, PEOPLE[0][0], MailStatus.SENT)
    index = text_of(client.get(f"/beheer/sessies/{session.id}/opvolging").get_data(as_text=True))
    assert "verzonden 1 van 3" in index


def test_the_progress_json_carries_the_words_the_page_shows(trio, client, login):
    session, _ = trio
    mailing = thanks_sent(session)
    set_status(mailing, PEOPLE[0][0], MailStatus.SENT)
    set_status(mailing, PEOPLE[1][0], MailStatus.FAILED, "550 no")
    login(Role.EXPERT)

    data = client.get(f"/beheer/sessies/{session.id}/opvolging/{mailing.id}/voortgang.json").get_json()

    assert (data["state"], data["label"], data["done"]) == ("sending", "verzonden 1 van 3", False)
    assert data["summary"] == "1 verzonden · 1 in de wachtrij · 1 mislukt"
    assert data["bar_label"] == "Verzonden: 1 van 3"


def test_a_draft_has_no_progress_page_and_a_stranger_cannot_retry(trio, client, login):
    session, _ = trio
    draft = services.create_mailing(session.id, Segment.ATTENDEES)
    login(Role.EXPERT)
    base = f"/beheer/sessies/{session.id}/opvolging"
    assert client.get(f"{base}/{draft.id}/voortgang").headers["Location"].endswith(f"{base}/{draft.id}")

    sent = thanks_sent(session)
    [an, *_] = services.recipients(sent).items
    assert client.post(f"{base}/{sent.id}/ontvangers/{an.id + 1000}/opnieuw").status_code == 404
    assert client.post(f"{base}/{sent.id}/ontvangers/{an.id}/opnieuw").status_code == 302  # refused, said
    client.post("/logout")
    login(Role.STAFF)
    assert client.post(f"{base}/{sent.id}/ontvangers/{an.id}/opnieuw").status_code == 403


def test_the_per_person_list_pages_with_failures_first(make_session, make_registration, client, login):
    people = [(f"p{n:02}@example.com", "Jo", f"Janssens{n:02}") for n in range(12)]
    session, _ = attended(make_session, make_registration, people=people)
    mailing = thanks_sent(session)
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient == "p11@example.com", OutboxMessage.reference == f"mailing:{mailing.id}"
        )
        .values(status=MailStatus.FAILED, last_error="550 gone", last_attempt_at=utcnow())
    )
    db.session.commit()

    first = services.recipients(mailing, page=1, per_page=5)
    last = services.recipients(mailing, page=3, per_page=5)

    assert first.items[0].email == "p11@example.com" and first.pages == 3 and first.has_next
    assert len(last.items) == 2 and not last.has_next
    login(Role.EXPERT)
    assert (
        client.get(f"/beheer/sessies/{session.id}/opvolging/{mailing.id}/voortgang?page=abc").status_code
        == 200
    )
