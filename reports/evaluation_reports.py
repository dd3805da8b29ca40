"""The evaluations on the reports page: per topic and per presenter, over the sessions that
started in the period (the topic filter applies; the province filter does not: an evaluation is
about a session, not about where the person plans to start). Each row: the sessions that have
answers, the attendees of those sessions, the responses, the response rate and the average score
on each form's first question (the one the thank-you mail asks).

Read from the evaluations' own tables (a few rows per session), not from the aggregates."""

from __future__ import annotations

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.tabular import Column
from app.timezone import local_day_bounds
from materials.evaluations.models import EvaluationAnswer, EvaluationForm, EvaluationResponse
from registrations.models import Registration, RegistrationStatus
from reports.charts import Series, bar_chart
from reports.reading import Filters
from sessions.models import InfoSession, Topic


@dataclass
class Tally:
    sessions: int = 0
    attendees: int = 0
    responses: int = 0
    score_sum: int = 0
    scores: int = 0

    def add(self, other: Tally) -> None:
        for name in ("sessions", "attendees", "responses", "score_sum", "scores"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rate(self) -> float | None:
        return round(100 * self.responses / self.attendees, 1) if self.attendees else None

    @property
    def average(self) -> float | None:
        return round(self.score_sum / self.scores, 1) if self.scores else None


def per_session(filters: Filters) -> list[tuple[InfoSession, Tally]]:
    """The sessions of the period that have responses, each with its tally."""
    start, end = local_day_bounds(filters.start, filters.end + relativedelta(months=1))
    query = (
        select(
            EvaluationResponse.session_id,
            EvaluationResponse.form_id,
            EvaluationAnswer.question_key,
            EvaluationAnswer.value,
            EvaluationResponse.id,
        )
        .join(InfoSession, InfoSession.id == EvaluationResponse.session_id)
        .outerjoin(EvaluationAnswer, EvaluationAnswer.response_id == EvaluationResponse.id)
        .where(InfoSession.starts_at >= start, InfoSession.starts_at < end)
    )
    if filters.topic:
        query = query.join(Topic, Topic.id == InfoSession.topic_id).where(Topic.slug == filters.topic)
    rows = db.session.execute(query).all()
    if not rows:
        return []
    first_keys = {
        form.id: form.questions[0]["key"]
        for form in db.session.scalars(
            select(EvaluationForm).where(EvaluationForm.id.in_({r[1] for r in rows}))
        )
    }
    tallies: dict[int, Tally] = {}
    seen: dict[int, set[int]] = {}
    for session_id, form_id, key, value, response_id in rows:
        tally = tallies.setdefault(session_id, Tally(sessions=1))
        seen.setdefault(session_id, set()).add(response_id)
        if key == first_keys.get(form_id) and value in ("1", "2", "3", "4", "5"):
            tally.score_sum += int(value)
            tally.scores += 1
    for session_id, responses in seen.items():
        tallies[session_id].responses = len(responses)
    attendees = db.session.execute(
        select(Registration.session_id, func.count())
        .where(Registration.session_id.in_(tallies), Registration.status == RegistrationStatus.ATTENDED)
        .group_by(Registration.session_id)
    ).all()
    for session_id, count in attendees:
        tallies[session_id].attendees = count
    sessions = db.session.scalars(select(InfoSession).where(InfoSession.id.in_(tallies))).all()
    return sorted(((s, tallies[s.id]) for s in sessions), key=lambda pair: pair[0].starts_at)


COLUMNS = (
    Column(_l("Sessies"), width=10),
    Column(_l("Aanwezigen"), width=12),
    Column(_l("Antwoorden"), width=12),
    Column(_l("Ingevuld (%)"), "0.0", width=12),
    Column(_l("Gemiddelde score (op 5)"), "0.0", width=14),
)


def _table(slug: str, title: str, first: Column, groups: dict[str, Tally], question: str):
    from reports.services import Table  # the reports' own table type (services imports this module)

    rows = [
        [name, t.sessions, t.attendees, t.responses, t.rate, t.average]
        for name, t in sorted(groups.items(), key=lambda item: item[0].casefold())
    ]
    chart = bar_chart(
        slug,
        title,
        [row[0] for row in rows],
        [Series(str(_l("Gemiddelde score (op 5)")), [row[5] for row in rows])],
        summary=str(_l("De gemiddelde score op de eerste evaluatievraag, van 1 tot 5.")),
    )
    return Table(slug, title, [first, *COLUMNS], rows, chart, question, empty=not rows)


def by_topic(filters: Filters, _reader=None):
    groups: dict[str, Tally] = {}
    for session, tally in per_session(filters):
        groups.setdefault(session.topic.title, Tally()).add(tally)
    return _table(
        "evaluaties-thema",
        str(_l("Evaluaties per thema")),
        Column(_l("Thema"), width=40),
        groups,
        str(_l("Hoe tevreden zijn de deelnemers over elk thema?")),
    )


def by_presenter(filters: Filters, _reader=None):
    groups: dict[str, Tally] = {}
    for session, tally in per_session(filters):
        for presenter in session.presenters or []:
            groups.setdefault(presenter.name, Tally()).add(tally)
    return _table(
        "evaluaties-presentator",
        str(_l("Evaluaties per presentator")),
        Column(_l("Presentator"), width=30),
        groups,
        str(_l("Hoe beoordelen de deelnemers de sessies van elke presentator?")),
    )


def version() -> tuple:
    """What changes when an answer does: part of the reports page's cache key."""
    return tuple(
        db.session.execute(
            select(
                func.count(EvaluationResponse.id),
                func.max(EvaluationResponse.updated_at),
            )
        ).one()
    )
