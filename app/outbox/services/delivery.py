"""Delivering the outbox: claim a batch of due mails, render the intents among them, send them
over one SMTP connection and write each one's outcome on its own, right after the server's verdict.

- Claims. A worker sets `claimed_by`/`claimed_until` on up to `batch_size` due rows in one
  statement (`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …`; on SQLite the
  same statement, which takes the database's write lock and runs atomically). Workers never
  claim the same row twice, and a worker that dies leaves claims that expire after
  `MAIL_CLAIM_SECONDS`, when another worker takes the rows.
- Rendering. Once the SMTP connection is open, the intents of the batch are rendered (each kind's
  renderer, in the intent's locale, in an application context of its own), built into a MIME
  message (`EmailMessage`, the standard `email.policy.SMTP`) and stored on their rows before
  anything is sent, once: every attempt, also another worker's after a crash, sends the same
  bytes, with the same Message-ID and Date. A renderer that finds its subject gone drops the row
  unsent; one that fails (a bug in a template) costs that row an attempt, with the error
  recorded, and the rest of the batch goes on.
- The duplicate window. Between the server's "250 accepted" and the write of "sent" there is a
  moment in which a crash (a SIGKILL, a power cut) leaves the row queued: after its claim expires
  it is sent again. The window is one message wide: each outcome is written as soon as the
  server accepted the message (`sendmail` returns), before the next message is handed over.
  The copy carries the same Message-ID, so the receiving side can recognise it.
- Errors. A temporary error (4xx, timeout, lost connection) counts an attempt and sets the next
  one after an exponential backoff (`MAIL_RETRY_SECONDS`, doubling, at most
  `MAIL_RETRY_MAX_SECONDS`); after `MAIL_MAX_ATTEMPTS` attempts the mail is failed with the last
  error. A permanent refusal (5xx) fails it at once, with the server's answer.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app.config import ConfigError
from app.db import utcnow
from app.outbox.services.claims import Marker, claim, delivery_connection
from app.outbox.services.queueing import TABLE
from app.outbox.services.rendering import drop, render_rows, store
from app.outbox.transport import SmtpConnection, SmtpSettings, TransportError, address_of, message_bytes

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one `deliver_due` call did."""

    configured: bool = True
    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # a temporary error (or a render error): tried again after a backoff
    failed: int = 0  # given up: refused for good, or out of attempts
    dropped: int = 0  # not sent: what the mail was about was gone when it was rendered
    released: int = 0  # claimed but not tried (connection lost, stop asked, claim running out)
    error: str | None = None  # why the batch stopped early, if it did
    errors: list[str] = field(default_factory=list)


def smtp_settings() -> SmtpSettings | None:
    url = current_app.config.get("SMTP_URL")
    return SmtpSettings.from_url(url) if url else None


def default_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


# --------------------------------------------------------------------------- a batch


@dataclass(frozen=True)
class _Ready:
    """A claimed row with its message's bytes, ready to send: what the marker reads."""

    id: int
    attempts: int
    recipient: str
    raw: bytes

    @classmethod
    def stored(cls, row, mail_from: str) -> _Ready:
        raw = row.raw_message
        if raw is None:  # rendered before mail was stored as bytes (queued before migration 0010)
            raw = message_bytes(row, mail_from, row.rendered_at)
        return cls(row.id, row.attempts, row.recipient, raw)


class _Batch:
    def __init__(self, conn, marker: Marker, report: DeliveryReport) -> None:
        self.conn, self.marker, self.report = conn, marker, report

    def retry(self, row, error: str, *, temporary: bool = True) -> None:
        now = utcnow()
        self.report.errors.append(f"{row.id}: {error}")
        if temporary and self.marker.retry(row, now, error):
            self.report.retrying += 1
            return
        if not temporary:
            self.marker.failed(row, now, error)
        self.report.failed += 1

    def render(self, rows: Sequence, mail_from: str) -> list[_Ready]:
        """Render and store the intents among `rows`; the rows ready to send, in order. A row whose
        message cannot be built (its bytes) fails for good."""
        worker_id = self.marker.worker_id
        intents = [row for row in rows if row.rendered_at is None]
        results = {result.row_id: result for result in render_rows(intents)} if intents else {}
        now, ready = utcnow(), []
        for row in rows:
            if row.rendered_at is not None:
                try:
                    ready.append(_Ready.stored(row, mail_from))
                except Exception as error:  # noqa: BLE001 - recorded with the message, never raised
                    self.retry(row, _unbuildable(error), temporary=False)
                continue
            result = results[row.id]
            if result.error is not None:
                self.retry(row, result.error)
                continue
            if result.gone is not None:
                if drop(self.conn, result, now, worker_id=worker_id):
                    self.report.dropped += 1
                continue
            try:
                raw = store(self.conn, result, now, worker_id=worker_id)
            except Exception as error:  # noqa: BLE001 - recorded with the message, never raised
                self.retry(row, _unbuildable(error))
                continue
            if raw is not None:
                ready.append(_Ready(row.id, row.attempts, row.recipient, raw))
            else:
                # Rendered meanwhile by someone else: send what is stored, if the row is still ours.
                stored = self.conn.execute(
                    select(TABLE).where(
                        TABLE.c.id == row.id,
                        TABLE.c.claimed_by == worker_id,
                        TABLE.c.rendered_at.is_not(None),
                    )
                ).first()
                if stored is not None:
                    ready.append(_Ready.stored(stored, mail_from))
        return ready


