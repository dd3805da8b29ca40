"""The reports: from registration to decision, when people come, where to plan more sessions.

Every report is a `Table` (columns, rows, and the chart that draws it) computed with a fixed
number of queries, whatever the size of the data: counts are made by the database, grouped by
session, and only then sorted into months, provinces or types here (a month is a Brussels
month, which SQL cannot tell portably).

Definitions, one place for each:
- a report's registrations are those of the sessions that start in the period (drafts left out),
  narrowed by the registrant's province (of the planned location) and the session's topic;
- *confirmed*: the person had a confirmed seat at some point (`confirmed_at` is set);
- *attended* / *no-show*: the registration's status after the session's check-in;
- *lead*: the registration belongs to a lead; *dossier*: that lead was turned into a dossier;
  *decision*: that dossier reached the decision (or went further than it);
- attendance rate = attended / (attended + no-shows), over completed sessions only;
- waiting-list pressure = people who were ever on a session's waiting list per 100 seats.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from app.audit import AuditEntry
from app.db import utcnow
from app.extensions import db
from app.geo import PROVINCES
from app.i18n import month_name
from app.parsing import InvalidValue, parse_month
from app.tabular import Column
from app.timezone import from_local, local
from dossiers.leads.models import LeadRegistration
from dossiers.models import Dossier, DossierState
from dossiers.services.dossiers import ENTITY as DOSSIER_ENTITY
from registrations import labels
from registrations.models import ChildcareType, Registration, RegistrationStatus
from reports.charts import Series, bar_chart
from sessions.models import InfoSession, SessionStatus, Topic

S = RegistrationStatus
DECIDED = (DossierState.DECISION, DossierState.FOLLOW_UP, DossierState.CLOSED)
MAX_MONTHS = 36


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

    def sessions(self):
        """The sessions in the period (by their start, Brussels time) with the topic filter."""
        starts = from_local(self.start, datetime.min.time())
        ends = from_local(self.end + relativedelta(months=1), datetime.min.time())
        conditions = [
            InfoSession.starts_at >= starts,
            InfoSession.starts_at < ends,
            InfoSession.status != SessionStatus.DRAFT,
        ]
        if self.topic:
            conditions.append(
                InfoSession.topic_id == select(Topic.id).where(Topic.slug == self.topic).scalar_subquery()
            )
        return and_(*conditions)

    def registrations(self):
        return (
            and_(self.sessions(), Registration.province == self.province)
            if self.province
            else self.sessions()
        )


# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list[object]]
    chart: object = None  # Markup: the SVG
    note: str = ""
    empty: bool = field(default=False)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --------------------------------------------------------------------------- the funnel

STAGES = (
    ("registrations", _l("Inschrijvingen")),
    ("confirmed", _l("Bevestigd")),
    ("attended", _l("Aanwezig")),
    ("leads", _l("Lead")),
    ("dossiers", _l("Dossier")),
    ("decisions", _l("Beslissing")),
)


def funnel_counts(filters: Filters) -> list[tuple]:
    """(session start, province, type of childcare, counts per stage…) per session, province and
    type: one query for the three funnels. Joins rather than a subquery per registration: a lead
    holds a registration at most once, and dossiers are counted per lead beforehand."""
    per_lead = (
        select(
            Dossier.lead_id.label("lead_id"),
            func.count().label("dossiers"),
            func.sum(case((Dossier.state.in_(DECIDED), 1), else_=0)).label("decided"),
        )
        .where(Dossier.lead_id.is_not(None))
        .group_by(Dossier.lead_id)
        .subquery()
    )

    def count_if(condition):
        return func.sum(case((condition, 1), else_=0))

    query = (
        select(
            InfoSession.starts_at,
            Registration.province,
            Registration.childcare_type,
            func.count(Registration.id),
            count_if(Registration.confirmed_at.is_not(None)),
            count_if(Registration.status == S.ATTENDED),
            func.count(LeadRegistration.id),
            count_if(per_lead.c.dossiers > 0),
            count_if(per_lead.c.decided > 0),
        )
        .select_from(Registration)
        .join(InfoSession, InfoSession.id == Registration.session_id)
        .outerjoin(LeadRegistration, LeadRegistration.registration_id == Registration.id)
        .outerjoin(per_lead, per_lead.c.lead_id == LeadRegistration.lead_id)
        .where(filters.registrations())
        .group_by(InfoSession.id, InfoSession.starts_at, Registration.province, Registration.childcare_type)
    )
    return db_rows(query)


def db_rows(query) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(query).all()]


def _province_label(code: str | None) -> str:
    return str(PROVINCES[code]) if code in PROVINCES else str(_l("onbekend"))


def funnel(filters: Filters, by: str, counts: list[tuple] | None = None) -> Table:
    """The funnel per month (of the session), per province or per type of childcare.

    `counts`: `funnel_counts(filters)` when the caller already has them (the reports page
    shows the three funnels from one query)."""
    # Rows are summed under a cheap key first and named at the end: naming (Babel's month
    # names, lazy labels) per row was most of the page's time at a few thousand rows.
    if by == "month":
        months = filters.months
        order = [month_name(m) for m in months]
        name_of = dict(zip(((m.year, m.month) for m in months), order, strict=True))

        def key(starts_at, _province, _kind):
            moment = local(starts_at)
            return moment.year, moment.month

        def name(value) -> str:
            return name_of.get(value) or month_name(date(*value, 1))

        title, first = _l("Van inschrijving tot beslissing, per maand"), _l("Maand")
    elif by == "province":
        order = [str(p) for p in PROVINCES.values()]

        def key(_starts_at, province, _kind):
            return province

        name = _province_label
        title, first = _l("Van inschrijving tot beslissing, per provincie"), _l("Provincie")
    else:
        order = [labels.label(labels.CHILDCARE_TYPES, t) for t in ChildcareType]

        def key(_starts_at, _province, kind):
            return kind

        def name(value) -> str:
            return labels.label(labels.CHILDCARE_TYPES, value)

        title, first = _l("Van inschrijving tot beslissing, per type opvang"), _l("Type opvang")
    summed: dict[object, list[int]] = defaultdict(lambda: [0] * len(STAGES))
    for starts_at, province, kind, *stages in funnel_counts(filters) if counts is None else counts:
        bucket = summed[key(starts_at, province, kind)]
        for index, count in enumerate(stages):
            bucket[index] += int(count or 0)
    totals: dict[str, list[int]] = defaultdict(lambda: [0] * len(STAGES))
    for value, stages in summed.items():
        bucket = totals[name(value)]
        for index, count in enumerate(stages):
            bucket[index] += count
    shown = [label for label in order if label in totals] + sorted(set(totals) - set(order))
    if by == "month":
        shown = order  # every month of the period, also the empty ones
    rows = [[label, *totals[label]] for label in shown]
    columns = [Column(first, width=24)] + [Column(label, width=14) for _, label in STAGES]
    chart = bar_chart(
        f"trechter-{by}",
        str(title),
        [str(label) for _, label in STAGES],
        [Series(str(_l("Totaal")), [sum(row[i + 1] for row in rows) for i in range(len(STAGES))])],
        summary=str(_l("Aantal inschrijvingen per stap, over de hele periode.")),
    )
    return Table(f"trechter-{by}", str(title), columns, rows, chart, empty=not any(sum(r[1:]) for r in rows))


# --------------------------------------------------------------------------- evening and weekend


def moments(filters: Filters) -> Table:
    """How many sessions are evening, weekend or daytime slots, and who shows up."""
    moment = case(
        (InfoSession.is_weekend, "weekend"),
        (InfoSession.is_evening, "evening"),
        else_="day",
    )
    completed = InfoSession.status == SessionStatus.COMPLETED
    attended = func.sum(case((and_(completed, Registration.status == S.ATTENDED), 1), else_=0))
    no_show = func.sum(case((and_(completed, Registration.status == S.NO_SHOW), 1), else_=0))
    per_moment = db_rows(
        select(moment, func.count(func.distinct(InfoSession.id)), attended, no_show)
        .select_from(InfoSession)
        .outerjoin(
            Registration,
            and_(Registration.session_id == InfoSession.id, Registration.province == filters.province)
            if filters.province
            else Registration.session_id == InfoSession.id,
        )
        .where(filters.sessions())
        .group_by(moment)
    )
    found = {key: (int(n), int(a or 0), int(ns or 0)) for key, n, a, ns in per_moment}
    total_sessions = sum(n for n, _, _ in found.values())
    names = {"evening": _l("Avond (vanaf 18 uur)"), "weekend": _l("Weekend"), "day": _l("Overdag, weekdag")}
    rows = []
    for key, name in names.items():
        sessions_count, came, missed = found.get(key, (0, 0, 0))
        rows.append(
            [
                str(name),
                sessions_count,
                _pct(sessions_count, total_sessions),
                came,
                missed,
                _pct(came, came + missed),
            ]
        )
    columns = [
        Column(_l("Moment"), width=24),
        Column(_l("Sessies"), width=10),
        Column(_l("Aandeel sessies (%)"), "0.0", width=14),
        Column(_l("Aanwezig"), width=10),
        Column(_l("Niet gekomen"), width=12),
        Column(_l("Aanwezigheid (%)"), "0.0", width=14),
    ]
    title = str(_l("Avond- en weekendsessies tegenover overdag"))
    chart = bar_chart(
        "momenten",
        title,
        [row[0] for row in rows],
        [
            Series(str(_l("Aandeel sessies")), [row[2] for row in rows]),
            Series(str(_l("Aanwezigheid")), [row[5] for row in rows]),
        ],
        percent=True,
        summary=str(_l("Aandeel van de sessies en aanwezigheid per moment, in procent.")),
    )
    return Table("momenten", title, columns, rows, chart, empty=total_sessions == 0)


# --------------------------------------------------------------------------- per topic


def _per_topic(filters: Filters, *measures) -> list[tuple]:
    return db_rows(
        select(Topic.title, *measures)
        .select_from(InfoSession)
        .join(Topic, Topic.id == InfoSession.topic_id)
        .outerjoin(
            Registration,
            and_(Registration.session_id == InfoSession.id, Registration.province == filters.province)
            if filters.province
            else Registration.session_id == InfoSession.id,
        )
        .where(filters.sessions())
        .group_by(Topic.id, Topic.title)
        .order_by(Topic.title)
    )


def no_shows(filters: Filters) -> Table:
    """Who registered, confirmed and did not come, per topic (completed sessions)."""
    completed = InfoSession.status == SessionStatus.COMPLETED
    rows = []
    for title, came, missed in _per_topic(
        filters,
        func.sum(case((and_(completed, Registration.status == S.ATTENDED), 1), else_=0)),
        func.sum(case((and_(completed, Registration.status == S.NO_SHOW), 1), else_=0)),
    ):
        came, missed = int(came or 0), int(missed or 0)
        rows.append([title, came, missed, _pct(missed, came + missed)])
    columns = [
        Column(_l("Thema"), width=40),
        Column(_l("Aanwezig"), width=10),
        Column(_l("Niet gekomen"), width=12),
        Column(_l("Niet gekomen (%)"), "0.0", width=14),
    ]
    title = str(_l("Niet gekomen, per thema"))
    chart = bar_chart(
        "niet-gekomen",
        title,
        [row[0] for row in rows],
        [Series(str(_l("Niet gekomen")), [row[3] for row in rows])],
        percent=True,
        summary=str(_l("Deel van de bevestigde deelnemers dat niet kwam, per thema, in procent.")),
    )
    return Table("niet-gekomen", title, columns, rows, chart, empty=not any(r[1] + r[2] for r in rows))


def waitlist_pressure(filters: Filters) -> Table:
    """Where people wait for a seat: the topics that need more sessions."""
    capacity = (
        select(Topic.title, func.count(InfoSession.id), func.sum(InfoSession.capacity))
        .join(Topic, Topic.id == InfoSession.topic_id)
        .where(filters.sessions())
        .group_by(Topic.id, Topic.title)
    )
    seats = {title: (int(n), int(c or 0)) for title, n, c in db_rows(capacity)}
    waited = Registration.waitlisted_at.is_not(None)
    counts = {
        title: (int(w or 0), int(never or 0))
        for title, w, never in _per_topic(
            filters,
            func.sum(case((waited, 1), else_=0)),
            func.sum(case((and_(waited, Registration.confirmed_at.is_(None)), 1), else_=0)),
        )
    }
    rows = []
    for title in sorted(seats):
        sessions_count, seat_count = seats[title]
        ever, never = counts.get(title, (0, 0))
        rows.append([title, sessions_count, seat_count, ever, never, _pct(ever, seat_count)])
    rows.sort(key=lambda row: -(row[5] or 0))
    columns = [
        Column(_l("Thema"), width=40),
        Column(_l("Sessies"), width=10),
        Column(_l("Plaatsen"), width=10),
        Column(_l("Op een wachtlijst"), width=14),
        Column(_l("Nooit een plaats gekregen"), width=16),
        Column(_l("Wachtenden per 100 plaatsen"), "0.0", width=16),
    ]
    title = str(_l("Druk op de wachtlijsten, per thema"))
    chart = bar_chart(
        "wachtlijsten",
        title,
        [row[0] for row in rows],
        [Series(str(_l("Wachtenden per 100 plaatsen")), [row[5] for row in rows])],
        summary=str(
            _l(
                "Hoeveel mensen op een wachtlijst stonden per 100 plaatsen: "
                "hoe hoger, hoe meer sessies nodig."
            )
        ),
    )
    return Table("wachtlijsten", title, columns, rows, chart, empty=not rows)


# --------------------------------------------------------------------------- lead times


def lead_times(filters: Filters) -> Table:
    """Median days from a person's first session to their dossier, and from dossier to decision.

    Dossiers count when their first session lies in the period (and matches the filters); the
    moment of the decision is read from the audit trail, where every change of state is kept."""
    first_session = (
        select(Dossier.id, Dossier.created_at, func.min(InfoSession.starts_at))
        .join(LeadRegistration, LeadRegistration.lead_id == Dossier.lead_id)
        .join(Registration, Registration.id == LeadRegistration.registration_id)
        .join(InfoSession, InfoSession.id == Registration.session_id)
        .where(filters.registrations(), Registration.status == S.ATTENDED)
        .group_by(Dossier.id, Dossier.created_at)
    )
    found = db_rows(first_session)
    to_dossier = [max((created - first).days, 0) for _, created, first in found]
    decided_at: dict[str, datetime] = {}
    ids = [str(dossier_id) for dossier_id, _, _ in found]
    if ids:
        entries = db.session.execute(
            select(AuditEntry.entity_id, AuditEntry.changes, AuditEntry.at)
            .where(AuditEntry.entity_type == DOSSIER_ENTITY, AuditEntry.action == "state_changed")
            .where(AuditEntry.entity_id.in_(ids))
            .order_by(AuditEntry.id)
        ).all()
        for entity_id, changes, at in entries:
            state = (changes or {}).get("state") or [None, None]
            if state[1] == DossierState.DECISION.value:
                decided_at.setdefault(entity_id, at)
    created = {str(dossier_id): created_at for dossier_id, created_at, _ in found}
    to_decision = [max((at - created[key]).days, 0) for key, at in decided_at.items()]

    def median(values: list[int]) -> float | None:
        return float(statistics.median(values)) if values else None

    rows = [
        [str(_l("Van eerste sessie tot dossier")), len(to_dossier), median(to_dossier)],
        [str(_l("Van dossier tot beslissing")), len(to_decision), median(to_decision)],
    ]
    columns = [
        Column(_l("Doorlooptijd"), width=32),
        Column(_l("Dossiers"), width=10),
        Column(_l("Mediaan (dagen)"), "0.0", width=14),
    ]
    title = str(_l("Doorlooptijden"))
    chart = bar_chart(
        "doorlooptijden",
        title,
        [row[0] for row in rows],
        [Series(str(_l("Mediaan in dagen")), [row[2] for row in rows])],
        summary=str(_l("Mediaan aantal dagen per stap.")),
    )
    return Table("doorlooptijden", title, columns, rows, chart, empty=not found)


REPORTS: dict[str, Callable[[Filters], Table]] = {
    "trechter-month": lambda f: funnel(f, "month"),
    "trechter-province": lambda f: funnel(f, "province"),
    "trechter-childcare_type": lambda f: funnel(f, "childcare_type"),
    "momenten": moments,
    "niet-gekomen": no_shows,
    "wachtlijsten": waitlist_pressure,
    "doorlooptijden": lead_times,
}


def all_reports(filters: Filters) -> list[Table]:
    counts = funnel_counts(filters)
    return [
        funnel(filters, "month", counts),
        funnel(filters, "province", counts),
        funnel(filters, "childcare_type", counts),
        moments(filters),
        no_shows(filters),
        waitlist_pressure(filters),
        lead_times(filters),
    ]
