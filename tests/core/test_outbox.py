"""The outbox without a mail server: queueing intents in the caller's transaction, deduplication,
the settings, and the admin viewer that shows each mail as its recipient would see it (rendered
on view while the worker has not rendered it yet)."""

from __future__ import annotations

import threading
import time
from email import message_from_bytes, policy

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app import create_app
from app.auth.models import Role
from app.config import ConfigError
from app.extensions import db
from app.outbox.kinds import KINDS, MailIntent, MailKind
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.services import enqueue, enqueue_many, render_queued
from app.outbox.transport import SmtpSettings
from tests.support.outbox import LITERAL, OTHER_LITERAL, literal

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Startklaar//test//NL\r\nMETHOD:REQUEST\r\n"
    b"BEGIN:VEVENT\r\nUID:sessie-42@startklaar.test\r\nSEQUENCE:3\r\nDTSTAMP:20270101T120000Z\r\n"
    b"DTSTART:20270112T183000Z\r\nDTEND:20270112T203000Z\r\nSUMMARY:Infosessie gezinsopvang\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def mail(n: int = 1, **overrides) -> MailIntent:
    defaults = {
        "to": f"kandidaat{n}@example.com",
        "subject": f"Bevestig je inschrijving ({n})",
        "text": f"Dag kandidaat {n},\n\nBevestig je inschrijving via de link.\n",
        "html": f"<p>Dag kandidaat {n},</p><p><a href='https://startklaar.test/b/{n}'>Bevestigen</a></p>",
        "dedup_key": f"confirm:{n}",
        "reference": f"registration:{n}",
    }
    return literal(defaults, **overrides)


def count_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


# --------------------------------------------------------------------------- queueing


def test_queueing_the_same_key_twice_keeps_one_mail(app):
    first = enqueue(mail(1))
    second = enqueue(mail(1, subject="Een tweede versie"))
    db.session.commit()
    assert second.id == first.id
    assert count_rows() == 1
    assert render_queued() == 1
    db.session.commit()
    assert (
        db.session.get(OutboxMessage, first.id, populate_existing=True).subject
        == "Bevestig je inschrijving (1)"
    )


def test_a_change_writes_an_intent_that_is_rendered_once_later(app):
    """The request writes what the mail is about; the rendering comes later, and only once."""
    message = enqueue(mail(1, ids={"registration": 1}))
    db.session.commit()
    assert (message.kind, message.recipient, message.locale) == (
        "test.literal",
        "kandidaat1@example.com",
        "nl",
    )
    assert message.ids == {"registration": 1}
    assert message.snapshot["subject"] == "Bevestig je inschrijving (1)"
    assert message.rendered_at is None and message.subject is None and message.text_body is None

    assert render_queued() == 1
    assert render_queued() == 0  # rendered once: nothing left to render
    db.session.commit()  # end the test's read transaction: the rendering was written since
    db.session.refresh(message)
    assert message.rendered_at is not None and message.status is MailStatus.QUEUED
    assert message.subject == "Bevestig je inschrijving (1)"
    assert message.text_body.startswith("Dag kandidaat 1,")


def test_a_queued_mail_disappears_with_the_change_that_was_rolled_back(app):
    enqueue(mail(1))
    db.session.rollback()
    assert count_rows() == 0


def test_queueing_never_commits_the_callers_transaction(app):
    message = enqueue(mail(1))
    assert message.status is MailStatus.QUEUED
    with db.engine.connect() as other:  # another connection sees nothing before the caller commits
        assert other.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    db.session.commit()
    with db.engine.connect() as other:
        assert other.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_two_transactions_queueing_the_same_key_at_once_make_one_mail(app):
    """The second INSERT waits for the first transaction and then does nothing."""
    first_inserted, results, errors = threading.Event(), {}, []

    def worker(name: str, first: bool) -> None:
        try:
            with app.app_context():
                message = enqueue(mail(7, subject=f"Van {name}"))
                results[name] = message.id
                if first:
                    first_inserted.set()
                    time.sleep(0.3)  # keep the transaction open while the other one tries
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
            first_inserted.set()

    one = threading.Thread(target=worker, args=("een", True))
    one.start()
    assert first_inserted.wait(10)
    two = threading.Thread(target=worker, args=("twee", False))
    two.start()
    one.join(15)
    two.join(15)
    assert not errors, errors
    assert results["een"] == results["twee"]
    assert count_rows() == 1
    assert db.session.scalar(select(OutboxMessage.snapshot))["subject"] == "Van een"


