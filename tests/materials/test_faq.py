"""The knowledge base: registrants' questions by theme, an answer written once and linked to
the similar questions, shown on the topic's session pages (FAQPage) and found at /vragen."""

from __future__ import annotations

import io
import json
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.auth.models import Role
from app.errors import DomainError
from app.extensions import db
from materials.faq import services
from materials.faq.models import FaqEntry, FaqLink


@pytest.fixture
def asked(make_session, make_registration):
    """Two sessions of one topic; "vergunning" asked three times (in two spellings), one money question."""
    first = make_session()
    second = make_session(topic=first.topic, days=20)
    regs = [
        make_registration(first, questions="Heb ik een vergunning nodig?"),
        make_registration(first, questions="heb ik een  vergunning nodig?"),
        make_registration(second, questions="Heb ik een vergunning nodig?"),
        make_registration(second, questions="Hoeveel subsidie krijg ik?"),
        make_registration(second, questions=""),
    ]
    return first, second, regs


def _data(topic_id, regs, **kw):
    values = {
        "topic_id": topic_id,
        "theme": "",
        "question": "Heb ik een vergunning nodig voor kinderopvang?",
        "answer": (
            "Ja. Elke kinderopvang heeft een vergunning van Opgroeien nodig.\n\n"
            "Vraag ze aan na het starterstraject."
        ),
        "registration_ids": [r.id for r in regs],
    }
    values.update(kw)
    return services.EntryData(**values)


def test_questions_are_grouped_by_the_decks_themes_with_how_often_they_were_asked(asked):
    groups = services.asked_questions()
    assert [g.key for g in groups] == ["vergunning", "financiering"]
    permit = groups[0].questions[0]
    assert permit.count == 3 and permit.unanswered == 3 and permit.entry is None
    assert groups[1].questions[0].text == "Hoeveel subsidie krijg ik?"


def test_one_answer_answers_the_similar_questions(asked, make_user):
    first, _second, regs = asked
    expert = make_user(Role.EXPERT)
    entry = services.save_entry(_data(first.topic_id, regs[:3]), user=expert)
    assert entry.theme == "vergunning"  # chosen from the question's words
    groups = {g.key: g for g in services.asked_questions()}
    permit = groups["vergunning"].questions[0]
    assert permit.unanswered == 0 and permit.entry.id == entry.id
    assert groups["vergunning"].unanswered == 0 and groups["financiering"].unanswered == 1
    assert services.answers_for([r.id for r in regs]) == {r.id: entry for r in regs[:3]}


def test_linking_a_question_to_another_answer_moves_it(asked):
    first, _second, regs = asked
    one = services.save_entry(_data(first.topic_id, regs[:3]))
    other = services.save_entry(_data(first.topic_id, [], question="Wat kost het?", theme="financiering"))
    assert services.link_questions(other, [regs[0].id, regs[3].id]) == 2
    assert services.answers_for([regs[0].id, regs[1].id]) == {regs[0].id: other, regs[1].id: one}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"question": "   "}, "question"),
        ({"answer": ""}, "answer"),
        ({"question": "x" * 301}, "question"),
        ({"theme": "onzin"}, "theme"),
        ({"topic_id": 999999}, "topic_id"),
    ],
)
def test_a_bad_answer_is_refused_and_changes_nothing(asked, changes, field):
    first, _second, regs = asked
    values = {"topic_id": first.topic_id, **changes}
    with pytest.raises(DomainError) as refused:
        services.save_entry(_data(values.pop("topic_id"), regs, **values))
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.query(FaqEntry).count() == 0 and db.session.query(FaqLink).count() == 0


def test_an_answer_changes_the_catalogue_version(asked):
    from sessions.services import catalogue_version

    first, _second, regs = asked
    before = catalogue_version()
    services.save_entry(_data(first.topic_id, regs[:1]))
    assert catalogue_version() != before


def test_search_finds_words_and_odd_input_is_no_error(asked):
    first, _second, regs = asked
    services.save_entry(_data(first.topic_id, regs[:3]))
    services.save_entry(
        _data(first.topic_id, regs[3:4], question="Welke subsidie bestaat er?", answer="De basissubsidie.")
    )
    assert [e.question for e in services.search("subsidie").items] == ["Welke subsidie bestaat er?"]
    assert services.search("").total == 2
    for odd in ('"', "-", "100% & | !", "'; drop table", "a" * 500, "\\_%"):
        services.search(odd)  # no error


