"""An expert's home page: their next sessions, with seats, waiting list and questions in."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession, SessionStatus, session_presenters

S = RegistrationStatus
NEXT_SESSIONS = 6
# Whose questions a presenter prepares for: everyone who may still come.
EXPECTED = (S.PENDING, S.CONFIRMED, S.WAITLISTED)


@dataclass(frozen=True)
class NextSession:
    session: InfoSession
    questions: int


@dataclass(frozen=True)
class Widget:
    title: str
    sessions: list[NextSession]
    template: str = "registrations/_dashboard_next.html"


def next_sessions(user, limit: int = NEXT_SESSIONS) -> list[NextSession]:
    """The user's next published sessions with the number of questions sent in: two queries."""
    sessions = list(
        db.session.scalars(
            select(InfoSession)
            .join(session_presenters, session_presenters.c.session_id == InfoSession.id)
            .where(
                session_presenters.c.user_id == user.id,
                InfoSession.status == SessionStatus.PUBLISHED,
                InfoSession.not_ended_by(utcnow()),
            )
            .order_by(InfoSession.starts_at, InfoSession.id)
            .limit(limit)
        )
    )
    counts = dict(
        db.session.execute(
            select(Registration.session_id, func.count())
            .where(
                Registration.session_id.in_([s.id for s in sessions]),
                Registration.status.in_(EXPECTED),
                Registration.questions != "",
            )
            .group_by(Registration.session_id)
        ).all()
    )
    return [NextSession(session, counts.get(session.id, 0)) for session in sessions]


def next_sessions_widget(user) -> Widget | None:
    """For experts and admins who present: what is coming up and how full it is."""
    if user.role not in (Role.EXPERT, Role.ADMIN):
        return None
    found = next_sessions(user)
    if not found and user.role is Role.ADMIN:
        return None  # an admin who does not present sees the other widgets only
    return Widget(_("Mijn volgende sessies"), found)
