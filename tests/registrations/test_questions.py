"""Questions the team defines: the rules on a definition, and on the answers a registrant gives."""

from __future__ import annotations

import pytest

from app.errors import DomainError, InvalidInput
from registrations import services
from registrations.models import ChildcareType
from registrations.questions import services as questions
from registrations.questions.models import QuestionKind as K
from registrations.questions.services import QuestionData


def messages(error: DomainError) -> list[str]:
    return [str(e.message) for e in getattr(error, "errors", [error])]


def test_bad_definitions_get_clear_messages_all_at_once(app):
    bad = [
        QuestionData("ruimte", K.SINGLE_CHOICE, "Welke ruimte?", position=1),
        QuestionData("ruimte", K.SHORT_TEXT, "Nog iets?", position=2),
        QuestionData(
            "buiten", K.YES_NO, "Buitenruimte?", position=3, condition_key="later", condition_value="ja"
        ),
        QuestionData("later", K.YES_NO, "Later?", position=4),
    ]
    with pytest.raises(InvalidInput) as caught:
        questions.check_definitions(bad)
    said = messages(caught.value)
    assert "De keuzevraag “Welke ruimte?” heeft geen keuzes." in said
    assert "De sleutel “ruimte” komt twee keer voor." in said
    assert any("hangt af van “later”, maar die vraag komt later" in m for m in said)


def test_a_condition_names_a_value_the_question_can_have(app):
    with pytest.raises(DomainError, match="“tuin” is geen mogelijk antwoord op “childcare_type”"):
        questions.check_definitions(
            [QuestionData("x", K.YES_NO, "X?", condition_key="childcare_type", condition_value="tuin")]
        )
    questions.check_definitions(
        [QuestionData("x", K.YES_NO, "X?", condition_key="childcare_type", condition_value="groepsopvang")]
    )


def test_saving_keeps_the_whole_form_valid(app, make_topic):
    topic = make_topic()
    questions.save_question(QuestionData("ruimte", K.SHORT_TEXT, "Welke ruimte?"), topic_id=topic.id)
    with pytest.raises(DomainError, match="komt twee keer voor"):
        questions.save_question(QuestionData("ruimte", K.NUMBER, "Hoeveel?"), topic_id=topic.id)
    assert [q.key for q in questions.questions_for_topic(topic.id)] == ["ruimte"]


def _form():
    return [
        QuestionData(
            "m2",
            K.NUMBER,
            "Hoeveel m² binnenruimte?",
            required=True,
            position=1,
            condition_key="childcare_type",
            condition_value="groepsopvang",
        ),
        QuestionData(
            "dagen",
            K.MULTIPLE_CHOICE,
            "Welke dagen?",
            position=2,
            choices=questions.parse_choices("Maandag | Monday\nDinsdag"),
        ),
        QuestionData(
            "uitleg",
            K.LONG_TEXT,
            "Vertel meer",
            required=True,
            position=3,
            condition_key="dagen",
            condition_value="maandag",
        ),
    ]


class Q:
    """A question as stored, enough for the answer rules."""

    def __init__(self, data: QuestionData):
        self.__dict__.update(data.__dict__)

    def choice_label(self, value, locale="nl"):
        return next((c["nl"] for c in self.choices if c["value"] == value), value)


def test_answers_every_mistake_at_once_and_conditions_skip():
    form = [Q(d) for d in _form()]
    with pytest.raises(InvalidInput) as caught:
        questions.clean_answers(form, {"dagen": ["maandag", "zondag"]}, "groepsopvang")
    assert messages(caught.value) == [
        "Beantwoord de vraag “Hoeveel m² binnenruimte?”.",
        "Kies bij “Welke dagen?” uit de gegeven antwoorden.",
    ]
    # Not groepsopvang: the m² question does not apply, and its answer is ignored.
    kept = questions.clean_answers(form, {"m2": "abc", "dagen": ["dinsdag"]}, "gezinsopvang")
    assert kept == [
        {
            "key": "dagen",
            "label": "Welke dagen?",
            "kind": "multiple_choice",
            "value": ["dinsdag"],
            "text": "Dinsdag",
            "choices": ["Dinsdag"],
        }
    ]
    kept = questions.clean_answers(
        form, {"m2": "42,5", "dagen": ["maandag"], "uitleg": "Een tuin"}, "groepsopvang"
    )
    assert [a["text"] for a in kept] == ["42,5", "Maandag", "Een tuin"]


def test_answers_are_kept_with_the_registration_and_stay_readable(app, make_session, registration_data):
    session = make_session()
    question = questions.save_question(
        QuestionData(
            "m2",
            K.NUMBER,
            "Hoeveel m²?",
            required=True,
            condition_key="childcare_type",
            condition_value="groepsopvang",
        ),
        topic_id=session.topic_id,
    )
    data = registration_data(childcare_type=ChildcareType.GROEPSOPVANG, first_name="")
    with pytest.raises(InvalidInput) as caught:  # the person's data and the answers together
        services.register(session.id, data)
    assert {e.field for e in caught.value.errors} == {"first_name", "q_m2"}
    data = registration_data(childcare_type=ChildcareType.GROEPSOPVANG, answers={"m2": "60"})
    registration = services.register(session.id, data).registration
    question.label_nl = "Oppervlakte?"
    questions.delete_question(question)
    assert questions.answer_rows(registration) == [("Hoeveel m²?", "60")]


def test_the_model_matches_its_migration(app):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.extensions import db

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    mine = [d for d in differences if any(n in repr(d) for n in ("registration_questions", "'answers'"))]
    assert mine == []
