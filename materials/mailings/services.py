"""Follow-up mailings: who is in a segment, what each person reads, and sending through the outbox.

Sending is resumable and never sends twice. `send_mailing` writes the recipients in batches, each
batch in its own transaction: a MailingRecipient row per address (UNIQUE per mailing) and its
outbox intent (dedup key `mailing:<id>:<address>`), in bulk; nothing is rendered then: the
outbox's worker renders each mail (`mails`, `rendering`). A crash halfway leaves whole batches
behind; running it again skips every address already written. A second click, a rerun of the
worker or two of them at once add nobody twice: both tables ignore a key they already hold.

Who gets what (the news rule): a mailing to attendees is about the session they booked and goes
to every attendee. A mailing to no-shows, the waiting list or those who cancelled invites them to
other dates: that is news about later sessions, which the privacy notice promises only to people
who ticked "news" when registering (Registration.news_opt_in) and never to an unsubscribed
address; such mail carries one-click unsubscribe (RFC 8058). An unsubscribe counts at once, also
for the batches of a mailing that is going out.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.database import atomic, begin_write, insert_ignoring
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.outbox.models import MailStatus, OutboxMessage
from app.outbox.services import enqueue_many
from app.timezone import from_local, local
from materials.mailings import defaults, mails, rendering
from materials.mailings.models import (
    Mailing,
    MailingRecipient,
    MailingStatus,
    Segment,
    Unsubscribe,
)
from registrations.models import ChildcareType, Registration, RegistrationStatus
from sessions import services as sessions
from sessions.models import InfoSession, SessionStatus

log = logging.getLogger(__name__)
S = RegistrationStatus

BATCH_SIZE = 500
# A mailing still "sending" this long after it started was interrupted: the worker resumes it.
STALE_SENDING = timedelta(minutes=10)
# The automatic follow-up goes out the morning after the session, at this hour (Brussels).
FOLLOW_UP_TIME = time(9, 0)
SEGMENT_STATUS = {
    Segment.ATTENDEES: S.ATTENDED,
    Segment.NO_SHOWS: S.NO_SHOW,
    Segment.WAITLISTED: S.WAITLISTED,
    Segment.CANCELLED: S.CANCELLED,
}
EDITABLE = (MailingStatus.DRAFT, MailingStatus.SCHEDULED)


# --------------------------------------------------------------------------- reading


def get_mailing(session_id: int, mailing_id: int) -> Mailing:
    """A mailing of this session; raises NotFound otherwise."""
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is None or mailing.session_id != session_id:
        raise NotFound(_l("Deze mailing bestaat niet (meer)."))
    return mailing


def mailings_of(session_id: int) -> list[Mailing]:
    return list(
        db.session.scalars(
            select(Mailing).where(Mailing.session_id == session_id).order_by(Mailing.id.desc())
        )
    )


def sibling_sessions(session: InfoSession) -> list[InfoSession]:
    """Sessions a mailing of `session` may also cover: the same topic, held or published."""
    return list(
        db.session.scalars(
            select(InfoSession)
            .where(
                InfoSession.topic_id == session.topic_id,
                InfoSession.id != session.id,
                InfoSession.status.in_((SessionStatus.COMPLETED, SessionStatus.PUBLISHED)),
            )
            .order_by(InfoSession.starts_at.desc())
            .limit(30)
        )
    )


@dataclass(frozen=True)
class Audience:
    """A mailing's segment, one registration per address (the latest), and who of them get it."""

    in_segment: list[Registration]
    recipients: list[Registration]
    no_consent: list[Registration]  # news, but they did not ask for news
    unsubscribed: list[Registration]

    @property
    def excluded(self) -> int:
        return len(self.no_consent) + len(self.unsubscribed)