def test_a_mailing_is_queued_in_bulk_and_skips_keys_already_queued(app):
    enqueue(mail(2))
    added = enqueue_many([mail(n, kind=OTHER_LITERAL, dedup_key=f"followup:{n}") for n in range(1, 6)])
    added += enqueue_many([mail(3, dedup_key="followup:3"), mail(9, dedup_key="confirm:2")])
    db.session.commit()
    assert added == 5
    assert count_rows() == 6
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "test.other")) == 5


@pytest.mark.parametrize(
    "overrides",
    [
        {"to": "geen-adres"},
        {"to": "a@example.com\r\nBcc: x@example.com"},
        {"dedup_key": ""},
        {"locale": "fr"},
        {"kind": MailKind("nergens.geregistreerd", "Niet geregistreerd", lambda intent: None)},
    ],
)
def test_a_mail_that_could_never_be_sent_is_refused_when_queued(app, overrides):
    with pytest.raises(ValueError):
        enqueue(mail(1, **overrides))
    assert count_rows() == 0


def test_every_kind_of_mail_has_a_dutch_name_for_people(app):
    """The viewer names kinds of mail in words; a package's kind is registered when it loads."""
    from dossiers import mails as dossier_mails
    from registrations import mails as registration_mails

    assert registration_mails.CONFIRMED in KINDS and dossier_mails.MISSING in KINDS
    codes = [kind.code for kind in KINDS]
    assert len(codes) == len(set(codes))
    for kind in KINDS:
        if kind.code.startswith("test."):
            continue
        label = str(kind.label)
        assert label and "." not in label and "_" not in label, kind.code
        assert label[0].isupper(), kind.code
        assert str(kind.gone).startswith("Niet verstuurd"), kind.code


# --------------------------------------------------------------------------- settings and CLI


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.com", ("mail.example.com", 25, False, False, None, None)),
        ("smtp://mail.example.com:2525", ("mail.example.com", 2525, False, False, None, None)),
        (
            "smtp://mailer:p%40ss@mail.example.com:587?starttls=1",
            ("mail.example.com", 587, False, True, "mailer", "p@ss"),
        ),
        ("smtp://u:p@mail.example.com?starttls=1", ("mail.example.com", 587, False, True, "u", "p")),
        ("smtps://u:p@mail.example.com", ("mail.example.com", 465, True, False, "u", "p")),
    ],
)
def test_smtp_url_forms_from_the_contract_are_understood(url, expected):
    s = SmtpSettings.from_url(url)
    assert (s.host, s.port, s.implicit_tls, s.starttls, s.username, s.password) == expected
    assert "p@ss" not in s.describe()


def test_smtp_url_timeout_is_optional():
    assert SmtpSettings.from_url("smtp://mail.example.com:25?timeout=7.5").timeout == 7.5
    assert SmtpSettings.from_url("smtp://mail.example.com:25").timeout == 30


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.com",
        "smtp://:25",
        "smtp://mail.example.com:port",
        "smtp://mail.example.com?starttls=maybe",
        "smtps://mail.example.com?starttls=1",
        "smtp://mail.example.com?timeout=-1",
        "smtp://mail.example.com?tls=1",
    ],
)
def test_a_wrong_smtp_url_stops_the_app_from_starting_with_the_reason(app_config, url):
    with pytest.raises(ConfigError, match="SMTP_URL"):
        create_app({**app_config, "SMTP_URL": url})


def test_without_smtp_url_mail_stays_in_the_outbox_and_the_command_says_so(app, runner):
    enqueue(mail(1))
    enqueue(mail(2))
    db.session.commit()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "SMTP_URL is not set" in result.output
    assert "2 mail(s) wait in the outbox" in result.output
    statuses = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
    assert statuses == [(MailStatus.QUEUED, 0), (MailStatus.QUEUED, 0)]


