"""A session's deck: gathered from the database, built on the current master, or replaced by the
expert's final version; the slide-block library; the master template.

Generating on request (no cache): a deck is built in a fraction of a second (see bench/decks.py)
and then always reflects the registrations as they are now.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select

from app import uploads
from app.database import atomic
from app.errors import DomainError, NotFound
from app.extensions import db
from app.i18n import long_date, long_datetime, short_time
from app.timezone import local
from materials.decks import content
from materials.decks.builder import AgendaEntry, ContentSlide, DeckData, build_deck
from materials.decks.models import DeckMaster, FinalDeck, SlideBlock
from materials.decks.template import check_master, default_master
from registrations.models import Registration, RegistrationStatus
from sessions import services as sessions
from sessions.models import InfoSession, Topic

MASTER_AREA = "deck-masters"
FINAL_AREA = "final-decks"
#: Whose profile the audience slide shows: people who confirmed (or came).
COUNTED = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
#: Whose questions the questions slides show: everyone still expected, or who came.
ASKING = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.ATTENDED,
)
INTAKE_PATH = "/kennismakingsgesprek"


# --------------------------------------------------------------------------- gathering


def place_of(session: InfoSession) -> str:
    if session.venue is None:
        return _("online")
    where = f"{session.venue.name}, {session.venue.municipality}"
    return where + (_(" en online") if session.format.value == "hybrid" else "")


def placeholder_values(session: InfoSession, registered: int) -> dict[str, str]:
    return {
        "thema": session.topic.title,
        "sessie_datum": long_datetime(session.starts_at),
        "sessie_dag": long_date(session.starts_at),
        "sessie_uur": short_time(session.starts_at),
        "locatie": place_of(session),
        "plaatsen": str(session.capacity),
        "inschrijvingen": str(registered),
        "presentatoren": ", ".join(p.name for p in session.presenters),
    }


def _library(topic: Topic) -> tuple[dict[str, list[SlideBlock]], dict[str, list[SlideBlock]]]:
    """The topic's own slides and the shared ones, each per agenda-block key, in order."""
    own: dict[str, list[SlideBlock]] = {}
    shared: dict[str, list[SlideBlock]] = {}
    for block in db.session.scalars(
        select(SlideBlock)
        .where(or_(SlideBlock.topic_id == topic.id, SlideBlock.topic_id.is_(None)))
        .order_by(SlideBlock.position, SlideBlock.id)
    ):
        (own if block.topic_id else shared).setdefault(block.block_key, []).append(block)
    return own, shared


def blocks_for(topic: Topic) -> dict[str, list[SlideBlock]]:
    """The library's slides per agenda-block key: the topic's own, else the shared ones."""
    own, shared = _library(topic)
    return {key: own.get(key) or shared.get(key, []) for key in {*own, *shared}}


