"""The expert's final version of a deck: uploaded, it replaces the generated one for its session."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import uploads
from app.database import atomic
from app.errors import DomainError
from app.extensions import db
from app.timezone import local
from materials.decks.models import FinalDeck
from sessions.models import InfoSession

FINAL_AREA = "final-decks"


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
