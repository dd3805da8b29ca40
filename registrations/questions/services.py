"""The rules on the questions the team defines, and on the answers a registrant gives.

Definitions: a key of small letters, digits and _ that no other question of the form uses, a
Dutch label, choices for a choice question, and a condition only on a question that comes
earlier (or on the fixed field `childcare_type`) with a value that question can have.
Answers: every mistake at once (app.errors.Errors); a question whose condition does not match
is skipped and its answer ignored. What is kept: the key, the label and the answer's words as
they were asked, so changing a question later keeps old answers readable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, or_, select

from app.database import read_objects
from app.errors import DomainError, Errors, NotFound
from app.extensions import db
from registrations import labels
from registrations.models import ChildcareType
from registrations.questions.models import CHILDCARE_TYPE, QuestionKind, RegistrationQuestion

KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
YES_NO = {"ja": "Ja", "nee": "Nee"}
TEXT_MAX = {QuestionKind.SHORT_TEXT: 200, QuestionKind.LONG_TEXT: 2000}


def field_name(key: str) -> str:
    """The form field (and error field) of a question."""
    return f"q_{key}"


@dataclass
class QuestionData:
    key: str
    kind: QuestionKind
    label_nl: str
    label_en: str = ""
    hint_nl: str = ""
    choices: list[dict] = field(default_factory=list)  # {"value", "nl", "en"}
    required: bool = False
    position: int = 0
    condition_key: str | None = None
    condition_value: str | None = None


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:40]


def parse_choices(text: str) -> list[dict]:
    """One choice a line, "Nederlands | English" (English optional); the value follows the Dutch."""
    choices = []
    for line in (text or "").splitlines():
        nl, _sep, en = line.partition("|")
        if nl.strip():
            choices.append({"value": slug(nl) or str(len(choices) + 1), "nl": nl.strip(), "en": en.strip()})
    return choices


def condition_values(key: str | None, earlier: list) -> list[tuple[str, str]] | None:
    """The values a condition on `key` may ask for, as (value, label); None: any text."""
    if key == CHILDCARE_TYPE:
        return [(t.value, str(labels.label(labels.CHILDCARE_TYPES, t))) for t in ChildcareType]
    for question in earlier:
        if question.key == key:
            if question.kind == QuestionKind.YES_NO:
                return list(YES_NO.items())
            if question.kind.has_choices:
                return [(c["value"], c["nl"]) for c in question.choices or []]
            return None
    return None


def check_definitions(questions: list) -> None:
    """Check a form's questions in their order; raises every mistake at once (field: q_<key>)."""
    errors = Errors()
    seen: list = []
    for question in sorted(questions, key=lambda q: q.position):
        name = field_name(question.key or "")
        label = question.label_nl or question.key
        if not KEY.fullmatch(question.key or ""):
            errors.add(
                _l(
                    "De sleutel van “%(q)s” mag alleen kleine letters, cijfers en _ bevatten en begint "
                    "met een letter.",
                    q=label,
                ),
                field=name,
            )
        elif question.key == CHILDCARE_TYPE or any(q.key == question.key for q in seen):
            errors.add(_l("De sleutel “%(key)s” komt twee keer voor.", key=question.key), field=name)
        if not (question.label_nl or "").strip():
            errors.add(_l("Geef de vraag “%(key)s” een Nederlandse tekst.", key=question.key), field=name)
        if question.kind.has_choices:
            if not question.choices:
                errors.add(_l("De keuzevraag “%(q)s” heeft geen keuzes.", q=label), field=name)
            elif len({c["value"] for c in question.choices}) != len(question.choices):
                errors.add(_l("De vraag “%(q)s” heeft twee keer dezelfde keuze.", q=label), field=name)
        if question.condition_key:
            known = question.condition_key == CHILDCARE_TYPE or any(
                q.key == question.condition_key for q in seen
            )
            if not known:
                later = any(q.key == question.condition_key for q in questions)
                errors.add(
                    _l(
                        "“%(q)s” hangt af van “%(key)s”, maar die vraag komt later. Zet ze in een "
                        "andere volgorde.",
                        q=label,
                        key=question.condition_key,
                    )
                    if later
                    else _l(
                        "“%(q)s” hangt af van een vraag die niet bestaat (“%(key)s”).",
                        q=label,
                        key=question.condition_key,
                    ),
                    field=name,
                )
            else:
                allowed = condition_values(question.condition_key, seen)
                if not (question.condition_value or "").strip():
                    errors.add(_l("Zeg bij “%(q)s” welk antwoord de vraag toont.", q=label), field=name)
                elif allowed is not None and question.condition_value not in dict(allowed):
                    errors.add(
                        _l(
                            "“%(value)s” is geen mogelijk antwoord op “%(key)s”.",
                            value=question.condition_value,
                            key=question.condition_key,
                        ),
                        field=name,
                    )
        seen.append(question)
    errors.raise_any()


