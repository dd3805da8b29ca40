"""A built deck is kept by the version of its data: the second download reads it, a change to
anything the deck shows builds it again."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from pptx import Presentation
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from materials import decks as decks_package
from materials.decks import cache, services
from materials.decks.services import generating
from materials.decks.template import build_default_master
from registrations.models import Registration
from sessions import services as sessions


@pytest.fixture
def builds(monkeypatch):
    """The sessions whose deck was built (not read from the store), in order."""
    built = []
    real = services.build_session_deck

    def counting(session, logo=None):
        built.append(session.id)
        return real(session, logo)

    monkeypatch.setattr(generating, "build_session_deck", counting)
    return built


@pytest.fixture
def session(make_session, make_registration):
    session = make_session()
    for n in range(5):
        make_registration(session, status="confirmed", questions=f"Hoeveel kost een vergunning? ({n})")
    return session


def _download(client, session) -> bytes:
    response = client.get(f"/beheer/sessies/{session.id}/deck.pptx")
    assert response.status_code == 200
    return response.data


def test_the_second_download_reads_the_stored_deck(client, login, session, builds):
    login(Role.EXPERT)
    first = _download(client, session)
    second = _download(client, session)
    assert second == first
    assert builds == [session.id]
    assert [path.name for path in cache.folder().iterdir()] == [
        f"sessie-{session.id}-{services.deck_version(session)}.pptx"
    ]


def _first_registration(session) -> Registration:
    return db.session.scalars(
        select(Registration).where(Registration.session_id == session.id).order_by(Registration.id)
    ).first()


def _text(deck: bytes) -> str:
    prs = Presentation(io.BytesIO(deck))
    return "\n".join(
        shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame
    )


def test_a_new_registration_changes_the_deck(client, login, session, make_registration, builds):
    login(Role.EXPERT)
    _download(client, session)
    make_registration(session, status="confirmed", questions="Mag mijn hond mee in de opvang?")
    assert "Mag mijn hond mee in de opvang?" in _text(_download(client, session))
    assert len(builds) == 2


def test_an_edited_question_changes_the_deck(client, login, session, builds):
    login(Role.EXPERT)
    _download(client, session)
    registration = _first_registration(session)
    registration.questions = "Welke verzekering heb ik nodig?"
    db.session.commit()
    text = _text(_download(client, session))
    assert "Welke verzekering heb ik nodig?" in text and "Hoeveel kost een vergunning? (0)" not in text


def _change_title(session, **_):
    session.title = "Een avond over subsidies"
    db.session.commit()


def _change_venue(session, make_venue, **_):
    session.venue = make_venue(name="Zaal Nieuw")
    db.session.commit()


def _rename_venue(session, **_):
    session.venue.name = "Zaal Hernoemd"
    db.session.commit()


def _add_presenter(session, make_user, **_):
    presenter = make_user(Role.EXPERT, name="Nieuwe Presentator")
    session.presenters.append(presenter)
    db.session.commit()


def _rename_presenter(session, make_user, **_):
    presenter = make_user(Role.EXPERT, name="Eerst Zo")
    session.presenters.append(presenter)
    db.session.commit()
    before = services.deck_version(session)
    presenter.name = "Dan Anders"
    db.session.commit()
    assert services.deck_version(session) != before


def _edit_agenda(session, **_):
    session.topic.agenda_blocks[0].title = "Welkom allemaal"
    db.session.commit()


def _edit_topic(session, **_):
    session.topic.title = "Een nieuw thema"
    db.session.commit()


def _add_library_slide(session, **_):
    key = session.topic.agenda_blocks[0].key
    data = services.BlockData("Welkom hier", "Fijn dat je er bent")
    services.save_block(None, data, topic=session.topic, key=key)


def _edit_shared_slide(session, **_):
    key = session.topic.agenda_blocks[0].key
    block = services.save_block(None, services.BlockData("Gedeeld", "Eerst"), key=key)
    before = services.deck_version(session)
    services.save_block(block, services.BlockData("Gedeeld", "Daarna"), key=key)
    assert services.deck_version(session) != before


def _cancel_a_registration(session, **_):
    from registrations import services as registrations

    registration = _first_registration(session)
    registrations.cancel_registration(registration)


def _later_session(session, make_session, **_):
    make_session(topic=session.topic, days=40)


def _upload_master(session, **_):
    master = Presentation(io.BytesIO(build_default_master()))
    master.core_properties.title = "Huisstijl"
    out = io.BytesIO()
    master.save(out)
    services.upload_master(io.BytesIO(out.getvalue()), "huisstijl.pptx")


def _new_logo(session, monkeypatch, logo, **_):
    monkeypatch.setattr(generating, "agency_logo", lambda: logo)


def _language(session, **_):
    session.language = "en"
    db.session.commit()


def _reschedule(session, **_):
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    db.session.commit()


@pytest.mark.parametrize(
    "change",
    [
        _change_title,
        _change_venue,
        _rename_venue,
        _add_presenter,
        _rename_presenter,
        _edit_agenda,
        _edit_topic,
        _add_library_slide,
        _edit_shared_slide,
        _cancel_a_registration,
        _later_session,
        _upload_master,
        _new_logo,
        _language,
        _reschedule,
    ],
)
def test_a_change_to_what_the_deck_shows_gives_it_a_new_version(
    session, change, make_session, make_venue, make_user, monkeypatch, logo
):
    before = services.deck_version(session, generating.agency_logo())
    change(
        session,
        make_session=make_session,
        make_venue=make_venue,
        make_user=make_user,
        monkeypatch=monkeypatch,
        logo=logo,
    )
    db.session.expire_all()
    session = sessions.get_session(session.id)
    assert services.deck_version(session, generating.agency_logo()) != before


def test_nothing_changed_gives_the_same_version(session):
    before = services.deck_version(session)
    db.session.expire_all()
    assert services.deck_version(sessions.get_session(session.id)) == before


def test_a_registration_for_the_topics_next_date_keeps_the_deck(session, make_session, make_registration):
    """The closing slide lists the topic's next dates by day and place: people registering for
    one of them change nothing the deck shows."""
    later = make_session(topic=session.topic, days=40)
    before = services.deck_version(sessions.get_session(session.id))
    make_registration(later, status="confirmed")
    db.session.expire_all()
    assert services.deck_version(sessions.get_session(session.id)) == before


def test_a_session_keeps_one_stored_deck_and_the_store_keeps_to_its_limits(app, monkeypatch):
    cache.put(1, "a" * 64, b"deck one, first version")
    cache.put(1, "b" * 64, b"deck one, second version")
    assert cache.get(1, "a" * 64) is None
    assert cache.get(1, "b" * 64) == b"deck one, second version"
    cache.clear()
    assert cache.get(1, "b" * 64) is None
    monkeypatch.setattr(cache, "MAX_FILES", 3)
    for session_id in range(2, 7):
        cache.put(session_id, "c" * 64, b"x" * 10)
        os.utime(cache.folder() / f"sessie-{session_id}-{'c' * 64}.pptx", (session_id, session_id))
    cache.put(7, "c" * 64, b"x" * 10)
    kept = sorted(path.name.split("-")[1] for path in cache.folder().iterdir())
    assert kept == ["5", "6", "7"]  # the least recently used went first


def test_a_store_that_cannot_be_written_still_serves_the_deck(client, login, session, app, tmp_path, builds):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    app.config["DECK_CACHE_FOLDER"] = str(blocked)
    login(Role.EXPERT)
    for _ in range(2):
        deck = Presentation(io.BytesIO(_download(client, session)))
        assert deck.slides[0].shapes.title.text == session.display_title
    assert len(builds) == 2


def test_every_module_of_the_deck_code_is_part_of_the_decks_version():
    """A deck stored before a deploy that changed how decks are drawn is not served after it: the
    version hashes the source of every module of materials/decks, in its sub-packages too."""
    package = Path(decks_package.__file__).resolve().parent
    modules = set(package.rglob("*.py"))
    assert {p.parent.name for p in modules} >= {"decks", "builder", "services"}
    assert modules <= set(generating.code_files())