def _segment_query(mailing: Mailing):
    session_ids = [s.id for s in mailing.sessions] or [mailing.session_id]
    query = select(Registration).where(
        Registration.session_id.in_(session_ids),
        Registration.status == SEGMENT_STATUS[mailing.segment],
        # Never mail an address nobody confirmed (a typo, or someone else's), nor erased data.
        Registration.email_confirmed_at.is_not(None),
        Registration.anonymised_at.is_(None),
    )
    if mailing.childcare_type:
        query = query.where(Registration.childcare_type == ChildcareType(mailing.childcare_type))
    if mailing.province:
        query = query.where(Registration.province == mailing.province)
    if mailing.planned_start_from:
        query = query.where(Registration.planned_start >= mailing.planned_start_from)
    if mailing.planned_start_until:
        query = query.where(Registration.planned_start <= mailing.planned_start_until)
    return query.order_by(Registration.id.desc())


def audience(mailing: Mailing) -> Audience:
    """Who is in the segment and who receives the mailing (see the news rule above)."""
    seen: set[str] = set()
    in_segment = []
    for registration in db.session.scalars(_segment_query(mailing)):
        if registration.email not in seen:
            seen.add(registration.email)
            in_segment.append(registration)
    in_segment.sort(key=lambda r: (r.last_name.lower(), r.first_name.lower(), r.id))
    if not mailing.segment.is_news:
        return Audience(in_segment, in_segment, [], [])
    unsubscribed_emails = set(
        db.session.scalars(select(Unsubscribe.email).where(Unsubscribe.email.in_(seen)))
    )
    recipients, no_consent, unsubscribed = [], [], []
    for registration in in_segment:
        if registration.email in unsubscribed_emails:
            unsubscribed.append(registration)
        elif not registration.news_opt_in:
            no_consent.append(registration)
        else:
            recipients.append(registration)
    return Audience(in_segment, recipients, no_consent, unsubscribed)


# --------------------------------------------------------------------------- what a person reads


def _chosen(mailing: Mailing, registration_id: int | None) -> Registration | None:
    people = audience(mailing).in_segment
    return next((r for r in people if r.id == registration_id), people[0]) if people else None


def preview(
    mailing: Mailing, registration_id: int | None = None
) -> tuple[Registration | None, rendering.AddressedMail | None]:
    """The mail as one recipient sees it (the first when none is chosen); (None, None) when the
    segment is empty."""
    chosen = _chosen(mailing, registration_id)
    if chosen is None:
        return None, None
    return chosen, rendering.render(mailing, chosen)


def outbox_key(mailing_id: int, email: str) -> str:
    key = f"mailing:{mailing_id}:{email}"
    if len(key) > 200:
        key = f"mailing:{mailing_id}:sha256:{hashlib.sha256(email.encode()).hexdigest()}"
    return key


# --------------------------------------------------------------------------- writing


@dataclass
class MailingData:
    subject: str
    body: str
    session_ids: list[int]
    childcare_type: str | None = None
    province: str | None = None
    planned_start_from: date | None = None
    planned_start_until: date | None = None


def _require_editable(mailing: Mailing) -> None:
    if mailing.status not in EDITABLE:
        raise DomainError(
            _l("Deze mailing is al verstuurd of wordt nu verstuurd; ze kan niet meer gewijzigd worden.")
        )


@atomic
def create_mailing(session_id: int, segment: Segment | str, by_user: User | None = None) -> Mailing:
    """A draft from the ready-made template of `segment`, for one session. Raises DomainError for
    a draft or cancelled session, NotFound for an unknown one."""
    session = sessions.get_session(session_id)
    if session.status not in (SessionStatus.PUBLISHED, SessionStatus.COMPLETED):
        raise DomainError(_l("Een opvolgmail kan enkel voor een gepubliceerde of afgeronde sessie."))
    segment = Segment(segment)
    subject, body = defaults.TEMPLATES[segment]
    with force_locale(session.language if session.language in ("nl", "en") else "nl"):
        mailing = Mailing(
            session_id=session.id,
            segment=segment,
            subject=str(subject),
            body=str(body),
            created_by_id=by_user.id if by_user else None,
            status=MailingStatus.DRAFT,
            automatic=False,
        )
    mailing.sessions = [session]
    db.session.add(mailing)
    db.session.commit()
    return mailing


