"""The blank registration form's fields are drawn once and shared by the session pages with the
same key (registrations.views.FORM_FIELDS): each page must still show its own form."""

from __future__ import annotations

from registrations.questions import services as questions
from registrations.questions.models import QuestionKind as K
from registrations.questions.services import QuestionData
from sessions.models import SessionFormat

FIELDS = "registrations/_form_fields.html"


def _page(client, session, **args) -> str:
    response = client.get(f"/sessies/{session.id}", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_fields_are_drawn_once_for_the_sessions_of_a_topic(client, make_session, make_topic, rendered):
    topic = make_topic()
    first, second, third = (make_session(topic=topic, days=days) for days in (10, 11, 12))

    pages = [_page(client, session) for session in (first, second, third)]

    assert rendered[FIELDS] == 1
    for session, page in zip((first, second, third), pages, strict=True):
        # Each form still posts to its own session.
        assert f'action="/sessies/{session.id}/inschrijven#fouten"' in page
        assert 'name="first_name"' in page and 'name="privacy"' in page


def test_each_page_asks_the_questions_of_its_own_topic(client, make_session, make_topic):
    group, family = make_topic(title="Groepsopvang"), make_topic(title="Gezinsopvang")
    asks, plain = make_session(topic=group), make_session(topic=family)
    questions.save_question(
        QuestionData("m2", K.NUMBER, "Hoeveel m² binnenruimte heb je?"), topic_id=group.id
    )

    assert "Hoeveel m² binnenruimte heb je?" in _page(client, asks)
    assert "Hoeveel m² binnenruimte heb je?" not in _page(client, plain)

    # A question added to the other topic shows at once, and only there.
    questions.save_question(QuestionData("buren", K.SHORT_TEXT, "Wat zeggen de buren?"), topic_id=family.id)
    assert "Wat zeggen de buren?" in _page(client, plain)
    assert "Wat zeggen de buren?" not in _page(client, asks)


def test_a_changed_question_shows_its_new_wording(client, make_session):
    session = make_session()
    questions.save_question(QuestionData("m2", K.NUMBER, "Hoeveel m² heb je?"), topic_id=session.topic_id)
    assert "Hoeveel m² heb je?" in _page(client, session)

    (saved,) = questions.questions_for_topic(session.topic_id)
    questions.save_question(
        QuestionData("m2", K.NUMBER, "Hoeveel m² binnenruimte heb je?"),
        question=saved,
        topic_id=session.topic_id,
    )

    page = _page(client, session)
    assert "Hoeveel m² binnenruimte heb je?" in page and "Hoeveel m² heb je?" not in page


def test_a_hybrid_sessions_choices_say_the_seats_left_now(
    client, make_session, make_topic, registration_form_data
):
    topic = make_topic()
    hybrid = make_session(topic=topic, format=SessionFormat.HYBRID, capacity=2, online_capacity=None)
    other = make_session(topic=topic, format=SessionFormat.HYBRID, capacity=5, online_capacity=None)
    assert "Ter plaatse (nog 2 plaatsen)" in _page(client, hybrid)
    assert "Ter plaatse (nog 5 plaatsen)" in _page(client, other)

    posted = client.post(f"/sessies/{hybrid.id}/inschrijven", data=registration_form_data(attends="on_site"))
    assert posted.status_code == 302

    assert "Ter plaatse (nog 1 plaats)" in _page(client, hybrid)
    assert "Ter plaatse (nog 5 plaatsen)" in _page(client, other)


def test_each_language_has_its_own_fields(client, make_session):
    first, second = make_session(days=10), make_session(days=11)
    assert ">Voornaam" in _page(client, first)
    english = _page(client, second, lang="en")
    assert ">First name" in english and ">Voornaam" not in english


def test_a_form_shown_again_keeps_what_was_typed_and_the_next_visitor_gets_a_blank_one(
    client, make_session, registration_form_data
):
    session = make_session()
    _page(client, session)  # the blank fields are drawn and kept

    again = client.post(
        f"/sessies/{session.id}/inschrijven", data=registration_form_data(first_name="Zoë", email="")
    )
    assert again.status_code == 422
    assert 'value="Zoë"' in again.get_data(as_text=True)

    assert "Zoë" not in _page(client, session)
