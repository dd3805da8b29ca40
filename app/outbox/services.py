"""The outbox: queue mail in the caller's transaction, deliver it later from a worker.

Queueing (`enqueue`, `enqueue_many`) only adds rows to the current database transaction: the
change and its mail are committed together, or neither is. Nothing here sends mail inside a
request.

Delivering (`deliver_due`, `run_worker`) claims a batch of due rows, sends them over one SMTP
connection and writes each one's outcome on its own, right after the server's verdict:

- Claims. A worker sets `claimed_by`/`claimed_until` on up to `batch_size` due rows in one
  statement (`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …`; on SQLite the
  same statement, which takes the database's write lock and runs atomically). Workers never
  claim the same row twice, and a worker that dies leaves claims that expire after
  `MAIL_CLAIM_SECONDS`, when another worker takes the rows.
- The duplicate window. Between the server's "250 accepted" and the write of "sent" there is a
  moment in which a crash (a SIGKILL, a power cut) leaves the row queued: after its claim expires
  it is sent again. The window is one message wide: each outcome is written on its own, before
  the worker waits on the server for anything else (it is written while the server reads the
  next message's MAIL FROM, see transport.send_batch). The copy carries the same Message-ID, so
  the receiving side can recognise it.
- Errors. A temporary error (4xx, timeout, lost connection) counts an attempt and sets the next
  one after an exponential backoff (`MAIL_RETRY_SECONDS`, doubling, at most
  `MAIL_RETRY_MAX_SECONDS`); after `MAIL_MAX_ATTEMPTS` attempts the mail is failed with the last
  error. A permanent refusal (5xx) fails it at once, with the server's answer.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import re
import secrets
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from app.config import ConfigError
from app.database import begin_write
from app.db import UTCDateTime, utcnow
from app.errors import NotFound
from app.extensions import db
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.transport import (
    Outcome,
    SmtpConnection,
    SmtpSettings,
    TransportError,
    address_of,
    build_message,
    send_batch,
)

log = logging.getLogger(__name__)

ICS_METHODS = frozenset({"REQUEST", "CANCEL", "PUBLISH"})
# A bare check of shape: addresses are validated where people type them (forms, services).
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
_LINE_BREAK = re.compile(r"[\r\n]")
BULK_CHUNK = 1000
_TABLE = OutboxMessage.__table__


@dataclass(frozen=True, kw_only=True)
class OutgoingMail:
    """One e-mail to queue. `dedup_key` is unique across the outbox: queueing the same key again
    does nothing. `kind` is a short category ("registration.confirm"); `reference` free text to
    find the mails of a thing ("registration:123")."""

    to: str
    subject: str
    text: str
    html: str | None = None
    dedup_key: str
    kind: str
    ics: bytes | None = None
    ics_method: str | None = None
    list_unsubscribe: str | None = None
    reference: str | None = None
    send_after: datetime | None = None


# --------------------------------------------------------------------------- queueing


def _mail_domain() -> str:
    return address_of(current_app.config["MAIL_FROM"]).rpartition("@")[2] or "startklaar.local"


def _message_id(dedup_key: str, domain: str) -> str:
    # The key's digest makes it recognisable, the random part keeps it unique across databases
    # (a test and a production outbox both have a "confirm:1").
    digest = hashlib.sha256(dedup_key.encode()).hexdigest()[:16]
    return f"<{digest}.{secrets.token_hex(8)}@{domain}>"


def _check(mail: OutgoingMail) -> None:
    """Programming errors, caught before they are committed and fail in the worker."""
    if not mail.dedup_key or len(mail.dedup_key) > 200:
        raise ValueError("dedup_key must be 1 to 200 characters")
    if not mail.kind or len(mail.kind) > 60:
        raise ValueError("kind must be 1 to 60 characters")
    if len(mail.to) > 254 or not _ADDRESS.match(mail.to):
        raise ValueError(f"not an e-mail address: {mail.to!r}")
    if _LINE_BREAK.search(mail.subject) or len(mail.subject) > 500:
        raise ValueError("a subject is one line of at most 500 characters")
    if mail.ics_method is not None and (mail.ics_method not in ICS_METHODS or mail.ics is None):
        raise ValueError("ics_method must be REQUEST, CANCEL or PUBLISH, and needs an ics")
    if mail.list_unsubscribe and (
        _LINE_BREAK.search(mail.list_unsubscribe)
        or not mail.list_unsubscribe.startswith(("https://", "http://"))
    ):
        raise ValueError("list_unsubscribe must be one URL (RFC 8058 wants https:// in production)")
    if mail.send_after is not None and mail.send_after.tzinfo is None:
        raise ValueError("send_after must be an aware datetime")


def _values(mail: OutgoingMail, now: datetime, domain: str) -> dict:
    _check(mail)
    return {
        "dedup_key": mail.dedup_key,
        "kind": mail.kind,
        "status": MailStatus.QUEUED,
        "recipient": mail.to.strip(),
        "subject": mail.subject,
        "text_body": mail.text,
        "html_body": mail.html,
        "ics": mail.ics,
        "ics_method": mail.ics_method,
        "list_unsubscribe": mail.list_unsubscribe,
        "reference": mail.reference,
        "message_id": _message_id(mail.dedup_key, domain),
        "created_at": now,
        "next_attempt_at": max(mail.send_after or now, now),
        "attempts": 0,
    }


def _insert_ignoring_duplicates():
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(_TABLE).on_conflict_do_nothing(index_elements=["dedup_key"])
    if dialect == "sqlite":
        return sqlite.insert(_TABLE).on_conflict_do_nothing(index_elements=["dedup_key"])
    raise NotImplementedError(f"the outbox supports SQLite and PostgreSQL, not {dialect}")


def enqueue(mail: OutgoingMail) -> OutboxMessage:
    """Queue one mail in the current transaction and return its row.

    Never commits and never sends: the caller's commit makes the mail real, its rollback
    forgets it. A second call with the same `dedup_key` (also from another transaction at the
    same time) inserts nothing and returns the row that exists. Raises ValueError for a mail
    that could never be sent (no address, a line break in the subject, an unknown ics_method).
    """
    db.session.execute(_insert_ignoring_duplicates(), [_values(mail, utcnow(), _mail_domain())])
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedup_key == mail.dedup_key)).one()


def enqueue_many(mails: Iterable[OutgoingMail]) -> int:
    """Queue many mails (a mailing) in bulk, in the current transaction; returns how many were
    new (keys already queued are skipped, as with `enqueue`). Never commits."""
    now, domain = utcnow(), _mail_domain()
    # RETURNING lists only the rows that went in (rowcount after executemany is not portable);
    # SQLAlchemy sends the chunk as multi-row INSERTs ("insertmanyvalues").
    statement = _insert_ignoring_duplicates().returning(_TABLE.c.id)
    added, chunk = 0, []
    for mail in mails:
        chunk.append(_values(mail, now, domain))
        if len(chunk) == BULK_CHUNK:
            added += len(db.session.execute(statement, chunk).all())
            chunk = []
    if chunk:
        added += len(db.session.execute(statement, chunk).all())
    return added


def resend(message_id: int) -> OutboxMessage:
    """Queue a fresh copy of a message (sent, failed or queued) and commit.

    The copy's dedup key is derived from the original's and the number of copies made before,
    so a double click queues one copy, a later second resend another. Raises NotFound.
    """
    begin_write()  # counts the copies, then adds one: a rule checked under the write lock
    original = get_message(message_id)
    copies = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.resent_from_id == original.id)
    )
    base = original.dedup_key
    suffix = f"/resend-{original.id}-{copies + 1}"
    if len(base) + len(suffix) > 200:
        base = hashlib.sha256(base.encode()).hexdigest()[:40]
    copy = enqueue(
        OutgoingMail(
            to=original.recipient,
            subject=original.subject,
            text=original.text_body,
            html=original.html_body,
            dedup_key=base + suffix,
            kind=original.kind,
            ics=original.ics,
            ics_method=original.ics_method,
            list_unsubscribe=original.list_unsubscribe,
            reference=original.reference,
        )
    )
    if copy.resent_from_id is None:
        copy.resent_from_id = original.id
    db.session.commit()
    log.info("outbox: message %s queued again as %s", original.id, copy.id)
    return copy


def purge(before: datetime) -> int:
    """Delete sent and failed mail created before `before` (bodies hold personal data); returns
    how many. Queued mail is never purged. Runs in the caller's transaction (no commit), so a
    privacy purge can remove a person's mail together with the rest of their data."""
    result = db.session.execute(
        _TABLE.delete().where(_TABLE.c.status != MailStatus.QUEUED, _TABLE.c.created_at < before)
    )
    return result.rowcount


