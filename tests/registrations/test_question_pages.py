"""The staff page to define a topic's questions, and the public form that asks them."""

from __future__ import annotations

from registrations.models import Registration
from registrations.questions import services as questions
from registrations.questions.models import QuestionKind as K
from registrations.questions.services import QuestionData


def test_an_expert_defines_a_conditional_question(client, login, make_topic):
    topic = make_topic(title="Groepsopvang starten")
    login("expert")
    page = client.get("/beheer/inschrijfvragen")
    assert "Groepsopvang starten" in page.get_data(as_text=True)
    url = f"/beheer/inschrijfvragen/thema/{topic.id}"
    bad = client.post(url, data={"label_nl": "Welke dagen?", "kind": "single_choice", "position": "10"})
    assert bad.status_code == 422
    assert "De keuzevraag “Welke dagen?” heeft geen keuzes." in bad.get_data(as_text=True)
    ok = client.post(
        url,
        data={
            "label_nl": "Hoeveel m² binnenruimte heb je?",
            "kind": "number",
            "required": "y",
            "position": "10",
            "condition_key": "childcare_type",
            "condition_value": "Groepsopvang",
        },
    )
    assert ok.status_code == 302
    (saved,) = questions.questions_for_topic(topic.id)
    assert (saved.key, saved.condition_value, saved.required) == (
        "hoeveel_m2_binnenruimte_heb_je",
        "groepsopvang",
        True,
    )
    listing = client.get(url).get_data(as_text=True)
    assert (
        "Hoeveel m² binnenruimte heb je?" in listing
        and "alleen bij “Groepsopvang (vanaf 9 kinderen)” op “Welke opvang plan je?”" in listing
    )


def test_staff_without_planning_rights_cannot_define_questions(client, login, make_topic):
    topic = make_topic()
    login("staff")
    assert client.get(f"/beheer/inschrijfvragen/thema/{topic.id}").status_code == 403


def _groepsopvang_question(session):
    questions.save_question(
        QuestionData(
            "m2", K.NUMBER, "Hoeveel m² binnenruimte heb je?", required=True,
            condition_key="childcare_type", condition_value="groepsopvang",
        ),
        topic_id=session.topic_id,
    )  # fmt: skip


def test_a_conditional_question_is_required_only_for_groepsopvang(
    client, make_session, registration_form_data
):
    session = make_session(capacity=5)
    _groepsopvang_question(session)
    page = client.get(f"/sessies/{session.id}").get_data(as_text=True)
    # Without JavaScript the question is there, with when it applies.
    assert "Hoeveel m² binnenruimte heb je?" in page
    assert "Alleen als je bij “Welke opvang plan je?” “Groepsopvang (vanaf 9 kinderen)” antwoordt." in page
    url = f"/sessies/{session.id}/inschrijven"

    missing = client.post(url, data=registration_form_data(childcare_type="groepsopvang", first_name=""))
    assert missing.status_code == 422
    html = missing.get_data(as_text=True)
    assert "Beantwoord de vraag “Hoeveel m² binnenruimte heb je?”." in html
    assert "Vul je voornaam in." in html  # every mistake in one answer

    # Gezinsopvang: not asked, and an answer sent anyway is ignored.
    other = client.post(
        url, data=registration_form_data(childcare_type="gezinsopvang", email="gezin@example.com", q_m2="abc")
    )
    assert other.status_code == 302
    assert Registration.query.filter_by(email="gezin@example.com").one().answers is None

    ok = client.post(
        url, data=registration_form_data(childcare_type="groepsopvang", email="groep@example.com", q_m2="85")
    )
    assert ok.status_code == 302
    saved = Registration.query.filter_by(email="groep@example.com").one()
    assert questions.answer_rows(saved) == [("Hoeveel m² binnenruimte heb je?", "85")]


def test_answers_show_on_the_staff_list_in_the_exports_and_the_persons_data(
    client, login, make_session, registration_data
):
    import csv
    import io

    from openpyxl import load_workbook

    from registrations import privacy, services
    from registrations.models import ChildcareType

    session = make_session(capacity=5)
    _groepsopvang_question(session)
    questions.save_question(
        QuestionData("dagen", K.MULTIPLE_CHOICE, "Welke dagen open?", position=5,
                     choices=questions.parse_choices("Maandag\nZaterdag")),
        topic_id=session.topic_id,
    )  # fmt: skip
    registration = services.register(
        session.id,
        registration_data(
            childcare_type=ChildcareType.GROEPSOPVANG, answers={"m2": "85", "dagen": ["maandag", "zaterdag"]}
        ),
    ).registration
    # A question renamed after it was answered: the answer keeps the words it was asked with.
    (m2, dagen) = questions.questions_for_topic(session.topic_id)
    m2.label_nl = "Oppervlakte binnen?"
    login("expert")
    base = f"/beheer/sessies/{session.id}"
    page = client.get(base).get_data(as_text=True)
    assert "Hoeveel m² binnenruimte heb je?" in page and "Maandag, Zaterdag" in page

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(base + "/inschrijvingen/export.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0]["Hoeveel m² binnenruimte heb je?"] == "85"
    assert rows[0]["Welke dagen open?"] == "Maandag, Zaterdag"
    sheet = load_workbook(io.BytesIO(client.get(base + "/inschrijvingen/export.xlsx").data)).active
    table = list(sheet.iter_rows(values_only=True))
    assert dict(zip(table[0], table[1], strict=True))["Hoeveel m² binnenruimte heb je?"] == 85

    exported = privacy.export_personal_data(registration)
    assert exported["registrations"][0]["answers"] == [
        {"question": "Hoeveel m² binnenruimte heb je?", "answer": "85"},
        {"question": "Welke dagen open?", "answer": "Maandag, Zaterdag"},
    ]


def test_a_question_added_or_removed_shows_at_once_on_the_cached_session_page(client, make_session):
    session = make_session(capacity=5)
    url = f"/sessies/{session.id}"
    assert "Hoeveel m² binnenruimte heb je?" not in client.get(url).get_data(as_text=True)  # cached
    _groepsopvang_question(session)
    assert "Hoeveel m² binnenruimte heb je?" in client.get(url).get_data(as_text=True)
    (question,) = questions.questions_for_topic(session.topic_id)
    questions.delete_question(question)
    assert "Hoeveel m² binnenruimte heb je?" not in client.get(url).get_data(as_text=True)


def test_an_expert_asks_one_session_an_extra_question_that_its_topics_other_sessions_do_not(
    client, login, make_session
):
    session = make_session(capacity=5)
    other = make_session(capacity=5, topic=session.topic)
    login("expert")
    staff_page = client.get(f"/beheer/sessies/{session.id}").get_data(as_text=True)
    url = f"/beheer/inschrijfvragen/sessie/{session.id}"
    assert url in staff_page  # the session's staff page leads there
    saved = client.post(url, data={"label_nl": "Kom je met de fiets?", "kind": "yes_no", "position": "10"})
    assert saved.status_code == 302
    (question,) = questions.questions_of_session(session.id)
    assert questions.questions_for_topic(session.topic_id) == []
    assert "Kom je met de fiets?" in client.get(f"/sessies/{session.id}").get_data(as_text=True)
    assert "Kom je met de fiets?" not in client.get(f"/sessies/{other.id}").get_data(as_text=True)
    deleted = client.post(f"{url}/{question.id}/verwijderen", data={})
    assert deleted.status_code == 302 and questions.questions_of_session(session.id) == []
    assert client.get(f"{url}/999999").status_code == 404
