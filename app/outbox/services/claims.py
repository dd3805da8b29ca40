"""Claims on due rows and the outcome of each, written on the delivery connection: the
bookkeeping of `delivery`, one autocommit statement each, so every outcome is durable (visible to
other workers) as soon as it is written."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import DBAPIError

from app.db import UTCDateTime
from app.extensions import db
from app.outbox.models import MailStatus
from app.outbox.services.queueing import TABLE

log = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: doubling from MAIL_RETRY_SECONDS, capped, with up to
    10% jitter so workers that failed together do not retry together."""
    config = current_app.config
    seconds = min(config["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0), config["MAIL_RETRY_MAX_SECONDS"])
    return timedelta(seconds=seconds * (1 + random.uniform(0, 0.1)))


def claim(conn, worker_id: str, batch_size: int, now: datetime, until: datetime) -> list:
    due = (
        select(TABLE.c.id)
        .where(
            TABLE.c.status == MailStatus.QUEUED,
            TABLE.c.next_attempt_at <= now,
            or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now),
        )
        .order_by(TABLE.c.next_attempt_at, TABLE.c.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite runs the statement under its write lock
    )
    statement = (
        update(TABLE)
        .where(TABLE.c.id.in_(due.scalar_subquery()))
        .values(claimed_by=worker_id, claimed_until=until)
        .returning(*(column for column in TABLE.c if column.key not in ("claimed_by", "claimed_until")))
    )
    rows = conn.execute(statement).all()  # one statement: in autocommit, it is its own transaction
    return sorted(rows, key=lambda row: (row.next_attempt_at, row.id))


def _outcome(**values):
    """The UPDATE that writes how one claimed row fared, built once (only the parameters change
    per message), and applied only while this worker still holds the claim."""
    return (
        update(TABLE)
        .where(TABLE.c.id == bindparam("b_id"), TABLE.c.claimed_by == bindparam("b_worker"))
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


class Marker:
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
def delivery_connection():
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
