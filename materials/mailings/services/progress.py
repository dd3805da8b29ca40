"""How far a mailing is, told truthfully: its state and each recipient's, derived from the outbox.

The send writes a MailingRecipient row per address and, in the same transaction, an outbox intent
with the mailing's reference (`mailing:<id>`, see `mails.intent`); a retry of a failed mail adds
a row with the same reference and address. So a recipient's mail is the NEWEST outbox row of the
mailing to their address — the first mail, or the retry that followed its failure — and its
status is the recipient's state: waiting, sent, failed (the server's answer) or closed unsent by
the worker (the reason). A recipient without an outbox row had their mail removed: their data was
erased, or the outbox purged it after OUTBOX_RETENTION_DAYS; nobody knows any more what happened,
and it is counted as such, never as sent.

One query per question, whatever the size: the counts are one GROUP BY over the mailing's
recipients joined to the newest outbox row per address (found through the outbox's index on
`reference`, one GROUP BY over the mailing's own rows), and a page of recipients is the same join
with LIMIT/OFFSET. For a 2,000-person mailing that is 2,000 recipient rows read through the
(mailing_id, email) unique index and about 2,000 outbox rows through the reference index: a few
milliseconds, never one query per person.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from app.extensions import db
from app.outbox.models import MailStatus, OutboxMessage
from materials.mailings.models import Mailing, MailingRecipient, MailingStatus
from sessions.services import Page

PER_PAGE = 100


class State(enum.StrEnum):
    """What a mailing's page says about it, in one word."""

    DRAFT = "draft"  # being written
    SCHEDULED = "scheduled"  # goes out later
    QUEUED = "queued"  # mails are waiting in the outbox, none has left yet
    SENDING = "sending"  # some have left, some are still waiting
    SENT = "sent"  # nothing waits any more and at least one mail left
    FAILED = "failed"  # nothing waits, none left: every mail was refused or gave up
    NOT_SENT = "not_sent"  # nothing waits, none left: the worker closed them unsent
    EMPTY = "empty"  # sent to nobody: no one in the segment was left to mail
    FORGOTTEN = "forgotten"  # went out long ago: what happened per person is no longer kept


def reference(mailing_id: int) -> str:
    """The outbox reference of a mailing's mails (written by `mails.intent`)."""
    return f"mailing:{mailing_id}"


@dataclass(frozen=True)
class Progress:
    status: MailingStatus
    planned: int  # the people it was going to when sending started
    written: int  # recipients written so far (each has or had an outbox row)
    queued: int
    sent: int
    failed: int
    dropped: int = 0  # closed unsent: the person unsubscribed or was erased before it went out
    unknown: int = 0  # the outbox row is gone (erased, or purged after the retention period)

    @property
    def total(self) -> int:
        """The "m" of "verzonden n van m": while recipients are still being written, the people
        it is going to; once written, the mails there are (someone who unsubscribed between the
        start and their batch got none)."""
        if self.status == MailingStatus.SENDING:
            return max(self.planned, self.written)
        return self.written

    @property
    def waiting(self) -> bool:
        """Something is still to go out (mails in the outbox, or recipients still being written)."""
        return self.queued > 0 or self.status == MailingStatus.SENDING

    @property
    def done(self) -> bool:
        return self.status == MailingStatus.SENT and self.queued == 0

    @property
    def state(self) -> State:
        if self.status == MailingStatus.DRAFT:
            return State.DRAFT
        if self.status == MailingStatus.SCHEDULED:
            return State.SCHEDULED
        if self.waiting:
            return State.SENDING if self.sent else State.QUEUED
        if self.sent:
            return State.SENT
        if self.failed:
            return State.FAILED
        if self.dropped:
            return State.NOT_SENT
        if self.unknown:
            return State.FORGOTTEN
        return State.EMPTY

    def as_dict(self) -> dict:
        return {
            "status": self.status.value,
            "state": self.state.value,
            "planned": self.planned,
            "written": self.written,
            "total": self.total,
            "queued": self.queued,
            "sent": self.sent,
            "failed": self.failed,
            "dropped": self.dropped,
            "unknown": self.unknown,
            "done": self.done,
        }


