"""A session's deck as its data stands now: kept by the version of that data (`deck_version`,
cache.py), so the first download after a change builds it (a few hundred milliseconds,
bench/decks.py) and every other one reads the stored file. So a deck always shows the
registrations as they are now."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select

from app.auth.models import User
from app.extensions import db
from materials.decks import cache
from materials.decks.builder import build_deck
from materials.decks.models import SlideBlock
from materials.decks.services.gathering import deck_data
from materials.decks.services.masters import master_bytes, master_version
from materials.faq import services as faq
from registrations.models import Registration
from registrations.questions.models import RegistrationQuestion
from sessions import services as sessions
from sessions.models import AgendaBlock, InfoSession, session_presenters


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


def code_files() -> list[Path]:
    """The source that decides a deck's bytes: every module of this package (the builder's and
    the services' rooms included), the date and place formatting, and the compiled translations."""
    here = Path(__file__).resolve().parents[1]  # materials/decks
    app_folder = here.parents[1] / "app"
    return [
        *sorted(here.rglob("*.py")),
        app_folder / "i18n.py",
        app_folder / "geo.py",
        *sorted(app_folder.glob("translations/*/LC_MESSAGES/messages.mo")),
    ]


@lru_cache(maxsize=1)
def code_version() -> str:
    """What of the code decides a deck's bytes: `code_files` and the versions of the libraries
    that write the file. Read once per process."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parents[1]
    for path in code_files():
        digest.update(str(path.relative_to(here.parents[1])).encode())
        if path.exists():
            digest.update(path.read_bytes())
    for package in ("python-pptx", "XlsxWriter", "qrcode", "Babel", "startklaar"):
        try:
            digest.update(f"{package} {version(package)}".encode())
        except PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


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
        master_version(),
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
        # Their date and place, not their seats: a registration for another date changes no deck.
        venue_stamp = venue.updated_at if venue else None
        parts.append((other.id, other.details_changed_at, other.venue_id, venue_stamp))
    return hashlib.sha256(repr(parts).encode()).hexdigest()
