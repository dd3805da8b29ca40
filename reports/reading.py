"""What a report request reads: the filters from the query string, and the aggregates
(`reports.models`) summed as the reports need them, each read once per request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.db import utcnow
from app.extensions import db
from app.geo import PROVINCES
from app.parsing import InvalidValue, parse_month
from app.timezone import local
from reports import aggregates
from reports.models import ReportCube, ReportCubeSessions, ReportDossier
from sessions.models import Topic

MAX_MONTHS = 36
#: The funnel's steps, as counted in the cube (reports.models.COUNTS), in the funnel's order.
FUNNEL = ("registrations", "confirmed", "attended", "leads", "dossiers", "decisions")


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    start: date  # first day of the first month
    end: date  # first day of the last month
    province: str | None = None
    topic: str | None = None  # slug

    @classmethod
    def from_args(cls, args, today: date | None = None) -> tuple[Filters, list[str]]:
        """Filters from a query string, and what was wrong with it (then the default is used)."""
        today = today or local(utcnow()).date()
        this_month = today.replace(day=1)
        problems: list[str] = []

        def month(name: str, default: date) -> date:
            value = (args.get(name) or "").strip()
            if not value:
                return default
            try:
                return parse_month(value)
            except InvalidValue as error:
                problems.append(str(error))
                return default

        start = month("van", this_month - relativedelta(months=11))
        end = month("tot", this_month)
        if start > end:
            problems.append(str(_l("De periode begint na haar einde; we tonen de laatste twaalf maanden.")))
            start, end = this_month - relativedelta(months=11), this_month
        if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            problems.append(str(_l("Een periode is hoogstens %(n)s maanden lang.", n=MAX_MONTHS)))
            start = end - relativedelta(months=MAX_MONTHS - 1)
        province = args.get("provincie") or None
        if province and province not in PROVINCES:
            problems.append(str(_l("Onbekende provincie.")))
            province = None
        return cls(start, end, province, (args.get("thema") or "").strip() or None), problems

    @property
    def months(self) -> list[date]:
        months, current = [], self.start
        while current <= self.end:
            months.append(current)
            current += relativedelta(months=1)
        return months

    def args(self) -> dict[str, str]:
        values = {"van": f"{self.start:%Y-%m}", "tot": f"{self.end:%Y-%m}"}
        if self.province:
            values["provincie"] = self.province
        if self.topic:
            values["thema"] = self.topic
        return values


class Reader:
    """The aggregates one request needs, each read once (the page shows several reports from
    one query). Brings the aggregates up to date first."""

    def __init__(self, filters: Filters) -> None:
        aggregates.refresh()
        self.filters = filters
        if filters.topic is None:
            self.topic_id = None
        else:
            self.topic_id = db.session.scalar(select(Topic.id).where(Topic.slug == filters.topic)) or -1

    def _where(self, model, *, province: bool = True) -> list:
        conditions = [model.month >= self.filters.start, model.month <= self.filters.end]
        if self.topic_id is not None:
            conditions.append(model.topic_id == self.topic_id)
        if province and self.filters.province:
            conditions.append(model.province == self.filters.province)
        return conditions

    def sums(self, group: Sequence[str], names: Sequence[str]) -> list[tuple]:
        """The cube's counts `names` summed per `group` (columns of ReportCube)."""
        columns = [getattr(ReportCube, name) for name in group]
        query = (
            select(*columns, *[func.sum(getattr(ReportCube, name)) for name in names])
            .where(*self._where(ReportCube))
            .group_by(*columns)
        )
        return [
            (*row[: len(group)], *(int(v or 0) for v in row[len(group) :]))
            for row in db.session.execute(query)
        ]

    def sessions(self, group: str) -> dict[object, tuple[int, int]]:
        """Sessions and seats per `group` (not narrowed by province: a session has no province
        of its registrants)."""
        column = getattr(ReportCubeSessions, group)
        query = (
            select(column, func.sum(ReportCubeSessions.sessions), func.sum(ReportCubeSessions.capacity))
            .where(*self._where(ReportCubeSessions, province=False))
            .group_by(column)
            .having(func.sum(ReportCubeSessions.sessions) > 0)
        )
        return {key: (int(n), int(c or 0)) for key, n, c in db.session.execute(query)}

    @cached_property
    def funnel(self) -> list[tuple]:
        return self.sums(("month", "province", "childcare_type"), FUNNEL)

    @cached_property
    def per_topic(self) -> list[tuple]:
        return self.sums(("topic_id", "held"), ("attended", "no_shows", "waitlisted", "never_seated"))

    @cached_property
    def topics(self) -> dict[int, tuple[int, int]]:
        return self.sessions("topic_id")

    def topic_titles(self, ids) -> dict[int, str]:
        ids = sorted(set(ids))
        query = select(Topic.id, Topic.title).where(Topic.id.in_(ids))
        return {topic_id: title for topic_id, title in db.session.execute(query)} if ids else {}

    def histogram(self, column) -> list[tuple[int, int]]:
        query = (
            select(column, func.count())
            .where(*self._where(ReportDossier), column.is_not(None))
            .group_by(column)
            .order_by(column)
        )
        return [(int(value), int(n)) for value, n in db.session.execute(query)]