def forget_recipient(address: str) -> int:
    """Delete every mail to `address`, queued ones included (the person asked to be forgotten).
    Runs in the caller's transaction."""
    result = db.session.execute(_TABLE.delete().where(func.lower(_TABLE.c.recipient) == address.lower()))
    return result.rowcount


# --------------------------------------------------------------------------- reading


def get_message(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(_l("Dit bericht bestaat niet (meer)."))
    return message


def list_messages(
    *,
    status: MailStatus | str | None = None,
    kind: str | None = None,
    search: str | None = None,
    reference: str | None = None,
    page: int = 1,
    per_page: int = 50,
):
    """Newest first, filtered; a page with .items, .total, .pages, .has_prev and .has_next."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status:
        query = query.where(OutboxMessage.status == MailStatus(status))
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if search and search.strip():
        query = query.where(
            func.lower(OutboxMessage.recipient).contains(search.strip().lower(), autoescape=True)
        )
    if reference:
        query = query.where(OutboxMessage.reference == reference)
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)


def kinds() -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.kind).distinct().order_by(OutboxMessage.kind)))


def status_counts() -> dict[MailStatus, int]:
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    counts = dict.fromkeys(MailStatus, 0)
    counts.update({MailStatus(status): n for status, n in rows})
    return counts


def count_queued() -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == MailStatus.QUEUED)
    )


@dataclass(frozen=True)
class Preview:
    """A message as its recipient would see it (headers, text, HTML, .ics)."""

    headers: list[tuple[str, str]]
    text: str
    html: str | None
    ics: bytes | None
    raw: bytes


def preview(message: OutboxMessage) -> Preview:
    """Build the MIME message the worker sends (dated when it was sent, or now)."""
    email = build_message(message, current_app.config["MAIL_FROM"], message.sent_at or utcnow())
    headers = [(name, str(value)) for name, value in email.items() if name.lower() != "content-type"]
    return Preview(headers, message.text_body, message.html_body, message.ics, email.as_bytes())


# --------------------------------------------------------------------------- delivering


@dataclass
class DeliveryReport:
    """What one `deliver_due` call did."""

    configured: bool = True
    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # a temporary error: tried again after a backoff
    failed: int = 0  # given up: refused for good, or out of attempts
    released: int = 0  # claimed but not tried (connection lost, stop asked, claim running out)
    error: str | None = None  # why the batch stopped early, if it did
    errors: list[str] = field(default_factory=list)


def smtp_settings() -> SmtpSettings | None:
    url = current_app.config.get("SMTP_URL")
    return SmtpSettings.from_url(url) if url else None


def default_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: doubling from MAIL_RETRY_SECONDS, capped, with up to
    10% jitter so workers that failed together do not retry together."""
    config = current_app.config
    seconds = min(config["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0), config["MAIL_RETRY_MAX_SECONDS"])
    return timedelta(seconds=seconds * (1 + random.uniform(0, 0.1)))


_CLAIMED_COLUMNS = (
    _TABLE.c.id,
    _TABLE.c.recipient,
    _TABLE.c.subject,
    _TABLE.c.text_body,
    _TABLE.c.html_body,
    _TABLE.c.ics,
    _TABLE.c.ics_method,
    _TABLE.c.list_unsubscribe,
    _TABLE.c.message_id,
    _TABLE.c.attempts,
    _TABLE.c.next_attempt_at,
)


def _claim(conn, worker_id: str, batch_size: int, now: datetime, until: datetime) -> list:
    due = (
        select(_TABLE.c.id)
        .where(
            _TABLE.c.status == MailStatus.QUEUED,
            _TABLE.c.next_attempt_at <= now,
            or_(_TABLE.c.claimed_until.is_(None), _TABLE.c.claimed_until < now),
        )
        .order_by(_TABLE.c.next_attempt_at, _TABLE.c.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite runs the statement under its write lock
    )
    statement = (
        update(_TABLE)
        .where(_TABLE.c.id.in_(due.scalar_subquery()))
        .values(claimed_by=worker_id, claimed_until=until)
        .returning(*_CLAIMED_COLUMNS)
    )
    rows = conn.execute(statement).all()  # one statement: in autocommit, it is its own transaction
    return sorted(rows, key=lambda row: (row.next_attempt_at, row.id))


def _outcome(**values):
    """The UPDATE that writes how one claimed row fared, built once (only the parameters change
    per message), and applied only while this worker still holds the claim."""
    return (
        update(_TABLE)
        .where(_TABLE.c.id == bindparam("b_id"), _TABLE.c.claimed_by == bindparam("b_worker"))
        .values(claimed_by=None, claimed_until=None, **values)
    )


_NOW, _ATTEMPTS = bindparam("b_now", type_=UTCDateTime), bindparam("b_attempts")
_SENT = _outcome(
    status=MailStatus.SENT, sent_at=_NOW, attempts=_ATTEMPTS, last_attempt_at=_NOW, last_error=None
)
_FAILED = _outcome(
    status=MailStatus.FAILED, attempts=_ATTEMPTS, last_attempt_at=_NOW, last_error=bindparam("b_error")
)
_RETRY = _outcome(
    attempts=_ATTEMPTS,
    last_attempt_at=_NOW,
    last_error=bindparam("b_error"),
    next_attempt_at=bindparam("b_next", type_=UTCDateTime),
)
_RELEASE = _outcome()


class _Marker:
    """Writes the outcome of each message, one UPDATE each, on an autocommit connection: every
    outcome is durable (visible to other workers) as soon as it is written."""

    def __init__(self, conn, worker_id: str, max_attempts: int) -> None:
        self.conn, self.worker_id, self.max_attempts = conn, worker_id, max_attempts

    def _write(self, statement, row, **params) -> None:
        result = self.conn.execute(statement, {"b_id": row.id, "b_worker": self.worker_id, **params})
        if result.rowcount != 1:
            log.warning(
                "outbox: %s: the claim on %s had expired before it was marked", self.worker_id, row.id
            )

    def sent(self, row, now: datetime) -> None:
        self._write(_SENT, row, b_now=now, b_attempts=row.attempts + 1)

    def failed(self, row, now: datetime, error: str) -> None:
        self._write(_FAILED, row, b_now=now, b_attempts=row.attempts + 1, b_error=error)

    def retry(self, row, now: datetime, error: str) -> bool:
        """Count the attempt; returns False when that was the last one (the mail is failed)."""
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            self.failed(row, now, error)
            return False
        self._write(
            _RETRY, row, b_now=now, b_attempts=attempts, b_error=error, b_next=now + backoff(attempts)
        )
        return True

    def release(self, rows: Sequence) -> None:
        """Give back rows that were claimed but not tried: due at once for the next worker."""
        if rows:
            self.conn.execute(_RELEASE, [{"b_id": row.id, "b_worker": self.worker_id} for row in rows])


@contextmanager
def _delivery_connection():
    """A connection of its own, in autocommit: the claim and each outcome are single statements,
    so each is its own transaction without BEGIN/COMMIT round trips.

    On PostgreSQL the outcomes need not wait for the WAL flush either (synchronous_commit off for
    this session): a worker crash still loses nothing, since a write is visible at once; only a
    crash of the database server itself could forget the last few, which means rare duplicates.
    """
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if conn.dialect.name != "postgresql":
            yield conn
            return
        conn.exec_driver_sql("SET synchronous_commit TO OFF")
        try:
            yield conn
        finally:
            try:
                conn.exec_driver_sql("RESET synchronous_commit")
            except DBAPIError:
                conn.invalidate()  # never hand the setting on to another user of the pool


def deliver_due(
    batch_size: int = 100,
    worker_id: str | None = None,
    *,
    stop_event: threading.Event | None = None,
) -> DeliveryReport:
    """Claim up to `batch_size` due mails and send them over one SMTP connection.

    Works on its own database connection, in autocommit (the claim, then each outcome); it
    never touches the caller's session. Without `SMTP_URL` it sends nothing and returns a
    report with configured=False: the mail stays in the outbox for the viewer. Raises
    ConfigError for an `SMTP_URL` that cannot be parsed.
    """
    settings = smtp_settings()
    if settings is None:
        return DeliveryReport(configured=False)
    config = current_app.config
    worker_id = worker_id or default_worker_id()
    mail_from = config["MAIL_FROM"]
    envelope_from = address_of(mail_from)
    claim_seconds = float(config["MAIL_CLAIM_SECONDS"])
    report = DeliveryReport()
    with _delivery_connection() as conn:
        now = utcnow()
        rows = _claim(conn, worker_id, batch_size, now, now + timedelta(seconds=claim_seconds))
        report.claimed = len(rows)
        if not rows:
            return report
        # Start no message after this: one that hangs until the SMTP timeout must still end
        # before the claim does, or another worker could take the row while it is being sent.
        deadline = time.monotonic() + claim_seconds - min(claim_seconds / 2, 3 * settings.timeout)
        marker = _Marker(conn, worker_id, int(config["MAIL_MAX_ATTEMPTS"]))
        _send_batch(rows, settings, marker, mail_from, envelope_from, deadline, stop_event, report)
    log.info(
        "outbox: %s claimed %s, sent %s, retrying %s, failed %s, released %s",
        worker_id,
        report.claimed,
        report.sent,
        report.retrying,
        report.failed,
        report.released,
    )
    return report


def _send_batch(rows, settings, marker, mail_from, envelope_from, deadline, stop_event, report) -> None:
    connection = SmtpConnection(settings)
    try:
        connection.open()
    except TransportError as error:
        # Nobody could have received anything: every claimed mail counts an attempt and waits.
        now = utcnow()
        for row in rows:
            if marker.retry(row, now, str(error)):
                report.retrying += 1
            else:
                report.failed += 1
        report.error = str(error)
        log.warning("outbox: cannot reach the SMTP server: %s", error)
        return

    def record(outcome: Outcome) -> None:
        row, error = outcome.item, outcome.error
        if error is None:
            marker.sent(row, outcome.at)
            report.sent += 1
            return
        report.errors.append(f"{row.id}: {error}")
        if error.temporary and marker.retry(row, outcome.at, str(error)):
            report.retrying += 1
        else:
            if not error.temporary:
                marker.failed(row, outcome.at, str(error))
            report.failed += 1
        if error.connection_lost:
            report.error = str(error)

    def stop() -> bool:
        return (stop_event is not None and stop_event.is_set()) or time.monotonic() > deadline

    with connection:
        untried = send_batch(
            connection,
            rows,
            envelope_from,
            build=lambda row: build_message(row, mail_from, utcnow()).as_bytes(),
            record=record,
            stop=stop,
        )
    marker.release(untried)
    report.released += len(untried)


def deliver_all_due(batch_size: int = 100, worker_id: str | None = None) -> DeliveryReport:
    """One pass: deliver batches until nothing due is left (or the server cannot be reached).
    Mail that failed temporarily waits for its backoff, so it is not tried twice in one pass."""
    total = DeliveryReport()
    worker_id = worker_id or default_worker_id()
    while True:
        report = deliver_due(batch_size, worker_id)
        if not report.configured:
            return report
        for name in ("claimed", "sent", "retrying", "failed", "released"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.errors.extend(report.errors)
        progress = report.sent + report.retrying + report.failed
        if report.error or report.claimed == 0 or progress == 0:
            total.error = report.error
            return total


def run_worker(
    poll_seconds: float = 5.0,
    stop_event: threading.Event | None = None,
    batch_size: int = 100,
    worker_id: str | None = None,
) -> None:
    """Keep delivering until `stop_event` is set: a batch right after a full one, otherwise a
    wait of `poll_seconds`. Survives a database or SMTP outage (it logs, waits and goes on).
    Raises ConfigError when `SMTP_URL` is not set."""
    if smtp_settings() is None:
        raise ConfigError("SMTP_URL is not set: the worker has nowhere to deliver mail.")
    stop = stop_event or threading.Event()
    worker_id = worker_id or default_worker_id()
    log.info("outbox: worker %s delivering to %s", worker_id, smtp_settings().describe())
    while not stop.is_set():
        try:
            report = deliver_due(batch_size, worker_id, stop_event=stop)
        except DBAPIError:
            log.exception("outbox: database error; trying again in %s s", poll_seconds)
            stop.wait(poll_seconds)
            continue
        if report.claimed < batch_size or report.error:
            stop.wait(poll_seconds)
    log.info("outbox: worker %s stopped", worker_id)