@atomic
def update_mailing(mailing: Mailing, data: MailingData) -> Mailing:
    """Change the text, the sessions (of the same topic) and the filters of a draft or scheduled
    mailing. Raises DomainError for unknown placeholders, empty text, a session of another topic,
    or a mailing that is going out."""
    _require_editable(mailing)
    rendering.check_text(data.subject, data.body)
    if (
        data.planned_start_from
        and data.planned_start_until
        and data.planned_start_from > data.planned_start_until
    ):
        raise DomainError(_l("De periode eindigt voor ze begint."), field="planned_start_until")
    ids = set(data.session_ids) | {mailing.session_id}
    chosen = list(db.session.scalars(select(InfoSession).where(InfoSession.id.in_(ids))))
    if any(s.topic_id != mailing.session.topic_id for s in chosen) or len(chosen) != len(ids):
        raise DomainError(
            _l("Een mailing kan enkel sessies van hetzelfde thema samennemen."), field="session_ids"
        )
    if data.childcare_type and data.childcare_type not in {c.value for c in ChildcareType}:
        raise DomainError(_l("Onbekend type opvang."), field="childcare_type")
    mailing.subject, mailing.body = data.subject.strip(), data.body.strip()
    mailing.sessions = chosen
    mailing.childcare_type = data.childcare_type or None
    mailing.province = data.province or None
    mailing.planned_start_from = data.planned_start_from
    mailing.planned_start_until = data.planned_start_until
    db.session.commit()
    return mailing


def default_follow_up_time(mailing: Mailing) -> datetime:
    """The morning after the last of its sessions ends, at FOLLOW_UP_TIME (Brussels)."""
    last_end = max(s.ends_at for s in mailing.sessions or [mailing.session])
    return from_local(local(last_end).date() + timedelta(days=1), FOLLOW_UP_TIME)


@atomic
def schedule_mailing(mailing: Mailing, when: datetime | None = None, now: datetime | None = None) -> Mailing:
    """Send later: at `when`, or — without it — as the automatic follow-up the morning after the
    session. A mailing to attendees or no-shows waits, whatever the time, until every one of its
    sessions is completed (the check-in is in). Raises DomainError for a time in the past."""
    now = now or utcnow()
    _require_editable(mailing)
    rendering.check_text(mailing.subject, mailing.body)
    automatic = when is None
    when = when or default_follow_up_time(mailing)
    if when <= now and not automatic:
        raise DomainError(_l("Kies een moment in de toekomst."), field="scheduled_at")
    mailing.status, mailing.scheduled_at, mailing.automatic = MailingStatus.SCHEDULED, when, automatic
    db.session.commit()
    return mailing


@atomic
def unschedule_mailing(mailing: Mailing) -> Mailing:
    """Back to a draft (nothing was sent yet)."""
    _require_editable(mailing)
    mailing.status, mailing.scheduled_at, mailing.automatic = MailingStatus.DRAFT, None, False
    db.session.commit()
    return mailing


@atomic
def send_test(
    mailing: Mailing, user: User, registration_id: int | None = None, now: datetime | None = None
) -> None:
    """Queue the mail as `registration_id`'s person would get it, to the expert's own address,
    with "[TEST]" before the subject. Raises DomainError when the segment is empty."""
    now = now or utcnow()
    rendering.check_text(mailing.subject, mailing.body)
    chosen = _chosen(mailing, registration_id)
    if chosen is None:
        raise DomainError(_l("Er zit niemand in dit segment: er is niets om te testen."))
    key = f"mailing:{mailing.id}:test:{user.id}:{now:%Y%m%d%H%M%S%f}"
    enqueue_many([mails.test_intent(mailing, chosen, user.email, key)])
    db.session.commit()


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


# --------------------------------------------------------------------------- progress


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