def test_the_worker_refuses_to_start_without_smtp_url(app, runner):
    result = runner.invoke(args=["mail", "worker"])
    assert result.exit_code == 1
    assert "SMTP_URL is not set" in result.output


# --------------------------------------------------------------------------- the viewer


@pytest.fixture
def invitation(app):
    """A rendered invitation (as the worker left it), waiting for a mail server."""
    message = enqueue(
        mail(
            5,
            subject="Je inschrijving voor dinsdag 12 januari is bevestigd",
            html="<p>Tot dan!</p><script>alert('x')</script>",
            ics=ICS,
            ics_method="REQUEST",
        )
    )
    db.session.commit()
    assert render_queued() == 1
    db.session.commit()
    db.session.refresh(message)
    return message


def test_an_admin_finds_mails_by_status_kind_and_recipient(app, client, login):
    login(Role.ADMIN)
    enqueue(mail(1))
    enqueue(mail(2, to="els.peeters@example.com", kind=OTHER_LITERAL, dedup_key="reminder:2"))
    db.session.commit()

    page = client.get("/beheer/outbox/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Not rendered yet: the subjects are rendered on view, and the kinds named in words.
    assert "Bevestig je inschrijving (1)" in html and "Bevestig je inschrijving (2)" in html
    assert ">Ander testbericht<" in html and "test.other" not in html.replace('value="test.other"', "")
    assert "geen mailserver ingesteld" in html
    assert "<caption" in html and 'scope="col"' in html and '<label for="f-q">' in html

    found = client.get("/beheer/outbox/?q=PEETERS").get_data(as_text=True)
    assert "els.peeters@example.com" in found and "kandidaat1@example.com" not in found

    by_kind = client.get("/beheer/outbox/?soort=test.literal").get_data(as_text=True)
    assert "kandidaat1@example.com" in by_kind and "els.peeters@example.com" not in by_kind
    assert db.session.scalar(select(func.count()).where(OutboxMessage.rendered_at.is_not(None))) == 0

    assert ">2 berichten<" in client.get("/beheer/outbox/?status=queued").get_data(as_text=True)
    assert ">0 berichten<" in client.get("/beheer/outbox/?status=failed").get_data(as_text=True)


def test_an_admin_sees_a_mail_as_its_recipient_would(app, client, login, invitation):
    login(Role.ADMIN)
    page = client.get(f"/beheer/outbox/{invitation.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for expected in (
        "Je inschrijving voor dinsdag 12 januari is bevestigd",
        "kandidaat5@example.com",
        invitation.message_id.strip("<>"),
        "Auto-Submitted",
        "Dag kandidaat 5,",
        f"/beheer/outbox/{invitation.id}/html",
        f"/beheer/outbox/{invitation.id}/invite.ics",
        "Opnieuw versturen",
    ):
        assert expected in html, expected
    assert "<script>alert" not in html  # the HTML part only ever runs inside the sandboxed frame


def test_a_mail_not_rendered_yet_is_shown_rendered_on_view_and_nothing_is_stored(app, client, login):
    message = enqueue(mail(6, subject="Herinnering: dinsdag", ics=ICS, ics_method="REQUEST"))
    db.session.commit()
    login(Role.ADMIN)
    html = client.get(f"/beheer/outbox/{message.id}").get_data(as_text=True)
    assert "<h1>Herinnering: dinsdag</h1>" in html
    assert "nog niet opgemaakt" in html and "Dag kandidaat 6," in html
    assert message.message_id.strip("<>") in html
    assert client.get(f"/beheer/outbox/{message.id}/html").status_code == 200
    assert Calendar.from_ical(client.get(f"/beheer/outbox/{message.id}/invite.ics").data)
    eml = message_from_bytes(
        client.get(f"/beheer/outbox/{message.id}/bericht.eml").data, policy=policy.default
    )
    assert eml["Subject"] == "Herinnering: dinsdag"
    db.session.commit()
    stored = db.session.get(OutboxMessage, message.id, populate_existing=True)
    assert (stored.rendered_at, stored.subject, stored.attempts) == (None, None, 0)


def test_what_a_renderer_adds_is_kept_when_the_mail_is_rendered_and_never_on_view(app, client, login):
    from app.ops.models import JobLock

    message = enqueue(mail(6, leaves="kortelink-6"))
    db.session.commit()
    login(Role.ADMIN)
    assert client.get(f"/beheer/outbox/{message.id}").status_code == 200
    assert client.get("/beheer/outbox/").status_code == 200
    db.session.commit()
    assert db.session.get(JobLock, "kortelink-6") is None  # the viewer made nothing that lasts

    assert render_queued() == 1
    db.session.commit()
    assert db.session.get(JobLock, "kortelink-6") is not None  # committed with the rendered mail


def test_a_mail_whose_subject_is_gone_says_so_in_the_viewer(app, client, login):
    message = enqueue(mail(7, gone=True))
    db.session.commit()
    login(Role.ADMIN)
    html = client.get(f"/beheer/outbox/{message.id}").get_data(as_text=True)
    assert "Niet verstuurd" in html and "Testbericht" in html
    assert render_queued() == 1  # the worker would close it unsent
    db.session.commit()
    page = client.get("/beheer/outbox/?status=dropped").get_data(as_text=True)
    assert "kandidaat7@example.com" in page and "niet verstuurd" in page and "Niet verstuurd:" in page
    assert client.get(f"/beheer/outbox/{message.id}/bericht.eml").status_code == 404


def test_a_mail_that_cannot_be_rendered_shows_the_error_instead_of_failing_the_page(app, client, login):
    message = enqueue(mail(8, fail=True))
    db.session.commit()
    login(Role.ADMIN)
    listing = client.get("/beheer/outbox/")
    assert listing.status_code == 200 and "Testbericht" in listing.get_data(as_text=True)
    detail = client.get(f"/beheer/outbox/{message.id}")
    assert detail.status_code == 200
    assert "kan niet worden opgemaakt" in detail.get_data(as_text=True)
    assert "a bug in the template" in detail.get_data(as_text=True)


def test_the_html_part_is_served_in_a_sandbox_only_this_site_may_frame(app, client, login, invitation):
    login(Role.ADMIN)
    response = client.get(f"/beheer/outbox/{invitation.id}/html")
    assert response.status_code == 200
    assert "<p>Tot dan!</p>" in response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox;")
    assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_invitation_downloads_as_an_ics_file(app, client, login, invitation):
    login(Role.ADMIN)
    response = client.get(f"/beheer/outbox/{invitation.id}/invite.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "method=REQUEST" in response.headers["Content-Type"]
    assert "attachment" in response.headers["Content-Disposition"]
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["UID"]) == "sessie-42@startklaar.test"


def test_the_whole_message_downloads_as_an_eml_file(app, client, login, invitation):
    login(Role.ADMIN)
    response = client.get(f"/beheer/outbox/{invitation.id}/bericht.eml")
    assert response.status_code == 200
    message = message_from_bytes(response.data, policy=policy.default)
    assert message["Message-ID"] == invitation.message_id
    assert message["To"] == "kandidaat5@example.com"
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "invite.ics"


def test_resending_queues_a_fresh_copy_and_shows_it(app, client, login, invitation):
    login(Role.ADMIN)
    response = client.post(f"/beheer/outbox/{invitation.id}/opnieuw-versturen")
    assert response.status_code == 302
    copy = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id != invitation.id)).one()
    assert response.headers["Location"].endswith(f"/beheer/outbox/{copy.id}")
    assert copy.status is MailStatus.QUEUED
    assert copy.dedup_key != invitation.dedup_key and copy.dedup_key.startswith(invitation.dedup_key)
    assert copy.message_id != invitation.message_id
    assert (copy.recipient, copy.subject, copy.ics, copy.kind) == (
        invitation.recipient,
        invitation.subject,
        invitation.ics,
        invitation.kind,
    )
    assert copy.rendered_at is not None  # a rendered mail is copied as it was rendered
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Het bericht staat opnieuw in de wachtrij." in page
    assert f"/beheer/outbox/{invitation.id}" in page  # "copy of" links back

    client.post(f"/beheer/outbox/{invitation.id}/opnieuw-versturen")
    assert count_rows() == 3  # a later second resend is a second copy