def deck_data(session: InfoSession) -> DeckData:
    """Everything the slides show, from the session, its topic, registrations and the library."""
    rows = db.session.execute(
        select(
            Registration.status,
            Registration.first_name,
            Registration.last_name,
            Registration.childcare_type,
            Registration.province,
            Registration.planned_start,
            Registration.legal_form,
            Registration.questions,
        ).where(Registration.session_id == session.id)
    ).all()
    counted = [row for row in rows if row.status in COUNTED]
    profiles = [content.Profile(r.childcare_type, r.province, r.planned_start, r.legal_form) for r in counted]
    names = content.name_patterns([(r.first_name, r.last_name) for r in rows])
    questions = content.scrub(
        [r.questions for r in rows if r.status in ASKING and (r.questions or "").strip()], names
    )
    values = placeholder_values(session, len(counted))
    agenda = sessions.agenda_times(session)
    library = blocks_for(session.topic)
    slides: list[ContentSlide] = []
    for item, block in zip(agenda, session.topic.agenda_blocks, strict=False):
        when = f"{short_time(item.starts_at)}–{short_time(item.ends_at)}"
        if not library.get(block.key):
            # No slide in the library yet: a divider keeps the deck in step with the agenda.
            slides.append(
                ContentSlide(
                    title=item.title,
                    bullets=[when],
                    notes=_("Nog geen dia voor dit agendapunt: voeg er een toe bij de dia's van het thema."),
                    block=item.title,
                    when=when,
                )
            )
        for entry in library.get(block.key, []):
            slides.append(
                ContentSlide(
                    title=content.fill(entry.title, values),
                    bullets=[content.fill(b, values) for b in entry.bullet_list],
                    notes=content.fill(entry.notes, values),
                    block=item.title,
                    when=when,
                )
            )
    upcoming = sessions.next_sessions_of_topic(session.topic_id, exclude_id=session.id)
    return DeckData(
        title=session.display_title,
        date_line=long_datetime(session.starts_at),
        footer_date=long_date(session.starts_at),
        place=place_of(session),
        presenters=[p.name for p in session.presenters],
        agenda=[
            AgendaEntry(short_time(i.starts_at), short_time(i.ends_at), i.title, i.minutes) for i in agenda
        ],
        registered=len(counted),
        charts=content.audience_charts(profiles, local(session.starts_at).date()),
        content=slides,
        questions=content.group_questions(questions),
        intake_url=intake_url(),
        next_sessions=[f"{long_datetime(s.starts_at)} — {place_of(s)}" for s in upcoming],
        evening=session.is_evening,
    )


def intake_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + INTAKE_PATH


# --------------------------------------------------------------------------- the master


def current_master() -> DeckMaster | None:
    return db.session.scalar(select(DeckMaster).order_by(DeckMaster.id.desc()).limit(1))


def master_bytes() -> bytes:
    """The uploaded master if there is one (and its file is still there), else the default."""
    master = current_master()
    if master is not None:
        try:
            return uploads.open_stored(master.file_key).read_bytes()
        except NotFound:
            current_app.logger.error("deck master %s is missing on disk; using the default", master.file_key)
    return default_master()


@atomic
def upload_master(stream: BinaryIO, filename: str, user=None) -> DeckMaster:
    """Make an uploaded .pptx the master of every deck.

    Raises UploadRefused (not a PowerPoint file by its content, too big, empty) or
    TemplateInvalid (python-pptx cannot open it, it is not 16:9, or it lacks a title-and-content
    layout). Nothing is kept of a refused file.
    """
    stored = uploads.store_upload(stream, filename=filename, area=MASTER_AREA, allowed={"pptx"})
    try:
        check_master(uploads.open_stored(stored.key).read_bytes())
        previous = list(db.session.scalars(select(DeckMaster)))
        master = DeckMaster(
            file_key=stored.key, original_name=stored.original_name, uploaded_by_id=getattr(user, "id", None)
        )
        db.session.add(master)
        for old in previous:
            db.session.delete(old)
        db.session.commit()
    except BaseException:
        uploads.delete_stored(stored.key)
        raise
    for old in previous:
        uploads.delete_stored(old.file_key)
    return master


@atomic
def reset_master() -> None:
    """Back to the built-in default master."""
    keys = [m.file_key for m in db.session.scalars(select(DeckMaster))]
    db.session.execute(delete(DeckMaster))
    db.session.commit()
    for key in keys:
        uploads.delete_stored(key)


# --------------------------------------------------------------------------- decks


def generate_deck(session: InfoSession) -> bytes:
    """The deck as the data stands now, in the session's language.

    Raises TemplateInvalid when the uploaded master can no longer be used (checked on upload,
    so only if its file was changed on disk).
    """
    with force_locale(session.language or "nl"):
        return build_deck(master_bytes(), deck_data(session))


def final_deck(session: InfoSession) -> FinalDeck | None:
    return db.session.scalar(select(FinalDeck).where(FinalDeck.session_id == session.id))


def final_deck_path(final: FinalDeck) -> Path:
    return uploads.open_stored(final.file_key)


def deck_filename(session: InfoSession, *, final: bool = False) -> str:
    day = local(session.starts_at).date()
    suffix = "-definitief" if final else ""
    return f"infosessie-{day:%Y-%m-%d}-{session.topic.slug}{suffix}.pptx"


