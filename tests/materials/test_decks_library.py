"""The master template an admin uploads, the slide-block library experts edit, and the demo."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from materials.decks import services
from materials.decks.models import DeckMaster, SlideBlock
from materials.decks.template import build_default_master
from sessions import services as session_services
from sessions.models import InfoSession


def _pptx(prs) -> bytes:
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _post_master(client, data: bytes, name: str = "huisstijl.pptx"):
    return client.post(
        "/beheer/presentatiesjabloon",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_an_admin_uploads_a_master_and_every_deck_uses_it(client, login, make_session):
    login(Role.ADMIN)
    master = Presentation(io.BytesIO(build_default_master()))
    master.core_properties.title = "Huisstijl van het agentschap"
    marker = master.slides.add_slide(master.slide_layouts[0])  # an example slide, to be dropped
    marker.shapes.title.text = "Voorbeelddia"
    response = _post_master(client, _pptx(master))
    assert response.status_code == 302
    assert "huisstijl.pptx" in client.get("/beheer/presentatiesjabloon").get_data(as_text=True)

    deck = Presentation(io.BytesIO(services.generate_deck(make_session())))
    assert deck.core_properties.title == "Huisstijl van het agentschap"
    assert "Voorbeelddia" not in [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]

    client.post("/beheer/presentatiesjabloon/standaard")
    assert db.session.scalar(select(DeckMaster)) is None
    deck = Presentation(io.BytesIO(services.generate_deck(make_session())))
    assert deck.core_properties.title == "Startklaar"


def test_a_four_by_three_master_is_refused_with_a_clear_message(client, login):
    login(Role.ADMIN)
    old = Presentation()  # python-pptx's own 4:3 template
    response = _post_master(client, _pptx(old))
    assert response.status_code == 422
    assert "breedbeeld (16:9)" in response.get_data(as_text=True)
    assert db.session.scalar(select(DeckMaster)) is None


def test_a_master_without_a_content_layout_is_refused(client, login):
    login(Role.ADMIN)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for layout in list(prs.slide_layouts):
        kinds = {ph.placeholder_format.type for ph in layout.placeholders}
        if PP_PLACEHOLDER.TITLE in kinds and kinds & {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}:
            prs.slide_layouts.remove(layout)
    response = _post_master(client, _pptx(prs))
    assert response.status_code == 422
    assert "geen lay-out met een titel en een tekstvak" in response.get_data(as_text=True)


def test_a_master_that_is_not_powerpoint_is_refused(client, login):
    login(Role.ADMIN)
    response = _post_master(client, b"PK\x03\x04 this is no zip at all", "sjabloon.pptx")
    assert response.status_code == 422
    assert "Toegelaten: PowerPoint" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.EXPERT, Role.STAFF])
def test_only_admins_change_the_master(client, login, role):
    login(role)
    assert client.get("/beheer/presentatiesjabloon").status_code == 403


def test_an_expert_edits_the_slide_of_an_agenda_block(client, login, make_session):
    session = make_session()
    topic = session.topic
    key = topic.agenda_blocks[1].key
    login(Role.EXPERT)
    page = client.get(f"/beheer/themas/{topic.id}/dias").get_data(as_text=True)
    assert topic.agenda_blocks[1].title in page
    response = client.post(
        f"/beheer/themas/{topic.id}/dias/{key}/nieuw",
        data={
            "title": "De tijdlijn in {locatie}",
            "bullets": "Eerst\n\nDan\n",
            "notes": "Teken de tijdlijn.",
        },
    )
    assert response.status_code == 302
    block = db.session.scalar(select(SlideBlock))
    assert (block.topic_id, block.block_key, block.bullet_list) == (topic.id, key, ["Eerst", "Dan"])
    deck = Presentation(io.BytesIO(services.generate_deck(session)))
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("De tijdlijn in"))
    assert slide.shapes.title.text == f"De tijdlijn in {session.venue.name}, {session.venue.municipality}"
    assert "Teken de tijdlijn." in slide.notes_slide.notes_text_frame.text


def test_editing_a_shared_slide_makes_the_topics_own_copy(client, login, make_topic):
    topic = make_topic()
    key = topic.agenda_blocks[0].key
    shared = services.save_block(None, services.BlockData("Welkom", "Iedereen"), key=key)
    login(Role.EXPERT)
    client.post(f"/beheer/themas/{topic.id}/dias/{shared.id}", data={"title": "Welkom hier", "bullets": ""})
    blocks = db.session.scalars(select(SlideBlock).order_by(SlideBlock.id)).all()
    assert [(b.topic_id, b.title) for b in blocks] == [(None, "Welkom"), (topic.id, "Welkom hier")]


def test_an_empty_slide_title_is_refused(client, login, make_topic):
    topic = make_topic()
    login(Role.EXPERT)
    response = client.post(
        f"/beheer/themas/{topic.id}/dias/{topic.agenda_blocks[0].key}/nieuw",
        data={"title": " ", "bullets": "x"},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(SlideBlock)) is None


def test_demo_decks_are_complete_with_charts_and_questions(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    sessions = db.session.scalars(select(InfoSession)).all()
    keys = {b.key for s in sessions for b in s.topic.agenda_blocks}
    assert keys <= set(db.session.scalars(select(SlideBlock.block_key)))
    busiest = max(sessions, key=lambda s: s.seats_taken)
    deck = Presentation(io.BytesIO(services.generate_deck(busiest)))
    names = [s.shapes.title.text for s in deck.slides]
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    assert any(n.startswith("Jullie vragen:") for n in names)
    covered = " ".join(s.notes_slide.notes_text_frame.text for s in deck.slides)
    for item in session_services.agenda_times(busiest):
        assert item.title in covered