def test_the_faq_tables_match_their_models(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    # The full-text index is an expression index the migration makes on PostgreSQL only.
    mine = [d for d in differences if "faq_" in repr(d) and "ix_faq_entries_search" not in repr(d)]
    assert mine == []


# --------------------------------------------------------------------------- HTTP


def test_an_expert_answers_ticked_questions_on_the_staff_page(client, login, asked):
    first, _second, regs = asked
    login(Role.EXPERT)
    page = client.get("/beheer/vragen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Vergunning en starterstraject" in html and "3 keer gevraagd" in html
    assert "Nog geen antwoord" in html
    value = re.search(r'name="vragen" value="([\d,]+)"', html).group(1)
    response = client.post(
        "/beheer/vragen",
        data={
            "vragen": value,
            "topic_id": first.topic_id,
            "theme": "",
            "question": "Heb ik een vergunning nodig?",
            "answer": "Ja, van Opgroeien.",
            "actie": "nieuw",
        },
    )
    assert response.status_code == 302
    assert set(services.answers_for([r.id for r in regs])) == {r.id for r in regs[:3]}
    assert "Beantwoord" in client.get("/beheer/vragen").get_data(as_text=True)


def test_an_answer_without_text_shows_a_message(client, login, asked):
    first, _second, _regs = asked
    login(Role.EXPERT)
    response = client.post(
        "/beheer/vragen",
        data={"topic_id": first.topic_id, "theme": "", "question": "Vraag?", "answer": " ", "actie": "nieuw"},
    )
    assert response.status_code == 422 and "Schrijf het antwoord." in response.get_data(as_text=True)
    assert db.session.query(FaqEntry).count() == 0


def test_linking_nothing_is_a_message(client, login, asked):
    first, _second, regs = asked
    entry = services.save_entry(_data(first.topic_id, regs[:1]))
    login(Role.ADMIN)
    response = client.post("/beheer/vragen", data={"actie": "koppelen", "antwoord": entry.id})
    assert response.status_code == 422 and "Kies minstens één vraag." in response.get_data(as_text=True)


def test_staff_without_the_expert_role_do_not_see_the_page(client, login):
    login(Role.STAFF)
    assert client.get("/beheer/vragen").status_code == 403


def test_the_session_page_shows_the_topics_answers_as_a_faq_page_at_once(client, asked):
    first, second, regs = asked
    before = client.get(f"/sessies/{second.id}").get_data(as_text=True)
    assert "Veelgestelde vragen" not in before
    services.save_entry(_data(first.topic_id, regs[:3]))
    html = client.get(f"/sessies/{second.id}").get_data(as_text=True)
    assert "<summary>Heb ik een vergunning nodig voor kinderopvang?</summary>" in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"][0]["name"] == "Heb ik een vergunning nodig voor kinderopvang?"
    assert data["mainEntity"][0]["acceptedAnswer"]["text"].startswith("Ja. Elke kinderopvang")


def test_the_public_search_page(client, asked):
    first, _second, regs = asked
    services.save_entry(_data(first.topic_id, regs[:3]))
    found = client.get("/vragen?q=vergunning").get_data(as_text=True)
    assert "1 antwoord gevonden" in found and "Heb ik een vergunning nodig voor kinderopvang?" in found
    none = client.get("/vragen?q=zwembad")
    assert none.status_code == 200 and "0 antwoorden gevonden" in none.get_data(as_text=True)
    for odd in ("%22", "-", "%00", "&&&", "a" * 300, "x&page=abc", "x&page=999"):
        assert client.get(f"/vragen?q={odd}").status_code == 200


def test_the_public_search_pages_through_many_answers(client, asked):
    first, _second, _regs = asked
    for n in range(12):
        services.save_entry(_data(first.topic_id, [], question=f"Vraag {n:02} over een vergunning?"))
    first_page = client.get("/vragen?q=vergunning").get_data(as_text=True)
    assert "Pagina 1 van 2" in first_page and 'rel="next"' in first_page
    second_page = client.get("/vragen?q=vergunning&page=2").get_data(as_text=True)
    assert second_page.count("<summary>") == 2


# --------------------------------------------------------------------------- PostgreSQL


def test_dutch_full_text_search_stems_plurals_but_not_diminutives(app, asked):
    """What PostgreSQL's Dutch snowball stemmer really does: "vergunningen" and "vergunning" are
    both "vergunn", so a plural finds the singular; a diminutive keeps its ending ("kindje" is
    "kindj", "kind" is "kind", "kinderen" is "kinder"), so "kindje" finds only "kindje"."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Dutch full-text search runs on PostgreSQL")
    first, _second, _regs = asked
    for question, answer in (
        ("Heb ik een vergunning nodig?", "Ja, van Opgroeien."),
        ("Mag ik mijn eigen kind meetellen?", "Ja, tot het drie jaar is."),
        ("Hoe breng ik een kindje aan het slapen?", "Met een vast ritueel."),
    ):
        services.save_entry(_data(first.topic_id, [], question=question, answer=answer))
    assert [e.question for e in services.search("vergunningen").items] == ["Heb ik een vergunning nodig?"]
    assert [e.question for e in services.search("kindjes").items] == []
    found = [e.question for e in services.search("kindje").items]
    assert found == ["Hoe breng ik een kindje aan het slapen?"]
    assert [e.question for e in services.search("kind").items] == ["Mag ik mijn eigen kind meetellen?"]
    assert services.search("kinderen").items == []
    assert services.search("vergunningen -opgroeien").items == []  # web search syntax: minus excludes


def test_the_search_uses_the_full_text_index(app, asked):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the index is PostgreSQL's")
    from sqlalchemy import text

    first, _second, _regs = asked
    services.save_entry(_data(first.topic_id, []))
    captured = []
    real_execute = db.session.scalars

    def capture(statement, *args, **kw):
        captured.append(statement)
        return real_execute(statement, *args, **kw)

    db.session.scalars = capture
    try:
        services.search("vergunningen")
    finally:
        db.session.scalars = real_execute
    compiled = captured[-1].compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}".replace("%", "%%")).scalars().all()
    assert any("ix_faq_entries_search" in line for line in plan), plan


# --------------------------------------------------------------------------- the deck


def _notes_of_question_slides(deck: bytes) -> str:
    from pptx import Presentation

    prs = Presentation(io.BytesIO(deck))
    return "\n".join(
        slide.notes_slide.notes_text_frame.text
        for slide in prs.slides
        if slide.shapes.title is not None and slide.shapes.title.text.startswith("Jullie vragen")
    )


def test_a_new_answer_rebuilds_the_deck_with_it_in_the_speaker_notes(client, login, asked):
    first, _second, regs = asked
    login(Role.EXPERT)
    before = client.get(f"/beheer/sessies/{first.id}/deck.pptx")
    assert before.status_code == 200
    assert "Elke kinderopvang heeft een vergunning" not in _notes_of_question_slides(before.data)
    services.save_entry(_data(first.topic_id, regs[:1]))
    notes = _notes_of_question_slides(client.get(f"/beheer/sessies/{first.id}/deck.pptx").data)
    assert "Antwoorden uit de veelgestelde vragen:" in notes
    assert "voor kinderopvang?\nJa. Elke kinderopvang heeft een vergunning" in notes
    assert notes.count("Heb ik een vergunning nodig voor kinderopvang?") == 1  # once, though asked twice


# --------------------------------------------------------------------------- the follow-up mail


def test_the_follow_up_to_attendees_answers_the_question_they_sent(make_session, make_registration):
    from sqlalchemy import select

    from app.outbox.models import OutboxMessage
    from materials.mailings import services as mailings
    from materials.mailings.models import Segment
    from registrations import attendance
    from sessions import services as sessions
    from tests.support.registrations import begin, rendered

    session = make_session()
    asker = make_registration(
        session, "vroeg@example.com", "confirmed", questions="Heb ik een vergunning nodig?"
    )
    other = make_registration(session, "stil@example.com", "confirmed", questions="Mag mijn hond mee?")
    services.save_entry(_data(session.topic_id, [asker]))
    session = begin(session)
    attendance.check_in(asker, None)
    attendance.check_in(other, None)
    sessions.complete_session(session)
    mailing = mailings.create_mailing(session.id, Segment.ATTENDEES)
    mailings.send_mailing(mailing.id)
    rendered()
    sent = {
        m.recipient: m
        for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.reference == f"mailing:{mailing.id}")
        )
    }
    answered = sent["vroeg@example.com"].text_body
    assert "Je vroeg: „Heb ik een vergunning nodig?”" in answered
    assert "Dit is het antwoord van onze experten:\n\nJa. Elke kinderopvang heeft een vergunning" in answered
    assert "Je vroeg" not in sent["stil@example.com"].text_body


def test_the_fallback_search_cuts_plural_and_diminutive_endings(asked):
    if db.engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL uses its Dutch stemmer")
    first, _second, _regs = asked
    services.save_entry(_data(first.topic_id, []))  # "… een vergunning nodig voor kinderopvang?"
    assert services.search("vergunningen").total == 1
    assert services.search("VERGUNNINGEN kinderopvang").total == 1
    assert services.search("vergunningen zwembad").total == 0


def test_an_expert_edits_and_deletes_an_answer(client, login, asked):
    first, second, regs = asked
    entry = services.save_entry(_data(first.topic_id, regs[:3]))
    login(Role.EXPERT)
    form = client.get(f"/beheer/vragen/{entry.id}")
    assert form.status_code == 200 and "Heb ik een vergunning nodig voor kinderopvang?" in form.get_data(
        as_text=True
    )
    changed = client.post(
        f"/beheer/vragen/{entry.id}",
        data={
            "topic_id": first.topic_id,
            "theme": "vergunning",
            "question": "Vergunning nodig?",
            "answer": "Ja.",
        },
    )
    assert changed.status_code == 302
    assert "<summary>Vergunning nodig?</summary>" in client.get(f"/sessies/{second.id}").get_data(
        as_text=True
    )
    assert services.answers_for([regs[0].id]) == {regs[0].id: entry}  # the links stay
    assert client.post(f"/beheer/vragen/{entry.id}/verwijderen").status_code == 302
    assert "Veelgestelde vragen" not in client.get(f"/sessies/{second.id}").get_data(as_text=True)
    assert client.get(f"/beheer/vragen/{entry.id}").status_code == 404
