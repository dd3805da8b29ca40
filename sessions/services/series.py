"""Series of sessions: "every second Tuesday at 19:30 from January to June", previewed with the
public holidays and conflicts marked as skipped, then created (and published) together."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.database import atomic, begin_write
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.geo import holiday_name
from app.timezone import from_local, local
from sessions.models import InfoSession, SessionStatus
from sessions.services.planning import (
    SessionData,
    copy_onto,
    require_publishable,
    transition,
    validate_session,
)


@dataclass
class SeriesRule:
    """ "Every second Tuesday at 19:30 from January to June" or "the first Saturday at 09:30"."""

    pattern: str  # "weekly" | "monthly"
    weekday: int  # 0 = Monday
    at: time
    first_day: date
    last_day: date
    interval: int = 1  # weekly: every N weeks
    nth: int = 1  # monthly: 1..4, or -1 for the last


@dataclass
class PlannedDate:
    starts_at: datetime
    ends_at: datetime
    skipped: str | None = None  # the reason it will not be created
    holiday: str | None = None


def series_dates(rule: SeriesRule, duration: timedelta) -> list[tuple[datetime, datetime]]:
    if rule.last_day < rule.first_day:
        raise DomainError(_l("De einddatum moet na de begindatum liggen."), field="last_day")
    if rule.last_day - rule.first_day > timedelta(days=366):
        raise DomainError(_l("Een reeks loopt hoogstens één jaar."), field="last_day")
    start = datetime.combine(rule.first_day, time.min)
    until = datetime.combine(rule.last_day, time.max)
    if rule.pattern == "weekly":
        days = rrule(
            WEEKLY, interval=max(rule.interval, 1), byweekday=rule.weekday, dtstart=start, until=until
        )
    elif rule.pattern == "monthly":
        days = rrule(MONTHLY, byweekday=weekday(rule.weekday, rule.nth), dtstart=start, until=until)
    else:
        raise DomainError(_l("Kies een herhaling."), field="pattern")
    result = []
    for day in days:
        starts_at = from_local(day.date(), rule.at)
        result.append((starts_at, starts_at + duration))
    return result


def plan_series(template: SessionData, rule: SeriesRule) -> list[PlannedDate]:
    """Preview a series: every date, with public holidays and rule conflicts marked as skipped.

    Nothing is written. The expert sees what will be skipped before confirming.
    """
    duration = template.ends_at - template.starts_at
    planned = []
    for starts_at, ends_at in series_dates(rule, duration):
        holiday = holiday_name(local(starts_at).date())
        item = PlannedDate(starts_at, ends_at, holiday=holiday)
        if holiday:
            item.skipped = str(_l("feestdag: %(name)s", name=holiday))
        elif starts_at <= utcnow():
            item.skipped = str(_l("in het verleden"))
        else:
            try:
                validate_session(replace(template, starts_at=starts_at, ends_at=ends_at, allow_holiday=True))
            except DomainError as error:
                item.skipped = str(error)
        planned.append(item)
    if not any(item.skipped is None for item in planned):
        raise DomainError(_l("Deze reeks levert geen enkele bruikbare datum op."), field="first_day")
    return planned


@atomic
def create_series(
    template: SessionData, rule: SeriesRule, created_by: User | None = None
) -> list[InfoSession]:
    """Create the drafts of a series, skipping what plan_series marks as skipped, in one
    transaction; the conflicts are read under the write lock."""
    begin_write()
    series_id = uuid.uuid4().hex
    created = []
    for item in plan_series(template, rule):
        if item.skipped:
            continue
        data = replace(template, starts_at=item.starts_at, ends_at=item.ends_at, allow_holiday=True)
        validate_session(data)  # earlier drafts of this series now count for conflicts
        session = InfoSession(
            status=SessionStatus.DRAFT,
            series_id=series_id,
            created_by_id=created_by.id if created_by else None,
        )
        copy_onto(session, data)
        db.session.add(session)
        db.session.flush()
        created.append(session)
    db.session.commit()
    return created


@atomic
def publish_series(series_id: str) -> list[InfoSession]:
    """Publish the drafts of a series, read under their locks. Raises DomainError when one of
    them lacks its venue or meeting link (then none is published)."""
    begin_write()
    sessions = db.session.scalars(
        select(InfoSession)
        .where(InfoSession.series_id == series_id, InfoSession.status == SessionStatus.DRAFT)
        .order_by(InfoSession.starts_at, InfoSession.id)
        .with_for_update(of=InfoSession)
        .execution_options(populate_existing=True)
    ).all()
    for session in sessions:
        require_publishable(session.format, session.venue_id, session.meeting_url)
        transition(session, SessionStatus.PUBLISHED)
        session.published_at = utcnow()
    db.session.commit()
    return list(sessions)
