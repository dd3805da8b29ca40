"""Rendering intents: a kind's renderer, called in the intent's locale, its result checked and
stored once on the row; and the preview the viewer shows (a stored mail as it was sent, an intent
rendered on view without storing anything).

Stores happen on a connection of their own, in autocommit, and only on rows that are still not
rendered (`rendered_at IS NULL`), so a mail is rendered once however many workers look at it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import bindparam, or_, select, update

from app.db import UTCDateTime, utcnow
from app.extensions import db
from app.outbox.kinds import KINDS, MailIntent, RenderedMail
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.services.queueing import TABLE
from app.outbox.transport import message_bytes

log = logging.getLogger(__name__)

ICS_METHODS = frozenset({"REQUEST", "CANCEL", "PUBLISH"})
_LINE_BREAK = re.compile(r"[\r\n]")


class RenderError(Exception):
    """The mail could not be rendered (a bug in a renderer or template, bad data); str() says why."""


def intent_of(row, *, preview: bool = False) -> MailIntent:
    """The intent an outbox row (or a claimed row) holds; raises RenderError for a kind no
    package registers (any more)."""
    kind = KINDS.find(row.kind)
    if kind is None:
        raise RenderError(f"unknown mail kind {row.kind!r}: no package registers it")
    return MailIntent(
        kind=kind,
        to=row.recipient,
        dedup_key=row.dedup_key,
        ids=row.ids or {},
        snapshot=row.snapshot or {},
        locale=row.locale or "nl",
        reference=row.reference,
        preview=preview,
    )


def _check(mail: RenderedMail) -> None:
    if not isinstance(mail, RenderedMail):
        raise RenderError(f"a renderer returned {type(mail).__name__}, not a RenderedMail or None")
    if not mail.subject or _LINE_BREAK.search(mail.subject) or len(mail.subject) > 500:
        raise RenderError("a subject is one line of 1 to 500 characters")
    if not mail.text:
        raise RenderError("the text part is empty")
    if mail.ics_method is not None and (mail.ics_method not in ICS_METHODS or mail.ics is None):
        raise RenderError("ics_method must be REQUEST, CANCEL or PUBLISH, and needs an ics")
    if mail.list_unsubscribe and (
        _LINE_BREAK.search(mail.list_unsubscribe)
        or len(mail.list_unsubscribe) > 500
        or not mail.list_unsubscribe.startswith(("https://", "http://"))
    ):
        raise RenderError("list_unsubscribe must be one URL (RFC 8058 wants https:// in production)")


def render(intent: MailIntent) -> RenderedMail | None:
    """Render one intent in its locale: the mail, or None when its subject is gone. Reads the
    database through the current session and writes nothing. Raises RenderError for anything
    that goes wrong, with the reason."""
    try:
        with force_locale(intent.locale):
            mail = intent.kind.render(intent)
    except Exception as error:  # noqa: BLE001 - a renderer's bug is reported, never raised on
        raise RenderError(f"the mail cannot be rendered: {type(error).__name__}: {error}") from error
    if mail is not None:
        _check(mail)
    return mail


@dataclass(frozen=True)
class Rendered:
    """How rendering one row went: `mail` (rendered), `gone` (the reason it is dropped) or `error`."""

    row: object
    mail: RenderedMail | None = None
    gone: str | None = None
    error: str | None = None

    @property
    def row_id(self) -> int:
        return self.row.id


@dataclass(frozen=True)
class Shown:
    """What `build_message` reads: a row's address and Message-ID with a rendered mail."""

    recipient: str
    message_id: str
    subject: str
    text_body: str
    html_body: str | None
    ics: bytes | None
    ics_method: str | None
    list_unsubscribe: str | None

    @classmethod
    def of(cls, row, mail: RenderedMail) -> Shown:
        return cls(
            row.recipient,
            row.message_id,
            mail.subject,
            mail.text,
            mail.html,
            mail.ics,
            mail.ics_method,
            mail.list_unsubscribe,
        )


def render_rows(rows: Sequence) -> list[Rendered]:
    """Render outbox rows (ORM rows or claimed rows) in an application context of their own, so
    the renderers read fresh data through a session that is not the caller's. What a renderer
    added to that session for its mail is committed before the result is returned (and stored)."""
    results = []
    with current_app.app_context():
        for row in rows:
            try:
                intent = intent_of(row)
                mail = render(intent)
                db.session.commit()
            except RenderError as error:
                db.session.rollback()
                log.warning("outbox: message %s: %s", row.id, error)
                results.append(Rendered(row, error=str(error)))
                continue
            if mail is None:
                with force_locale("nl"):  # the viewer is Dutch, as are the server's answers
                    results.append(Rendered(row, gone=str(intent.kind.gone)))
            else:
                results.append(Rendered(row, mail=mail))
    return results


def _on_view(message: OutboxMessage) -> RenderedMail | None:
    """Render a message for the viewer only, in an application context of its own whose session
    is thrown away: nothing the renderer does is kept. Raises RenderError."""
    intent = intent_of(message, preview=True)
    with current_app.app_context():
        try:
            return render(intent)
        finally:
            db.session.rollback()


_STORE = (
    update(TABLE)
    .where(TABLE.c.id == bindparam("b_id"), TABLE.c.rendered_at.is_(None))
    .values(
        rendered_at=bindparam("b_at", type_=UTCDateTime),
        subject=bindparam("b_subject"),
        text_body=bindparam("b_text"),
        html_body=bindparam("b_html"),
        ics=bindparam("b_ics"),
        ics_method=bindparam("b_method"),
        list_unsubscribe=bindparam("b_unsubscribe"),
        raw_message=bindparam("b_raw"),
    )
)


