"""The rules of an evaluation: which form a person answers, who may answer, until when, and the
one response per registration (kept, edited until the evaluation closes).

A GET never saves: the views only read through `form_for`/`response_of` and prefill; saving is
`save_response`, called from a POST with a confirm button."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.database import atomic, lock_row
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from materials.evaluations.defaults import DEFAULT_DEFINITION, DEFAULT_TITLE
from materials.evaluations.models import EvaluationAnswer, EvaluationForm, EvaluationResponse
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession

KINDS = ("rating", "single", "multiple", "text")
RATINGS = ("1", "2", "3", "4", "5")
TEXT_LIMIT = 2000


# ------------------------------------------------------------------------------------- the forms


def default_form() -> EvaluationForm:
    """The default form's latest version. Until someone answers it, it is the code's definition,
    not yet stored (a page or a mail that only shows it writes nothing); the first response
    stores it with itself."""
    return _latest(None) or EvaluationForm(
        topic_id=None, version=1, title=DEFAULT_TITLE, definition=DEFAULT_DEFINITION
    )


def _latest(topic_id: int | None) -> EvaluationForm | None:
    where = EvaluationForm.topic_id.is_(None) if topic_id is None else EvaluationForm.topic_id == topic_id
    return db.session.scalar(
        select(EvaluationForm)
        .where(where)
        .order_by(EvaluationForm.version.desc(), EvaluationForm.id)
        .limit(1)
    )


def current_form(topic_id: int) -> EvaluationForm:
    """The form a new response to a session of this topic answers: the topic's latest version, or
    the default form."""
    return _latest(topic_id) or default_form()


def check_definition(definition: Mapping) -> None:
    """A form must have questions, unique keys, a known kind, choices for a choice question, and a
    rating first (the follow-up mail shows the first question as a row of ratings)."""
    questions = [q for s in definition.get("sections", []) for q in s.get("questions", [])]
    if not questions:
        raise DomainError(_l("Een formulier heeft minstens één vraag."))
    keys = [q.get("key") for q in questions]
    if len(set(keys)) != len(keys) or not all(keys):
        raise DomainError(_l("Elke vraag heeft een eigen sleutel."))
    for q in questions:
        if q.get("kind") not in KINDS or not str(q.get("label", "")).strip():
            raise DomainError(_l("Elke vraag heeft een soort en een tekst."))
        if q["kind"] in ("single", "multiple") and len(q.get("choices") or []) < 2:
            raise DomainError(_l("Een keuzevraag heeft minstens twee keuzes."))
    if questions[0]["kind"] != "rating":
        raise DomainError(_l("De eerste vraag is een score van 1 tot 5."))


def save_form(topic_id: int, title: str, definition: Mapping) -> EvaluationForm:
    """The topic's form as a new version: answers already given keep their own version."""
    if not title.strip():
        raise DomainError(_l("Geef het formulier een titel."), field="title")
    check_definition(definition)
    latest = _latest(topic_id)
    form = EvaluationForm(
        topic_id=topic_id,
        version=(latest.version + 1) if latest else 1,
        title=title.strip(),
        definition=dict(definition),
    )
    db.session.add(form)
    db.session.commit()
    return form


def first_rating(form: EvaluationForm) -> dict:
    return form.questions[0]


# ------------------------------------------------------------------------------ who, and until when


def open_days() -> int:
    return int(current_app.config.get("EVALUATION_OPEN_DAYS", 14))


def closes_at(session: InfoSession) -> datetime:
    return session.ends_at + timedelta(days=open_days())


def is_open(session: InfoSession, now: datetime | None = None) -> bool:
    """From the start of the session (people are checked in from then) until it closes."""
    now = now or utcnow()
    return session.starts_at <= now < closes_at(session)


def may_evaluate(registration: Registration) -> bool:
    return registration.status == RegistrationStatus.ATTENDED and registration.anonymised_at is None


def response_of(registration: Registration) -> EvaluationResponse | None:
    return db.session.scalar(
        select(EvaluationResponse).where(EvaluationResponse.registration_id == registration.id)
    )


def form_for(registration: Registration) -> EvaluationForm:
    """The version the person answers: the one they answered already, else the topic's current."""
    response = response_of(registration)
    return response.form if response else current_form(registration.session.topic_id)


def answers_of(response: EvaluationResponse | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for answer in response.answers if response else []:
        found.setdefault(answer.question_key, []).append(answer.value)
    return found


# ---------------------------------------------------------------------------------------- answers


def read_answers(form: EvaluationForm, data) -> tuple[dict[str, list[str]], dict[str, str]]:
    """(answers per question key, error message per key) from a submitted form (`data` has
    getlist, like request.form). Only the first question is required."""
    answers: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for index, q in enumerate(form.questions):
        key = q["key"]
        values = [v.strip() for v in data.getlist(key) if v and v.strip()]
        if q["kind"] == "rating":
            values = values[:1]
            if values and values[0] not in RATINGS:
                errors[key] = str(_l("Kies een score van 1 tot 5."))
        elif q["kind"] == "single":
            values = values[:1]
            if values and values[0] not in q["choices"]:
                errors[key] = str(_l("Kies een van de mogelijkheden."))
        elif q["kind"] == "multiple":
            if any(v not in q["choices"] for v in values):
                errors[key] = str(_l("Kies uit de mogelijkheden."))
            values = [c for c in q["choices"] if c in values]
        elif values and len(values[0]) > TEXT_LIMIT:
            errors[key] = str(_l("Schrijf hoogstens %(n)s tekens.", n=TEXT_LIMIT))
        if index == 0 and not values and key not in errors:
            errors[key] = str(_l("Kies een score van 1 tot 5."))
        if values:
            answers[key] = values
    return answers, errors


@atomic
def save_response(
    registration: Registration, answers: Mapping[str, list[str]], now: datetime | None = None
) -> EvaluationResponse:
    """Save the person's one response (or replace its answers while the evaluation is open).
    The answers must come from `read_answers` on `form_for(registration)`."""
    now = now or utcnow()
    registration = lock_row(Registration, registration.id)
    if registration is None or not may_evaluate(registration):
        raise DomainError(_l("Alleen wie aanwezig was, kan de sessie beoordelen."))
    if not is_open(registration.session, now):
        raise DomainError(_l("De evaluatie van deze sessie is gesloten."))
    response = response_of(registration)
    if response is None:
        form = current_form(registration.session.topic_id)
        response = EvaluationResponse(
            form=form, session_id=registration.session_id, registration_id=registration.id
        )
        db.session.add(response)
    else:
        response.updated_at = now
    keys = {q["key"] for q in response.form.questions}
    response.answers = [
        EvaluationAnswer(question_key=key, value=value)
        for key, values in answers.items()
        if key in keys
        for value in values
    ]
    db.session.commit()
    return response


@atomic
def set_hidden(answer_id: int, hidden: bool) -> EvaluationAnswer | None:
    answer = db.session.get(EvaluationAnswer, answer_id)
    if answer is None:
        return None
    answer.hidden = hidden
    db.session.commit()
    return answer


# ------------------------------------------------------------------------------- the admin's view


def topic_forms(topics) -> list[tuple[object, EvaluationForm | None]]:
    """Each topic with its own latest form, or None when it uses the default form."""
    return [(topic, _latest(topic.id)) for topic in topics]


def save_form_text(topic_id: int, title: str, text: str) -> EvaluationForm:
    """The admin's lines (text_form) as the topic's new version."""
    from materials.evaluations.text_form import from_text

    definition = from_text(text, current_form(topic_id).definition)
    return save_form(topic_id, title, definition)