# --------------------------------------------------------------------------- storing definitions


def page_version_parts() -> list:
    """What the registration form on a session page asks beyond the fixed fields, for the page's
    cache (sessions.views.session_page_version_parts): the count and newest stamp of the
    session's and its topic's questions, as SQL correlated to InfoSession (a deletion changes the
    count)."""
    from sessions.models import InfoSession

    mine = or_(
        RegistrationQuestion.session_id == InfoSession.id,
        RegistrationQuestion.topic_id == InfoSession.topic_id,
    )
    return [
        select(func.count(RegistrationQuestion.id)).where(mine).scalar_subquery(),
        select(func.max(RegistrationQuestion.updated_at)).where(mine).scalar_subquery(),
    ]


def _ordered(where) -> Select:
    return (
        select(RegistrationQuestion)
        .where(where)
        .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
    )


def _questions(where) -> list[RegistrationQuestion]:
    return list(db.session.scalars(_ordered(where)))


def questions_of_session(session_id: int) -> list[RegistrationQuestion]:
    """The questions defined for this one session (beside its topic's), in their order."""
    return _questions(RegistrationQuestion.session_id == session_id)


def questions_for_topic(topic_id: int) -> list[RegistrationQuestion]:
    return _questions(RegistrationQuestion.topic_id == topic_id)


def _asked_at(topic_id, session_id: int) -> Select:
    """The questions a session's form asks: its topic's and its own, in their order."""
    return _ordered(
        or_(RegistrationQuestion.topic_id == topic_id, RegistrationQuestion.session_id == session_id)
    )


def questions_for_session(session) -> list[RegistrationQuestion]:
    """The topic's questions and the session's own, in their order."""
    return list(db.session.scalars(_asked_at(session.topic_id, session.id)))


def questions_for_session_id(session_id: int) -> list[RegistrationQuestion]:
    """As questions_for_session, from the session's id (none for an unknown session), in one
    query: the registration form asks for them on every post, without loading the session."""
    # Read beside the request's transaction: the form's post reads its questions before the
    # registration takes the session's lock, and a transaction around this one read would cost
    # a BEGIN and a COMMIT. The questions come back detached, with every column loaded.
    return read_objects(_asked_by_session_id(), {"session_id": session_id})


@cache
def _asked_by_session_id() -> Select:
    # Built once (see app.database), at first use: sessions imports this package.
    from sessions.models import InfoSession

    session_id = bindparam("session_id")
    return _asked_at(
        select(InfoSession.topic_id).where(InfoSession.id == session_id).scalar_subquery(), session_id
    )


def get_question(question_id: int) -> RegistrationQuestion:
    question = db.session.get(RegistrationQuestion, question_id)
    if question is None:
        raise NotFound(_l("Deze vraag bestaat niet (meer)."))
    return question


def save_question(
    data: QuestionData, *, topic_id: int | None = None, session_id: int | None = None, question=None
) -> RegistrationQuestion:
    """Add a question to a topic (or a session) or change one; the whole form must stay valid."""
    if (topic_id is None) == (session_id is None):
        raise DomainError(_l("Een vraag hoort bij een thema of bij één sessie."))
    others = [
        q
        for q in (questions_for_topic(topic_id) if topic_id else questions_of_session(session_id))
        if question is None or q.id != question.id
    ]
    data.key, data.label_nl, data.label_en = (
        (data.key or "").strip(),
        data.label_nl.strip(),
        data.label_en.strip(),
    )
    if not data.kind.has_choices:
        data.choices = []
    if not data.condition_key:
        data.condition_key = data.condition_value = None
    else:
        # Staff may type the answer as they read it ("Groepsopvang", "Ja"): store its value.
        typed = (data.condition_value or "").strip()
        allowed = condition_values(data.condition_key, [q for q in others if q.position <= data.position])
        match = [v for v, label in allowed or [] if typed.lower() in (v.lower(), label.lower())]
        data.condition_value = match[0] if match else typed
    if not data.key:
        data.key = slug(data.label_nl)[:40] or "vraag"
    check_definitions(others + [data])
    question = question or RegistrationQuestion(topic_id=topic_id, session_id=session_id)
    for name in QuestionData.__dataclass_fields__:
        setattr(question, name, getattr(data, name))
    question.choices = data.choices or None
    db.session.add(question)
    db.session.commit()
    return question


