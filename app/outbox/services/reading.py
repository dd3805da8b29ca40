"""Reading the outbox: one message, a filtered page of them, and the counts the viewer shows."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.errors import NotFound
from app.extensions import db
from app.outbox.kinds import KINDS
from app.outbox.models import MailStatus, OutboxMessage


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


def kinds() -> list[tuple[str, str]]:
    """(code, the name people read) of every kind in the outbox, by name."""
    codes = db.session.scalars(select(OutboxMessage.kind).distinct())
    return sorted(((code, KINDS.label(code)) for code in codes), key=lambda pair: pair[1].lower())


def status_counts() -> dict[MailStatus, int]:
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    counts = dict.fromkeys(MailStatus, 0)
    counts.update({MailStatus(status): n for status, n in rows})
    return counts


def count_queued() -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == MailStatus.QUEUED)
    )
