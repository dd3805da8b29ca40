"""What a session's evaluation says: how many attendees answered, each question's distribution,
and the comments. Read here (the evaluations' own tables); the reports package draws them.

Responses to different versions of a form are counted together per question key; a question's
words come from the newest version that has it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from materials.evaluations.models import EvaluationAnswer, EvaluationForm, EvaluationResponse
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession, session_presenters


@dataclass(frozen=True)
class Comment:
    id: int
    text: str
    hidden: bool


@dataclass
class QuestionResult:
    key: str
    kind: str
    label: str
    options: list[str]  # the categories in order: "1".."5" for a rating, else the choices
    low: str = ""
    high: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    answered: int = 0  # how many responses answered it
    comments: list[Comment] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        if self.kind != "rating" or not self.answered:
            return None
        return round(sum(int(k) * n for k, n in self.counts.items()) / self.answered, 1)


@dataclass(frozen=True)
class SessionResults:
    session: InfoSession
    attendees: int
    responses: int
    questions: list[QuestionResult]

    @property
    def rate(self) -> float | None:
        return round(100 * self.responses / self.attendees, 1) if self.attendees else None


def _questions(forms: list[EvaluationForm]) -> list[QuestionResult]:
    found: dict[str, QuestionResult] = {}
    for form in sorted(forms, key=lambda f: (f.version, f.id), reverse=True):
        for q in form.questions:
            if q["key"] in found:
                continue
            options = ["1", "2", "3", "4", "5"] if q["kind"] == "rating" else list(q.get("choices") or [])
            found[q["key"]] = QuestionResult(
                q["key"], q["kind"], q["label"], options, q.get("low", ""), q.get("high", "")
            )
    # In the order of the newest form.
    return list(found.values())


def session_results(session: InfoSession) -> SessionResults:
    attendees = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.session_id == session.id, Registration.status == RegistrationStatus.ATTENDED)
    )
    responses = db.session.scalars(
        select(EvaluationResponse).where(EvaluationResponse.session_id == session.id)
    ).all()
    questions = _questions(list({r.form_id: r.form for r in responses}.values()))
    by_key = {q.key: q for q in questions}
    for response in responses:
        seen = set()
        for answer in response.answers:
            q = by_key.get(answer.question_key)
            if q is None:
                continue
            if q.kind == "text":
                q.comments.append(Comment(answer.id, answer.value, answer.hidden))
            else:
                q.counts[answer.value] = q.counts.get(answer.value, 0) + 1
            if answer.question_key not in seen:
                q.answered += 1
                seen.add(answer.question_key)
    for q in questions:
        q.options += [v for v in q.counts if v not in q.options]  # an option a newer version dropped
    return SessionResults(session, int(attendees or 0), len(responses), questions)


@dataclass(frozen=True)
class SessionScore:
    session: InfoSession
    responses: int
    average: float | None


def latest_scores(user_id: int, limit: int = 5) -> list[SessionScore]:
    """The presenter's latest sessions that have responses, with the average of each session's
    first rating question (the one the thank-you mail asks)."""
    session_ids = db.session.scalars(
        select(EvaluationResponse.session_id)
        .join(session_presenters, session_presenters.c.session_id == EvaluationResponse.session_id)
        .join(InfoSession, InfoSession.id == EvaluationResponse.session_id)
        .where(session_presenters.c.user_id == user_id)
        .group_by(EvaluationResponse.session_id, InfoSession.starts_at)
        .order_by(InfoSession.starts_at.desc())
        .limit(limit)
    ).all()
    scores = []
    for session_id in session_ids:
        results = session_results(db.session.get(InfoSession, session_id))
        first = next((q for q in results.questions if q.kind == "rating"), None)
        scores.append(SessionScore(results.session, results.responses, first.average if first else None))
    return scores


def comment(answer_id: int) -> EvaluationAnswer | None:
    return db.session.get(EvaluationAnswer, answer_id)
