"""Delivery to a real SMTP server on loopback (aiosmtpd): what arrives, over how many connections,
what happens when the server is down, refuses, or a worker dies, and two workers at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Event
from sqlalchemy import func, select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.outbox import services
from app.outbox.kinds import MailIntent
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.services import deliver_all_due, deliver_due, enqueue, enqueue_many
from tests.smtp import SmtpSink
from tests.support.outbox import OTHER_LITERAL, literal

# The fixtures, until tests/conftest.py imports them for every test.

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAIL_FROM = "Startklaar <noreply@startklaar.test>"


@pytest.fixture
def app_config(app_config, smtp_server):
    return {
        **app_config,
        "SMTP_URL": smtp_server.url,
        "MAIL_FROM": MAIL_FROM,
        "MAIL_CLAIM_SECONDS": 30,
        "MAIL_RETRY_SECONDS": 1,
    }


def mail(n: int, **overrides) -> MailIntent:
    defaults = {
        "to": f"kandidaat{n}@example.com",
        "subject": f"Herinnering: infosessie morgen ({n})",
        "text": f"Dag kandidaat {n},\n\nTot morgen in Gent.\n",
        "html": f"<p>Dag kandidaat {n},</p><p>Tot morgen in Gent.</p>",
        "dedup_key": f"reminder:{n}",
    }
    return literal(defaults, **overrides)


def queue(count: int, **overrides) -> None:
    enqueue_many([mail(n, **overrides) for n in range(1, count + 1)])
    db.session.commit()


def rows() -> list[OutboxMessage]:
    db.session.commit()  # end the read transaction: a worker has written since
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def assert_each_arrived_once(smtp_server, count: int) -> None:
    received = smtp_server.by_recipient()
    assert sorted(received) == sorted(f"kandidaat{n}@example.com" for n in range(1, count + 1))
    doubles = {to: len(copies) for to, copies in received.items() if len(copies) > 1}
    assert not doubles, f"sent twice: {doubles}"
    assert all(row.status is MailStatus.SENT for row in rows())


def invitation_ics(method: str, uid: str, sequence: int) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Startklaar//test//NL")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", datetime(2027, 1, 1, 12, tzinfo=UTC))
    event.add("dtstart", datetime(2027, 1, 12, 18, 30, tzinfo=UTC))
    event.add("dtend", datetime(2027, 1, 12, 20, 30, tzinfo=UTC))
    event.add("summary", "Infosessie gezinsopvang starten")
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


# --------------------------------------------------------------------------- what arrives


@pytest.mark.parametrize(("method", "sequence"), [("REQUEST", 0), ("CANCEL", 3)])
def test_an_invitation_arrives_with_text_html_and_a_calendar_file_that_parses(
    app, runner, smtp_server, method, sequence
):
    uid = f"sessie-12-{method.lower()}@startklaar.test"
    message = enqueue(
        mail(
            1,
            subject="Bevestigd: infosessie in Sint-Niklaas — dinsdag 12 januari",
            ics=invitation_ics(method, uid, sequence),
            ics_method=method,
            reference="registration:1",
        )
    )
    db.session.commit()

    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, failed 0, to retry later 0, left in the outbox 0." in result.output

    (received,) = smtp_server.wait_for(1)
    assert received.mail_from == "noreply@startklaar.test"
    assert received.recipients == ["kandidaat1@example.com"]
    email = received.message
    assert email["From"] == MAIL_FROM
    assert email["To"] == "kandidaat1@example.com"
    assert email["Subject"] == "Bevestigd: infosessie in Sint-Niklaas — dinsdag 12 januari"
    assert email["Message-ID"] == message.message_id
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Date"].datetime.tzinfo is not None
    assert email["List-Unsubscribe"] is None  # about a booked session: no unsubscribe
    assert "Tot morgen in Gent." in email.get_body(("plain",)).get_content()
    assert "<p>Tot morgen in Gent.</p>" in email.get_body(("html",)).get_content()

    # Outlook's buttons come from the text/calendar alternative; everyone else opens the file.
    alternative = next(part for part in email.walk() if part.get_content_type() == "multipart/alternative")
    inline = [p for p in alternative.iter_parts() if p.get_content_type() == "text/calendar"]
    assert len(inline) == 1 and inline[0].get_param("method") == method
    (attachment,) = list(email.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == method
    for part in (inline[0], attachment):
        calendar = Calendar.from_ical(part.get_payload(decode=True))
        assert str(calendar["METHOD"]) == method
        event = calendar.walk("VEVENT")[0]
        assert str(event["UID"]) == uid
        assert int(event["SEQUENCE"]) == sequence

    (row,) = rows()
    assert row.status is MailStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert row.claimed_by is None


def test_a_mailing_carries_one_click_unsubscribe_headers(app, smtp_server):
    enqueue(
        mail(
            1,
            kind=OTHER_LITERAL,
            dedup_key="followup:1",
            list_unsubscribe="https://startklaar.test/uitschrijven/abc123",
        )
    )
    db.session.commit()
    deliver_due()
    email = smtp_server.wait_for(1)[0].message
    assert email["List-Unsubscribe"] == "<https://startklaar.test/uitschrijven/abc123>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not list(email.iter_attachments())


def test_dutch_text_and_long_lines_arrive_intact(app, smtp_server):
    app.config["MAIL_FROM"] = "Startklaar — Opgroeien <noreply@startklaar.test>"
    text = "Dag Eléonore,\n\nDe infosessie over financiële steun gaat niet door. Één nieuwe datum volgt.\n"
    long_line = "<p>" + "Informatie over de vergunning. " * 60 + "</p>"  # one line above 998 octets
    enqueue(mail(1, subject="Geannuleerd: infosessie ‘financiële steun’", text=text, html=long_line))
    db.session.commit()
    deliver_due()
    (received,) = smtp_server.wait_for(1)
    assert "BODY=8BITMIME" in received.mail_options
    email = received.message
    assert email["Subject"] == "Geannuleerd: infosessie ‘financiële steun’"
    assert email["From"].addresses[0].display_name == "Startklaar — Opgroeien"
    # On the wire lines end in CRLF; a mail client shows them as line breaks.
    assert email.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert email.get_body(("html",)).get_content().strip() == long_line
    assert all(len(line) <= 998 for line in received.content.split(b"\r\n"))


def test_text_that_copies_the_boundary_of_an_earlier_mail_cannot_break_the_next(app, smtp_server):
    enqueue(mail(1))
    db.session.commit()
    deliver_due()
    boundary = smtp_server.wait_for(1)[0].message.get_boundary()
    text = f"Dag kandidaat,\n--{boundary}\nContent-Type: text/html\n\n<p>nep</p>\n--{boundary}--\n"
    enqueue(mail(2, text=text))
    db.session.commit()
    deliver_due()
    email = smtp_server.wait_for(2)[1].message
    assert email.get_boundary() != boundary
    assert email.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert "Dag kandidaat 2" in email.get_body(("html",)).get_content()


def test_a_long_subject_and_unsubscribe_link_are_folded_and_arrive_whole(app, smtp_server):
    subject = "Herinnering: " + "infosessie over het ondernemingsplan voor groepsopvang, " * 3
    link = "https://startklaar.test/uitschrijven/" + "a1b2c3d4" * 12
    enqueue(mail(1, subject=subject.strip(), list_unsubscribe=link))
    db.session.commit()
    deliver_due()
    received = smtp_server.wait_for(1)[0]
    assert all(len(line) <= 78 for line in received.content.split(b"\r\n\r\n")[0].split(b"\r\n"))
    assert received.message["Subject"] == subject.strip()
    assert received.message["List-Unsubscribe"] == f"<{link}>"


def test_a_refused_sender_is_our_problem_not_the_mails(app, smtp_server):
    """A relay that refuses MAIL FROM (e.g. a wrong MAIL_FROM) stops the batch; nothing fails."""
    app.config["MAIL_FROM"] = "Startklaar <noreply@elders.test>"
    smtp_server.refuse_sender["noreply@elders.test"] = "550 5.7.1 relaying denied"
    queue(3)
    report = deliver_due()
    assert (report.sent, report.failed, report.retrying, report.released) == (0, 0, 1, 2)
    assert report.error == "MAIL FROM refused: 550 5.7.1 relaying denied"
    assert [row.status for row in rows()] == [MailStatus.QUEUED] * 3


def test_a_batch_goes_over_one_connection(app, smtp_server):
    queue(25)
    report = deliver_due(batch_size=100)
    assert (report.claimed, report.sent) == (25, 25)
    smtp_server.wait_for(25)
    assert smtp_server.connections == 1
    assert {received.connection for received in smtp_server.messages} == {1}
    assert_each_arrived_once(smtp_server, 25)


def test_mail_due_later_waits_until_its_time(app, smtp_server):
    enqueue(mail(1, send_after=utcnow() + timedelta(hours=1)))
    enqueue(mail(2))
    db.session.commit()
    report = deliver_all_due()
    assert report.sent == 1
    assert [m.recipients for m in smtp_server.wait_for(1)] == [["kandidaat2@example.com"]]
    assert [row.status for row in rows()] == [MailStatus.QUEUED, MailStatus.SENT]


def test_nothing_is_sent_inside_a_request(app, client, login, smtp_server):
    """Queueing happens in the request; delivery only when a worker runs."""
    message = enqueue(mail(1))
    db.session.commit()
    login(Role.ADMIN)
    response = client.post(f"/beheer/outbox/{message.id}/opnieuw-versturen")
    assert response.status_code == 302
    assert smtp_server.messages == [] and smtp_server.connections == 0
    assert [row.status for row in rows()] == [MailStatus.QUEUED, MailStatus.QUEUED]
    assert deliver_all_due().sent == 2


# --------------------------------------------------------------------------- when things go wrong


def test_while_the_server_is_down_mail_waits_and_arrives_once_when_it_is_back(app, runner, smtp_server):
    queue(5)
    smtp_server.stop()

    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1  # a cron job notices
    assert "Sent 0, failed 0, to retry later 5, left in the outbox 5." in result.output
    first = rows()
    for row in first:
        assert (row.status, row.attempts) == (MailStatus.QUEUED, 1)
        assert "Connection refused" in row.last_error
        assert row.claimed_by is None
        assert row.rendered_at is None  # rendered when it can go out, on the data of that moment
        # Backoff: MAIL_RETRY_SECONDS (1 s) plus up to 10% jitter.
        assert timedelta(seconds=1) <= row.next_attempt_at - row.last_attempt_at <= timedelta(seconds=1.2)
    assert deliver_all_due().claimed == 0  # not due yet: no hammering on a server that is down

    time.sleep(1.3)
    assert deliver_all_due().retrying == 5  # still down: the wait doubles
    for row in rows():
        assert row.attempts == 2
        assert timedelta(seconds=2) <= row.next_attempt_at - row.last_attempt_at <= timedelta(seconds=2.3)

    smtp_server.restart()
    deadline = time.monotonic() + 10
    while any(row.status is MailStatus.QUEUED for row in rows()) and time.monotonic() < deadline:
        deliver_all_due()
        time.sleep(0.1)
    smtp_server.wait_for(5)
    assert_each_arrived_once(smtp_server, 5)
    assert all(row.attempts == 3 and row.last_error is None for row in rows())


def test_a_refused_recipient_fails_at_once_and_the_viewer_shows_why(app, client, login, smtp_server):
    smtp_server.refuse["kandidaat2@example.com"] = "550 5.1.1 no such user"
    queue(3)
    report = deliver_due()
    assert (report.sent, report.failed, report.retrying) == (2, 1, 0)
    assert smtp_server.connections == 1  # the refusal did not cost the batch its connection
    refused = rows()[1]
    assert refused.status is MailStatus.FAILED
    assert refused.attempts == 1
    assert refused.last_error == "550 5.1.1 no such user"
    assert deliver_all_due().claimed == 0  # never tried again

    login(Role.ADMIN)
    page = client.get(f"/beheer/outbox/{refused.id}").get_data(as_text=True)
    assert "550 5.1.1 no such user" in page and "mislukt" in page
    listing = client.get("/beheer/outbox/?status=failed").get_data(as_text=True)
    assert "kandidaat2@example.com" in listing and "550 5.1.1 no such user" in listing


def test_a_message_refused_after_its_body_fails_and_the_next_ones_still_go(app, smtp_server):
    smtp_server.refuse_data["kandidaat1@example.com"] = "554 5.7.1 message rejected as spam"
    queue(3)
    report = deliver_due()
    assert (report.sent, report.failed) == (2, 1)
    assert smtp_server.connections == 1
    refused, *others = rows()
    assert (refused.status, refused.last_error) == (MailStatus.FAILED, "554 5.7.1 message rejected as spam")
    assert all(row.status is MailStatus.SENT for row in others)
    assert [m.recipients for m in smtp_server.messages] == [
        ["kandidaat2@example.com"],
        ["kandidaat3@example.com"],
    ]


def test_a_server_closing_mid_batch_costs_one_attempt_and_the_rest_go_next_time(app, smtp_server):
    smtp_server.refuse["kandidaat2@example.com"] = "421 4.3.2 service shutting down"
    queue(4)
    report = deliver_due()
    assert (report.sent, report.retrying, report.released) == (1, 1, 2)
    assert report.error == "421 4.3.2 service shutting down"
    first, closing, *untried = rows()
    assert first.status is MailStatus.SENT
    assert (closing.attempts, closing.last_error) == (1, "421 4.3.2 service shutting down")
    assert all(row.attempts == 0 and row.claimed_by is None for row in untried)

    smtp_server.refuse.clear()
    assert deliver_due().sent == 2  # the untried ones are due at once; the refused one waits
    time.sleep(1.2)
    assert deliver_all_due().sent == 1
    assert_each_arrived_once(smtp_server, 4)


def test_a_retry_sends_the_same_message_as_the_first_attempt(app, smtp_server):
    """Rendered once: a retry sends what was rendered then, with the same Message-ID and Date,
    whatever changed since."""
    smtp_server.refuse["kandidaat1@example.com"] = "451 4.3.0 mailbox busy, try later"
    queue(1)
    assert deliver_due().retrying == 1
    (first,) = rows()
    assert first.rendered_at is not None and first.subject == "Herinnering: infosessie morgen (1)"
    table = OutboxMessage.__table__
    changed = {**first.snapshot, "subject": "Een andere versie", "text": "Iets anders.\n"}
    db.session.execute(table.update().values(snapshot=changed, next_attempt_at=utcnow()))
    db.session.commit()

    smtp_server.refuse.clear()
    assert deliver_due().sent == 1
    (received,) = smtp_server.wait_for(1)
    (row,) = rows()
    assert (row.rendered_at, row.attempts) == (first.rendered_at, 2)
    # The bytes stored when it was rendered are the bytes that arrived.
    assert received.content.rstrip(b"\r\n") == first.raw_message.rstrip(b"\r\n")
    email = received.message
    assert email["Subject"] == "Herinnering: infosessie morgen (1)"
    assert email["Message-ID"] == first.message_id
    assert email["Date"].datetime == first.rendered_at.replace(microsecond=0)
    assert "Tot morgen in Gent." in email.get_body(("plain",)).get_content()


def test_a_mail_that_cannot_be_rendered_costs_only_itself_an_attempt(app, smtp_server):
    """A bug in a template fails that mail's rendering, with the error recorded; the worker and
    the other mails of the batch go on."""
    enqueue_many([mail(1), mail(2, fail=True), mail(3)])
    db.session.commit()
    report = deliver_due()
    assert (report.sent, report.retrying, report.failed) == (2, 1, 0)
    smtp_server.wait_for(2)
    assert sorted(m.recipients[0] for m in smtp_server.messages) == [
        "kandidaat1@example.com",
        "kandidaat3@example.com",
    ]
    broken = rows()[1]
    assert (broken.status, broken.attempts, broken.rendered_at) == (MailStatus.QUEUED, 1, None)
    assert "RuntimeError: a bug in the template" in broken.last_error
    assert broken.next_attempt_at > utcnow()  # it waits its backoff like any temporary failure


def test_a_mail_that_keeps_failing_to_render_is_given_up(app, smtp_server):
    app.config.update(MAIL_MAX_ATTEMPTS=2, MAIL_RETRY_SECONDS=0.05)
    enqueue(mail(1, fail=True))
    db.session.commit()
    deadline = time.monotonic() + 10
    while rows()[0].status is MailStatus.QUEUED and time.monotonic() < deadline:
        deliver_all_due()
        time.sleep(0.05)
    (row,) = rows()
    assert (row.status, row.attempts) == (MailStatus.FAILED, 2)
    assert "a bug in the template" in row.last_error
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"subject": "Twee\nregels"},
        {"subject": ""},
        {"ics_method": "REQUEST"},  # a method without a calendar
        {"ics": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "ics_method": "ACCEPT"},
        {"list_unsubscribe": "javascript:alert(1)"},
    ],
)
def test_a_mail_rendered_wrong_is_never_sent(app, smtp_server, overrides):
    enqueue(mail(1, **overrides))
    db.session.commit()
    report = deliver_due()
    assert (report.sent, report.retrying) == (0, 1)
    (row,) = rows()
    assert row.status is MailStatus.QUEUED and row.rendered_at is None and row.last_error
    assert smtp_server.messages == []


def test_a_mail_whose_subject_is_gone_is_closed_unsent(app, smtp_server):
    enqueue_many([mail(1, gone=True), mail(2)])
    db.session.commit()
    report = deliver_due()
    assert (report.sent, report.dropped, report.retrying, report.failed) == (1, 1, 0, 0)
    assert [m.recipients for m in smtp_server.wait_for(1)] == [["kandidaat2@example.com"]]
    gone, sent = rows()
    assert (gone.status, gone.attempts, gone.claimed_by) == (MailStatus.DROPPED, 0, None)
    assert gone.last_error.startswith("Niet verstuurd")
    assert sent.status is MailStatus.SENT
    assert deliver_all_due().claimed == 0


def test_a_temporary_refusal_is_retried_and_given_up_after_the_last_attempt(app, smtp_server):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=0.05)
    smtp_server.refuse["kandidaat1@example.com"] = "451 4.3.0 mailbox busy, try later"
    queue(2)
    deadline = time.monotonic() + 10
    while rows()[0].status is MailStatus.QUEUED and time.monotonic() < deadline:
        deliver_all_due()
        time.sleep(0.05)
    busy, fine = rows()
    assert (busy.status, busy.attempts) == (MailStatus.FAILED, 3)
    assert busy.last_error == "451 4.3.0 mailbox busy, try later"
    assert (fine.status, fine.attempts) == (MailStatus.SENT, 1)


def test_two_workers_at_once_never_send_a_mail_twice(app, smtp_server):
    smtp_server.delay = 0.002  # both workers are busy at the same time
    queue(120)
    sent, errors = {}, []

    def work(name: str) -> None:
        try:
            with app.app_context():
                total = 0
                while True:
                    report = deliver_due(batch_size=7, worker_id=name)
                    total += report.sent
                    if report.claimed == 0:
                        break
                sent[name] = total
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    assert sum(sent.values()) == 120
    assert all(sent.values()), f"one worker did all the work: {sent}"
    smtp_server.wait_for(120)
    assert_each_arrived_once(smtp_server, 120)


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(app, smtp_server, database_url):
    queue(10)
    services.render_queued()  # the test's kind of mail exists in this process only
    smtp_server.hold_after = 3  # the fourth mail hangs at RCPT TO, with the whole batch claimed
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SMTP_URL": smtp_server.url,
        "MAIL_FROM": MAIL_FROM,
        "MAIL_CLAIM_SECONDS": "3",
        "STARTKLAAR_ENV": "development",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "send", "--batch-size", "10"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        if not smtp_server.holding.wait(30):
            pytest.fail(f"the worker never got to the fourth mail: {worker.stderr.read().decode()}")
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stderr.close()
    smtp_server.hold_after = None
    smtp_server.release.set()

    assert len(smtp_server.messages) == 3
    claimed = [row for row in rows() if row.status is MailStatus.QUEUED]
    assert len(claimed) == 7 and all(row.claimed_by for row in claimed)
    if min(row.claimed_until for row in claimed) > utcnow() + timedelta(seconds=0.5):
        assert deliver_all_due().claimed == 0  # another worker leaves live claims alone

    deadline = time.monotonic() + 15
    while any(row.status is MailStatus.QUEUED for row in rows()) and time.monotonic() < deadline:
        deliver_all_due()  # takes nothing until the dead worker's claims expire
        time.sleep(0.2)
    smtp_server.wait_for(10)
    assert_each_arrived_once(smtp_server, 10)


def test_the_worker_keeps_delivering_until_it_is_stopped(app, smtp_server):
    stop = threading.Event()
    errors = []

    def run() -> None:
        try:
            with app.app_context():
                services.run_worker(poll_seconds=0.05, stop_event=stop)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    try:
        queue(3)
        smtp_server.wait_for(3)
        enqueue(mail(4))
        db.session.commit()
        smtp_server.wait_for(4)
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive() and not errors
    assert_each_arrived_once(smtp_server, 4)


def test_flask_mail_worker_delivers_and_stops_cleanly_on_sigterm(app, smtp_server, database_url):
    queue(3)
    services.render_queued()  # the test's kind of mail exists in this process only
    env = {**os.environ, "DATABASE_URL": database_url, "SMTP_URL": smtp_server.url, "MAIL_FROM": MAIL_FROM}
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "worker", "--poll", "0.2"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        smtp_server.wait_for(3, timeout=30)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(15) == 0
        log = worker.stderr.read().decode()
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stderr.close()
    assert "stopped" in log
    assert_each_arrived_once(smtp_server, 3)


# --------------------------------------------------------------------------- TLS and login


@pytest.mark.parametrize("mode", ["starttls", "smtps"])
def test_mail_goes_over_tls_with_a_login(app, smtp_certificate, mode):
    with SmtpSink(tls=smtp_certificate, mode=mode, login=("mailer", "geheim wachtwoord")) as server:
        app.config["SMTP_URL"] = server.url.replace("geheim wachtwoord", "geheim%20wachtwoord")
        queue(2)
        report = deliver_due()
        assert report.sent == 2, report
        server.wait_for(2)
        assert server.logins == ["mailer"] and server.connections == 1


def test_a_wrong_password_keeps_the_mail_queued_with_the_servers_answer(app, smtp_certificate):
    with SmtpSink(tls=smtp_certificate, mode="starttls", login=("mailer", "juist")) as server:
        app.config["SMTP_URL"] = server.url.replace(":juist@", ":fout@")
        queue(1)
        report = deliver_due()
        assert report.sent == 0 and report.retrying == 1
        (row,) = rows()
        assert row.status is MailStatus.QUEUED and "535" in row.last_error
        assert server.messages == []


def test_a_server_with_an_untrusted_certificate_gets_no_mail(app, smtp_certificate):
    with SmtpSink(tls=smtp_certificate, mode="starttls") as server:
        app.config["SMTP_URL"] = server.url.split("&cafile=")[0]  # the system's CAs only
        queue(1)
        report = deliver_due()
        assert report.sent == 0 and "CERTIFICATE_VERIFY_FAILED" in (report.error or "")
        assert server.messages == []
        assert db.session.scalar(select(func.count()).where(OutboxMessage.status == MailStatus.QUEUED)) == 1