def test_resending_a_mail_not_rendered_yet_copies_the_intent(app, client, login):
    message = enqueue(mail(9))
    db.session.commit()
    login(Role.ADMIN)
    client.post(f"/beheer/outbox/{message.id}/opnieuw-versturen")
    copy = db.session.scalars(select(OutboxMessage).where(OutboxMessage.resent_from_id == message.id)).one()
    assert (copy.kind, copy.snapshot, copy.rendered_at) == (message.kind, message.snapshot, None)


def test_an_unknown_message_is_not_found(app, client, login):
    login(Role.ADMIN)
    assert client.get("/beheer/outbox/999").status_code == 404
    assert client.post("/beheer/outbox/999/opnieuw-versturen").status_code == 404


@pytest.mark.parametrize("role", [Role.EXPERT, Role.STAFF])
def test_only_admins_read_the_outbox(app, client, login, invitation, role):
    login(role)
    for path in ("/", f"/{invitation.id}", f"/{invitation.id}/html", f"/{invitation.id}/invite.ics"):
        assert client.get(f"/beheer/outbox{path}").status_code == 403, path
    assert client.post(f"/beheer/outbox/{invitation.id}/opnieuw-versturen").status_code == 403
    assert count_rows() == 1


def test_an_admin_home_page_points_to_mail_that_waits_or_failed(app, client, login):
    enqueue(mail(1))
    enqueue(mail(2))
    db.session.commit()
    db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == 2).values(status="failed"))
    db.session.commit()
    login(Role.ADMIN)
    page = client.get("/beheer/").get_data(as_text=True)
    assert "Uitgaande mail" in page
    assert "1 bericht kon niet worden verstuurd" in page and "/beheer/outbox/?status=failed" in page
    assert "1 bericht in de wachtrij" in page and "er is geen mailserver ingesteld" in page


