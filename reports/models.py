"""What the reports read: counts kept up to date by `reports.aggregates`, never typed by anyone.

Three layers, each derived from the one before and from the live tables:
- `ReportChange`: a log of what changed since the last refresh (a session to recount, a dossier
  to re-measure), written by `reports.tracking` in the transaction of the change itself;
- per session: `ReportSession` (the session as it was counted: month, topic, moment, held or
  not, seats, and its totals) and `ReportSessionCount` (its registrations per province and type
  of childcare, at every step from registration to decision);
- the cubes the pages read: `ReportCube` (those counts summed per month, topic, moment, held,
  province and type) and `ReportCubeSessions` (sessions and seats per month, topic, moment,
  held). Their size is bounded by those dimensions, not by the number of registrations, so a
  report request reads a few hundred to a few thousand small rows whatever the data;
- `ReportDossier`: per dossier, its person's first session and the days to the dossier and to
  the decision (the lead times are medians, which cannot be summed).

An empty string stands for an unknown province in a key (a primary key column cannot be NULL).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import UTCDateTime
from app.extensions import db

#: The counted steps, in the order of the funnel; the columns of `ReportSessionCount` and
#: `ReportCube`. `questions`: registrations that asked a question (cancelled and lapsed ones
#: left out).
COUNTS = (
    "registrations",
    "confirmed",
    "attended",
    "no_shows",
    "waitlisted",
    "never_seated",
    "leads",
    "dossiers",
    "decisions",
    "questions",
)


class Counts:
    registrations: Mapped[int] = mapped_column(default=0)
    confirmed: Mapped[int] = mapped_column(default=0)
    attended: Mapped[int] = mapped_column(default=0)
    no_shows: Mapped[int] = mapped_column(default=0)
    waitlisted: Mapped[int] = mapped_column(default=0)
    never_seated: Mapped[int] = mapped_column(default=0)
    leads: Mapped[int] = mapped_column(default=0)
    dossiers: Mapped[int] = mapped_column(default=0)
    decisions: Mapped[int] = mapped_column(default=0)
    questions: Mapped[int] = mapped_column(default=0)


class ReportChange(db.Model):
    """Something the reports must count again: a session, or a dossier. Rows are only added by
    the changes and removed by the refresh that handled them, so no change is ever lost to a
    refresh that ran while it was being committed."""

    __tablename__ = "report_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None]
    dossier_id: Mapped[int | None]


class ReportSession(db.Model):
    """A session as it was last counted (drafts are never counted)."""

    __tablename__ = "report_sessions"

    session_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[date] = mapped_column(index=True)  # first day of its Brussels month
    topic_id: Mapped[int]
    moment: Mapped[str] = mapped_column(String(10))  # evening, weekend, day
    held: Mapped[bool]  # completed: attendance was taken
    capacity: Mapped[int]
    attended: Mapped[int] = mapped_column(default=0)
    no_shows: Mapped[int] = mapped_column(default=0)
    questions: Mapped[int] = mapped_column(default=0)


class ReportSessionCount(Counts, db.Model):
    __tablename__ = "report_session_counts"

    session_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    province: Mapped[str] = mapped_column(String(30), primary_key=True)
    childcare_type: Mapped[str] = mapped_column(String(30), primary_key=True)


class ReportCube(Counts, db.Model):
    __tablename__ = "report_cube"

    month: Mapped[date] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    moment: Mapped[str] = mapped_column(String(10), primary_key=True)
    held: Mapped[bool] = mapped_column(primary_key=True)
    province: Mapped[str] = mapped_column(String(30), primary_key=True)
    childcare_type: Mapped[str] = mapped_column(String(30), primary_key=True)


class ReportCubeSessions(db.Model):
    __tablename__ = "report_cube_sessions"

    month: Mapped[date] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    moment: Mapped[str] = mapped_column(String(10), primary_key=True)
    held: Mapped[bool] = mapped_column(primary_key=True)
    sessions: Mapped[int] = mapped_column(default=0)
    capacity: Mapped[int] = mapped_column(default=0)


class ReportDossier(db.Model):
    """A dossier whose person attended a session: the first such session, and the lead times."""

    __tablename__ = "report_dossiers"

    dossier_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[date] = mapped_column(index=True)  # of the first attended session
    topic_id: Mapped[int]
    province: Mapped[str] = mapped_column(String(30))
    days_to_dossier: Mapped[int]
    days_to_decision: Mapped[int | None]


class ReportState(db.Model):
    """One row: when the aggregates were last built from scratch and last brought up to date,
    and their version (one up at every refresh that changed something: what a cached report
    page is keyed by). Its absence means they were never built; the refresh locks it, so
    refreshes take turns."""

    __tablename__ = "report_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