def _unbuildable(error: Exception) -> str:
    return f"the message cannot be built: {type(error).__name__}: {error}"


def deliver_due(
    batch_size: int = 100,
    worker_id: str | None = None,
    *,
    stop_event: threading.Event | None = None,
) -> DeliveryReport:
    """Claim up to `batch_size` due mails, render the intents among them and send them over one
    SMTP connection.

    Works on its own database connection, in autocommit (the claim, the rendered mails, then each
    outcome), and renders in an application context of its own: it never touches the caller's
    session. Without `SMTP_URL` it renders and sends nothing and returns a report with
    configured=False: the mail stays in the outbox for the viewer. Raises ConfigError for an
    `SMTP_URL` that cannot be parsed.
    """
    settings = smtp_settings()
    if settings is None:
        return DeliveryReport(configured=False)
    config = current_app.config
    worker_id = worker_id or default_worker_id()
    claim_seconds = float(config["MAIL_CLAIM_SECONDS"])
    report = DeliveryReport()
    with delivery_connection() as conn:
        now = utcnow()
        rows = claim(conn, worker_id, batch_size, now, now + timedelta(seconds=claim_seconds))
        report.claimed = len(rows)
        if not rows:
            return report
        # Start no message after this: one that hangs until the SMTP timeout must still end
        # before the claim does, or another worker could take the row while it is being sent.
        deadline = time.monotonic() + claim_seconds - min(claim_seconds / 2, 3 * settings.timeout)
        batch = _Batch(conn, Marker(conn, worker_id, int(config["MAIL_MAX_ATTEMPTS"])), report)
        _send_batch(batch, rows, settings, config["MAIL_FROM"], deadline, stop_event)
    log.info(
        "outbox: %s claimed %s, sent %s, retrying %s, failed %s, dropped %s, released %s",
        worker_id,
        report.claimed,
        report.sent,
        report.retrying,
        report.failed,
        report.dropped,
        report.released,
    )
    return report


def _send_batch(batch: _Batch, rows, settings, mail_from, deadline, stop_event) -> None:
    report, marker = batch.report, batch.marker
    connection = SmtpConnection(settings)
    try:
        connection.open()
    except TransportError as error:
        # Nobody could have received anything: every claimed mail counts an attempt and waits,
        # not rendered yet (it is rendered on the data of the moment it goes out).
        now = utcnow()
        for row in rows:
            if marker.retry(row, now, str(error)):
                report.retrying += 1
            else:
                report.failed += 1
        report.error = str(error)
        log.warning("outbox: cannot reach the SMTP server: %s", error)
        return

    def stop() -> bool:
        return (stop_event is not None and stop_event.is_set()) or time.monotonic() > deadline

    envelope_from = address_of(mail_from)
    with connection:
        ready = batch.render(rows, mail_from)
        for index, mail in enumerate(ready):
            if stop():
                marker.release(ready[index:])
                report.released += len(ready) - index
                return
            try:
                connection.send(mail.raw, envelope_from, mail.recipient)
            except TransportError as error:
                batch.retry(mail, str(error), temporary=error.temporary)
                if error.connection_lost:
                    report.error = str(error)
                    marker.release(ready[index + 1 :])
                    report.released += len(ready) - index - 1
                    return
                continue
            marker.sent(mail, utcnow())  # at once: the duplicate window stays one message wide
            report.sent += 1


def deliver_all_due(batch_size: int = 100, worker_id: str | None = None) -> DeliveryReport:
    """One pass: deliver batches until nothing due is left (or the server cannot be reached).
    Mail that failed temporarily waits for its backoff, so it is not tried twice in one pass."""
    total = DeliveryReport()
    worker_id = worker_id or default_worker_id()
    while True:
        report = deliver_due(batch_size, worker_id)
        if not report.configured:
            return report
        for name in ("claimed", "sent", "retrying", "failed", "dropped", "released"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.errors.extend(report.errors)
        progress = report.sent + report.retrying + report.failed + report.dropped
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