@atomic
def upload_final(session: InfoSession, stream: BinaryIO, filename: str, user=None) -> FinalDeck:
    """Store the expert's final version; it replaces the generated deck for this session.

    Raises UploadRefused when the content is not a PowerPoint file (or too big, or empty) and
    DomainError when python-pptx cannot open it (a broken file the room's laptop would refuse).
    """
    stored = uploads.store_upload(stream, filename=filename, area=FINAL_AREA, allowed={"pptx"})
    try:
        _must_open(uploads.open_stored(stored.key))
        final = final_deck(session)
        old_key = final.file_key if final else None
        final = final or FinalDeck(session_id=session.id)
        final.file_key, final.original_name = stored.key, stored.original_name
        final.uploaded_by_id = getattr(user, "id", None)
        db.session.add(final)
        db.session.commit()
    except BaseException:
        uploads.delete_stored(stored.key)
        raise
    if old_key:
        uploads.delete_stored(old_key)
    return final


def _must_open(path: Path) -> None:
    from pptx import Presentation

    try:
        Presentation(str(path))
    except Exception as error:  # python-pptx raises many kinds for a broken package
        raise DomainError(_l("Dit PowerPoint-bestand kunnen we niet openen."), field="file") from error


@atomic
def remove_final(session: InfoSession) -> None:
    """Back to the generated deck; removing when there is none changes nothing."""
    final = final_deck(session)
    if final is None:
        return
    key = final.file_key
    db.session.delete(final)
    db.session.commit()
    uploads.delete_stored(key)


# --------------------------------------------------------------------------- the slide-block library


@dataclass
class BlockData:
    title: str
    bullets: str = ""
    notes: str = ""


def library_overview(topic: Topic) -> list[tuple[object, list[SlideBlock], bool]]:
    """(agenda block, its slides, whether they are the topic's own or shared) per agenda block."""
    own, shared = _library(topic)
    return [
        (agenda, own.get(agenda.key) or shared.get(agenda.key, []), agenda.key in own)
        for agenda in topic.agenda_blocks
    ]


def get_block(block_id: int) -> SlideBlock:
    block = db.session.get(SlideBlock, block_id)
    if block is None:
        raise NotFound(_l("Deze dia bestaat niet (meer)."))
    return block


def _clean_block(data: BlockData) -> BlockData:
    title = " ".join((data.title or "").split())
    if not title:
        raise DomainError(_l("Geef de dia een titel."), field="title")
    if len(title) > 200:
        raise DomainError(_l("De titel is te lang (maximaal 200 tekens)."), field="title")
    bullets = "\n".join(line.strip() for line in (data.bullets or "").splitlines() if line.strip())
    if len(bullets) > 4000 or len(data.notes or "") > 8000:
        raise DomainError(_l("Deze dia heeft te veel tekst; verdeel hem over meer dia's."), field="bullets")
    return BlockData(title, bullets, (data.notes or "").strip())


@atomic
def save_block(
    block: SlideBlock | None, data: BlockData, *, topic: Topic | None = None, key: str = ""
) -> SlideBlock:
    """Create a slide for `key` (of `topic`, or shared when topic is None) or update `block`.

    Raises DomainError for an empty or too long title, or too much text.
    """
    data = _clean_block(data)
    if block is None:
        if not key:
            raise DomainError(_l("Kies bij welk agendapunt de dia hoort."), field="block_key")
        position = db.session.scalar(
            select(SlideBlock.position)
            .where(SlideBlock.block_key == key, SlideBlock.topic_id == (topic.id if topic else None))
            .order_by(SlideBlock.position.desc())
            .limit(1)
        )
        block = SlideBlock(topic_id=topic.id if topic else None, block_key=key, position=(position or 0) + 1)
        db.session.add(block)
    block.title, block.bullets, block.notes = data.title, data.bullets, data.notes
    db.session.commit()
    return block


@atomic
def delete_block(block: SlideBlock) -> None:
    db.session.delete(block)
    db.session.commit()
