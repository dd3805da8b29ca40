"""Sending a mailing: the recipients in batches, each batch in its own transaction (a
MailingRecipient row and an outbox intent per address, in bulk), resumable and never twice."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.database import atomic, begin_write, insert_ignoring
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.outbox.services import enqueue_many
from materials.mailings import mails, rendering
from materials.mailings.models import (
    Mailing,
    MailingRecipient,
    MailingStatus,
    Unsubscribe,
)
from materials.mailings.services.audience import audience
from registrations.models import Registration
from sessions.models import SessionStatus

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# A mailing still "sending" this long after it started was interrupted: the worker resumes it.
STALE_SENDING = timedelta(minutes=10)


def outbox_key(mailing_id: int, email: str) -> str:
    key = f"mailing:{mailing_id}:{email}"
    if len(key) > 200:
        key = f"mailing:{mailing_id}:sha256:{hashlib.sha256(email.encode()).hexdigest()}"
    return key


def _lock_mailing(mailing_id: int) -> Mailing:
    begin_write()
    mailing = db.session.scalar(
        select(Mailing)
        .where(Mailing.id == mailing_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if mailing is None:
        raise NotFound(_l("Deze mailing bestaat niet (meer)."))
    return mailing


def sessions_completed(mailing: Mailing) -> bool:
    return all(s.status == SessionStatus.COMPLETED for s in mailing.sessions or [mailing.session])


@atomic
def _start(mailing_id: int, now: datetime) -> tuple[MailingStatus, list[int]]:
    mailing = _lock_mailing(mailing_id)
    if mailing.status == MailingStatus.SENT:
        db.session.commit()
        return mailing.status, []
    rendering.check_text(mailing.subject, mailing.body)
    if mailing.segment.needs_completed_session and not sessions_completed(mailing):
        raise DomainError(
            _l("Rond eerst de sessie af (de aanwezigheden moeten binnen zijn); dan pas weet je wie kwam.")
        )
    people = audience(mailing).recipients
    if mailing.status != MailingStatus.SENDING:
        mailing.status, mailing.started_at, mailing.planned_count = MailingStatus.SENDING, now, len(people)
    done = set(
        db.session.scalars(select(MailingRecipient.email).where(MailingRecipient.mailing_id == mailing.id))
    )
    todo = [r.id for r in people if r.email not in done]
    db.session.commit()
    return MailingStatus.SENDING, todo


@atomic
def _send_batch(mailing_id: int, registration_ids: list[int], now: datetime) -> int:
    mailing = db.session.get(Mailing, mailing_id)
    batch = list(db.session.scalars(select(Registration).where(Registration.id.in_(registration_ids))))
    if mailing.segment.is_news:  # an unsubscribe that came in while the mailing is going out counts
        gone = set(
            db.session.scalars(
                select(Unsubscribe.email).where(Unsubscribe.email.in_([r.email for r in batch]))
            )
        )
        batch = [r for r in batch if r.email not in gone]
    rows, intents = [], []
    for registration in batch:
        key = outbox_key(mailing.id, registration.email)
        rows.append(
            {
                "mailing_id": mailing.id,
                "registration_id": registration.id,
                "email": registration.email,
                "name": registration.full_name,
                "outbox_key": key,
                "created_at": now,
            }
        )
        intents.append(mails.intent(mailing, registration, key))
    if rows:
        db.session.execute(insert_ignoring(MailingRecipient.__table__, "mailing_id", "email"), rows)
        enqueue_many(intents)
    db.session.commit()
    return len(rows)


def _finish(mailing_id: int, now: datetime) -> None:
    mailing = _lock_mailing(mailing_id)
    if mailing.status == MailingStatus.SENDING:
        mailing.status, mailing.sent_at = MailingStatus.SENT, now
    db.session.commit()


def send_mailing(mailing_id: int, *, batch_size: int = BATCH_SIZE, now: datetime | None = None) -> int:
    """Send a mailing now (or resume one that was interrupted); returns how many addresses were
    added this time. The outbox's worker delivers them.

    Raises DomainError for a mailing to attendees or no-shows whose sessions are not completed,
    or with an unknown placeholder. A mailing already sent is left alone (returns 0).
    """
    now = now or utcnow()
    status, todo = _start(mailing_id, now)
    if status == MailingStatus.SENT:
        return 0
    added = 0
    for start in range(0, len(todo), batch_size):
        added += _send_batch(mailing_id, todo[start : start + batch_size], now)
    _finish(mailing_id, utcnow())
    log.info("mailing %s: %s recipients added", mailing_id, added)
    return added


def send_due(now: datetime | None = None) -> list[int]:
    """Send every scheduled mailing whose time has come (those to attendees or no-shows only once
    their sessions are completed) and resume any that was interrupted; returns their ids."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Mailing).where(
            ((Mailing.status == MailingStatus.SCHEDULED) & (Mailing.scheduled_at <= now))
            | ((Mailing.status == MailingStatus.SENDING) & (Mailing.started_at <= now - STALE_SENDING))
        )
    ).all()
    sent = []
    for mailing in due:
        if mailing.segment.needs_completed_session and not sessions_completed(mailing):
            continue
        try:
            send_mailing(mailing.id, now=now)
        except DomainError as error:
            log.warning("mailing %s not sent: %s", mailing.id, error)
            continue
        sent.append(mailing.id)
    return sent
