"""The reports: from registration to decision, when people come, where to plan more sessions.

Every report is a `Table` (columns, rows, the question it answers and the chart that draws it)
read from the aggregates in `reports.models`, which `reports.aggregates` keeps up to date: a
report request brings them up to date first (counting only what changed since the last
request), then reads a few hundred to a few thousand small rows, whatever the number of
registrations. The exports read the same tables.

Definitions, one place for each (the counting itself is in `reports.aggregates`):
- a report's registrations are those of the sessions that start in the period (drafts left out),
  narrowed by the registrant's province (of the planned location) and the session's topic;
- *confirmed*: the person had a confirmed seat at some point (`confirmed_at` is set);
- *attended* / *no-show*: the registration's status after the session's check-in;
- *lead*: the registration belongs to a lead; *dossier*: that lead was turned into a dossier;
  *decision*: that dossier reached the decision (or went further than it);
- attendance rate = attended / (attended + no-shows), over completed sessions only;
- waiting-list pressure = people who were ever on a session's waiting list per 100 seats;
- lead times count the dossiers whose person's first attended session lies in the period (and
  matches the filters).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.db import utcnow
from app.geo import PROVINCES
from app.i18n import month_name
from app.tabular import Column
from app.timezone import local
from registrations import labels
from registrations.models import ChildcareType
from reports import aggregates, evaluation_reports
from reports.charts import Series, bar_chart
from reports.models import ReportDossier
from reports.reading import FUNNEL, Filters, Reader  # Filters: the views and tests take it from here

# --------------------------------------------------------------------------- tables


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list[object]]
    chart: object = None  # Markup: the SVG
    question: str = ""  # what the report answers, in a manager's words
    note: str = ""  # how to read it, when that is not obvious
    empty: bool = field(default=False)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --------------------------------------------------------------------------- the funnel

STAGES = tuple(
    zip(
        FUNNEL,
        (_l("Inschrijvingen"), _l("Bevestigd"), _l("Aanwezig"), _l("Lead"), _l("Dossier"), _l("Beslissing")),
        strict=True,
    )
)
# What the funnel charts draw: who signed up, who came, who went on to a dossier (three bars a
# category keep twelve months readable on a phone); the table beside them has every step.
CHARTED = ("registrations", "attended", "dossiers")
STAGE_INDEX = {name: index for index, (name, _) in enumerate(STAGES)}


def _province_label(code: str | None) -> str:
    return str(PROVINCES[code]) if code in PROVINCES else str(_l("onbekend"))


def _type_label(value) -> str:
    return labels.label(labels.CHILDCARE_TYPES, value)


def funnel(filters: Filters, by: str, reader: Reader | None = None) -> Table:
    """The funnel per month (of the session), per province or per type of childcare: each its
    own categories, the steps side by side in each."""
    reader = reader or Reader(filters)
    if by == "month":
        order = [month_name(m) for m in filters.months]
        key_index, name = 0, month_name
        title, first = _l("Van inschrijving tot beslissing, per maand"), _l("Maand")
        question = _l(
            "Hoeveel mensen schreven zich in voor de sessies van elke maand, hoeveel kwamen er, "
            "en hoeveel openden later een dossier?"
        )
    elif by == "province":
        order = [str(p) for p in PROVINCES.values()]
        key_index, name = 1, _province_label
        title, first = _l("Van inschrijving tot beslissing, per provincie"), _l("Provincie")
        question = _l("Uit welke provincie komen de kandidaten, en hoeveel gaan verder tot een dossier?")
    else:
        order = [_type_label(t) for t in ChildcareType]
        key_index, name = 2, _type_label
        title, first = _l("Van inschrijving tot beslissing, per type opvang"), _l("Type opvang")
        question = _l(
            "Welk type opvang willen de kandidaten starten, en hoeveel gaan verder tot een dossier?"
        )
    summed: dict[object, list[int]] = defaultdict(lambda: [0] * len(STAGES))
    for row in reader.funnel:
        bucket = summed[row[key_index]]
        for index, count in enumerate(row[3:]):
            bucket[index] += count
    totals = {name(key): counts for key, counts in summed.items()}
    if by == "month":
        shown = order  # every month of the period, also the empty ones
    else:
        shown = [label for label in order if label in totals] + sorted(set(totals) - set(order))
    rows = [[label, *totals.get(label, [0] * len(STAGES))] for label in shown]
    columns = [Column(first, width=24)] + [Column(label, width=14) for _, label in STAGES]
    chart = bar_chart(
        f"trechter-{by}",
        str(title),
        shown,
        [
            Series(str(label), [row[1 + STAGE_INDEX[stage]] for row in rows])
            for stage, label in STAGES
            if stage in CHARTED
        ],
        summary=str(question),
    )
    note = ""
    if filters.end >= local(utcnow()).date().replace(day=1):
        note = str(
            _l(
                "Sessies die nog moeten plaatsvinden tellen al mee bij de inschrijvingen, "
                "nog niet bij wie kwam."
            )
        )
    return Table(
        f"trechter-{by}",
        str(title),
        columns,
        rows,
        chart,
        str(question),
        note,
        empty=not any(r[1] for r in rows),
    )


# --------------------------------------------------------------------------- evening and weekend


def moments(filters: Filters, reader: Reader | None = None) -> Table:
    """How many sessions are evening, weekend or daytime slots, and who shows up."""
    reader = reader or Reader(filters)
    sessions = reader.sessions("moment")
    came: dict[str, tuple[int, int]] = {}
    for moment, held, attended, no_shows in reader.sums(("moment", "held"), ("attended", "no_shows")):
        if held:
            came[moment] = (attended, no_shows)
    total_sessions = sum(n for n, _ in sessions.values())
    names = {"evening": _l("Avond (vanaf 18 uur)"), "weekend": _l("Weekend"), "day": _l("Overdag, weekdag")}
    rows = []
    for key, name in names.items():
        sessions_count = sessions.get(key, (0, 0))[0]
        attended, missed = came.get(key, (0, 0))
        rows.append(
            [
                str(name),
                sessions_count,
                _pct(sessions_count, total_sessions),
                attended,
                missed,
                _pct(attended, attended + missed),
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
    question = str(
        _l("Hoeveel sessies plannen we ’s avonds, in het weekend en overdag, en komen de mensen dan ook?")
    )
    chart = bar_chart(
        "momenten",
        title,
        [row[0] for row in rows],
        [
            Series(str(_l("Aandeel sessies")), [row[2] for row in rows]),
            Series(str(_l("Aanwezigheid")), [row[5] for row in rows]),
        ],
        percent=True,
        summary=question,
    )
    return Table("momenten", title, columns, rows, chart, question, empty=total_sessions == 0)


# --------------------------------------------------------------------------- per topic


def _per_topic(reader: Reader) -> tuple[dict[int, str], dict[int, list[int]], dict[int, list[int]]]:
    """Titles of the topics with sessions in the period; per topic the counts over completed
    sessions and over all sessions (attended, no-shows, ever waitlisted, never seated)."""
    held: dict[int, list[int]] = defaultdict(lambda: [0] * 4)
    every: dict[int, list[int]] = defaultdict(lambda: [0] * 4)
    for topic_id, was_held, *counts in reader.per_topic:
        for index, count in enumerate(counts):
            every[topic_id][index] += count
            if was_held:
                held[topic_id][index] += count
    return reader.topic_titles(reader.topics), held, every


def no_shows(filters: Filters, reader: Reader | None = None) -> Table:
    """Who confirmed and did not come, per topic (completed sessions)."""
    reader = reader or Reader(filters)
    titles, held, _every = _per_topic(reader)
    rows = []
    for topic_id, topic in sorted(titles.items(), key=lambda item: item[1]):
        came, missed = held[topic_id][0], held[topic_id][1]
        rows.append([topic, came, missed, _pct(missed, came + missed)])
    columns = [
        Column(_l("Thema"), width=40),
        Column(_l("Aanwezig"), width=10),
        Column(_l("Niet gekomen"), width=12),
        Column(_l("Niet gekomen (%)"), "0.0", width=14),
    ]
    title = str(_l("Niet gekomen, per thema"))
    question = str(_l("Bij welk thema blijven bevestigde deelnemers het vaakst weg?"))
    chart = bar_chart(
        "niet-gekomen",
        title,
        [row[0] for row in rows],
        [Series(str(_l("Niet gekomen")), [row[3] for row in rows])],
        percent=True,
        summary=str(_l("Deel van de bevestigde deelnemers dat niet kwam, per thema, in procent.")),
    )
    return Table(
        "niet-gekomen", title, columns, rows, chart, question, empty=not any(r[1] + r[2] for r in rows)
    )


def waitlist_pressure(filters: Filters, reader: Reader | None = None) -> Table:
    """Where people wait for a seat: the topics that need more sessions."""
    reader = reader or Reader(filters)
    titles, _held, every = _per_topic(reader)
    rows = []
    for topic_id, topic in sorted(titles.items(), key=lambda item: item[1]):
        sessions_count, seat_count = reader.topics[topic_id]
        ever, never = every[topic_id][2], every[topic_id][3]
        rows.append([topic, sessions_count, seat_count, ever, never, _pct(ever, seat_count)])
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
    question = str(_l("Voor welke thema’s zijn er te weinig plaatsen?"))
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
    return Table("wachtlijsten", title, columns, rows, chart, question, empty=not rows)


# --------------------------------------------------------------------------- lead times


def median(histogram: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how often) sorted by value, as statistics.median
    would give it for the list written out."""
    total = sum(n for _, n in histogram)
    if not total:
        return None

    def at(position: int) -> int:
        seen = 0
        for value, n in histogram:
            seen += n
            if position < seen:
                return value
        raise AssertionError("a position inside the histogram")

    return (at((total - 1) // 2) + at(total // 2)) / 2


def lead_times(filters: Filters, reader: Reader | None = None) -> Table:
    """Median days from a person's first session to their dossier, and from dossier to decision."""
    reader = reader or Reader(filters)
    to_dossier = reader.histogram(ReportDossier.days_to_dossier)
    to_decision = reader.histogram(ReportDossier.days_to_decision)
    rows = [
        [str(_l("Van eerste sessie tot dossier")), sum(n for _, n in to_dossier), median(to_dossier)],
        [str(_l("Van dossier tot beslissing")), sum(n for _, n in to_decision), median(to_decision)],
    ]
    columns = [
        Column(_l("Doorlooptijd"), width=32),
        Column(_l("Dossiers"), width=10),
        Column(_l("Mediaan (dagen)"), "0.0", width=14),
    ]
    title = str(_l("Doorlooptijden"))
    question = str(
        _l("Hoe lang duurt het van de eerste sessie tot een dossier, en van dossier tot beslissing?")
    )
    chart = bar_chart(
        "doorlooptijden",
        title,
        [row[0] for row in rows],
        [Series(str(_l("Mediaan in dagen")), [row[2] for row in rows])],
        summary=str(_l("Mediaan aantal dagen per stap.")),
    )
    return Table("doorlooptijden", title, columns, rows, chart, question, empty=not to_dossier)


REPORTS: dict[str, Callable[..., Table]] = {
    "trechter-month": lambda f, r=None: funnel(f, "month", r),
    "trechter-province": lambda f, r=None: funnel(f, "province", r),
    "trechter-childcare_type": lambda f, r=None: funnel(f, "childcare_type", r),
    "doorlooptijden": lead_times,
    "momenten": moments,
    "niet-gekomen": no_shows,
    "wachtlijsten": waitlist_pressure,
    "evaluaties-thema": evaluation_reports.by_topic,
    "evaluaties-presentator": evaluation_reports.by_presenter,
}


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    tables: list[Table]


# The page's parts, in order; a part without reports is not shown. The evaluations' reports are
# read from the answers themselves (reports.evaluation_reports), not from the aggregates.
SECTIONS = (
    (
        "trechter",
        _l("Van inschrijving tot beslissing"),
        ("trechter-month", "trechter-province", "trechter-childcare_type", "doorlooptijden"),
    ),
    ("sessies", _l("Sessies: wanneer en waarover"), ("momenten", "niet-gekomen", "wachtlijsten")),
    ("evaluaties", _l("Evaluaties"), ("evaluaties-thema", "evaluaties-presentator")),
)


def all_reports(filters: Filters) -> list[Table]:
    reader = Reader(filters)
    return [REPORTS[slug](filters, reader) for _, _, slugs in SECTIONS for slug in slugs]


def sections(filters: Filters) -> list[Section]:
    """The reports page: every report, in its part of the page."""
    tables = {table.slug: table for table in all_reports(filters)}
    found = [Section(slug, str(title), [tables[s] for s in slugs]) for slug, title, slugs in SECTIONS]
    return [section for section in found if section.tables]


def version() -> tuple:
    """The version of what the reports show, once it is up to date (see reports.aggregates), and
    of the evaluations' answers."""
    return (aggregates.version(), *evaluation_reports.version())


def report(slug: str, filters: Filters) -> Table | None:
    """One report (an export), or None when there is no such report."""
    build = REPORTS.get(slug)
    return None if build is None else build(filters)
