"""Who a mailing reaches: the mailings of a session, the segment and the news rule, and the mail
as one recipient reads it (the preview)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import NotFound
from app.extensions import db
from materials.mailings import rendering
from materials.mailings.models import (
    Mailing,
    Segment,
    Unsubscribe,
)
from registrations.models import ChildcareType, Registration, RegistrationStatus
from sessions.models import InfoSession, SessionStatus

S = RegistrationStatus

SEGMENT_STATUS = {
    Segment.ATTENDEES: S.ATTENDED,
    Segment.NO_SHOWS: S.NO_SHOW,
    Segment.WAITLISTED: S.WAITLISTED,
    Segment.CANCELLED: S.CANCELLED,
}


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
        if registration.email and registration.email not in seen:  # a companion may have no address
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


def chosen_recipient(mailing: Mailing, registration_id: int | None) -> Registration | None:
    people = audience(mailing).in_segment
    return next((r for r in people if r.id == registration_id), people[0]) if people else None


def preview(
    mailing: Mailing, registration_id: int | None = None
) -> tuple[Registration | None, rendering.AddressedMail | None]:
    """The mail as one recipient sees it (the first when none is chosen); (None, None) when the
    segment is empty."""
    chosen = chosen_recipient(mailing, registration_id)
    if chosen is None:
        return None, None
    return chosen, rendering.render(mailing, chosen)
