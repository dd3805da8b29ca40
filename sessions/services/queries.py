"""Reading sessions for staff: one by its id, the planning lists, a presenter's own sessions and
the people who can present."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.db import utcnow
from app.errors import NotFound
from app.extensions import db
from sessions.models import InfoSession, SessionStatus, session_presenters

# A presenter's own calendar keeps sessions that ended this recently, so last weeks' stay visible.
PRESENTER_PAST = timedelta(days=90)


def get_session(session_id: int) -> InfoSession:
    session = db.session.get(InfoSession, session_id)
    if session is None:
        raise NotFound(_l("Deze infosessie bestaat niet."))
    return session


def list_staff_sessions(
    *, presenter: User | None = None, status: SessionStatus | None = None, upcoming: bool = True
) -> list[InfoSession]:
    query = select(InfoSession).options(selectinload(InfoSession.presenters))
    if presenter is not None:
        query = query.where(InfoSession.presenters.any(User.id == presenter.id))
    if status is not None:
        query = query.where(InfoSession.status == status)
    if upcoming:
        query = query.where(InfoSession.not_ended_by(utcnow())).order_by(InfoSession.starts_at)
    else:
        query = query.where(InfoSession.ends_at <= utcnow()).order_by(InfoSession.starts_at.desc())
    return list(db.session.scalars(query.limit(500)))


def presenter_sessions(user: User, now: datetime | None = None) -> list[InfoSession]:
    """Every session the user presents that was ever published and ended at most 90 days ago,
    cancelled ones included; topic and venue come in the same query."""
    since = (now or utcnow()) - PRESENTER_PAST
    query = (
        select(InfoSession)
        .join(session_presenters, session_presenters.c.session_id == InfoSession.id)
        .where(
            session_presenters.c.user_id == user.id,
            InfoSession.status != SessionStatus.DRAFT,
            InfoSession.published_at.is_not(None),
            InfoSession.ends_at > since,
        )
        .order_by(InfoSession.starts_at, InfoSession.id)
    )
    return list(db.session.scalars(query))


def list_presenters() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.active, User.role.in_((Role.EXPERT, Role.ADMIN))).order_by(User.name)
        )
    )
