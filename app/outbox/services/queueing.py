"""Queueing mail intents in the caller's transaction, copies for a resend, and forgetting mail.

`enqueue` and `enqueue_many` only add rows to the current database transaction: the change and
its mail intent are committed together, or neither is. Nothing here renders or sends mail.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import func, select

from app.database import begin_write, insert_ignoring
from app.db import utcnow
from app.extensions import db
from app.outbox.kinds import KINDS, MailIntent
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.transport import address_of, message_bytes

log = logging.getLogger(__name__)

LOCALES = frozenset({"nl", "en"})
# A bare check of shape: addresses are validated where people type them (forms, services).
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
BULK_CHUNK = 1000
TABLE = OutboxMessage.__table__


def _mail_domain() -> str:
    return address_of(current_app.config["MAIL_FROM"]).rpartition("@")[2] or "startklaar.local"


def message_id_for(dedup_key: str, domain: str) -> str:
    # The key's digest makes it recognisable, the random part keeps it unique across databases
    # (a test and a production outbox both have a "confirm:1").
    digest = hashlib.sha256(dedup_key.encode()).hexdigest()[:16]
    return f"<{digest}.{secrets.token_hex(8)}@{domain}>"


def _check(intent: MailIntent) -> None:
    """Programming errors, caught before they are committed and fail in the worker."""
    if intent.kind not in KINDS:
        raise ValueError(f"{intent.kind!r} is not a registered mail kind (app.outbox.kinds.mail_kind)")
    if not intent.dedup_key or len(intent.dedup_key) > 200:
        raise ValueError("dedup_key must be 1 to 200 characters")
    if len(intent.to) > 254 or not _ADDRESS.match(intent.to):
        raise ValueError(f"not an e-mail address: {intent.to!r}")
    if intent.locale not in LOCALES:
        raise ValueError(f"locale must be one of {sorted(LOCALES)}, not {intent.locale!r}")
    if intent.reference is not None and len(intent.reference) > 120:
        raise ValueError("reference is at most 120 characters")
    if intent.send_after is not None and intent.send_after.tzinfo is None:
        raise ValueError("send_after must be an aware datetime")


def _values(intent: MailIntent, now: datetime, domain: str) -> dict:
    _check(intent)
    return {
        "dedup_key": intent.dedup_key,
        "kind": intent.kind.code,
        "status": MailStatus.QUEUED,
        "recipient": intent.to.strip(),
        "locale": intent.locale,
        "ids": dict(intent.ids),
        "snapshot": dict(intent.snapshot),
        "reference": intent.reference,
        "message_id": message_id_for(intent.dedup_key, domain),
        "created_at": now,
        "next_attempt_at": max(intent.send_after or now, now),
        "attempts": 0,
    }


def enqueue(intent: MailIntent) -> OutboxMessage:
    """Queue one mail intent in the current transaction and return its row.

    Never commits, renders or sends: the caller's commit makes the mail real, its rollback
    forgets it; the worker renders and sends it later. A second call with the same `dedup_key`
    (also from another transaction at the same time) inserts nothing and returns the row that
    exists. Raises ValueError for a mail that could never be sent (no address, an unregistered
    kind, an unknown locale).
    """
    statement = insert_ignoring(TABLE, "dedup_key")
    db.session.execute(statement, [_values(intent, utcnow(), _mail_domain())])
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedup_key == intent.dedup_key)).one()


def enqueue_many(intents: Iterable[MailIntent]) -> int:
    """Queue many intents (a mailing) in bulk, in the current transaction; returns how many were
    new (keys already queued are skipped, as with `enqueue`). Never commits."""
    now, domain = utcnow(), _mail_domain()
    # RETURNING lists only the rows that went in (rowcount after executemany is not portable);
    # SQLAlchemy sends the chunk as multi-row INSERTs ("insertmanyvalues").
    statement = insert_ignoring(TABLE, "dedup_key", returning=[TABLE.c.id])
    added, chunk = 0, []
    for intent in intents:
        chunk.append(_values(intent, now, domain))
        if len(chunk) == BULK_CHUNK:
            added += len(db.session.execute(statement, chunk).all())
            chunk = []
    if chunk:
        added += len(db.session.execute(statement, chunk).all())
    return added


_COPIED = (
    "kind",
    "recipient",
    "locale",
    "ids",
    "snapshot",
    "reference",
    "subject",
    "text_body",
    "html_body",
    "ics",
    "ics_method",
    "list_unsubscribe",
)


def resend(message_id: int) -> OutboxMessage:
    """Queue a fresh copy of a message (sent, failed, dropped or queued) and commit.

    A rendered message is copied as it was rendered (the copy is dated now and has its own
    Message-ID); one not rendered yet is copied as an intent, rendered when the copy goes out.
    The copy's dedup key is derived from the original's and the number of copies made before, so
    a double click queues one copy, a later second resend another. Raises NotFound.
    """
    from app.outbox.services.reading import get_message

    begin_write()  # counts the copies, then adds one: a rule checked under the write lock
    original = get_message(message_id)
    copies = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.resent_from_id == original.id)
    )
    base = original.dedup_key
    suffix = f"/resend-{original.id}-{copies + 1}"
    if len(base) + len(suffix) > 200:
        base = hashlib.sha256(base.encode()).hexdigest()[:40]
    now = utcnow()
    values = {name: getattr(original, name) for name in _COPIED}
    values.update(
        dedup_key=base + suffix,
        status=MailStatus.QUEUED,
        message_id=message_id_for(base + suffix, _mail_domain()),
        rendered_at=None,
        resent_from_id=original.id,
        created_at=now,
        next_attempt_at=now,
        attempts=0,
    )
    if original.rendered_at is not None:  # the same mail, as a new message of today
        copy = SimpleNamespace(**values)
        values.update(rendered_at=now, raw_message=message_bytes(copy, current_app.config["MAIL_FROM"], now))
    db.session.execute(insert_ignoring(TABLE, "dedup_key"), [values])
    copy = db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedup_key == base + suffix)).one()
    db.session.commit()
    log.info("outbox: message %s queued again as %s", original.id, copy.id)
    return copy


def purge(before: datetime) -> int:
    """Delete sent, failed and dropped mail created before `before` (bodies hold personal data);
    returns how many. Queued mail is never purged. Runs in the caller's transaction (no commit),
    so a privacy purge can remove a person's mail together with the rest of their data."""
    result = db.session.execute(
        TABLE.delete().where(TABLE.c.status != MailStatus.QUEUED, TABLE.c.created_at < before)
    )
    return result.rowcount


def forget_recipient(address: str) -> int:
    """Delete every mail to `address`, queued intents included (the person asked to be
    forgotten). Runs in the caller's transaction."""
    result = db.session.execute(TABLE.delete().where(func.lower(TABLE.c.recipient) == address.lower()))
    return result.rowcount
