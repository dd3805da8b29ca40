"""An expert's home page: their own sessions' figures beside the whole team's.

Over the completed sessions of the last twelve months (this month included): how many sessions,
the attendance rate, the no-shows and the questions people sent in with their registration,
as totals and per session (a team holds many more sessions than one expert, so only the rates
and the figures per session compare). Read from the report aggregates: the expert's own
sessions (one row each) and the team's cube, never the registrations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.timezone import local
from reports import aggregates
from reports.models import ReportCube, ReportCubeSessions, ReportSession
from sessions.models import session_presenters

MONTHS = 12


@dataclass(frozen=True)
class Figures:
    sessions: int
    attended: int
    no_shows: int
    questions: int

    @property
    def attendance(self) -> float | None:
        """Attended per 100 confirmed people who were expected at the door."""
        expected = self.attended + self.no_shows
        return round(100 * self.attended / expected, 1) if expected else None

    def per_session(self, value: int) -> float | None:
        return round(value / self.sessions, 1) if self.sessions else None


@dataclass(frozen=True)
class Widget:
    title: str
    mine: Figures
    team: Figures
    start: date
    end: date
    template: str = "reports/_dashboard_figures.html"


def _period(today: date | None = None) -> tuple[date, date]:
    this_month = (today or local(utcnow()).date()).replace(day=1)
    return this_month - relativedelta(months=MONTHS - 1), this_month


def figures(user, today: date | None = None) -> tuple[Figures, Figures, date, date]:
    """(the user's own figures, the team's, first month, last month); brings the aggregates up
    to date first."""
    aggregates.refresh()
    start, end = _period(today)
    mine = db.session.execute(
        select(
            func.count(),
            func.sum(ReportSession.attended),
            func.sum(ReportSession.no_shows),
            func.sum(ReportSession.questions),
        )
        .join(session_presenters, session_presenters.c.session_id == ReportSession.session_id)
        .where(
            session_presenters.c.user_id == user.id,
            ReportSession.held.is_(True),
            ReportSession.month.between(start, end),
        )
    ).one()
    sums = [func.sum(getattr(ReportCube, name)) for name in ("attended", "no_shows", "questions")]
    team = db.session.execute(
        select(*sums).where(ReportCube.held.is_(True), ReportCube.month.between(start, end))
    ).one()
    team_sessions = db.session.scalar(
        select(func.sum(ReportCubeSessions.sessions)).where(
            ReportCubeSessions.held.is_(True), ReportCubeSessions.month.between(start, end)
        )
    )
    return (
        Figures(*(int(v or 0) for v in mine)),
        Figures(int(team_sessions or 0), *(int(v or 0) for v in team)),
        start,
        end,
    )


def figures_widget(user) -> Widget | None:
    """For experts (a new one sees the team's figures), and for admins who present sessions."""
    if user.role is Role.ADMIN:
        if not db.session.scalar(select(exists().where(session_presenters.c.user_id == user.id))):
            return None
    elif user.role is not Role.EXPERT:
        return None
    mine, team, start, end = figures(user)
    return Widget(_("Mijn sessies in cijfers"), mine, team, start, end)