def store(conn, result: Rendered, now: datetime, *, worker_id: str | None = None) -> bytes | None:
    """Write a rendered mail on its row, once, with the MIME message built from it (dated `now`);
    returns the message's bytes, or None when the row was rendered meanwhile (or, for a worker,
    is no longer claimed by it)."""
    mail = result.mail
    raw = message_bytes(Shown.of(result.row, mail), current_app.config["MAIL_FROM"], now)
    statement = _STORE
    params = {
        "b_id": result.row_id,
        "b_at": now,
        "b_subject": mail.subject,
        "b_text": mail.text,
        "b_html": mail.html,
        "b_ics": mail.ics,
        "b_method": mail.ics_method,
        "b_unsubscribe": mail.list_unsubscribe,
        "b_raw": raw,
    }
    if worker_id is not None:
        statement = statement.where(TABLE.c.claimed_by == bindparam("b_worker"))
        params["b_worker"] = worker_id
    return raw if conn.execute(statement, params).rowcount == 1 else None


def drop(conn, result: Rendered, now: datetime, *, worker_id: str | None = None) -> bool:
    """Close a queued row unsent: what it was about is gone (`result.gone` says so)."""
    statement = (
        update(TABLE)
        .where(
            TABLE.c.id == result.row_id,
            TABLE.c.status == MailStatus.QUEUED,
            TABLE.c.rendered_at.is_(None),
        )
        .values(
            status=MailStatus.DROPPED,
            last_error=result.gone,
            last_attempt_at=now,
            claimed_by=None,
            claimed_until=None,
        )
    )
    if worker_id is not None:
        statement = statement.where(TABLE.c.claimed_by == worker_id)
    return conn.execute(statement).rowcount == 1


def render_queued(limit: int | None = None) -> int:
    """Render every queued intent that is not rendered yet and not claimed by a worker, and store
    the result as the worker would before sending it (a subject found gone drops the row; a
    renderer's error is logged and left for the worker). Returns how many were rendered or
    dropped. Commits nothing of the caller's: it works on a connection of its own."""
    now = utcnow()
    query = (
        select(TABLE)
        .where(
            TABLE.c.status == MailStatus.QUEUED,
            TABLE.c.rendered_at.is_(None),
            or_(TABLE.c.claimed_until.is_(None), TABLE.c.claimed_until < now),
        )
        .order_by(TABLE.c.id)
        .limit(limit)
    )
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        rows = conn.execute(query).all()
        done = 0
        for result in render_rows(rows):
            if result.mail is not None:
                try:
                    done += store(conn, result, now) is not None
                except Exception:  # noqa: BLE001 - left for the worker, which records why
                    log.exception("outbox: message %s cannot be built", result.row_id)
            elif result.gone is not None:
                done += drop(conn, result, now)
    return done


# --------------------------------------------------------------------------- the viewer


@dataclass(frozen=True)
class Preview:
    """A message as its recipient sees (or would see) it: headers, text, HTML, .ics, the raw bytes.

    `rendered` is False for an intent rendered on view (not stored: the worker renders it again
    when it goes out). `gone` is why a message is (or would be) dropped unsent, `error` why it
    cannot be rendered; either leaves the rest empty."""

    subject: str | None
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    ics: bytes | None
    ics_method: str | None
    raw: bytes | None
    rendered: bool
    gone: str | None = None
    error: str | None = None


def preview(message: OutboxMessage) -> Preview:
    """What the viewer shows: a rendered message as it was (or will be) sent, byte for byte;
    one not rendered yet rendered now, without storing or changing anything."""
    if message.status is MailStatus.DROPPED:
        return Preview(None, [], None, None, None, None, None, False, gone=message.last_error)
    if message.rendered_at is not None:
        shown, raw = message, message.raw_message
        if raw is None:  # rendered before mail was stored as bytes: built as it will be sent
            raw = message_bytes(message, current_app.config["MAIL_FROM"], message.rendered_at)
    else:
        try:
            mail = _on_view(message)
        except RenderError as error:
            return Preview(None, [], None, None, None, None, None, False, error=str(error))
        if mail is None:
            kind = KINDS.find(message.kind)
            return Preview(None, [], None, None, None, None, None, False, gone=str(kind.gone))
        shown = Shown.of(message, mail)
        raw = message_bytes(shown, current_app.config["MAIL_FROM"], utcnow())
    parsed = message_from_bytes(raw, policy=policy.default)
    headers = [(name, str(value)) for name, value in parsed.items() if name.lower() != "content-type"]
    return Preview(
        shown.subject,
        headers,
        shown.text_body,
        shown.html_body,
        shown.ics,
        shown.ics_method,
        raw,
        message.rendered_at is not None,
    )


def subjects(messages: Sequence[OutboxMessage]) -> dict[int, str | None]:
    """The subject of each message for a list: stored, or rendered on view (None when it cannot
    be), by id."""
    found = {}
    for message in messages:
        if message.subject is not None or message.status is MailStatus.DROPPED:
            found[message.id] = message.subject
            continue
        try:
            mail = _on_view(message)
        except RenderError:
            mail = None
        found[message.id] = mail.subject if mail is not None else None
    return found
