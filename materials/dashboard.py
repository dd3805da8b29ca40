"""An expert's to-do list on their home page: check-ins to close, follow-ups to send, decks to
review. Three queries over the sessions they present, whatever the size of the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from materials.decks.models import FinalDeck
from materials.mailings.models import Mailing, MailingStatus, mailing_sessions
from sessions.models import InfoSession, SessionStatus, session_presenters

DECK_REVIEW_AHEAD = timedelta(days=7)  # a deck is looked at in the week before the session
FOLLOW_UP_WITHIN = timedelta(days=14)  # after that, a thank-you comes too late
LIMIT = 10


@dataclass(frozen=True)
class Widget:
    title: str
    checkins: list[InfoSession] = field(default_factory=list)
    follow_ups: list[InfoSession] = field(default_factory=list)
    decks: list[InfoSession] = field(default_factory=list)
    template: str = "materials/_dashboard_todo.html"

    @property
    def empty(self) -> bool:
        return not (self.checkins or self.follow_ups or self.decks)


def _presented_by(user):
    return (
        select(InfoSession)
        .join(session_presenters, session_presenters.c.session_id == InfoSession.id)
        .where(session_presenters.c.user_id == user.id)
        .order_by(InfoSession.starts_at)
        .limit(LIMIT)
    )


def todo(user, now=None) -> Widget:
    now = now or utcnow()
    # Held but not completed: the check-in is still open, nobody is a no-show yet.
    checkins = db.session.scalars(
        _presented_by(user).where(InfoSession.status == SessionStatus.PUBLISHED, InfoSession.ends_at <= now)
    ).all()
    # Completed recently and no follow-up sent or planned for it.
    followed = exists(
        select(mailing_sessions.c.session_id)
        .join(Mailing, Mailing.id == mailing_sessions.c.mailing_id)
        .where(mailing_sessions.c.session_id == InfoSession.id, Mailing.status != MailingStatus.DRAFT)
    )
    follow_ups = db.session.scalars(
        _presented_by(user).where(
            InfoSession.status == SessionStatus.COMPLETED,
            InfoSession.ends_at > now - FOLLOW_UP_WITHIN,
            ~followed,
        )
    ).all()
    # Coming up this week with only the generated deck.
    reviewed = exists(select(FinalDeck.id).where(FinalDeck.session_id == InfoSession.id))
    decks = db.session.scalars(
        _presented_by(user).where(
            InfoSession.status == SessionStatus.PUBLISHED,
            InfoSession.starts_at > now,
            InfoSession.starts_at <= now + DECK_REVIEW_AHEAD,
            ~reviewed,
        )
    ).all()
    return Widget(_("Te doen"), list(checkins), list(follow_ups), list(decks))


def todo_widget(user) -> Widget | None:
    """For experts and admins who present; nothing when there is nothing to do."""
    if user.role not in (Role.EXPERT, Role.ADMIN):
        return None
    found = todo(user)
    return None if found.empty else found