def test_other_roles_do_not_see_the_outbox_on_their_home_page(app, client, login):
    enqueue(mail(1))
    db.session.commit()
    login(Role.EXPERT)
    assert "Uitgaande mail" not in client.get("/beheer/").get_data(as_text=True)


def test_purging_removes_old_sent_and_failed_mail_but_never_queued_mail(app):
    from datetime import timedelta

    from app.db import utcnow
    from app.outbox.services import purge

    for n in (1, 2, 3):
        enqueue(mail(n))
    db.session.commit()
    table = OutboxMessage.__table__
    db.session.execute(table.update().where(table.c.id == 1).values(status="sent"))
    db.session.execute(table.update().where(table.c.id == 2).values(status="failed"))
    db.session.commit()
    assert purge(utcnow() - timedelta(days=1)) == 0  # nothing that old yet
    assert purge(utcnow() + timedelta(seconds=1)) == 2
    db.session.commit()
    assert LITERAL.code == "test.literal"
    assert db.session.scalars(select(OutboxMessage.dedup_key)).all() == ["confirm:3"]


def test_a_mails_reference_reads_in_words(app):
    from app.outbox.views import reference_label

    with app.test_request_context("/"):
        assert reference_label("registration:752") == "inschrijving 752"
        assert reference_label("mailing-test:3") == "testmail van opvolgmail 3"
        assert reference_label("iets:anders") == "iets:anders"  # unknown: as stored
        assert reference_label(None) == ""


def test_the_active_filters_show_as_chips_each_with_its_own_remove_link(app, client, login):
    login(Role.ADMIN)
    enqueue(mail(1))
    db.session.commit()

    html = client.get("/beheer/outbox/?status=queued&q=kandidaat").get_data(as_text=True)
    chips = html[html.index('class="filter-chips"') : html.index("</ul>", html.index('class="filter-chips"'))]
    assert "Status: in de wachtrij" in chips and "Ontvanger bevat „kandidaat”" in chips
    assert 'href="/beheer/outbox/?q=kandidaat"' in chips  # removes the status, keeps the search
    assert 'href="/beheer/outbox/?status=queued"' in chips
    assert "Alle filters wissen" in chips
    assert ">1 bericht<" in html

    unfiltered = client.get("/beheer/outbox/").get_data(as_text=True)
    assert 'class="filter-chips"' not in unfiltered
