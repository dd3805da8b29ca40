"""The staff page to define a topic's questions, and the public form that asks them."""

from __future__ import annotations

from registrations.questions import services as questions


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
        "Hoeveel m² binnenruimte heb je?" in listing and "alleen als childcare_type = groepsopvang" in listing
    )


def test_staff_without_planning_rights_cannot_define_questions(client, login, make_topic):
    topic = make_topic()
    login("staff")
    assert client.get(f"/beheer/inschrijfvragen/thema/{topic.id}").status_code == 403
