"""A session's deck: gathered from the database, built on the current master, or replaced by the
expert's final version; the slide-block library; the master template.

A deck is built on request and kept by the version of its data (`deck_version`, cache.py): the
first download after a change builds it (a few hundred milliseconds, bench/decks.py), every
other one reads the stored file. So a deck always shows the registrations as they are now.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select

from app import uploads
from app.auth.models import User
from app.database import atomic
from app.errors import DomainError, NotFound
from app.extensions import db
from app.i18n import long_date, long_datetime, short_time
from app.timezone import local
from materials.decks import cache, content
from materials.decks.builder import AgendaEntry, ContentSlide, DeckData, NextSession, build_deck
from materials.decks.models import DeckMaster, FinalDeck, SlideBlock
from materials.decks.template import check_master, default_master
from materials.faq import services as faq
from registrations.models import Registration, RegistrationStatus
from registrations.questions.models import RegistrationQuestion
from sessions import services as sessions
from sessions.models import AgendaBlock, InfoSession, Topic, session_presenters

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
            Registration.id,
            Registration.answers,
        ).where(Registration.session_id == session.id)
    ).all()
    counted = [row for row in rows if row.status in COUNTED]
    profiles = [content.Profile(r.childcare_type, r.province, r.planned_start, r.legal_form) for r in counted]
    names = content.name_patterns([(r.first_name, r.last_name) for r in rows])
    asking = [r for r in rows if r.status in ASKING and (r.questions or "").strip()]
    questions = content.scrub([r.questions for r in asking], names)
    known = faq.answers_for([r.id for r in asking])
    answers = [(known[r.id].question, known[r.id].answer) if r.id in known else None for r in asking]
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
                    divider=True,
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
        answer_charts=content.answer_charts([r.answers for r in counted]),
        content=slides,
        questions=content.group_questions(questions, answers),
        intake_url=intake_url(),
        next_sessions=[NextSession(long_datetime(s.starts_at), place_of(s)) for s in upcoming],
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


def agency_logo() -> bytes | None:
    """The agency's logo for the slides (PNG or JPEG bytes), or None for no logo.

    The logo an admin uploaded on /beheer/huisstijl (app.branding); its bytes are part of every
    deck's version, so a new logo rebuilds the decks. An SVG logo stays off the slides: python-pptx
    places raster images only, and the header's SVG has no raster twin yet.
    """
    from app.branding import current_logo

    logo = current_logo()
    return logo.data if logo is not None and logo.kind in ("png", "jpeg") else None


def generate_deck(session: InfoSession) -> bytes:
    """The deck as the data stands now, in the session's language: the stored deck of this
    version of its data, else built now and stored.

    The version is read before the data: a change committed in between makes a newer version,
    so a deck is never stored under a version older than its contents.

    Raises TemplateInvalid when the uploaded master can no longer be used (checked on upload,
    so only if its file was changed on disk).
    """
    logo = agency_logo()
    current = deck_version(session, logo)
    data = cache.get(session.id, current)
    if data is None:
        data = build_session_deck(session, logo)
        cache.put(session.id, current, data)
    return data


def build_session_deck(session: InfoSession, logo: bytes | None = None) -> bytes:
    """The deck built now, without the store (the benchmark's uncached case)."""
    with force_locale(session.language or "nl"):
        return build_deck(master_bytes(), deck_data(session), logo)


@lru_cache(maxsize=1)
def code_version() -> str:
    """What of the code decides a deck's bytes: this package's source, the compiled translations
    and the versions of the libraries that write the file. Read once per process."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    app_folder = here.parents[1] / "app"
    for path in [
        *sorted(here.glob("*.py")),
        app_folder / "i18n.py",
        app_folder / "geo.py",
        *sorted(app_folder.glob("translations/*/LC_MESSAGES/messages.mo")),
    ]:
        digest.update(path.name.encode())
        if path.exists():
            digest.update(path.read_bytes())
    for package in ("python-pptx", "XlsxWriter", "qrcode", "Babel", "startklaar"):
        try:
            digest.update(f"{package} {version(package)}".encode())
        except PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


def _master_version() -> tuple:
    master = current_master()
    if master is None:
        return ("default",)
    try:
        info = os.stat(uploads.open_stored(master.file_key))
    except (NotFound, OSError):
        return ("missing", master.id)
    return (master.id, master.file_key, info.st_mtime_ns, info.st_size)


def deck_version(session: InfoSession, logo: bytes | None = None) -> str:
    """What tells one state of a session's deck from another, as a hex digest: everything the
    deck is made of, by identity and last change, not by content.

    Per row (id, updated_at) for the registrations and the library's slides, not a count and a
    maximum: `updated_at` is stamped at flush, so two transactions can commit in the other order
    than their stamps, and a maximum would then miss the older stamp. Agenda blocks have no
    timestamp and are few: their values themselves. Presenters change in a link table that does
    not touch the session's row: their ids and their own stamps. The next sessions of the topic
    change with the clock too: whichever they are now.
    """
    parts: list[object] = [
        code_version(),
        current_app.config.get("BASE_URL", ""),
        session.language or "nl",
        (session.id, session.updated_at, session.topic_id, session.topic.updated_at),
        (session.venue_id, session.venue.updated_at if session.venue is not None else None),
        _master_version(),
        hashlib.sha256(logo).hexdigest() if logo else None,
    ]
    parts.extend(
        db.session.execute(
            select(User.id, User.updated_at)
            .join(session_presenters, session_presenters.c.user_id == User.id)
            .where(session_presenters.c.session_id == session.id)
            .order_by(User.id)
        ).all()
    )
    parts.append("agenda")
    parts.extend(
        db.session.execute(
            select(AgendaBlock.id, AgendaBlock.position, AgendaBlock.key, AgendaBlock.title)
            .add_columns(AgendaBlock.minutes)
            .where(AgendaBlock.topic_id == session.topic_id)
            .order_by(AgendaBlock.id)
        ).all()
    )
    parts.append("registrations")
    parts.extend(
        db.session.execute(
            select(Registration.id, Registration.updated_at)
            .where(Registration.session_id == session.id)
            .order_by(Registration.id)
        ).all()
    )
    parts.append("answers")
    parts.extend(faq.answers_version(session.id))
    parts.append("questions")  # the team's registration questions (the answers are registrations')
    parts.extend(
        db.session.execute(
            select(RegistrationQuestion.id, RegistrationQuestion.updated_at)
            .where(
                or_(
                    RegistrationQuestion.topic_id == session.topic_id,
                    RegistrationQuestion.session_id == session.id,
                )
            )
            .order_by(RegistrationQuestion.id)
        ).all()
    )
    parts.append("library")
    parts.extend(
        db.session.execute(
            select(SlideBlock.id, SlideBlock.updated_at)
            .where(or_(SlideBlock.topic_id == session.topic_id, SlideBlock.topic_id.is_(None)))
            .order_by(SlideBlock.id)
        ).all()
    )
    parts.append("next")
    for other in sessions.next_sessions_of_topic(session.topic_id, exclude_id=session.id):
        venue = other.venue
        parts.append((other.id, other.updated_at, other.venue_id, venue.updated_at if venue else None))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


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
