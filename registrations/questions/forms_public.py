"""The team's questions as WTForms fields on the public registration form, built per session."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import Optional

from app.errors import DomainError
from app.labels import options
from registrations import labels
from registrations.models import ChildcareType
from registrations.questions import services
from registrations.questions.models import CHILDCARE_TYPE, QuestionKind
from sessions.forms import MultiCheckboxField

YES_NO = [("ja", _l("Ja")), ("nee", _l("Nee"))]


class _Required:
    """Marks a field required (the * beside its label); the answer rules check it (services)."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


def _locale() -> str:
    locale = get_locale()
    return locale.language if locale else "nl"


def condition_parts(question, questions) -> tuple[str, str] | None:
    """The question a condition is on and the answer that shows it, in words."""
    if question.condition_key == CHILDCARE_TYPE:
        about = _l("Welke opvang plan je?")
        answer = labels.label(labels.CHILDCARE_TYPES, ChildcareType(question.condition_value))
    else:
        other = next((q for q in questions if q.key == question.condition_key), None)
        if other is None:
            return None
        about = other.label(_locale())
        answer = (
            dict(YES_NO).get(question.condition_value, question.condition_value)
            if other.kind == QuestionKind.YES_NO
            else other.choice_label(question.condition_value, _locale())
        )
    return str(about), str(answer)


def _condition_hint(question, questions) -> str:
    """The hint "Alleen als …": shown with a conditional question (without JavaScript it is always there)."""
    parts = condition_parts(question, questions) if question.condition_key else None
    if parts is None:
        return ""
    return str(_l("Alleen als je bij “%(q)s” “%(a)s” antwoordt.", q=parts[0], a=parts[1]))


def _field(question, questions):
    locale = _locale()
    label = question.label(locale)
    if not question.required:
        label = str(_l("%(label)s (niet verplicht)", label=label))
    hint = " ".join(
        h for h in (question.hint_nl if locale == "nl" else "", _condition_hint(question, questions)) if h
    )
    kw = {
        "label": label,
        "description": hint,
        "validators": [_Required() if question.required else Optional()],
    }
    kind = question.kind
    if kind == QuestionKind.LONG_TEXT:
        return TextAreaField(**kw, render_kw={"rows": 3, "maxlength": services.TEXT_MAX[kind]})
    if kind == QuestionKind.YES_NO:
        return RadioField(**kw, choices=options(YES_NO), validate_choice=False)
    choices = [
        (c["value"], (c.get("en") if locale == "en" and c.get("en") else c["nl"]))
        for c in question.choices or []
    ]
    if kind == QuestionKind.SINGLE_CHOICE:
        return RadioField(**kw, choices=options(choices), validate_choice=False)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return MultiCheckboxField(**kw, choices=options(choices), validate_choice=False)
    if kind == QuestionKind.NUMBER:
        return StringField(**kw, render_kw={"inputmode": "decimal", "maxlength": 20})
    return StringField(**kw, render_kw={"maxlength": services.TEXT_MAX[QuestionKind.SHORT_TEXT]})


def raw_answers(form, questions) -> dict:
    return {q.key: getattr(form, services.field_name(q.key)).data for q in questions}


def with_questions(form_class, questions):
    """A subclass of the registration form with a field per question (q_<key>); its validate()
    also checks the answers, so they are listed with every other mistake in one answer."""
    if not questions:
        return form_class
    fields = {services.field_name(q.key): _field(q, questions) for q in questions}

    def validate(self, extra_validators=None):
        valid = form_class.validate(self, extra_validators)
        try:
            services.clean_answers(questions, raw_answers(self, questions), self.childcare_type.data)
        except DomainError as error:
            for one in getattr(error, "errors", [error]):
                getattr(self, one.field).errors.append(one.message)
            return False
        return valid

    return type("QuestionsRegistrationForm", (form_class,), {**fields, "validate": validate})


def conditions(questions) -> dict:
    """field name → (the field it depends on, the value that shows it), for the live script."""
    return {
        services.field_name(q.key): (
            q.condition_key if q.condition_key == CHILDCARE_TYPE else services.field_name(q.condition_key),
            q.condition_value,
        )
        for q in questions
        if q.condition_key
    }
