"""How far a mailing is: its addresses and their outbox state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.outbox.models import MailStatus, OutboxMessage
from materials.mailings.models import (
    Mailing,
    MailingRecipient,
    MailingStatus,
)


@dataclass(frozen=True)
class Progress:
    status: MailingStatus
    planned: int
    written: int
    queued: int
    sent: int
    failed: int
    dropped: int = 0  # not sent: the person unsubscribed or was erased before it went out

    @property
    def done(self) -> bool:
        return self.status == MailingStatus.SENT and self.queued == 0

    def as_dict(self) -> dict:
        return {
            "status": self.status.value,
            "planned": self.planned,
            "written": self.written,
            "queued": self.queued,
            "sent": self.sent,
            "failed": self.failed,
            "dropped": self.dropped,
            "done": self.done,
        }


def _joined():
    return select(MailingRecipient, OutboxMessage.status).outerjoin(
        OutboxMessage, OutboxMessage.dedup_key == MailingRecipient.outbox_key
    )


def progress(mailing: Mailing) -> Progress:
    """How far the mailing is: addresses written, and their outbox state (one query)."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count())
        .select_from(MailingRecipient)
        .outerjoin(OutboxMessage, OutboxMessage.dedup_key == MailingRecipient.outbox_key)
        .where(MailingRecipient.mailing_id == mailing.id)
        .group_by(OutboxMessage.status)
    ).all()
    by_status = {status: n for status, n in rows}
    written = sum(by_status.values())
    return Progress(
        status=mailing.status,
        planned=mailing.planned_count or written,
        written=written,
        queued=by_status.get(MailStatus.QUEUED, 0),
        # A sent mail the privacy purge removed from the outbox was sent all the same.
        sent=by_status.get(MailStatus.SENT, 0) + by_status.get(None, 0),
        failed=by_status.get(MailStatus.FAILED, 0),
        dropped=by_status.get(MailStatus.DROPPED, 0),
    )


def recipients(mailing: Mailing, *, limit: int = 500) -> list[tuple[MailingRecipient, MailStatus | None]]:
    """Who the mailing went to, with each one's delivery state, failures first."""
    query = _joined().where(MailingRecipient.mailing_id == mailing.id)
    rows = db.session.execute(query.order_by(MailingRecipient.name, MailingRecipient.id).limit(limit)).all()
    order = {MailStatus.FAILED: 0, MailStatus.QUEUED: 1, MailStatus.DROPPED: 2, MailStatus.SENT: 3, None: 3}
    return sorted(((r, status) for r, status in rows), key=lambda row: order[row[1]])