@dataclass(frozen=True)
class RecipientState:
    """One person of a mailing and what became of their mail."""

    id: int
    name: str
    email: str
    registration_id: int | None
    status: MailStatus | None  # None: the outbox row is gone (see the module's docstring)
    reason: str | None  # failed: the server's answer; dropped: why it was not sent
    attempts: int
    next_attempt_at: datetime | None
    message_id: int | None  # the outbox row (for the viewer)

    @property
    def retrying(self) -> bool:
        """Waiting after a temporary error: the worker tries again at `next_attempt_at`."""
        return self.status == MailStatus.QUEUED and self.attempts > 0

    @property
    def can_retry(self) -> bool:
        return self.status == MailStatus.FAILED and self.registration_id is not None


def _newest_per_address(mailing_id: int):
    """The newest outbox row of the mailing per address (its first mail, or the retry after it)."""
    return (
        select(OutboxMessage.recipient, func.max(OutboxMessage.id).label("id"))
        .where(OutboxMessage.reference == reference(mailing_id))
        .group_by(OutboxMessage.recipient)
        .subquery("newest")
    )


def _joined(mailing_id: int, *columns):
    newest = _newest_per_address(mailing_id)
    return (
        select(*columns)
        .select_from(MailingRecipient)
        .outerjoin(newest, newest.c.recipient == MailingRecipient.email)
        .outerjoin(OutboxMessage, OutboxMessage.id == newest.c.id)
        .where(MailingRecipient.mailing_id == mailing_id)
    )


def progress(mailing: Mailing) -> Progress:
    """How far the mailing is: its recipients, counted by their mail's state (one query)."""
    rows = db.session.execute(
        _joined(mailing.id, OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    by_status = {status: n for status, n in rows}
    written = sum(by_status.values())
    return Progress(
        status=mailing.status,
        planned=mailing.planned_count or written,
        written=written,
        queued=by_status.get(MailStatus.QUEUED, 0),
        sent=by_status.get(MailStatus.SENT, 0),
        failed=by_status.get(MailStatus.FAILED, 0),
        dropped=by_status.get(MailStatus.DROPPED, 0),
        unknown=by_status.get(None, 0),
    )


def progress_of(mailings: list[Mailing]) -> dict[int, Progress]:
    """The progress of each mailing that was sent or is going out, by id (a list of a session's
    mailings: a handful, one query each). Drafts and scheduled mailings have no outbox rows."""
    return {
        m.id: progress(m) if m.status in (MailingStatus.SENDING, MailingStatus.SENT) else _unsent(m)
        for m in mailings
    }


def _unsent(mailing: Mailing) -> Progress:
    return Progress(status=mailing.status, planned=0, written=0, queued=0, sent=0, failed=0)


_ORDER = case(
    (OutboxMessage.status == MailStatus.FAILED, 0),
    (OutboxMessage.status == MailStatus.QUEUED, 1),
    (OutboxMessage.status == MailStatus.DROPPED, 2),
    (OutboxMessage.status == MailStatus.SENT, 3),
    else_=4,
)


def recipients(mailing: Mailing, *, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of the mailing's recipients with their mail's state: what needs a look first
    (failed, then waiting, then not sent), then the sent ones, by name. Two queries whatever the
    size: the count, and the page."""
    total = db.session.scalar(
        select(func.count()).select_from(MailingRecipient).where(MailingRecipient.mailing_id == mailing.id)
    )
    page = min(max(page, 1), max((total + per_page - 1) // per_page, 1))
    rows = db.session.execute(
        _joined(
            mailing.id,
            MailingRecipient.id,
            MailingRecipient.name,
            MailingRecipient.email,
            MailingRecipient.registration_id,
            OutboxMessage.status,
            OutboxMessage.last_error,
            OutboxMessage.attempts,
            OutboxMessage.next_attempt_at,
            OutboxMessage.id.label("message_id"),
        )
        .order_by(_ORDER, MailingRecipient.name, MailingRecipient.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [
        RecipientState(
            id=row.id,
            name=row.name,
            email=row.email,
            registration_id=row.registration_id,
            status=MailStatus(row.status) if row.status is not None else None,
            reason=row.last_error,
            attempts=row.attempts or 0,
            next_attempt_at=row.next_attempt_at,
            message_id=row.message_id,
        )
        for row in rows
    ]
    return Page(items=items, total=total, page=page, per_page=per_page)


def newest_message(mailing: Mailing, recipient: MailingRecipient) -> OutboxMessage | None:
    """The outbox row that says what became of `recipient`'s mail (None when it is gone)."""
    return db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.reference == reference(mailing.id), OutboxMessage.recipient == recipient.email)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
