"""Writing a mailing: a draft from the ready-made text, its text and filters, scheduling it, and
the test mail an expert sends to themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.database import atomic
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.outbox.services import enqueue_many
from app.timezone import from_local, local
from materials.mailings import defaults, mails, rendering
from materials.mailings.models import (
    Mailing,
    MailingStatus,
    Segment,
)
from materials.mailings.services.audience import chosen_recipient
from registrations.models import ChildcareType
from sessions import services as sessions
from sessions.models import InfoSession, SessionStatus

EDITABLE = (MailingStatus.DRAFT, MailingStatus.SCHEDULED)
# The automatic follow-up goes out the morning after the session, at this hour (Brussels).
FOLLOW_UP_TIME = time(9, 0)


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
    chosen = chosen_recipient(mailing, registration_id)
    if chosen is None:
        raise DomainError(_l("Er zit niemand in dit segment: er is niets om te testen."))
    key = f"mailing:{mailing.id}:test:{user.id}:{now:%Y%m%d%H%M%S%f}"
    enqueue_many([mails.test_intent(mailing, chosen, user.email, key)])
    db.session.commit()