def delete_question(question: RegistrationQuestion) -> None:
    """Remove a question; answers already given keep its label (they are stored with them)."""
    siblings = questions_for_topic(question.topic_id) if question.topic_id else []
    dependent = [q for q in siblings if q.condition_key == question.key and q.id != question.id]
    if dependent:
        raise DomainError(
            _l("“%(q)s” hangt van deze vraag af. Pas die vraag eerst aan.", q=dependent[0].label_nl)
        )
    db.session.delete(question)
    db.session.commit()


# --------------------------------------------------------------------------- answers


def applies(question, given: dict, childcare_type: str | None) -> bool:
    """Whether a question is asked, given the answers so far (value per key)."""
    if not question.condition_key:
        return True
    key = question.condition_key
    answer = childcare_type if key == CHILDCARE_TYPE else given.get(key)
    if isinstance(answer, list):
        return question.condition_value in answer
    return answer is not None and str(answer) == question.condition_value


def _blank(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def clean_answers(
    questions: list, raw: dict | None, childcare_type: str | None, *, require: bool = True
) -> list[dict]:
    """Check the answers (raw: key → text, or list for a multiple choice); every mistake at once.

    Returns what to store: [{"key", "label", "kind", "value", "text"}] for each answered question
    that applies. `require=False`: staff registering someone need not know every answer."""
    raw = raw or {}
    errors = Errors()
    given: dict = {}
    kept: list[dict] = []
    for question in questions:
        if not applies(question, given, childcare_type):
            continue
        name, label = field_name(question.key), question.label_nl
        value = raw.get(question.key)
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            value = [v for v in (value if isinstance(value, list) else [value]) if not _blank(v)]
        elif isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str):
            value = "".join(c for c in value if c in "\r\n\t" or unicodedata.category(c) != "Cc").strip()
        if _blank(value):
            if question.required and require:
                errors.add(_l("Beantwoord de vraag “%(q)s”.", q=label), field=name)
            continue
        text = value
        if question.kind in TEXT_MAX and len(value) > TEXT_MAX[question.kind]:
            errors.add(
                _l(
                    "Je antwoord op “%(q)s” is te lang (hoogstens %(n)s tekens).",
                    q=label,
                    n=TEXT_MAX[question.kind],
                ),
                field=name,
            )
            continue
        if question.kind == QuestionKind.NUMBER:
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                errors.add(_l("Geef bij “%(q)s” een getal.", q=label), field=name)
                continue
            value = int(number) if number.is_integer() else number
            text = str(value).replace(".", ",")
        elif question.kind == QuestionKind.YES_NO:
            if value not in YES_NO:
                errors.add(_l("Kies ja of nee bij “%(q)s”.", q=label), field=name)
                continue
            text = YES_NO[value]
        elif question.kind.has_choices:
            allowed = {c["value"] for c in question.choices or []}
            values = value if isinstance(value, list) else [value]
            if any(v not in allowed for v in values):
                errors.add(_l("Kies bij “%(q)s” uit de gegeven antwoorden.", q=label), field=name)
                continue
            text = ", ".join(question.choice_label(v) for v in values)
        given[question.key] = value
        answer = {
            "key": question.key,
            "label": label,
            "kind": question.kind.value,
            "value": value,
            "text": text,
        }
        if question.kind.has_choices:
            answer["choices"] = [question.choice_label(v) for v in values]  # each, for the deck's chart
        kept.append(answer)
    errors.raise_any()
    return kept


def answer_rows(registration) -> list[tuple[str, str]]:
    """(label, answer) for each answer kept with a registration, as it was asked."""
    return [(a.get("label", a.get("key", "")), a.get("text", "")) for a in registration.answers or []]
