"""The master every deck is built on: the one an admin uploaded, or the built-in default."""

from __future__ import annotations

import os
from typing import BinaryIO

from flask import current_app
from sqlalchemy import delete, select

from app import uploads
from app.database import atomic
from app.errors import NotFound
from app.extensions import db
from materials.decks.models import DeckMaster
from materials.decks.template import check_master, default_master

MASTER_AREA = "deck-masters"


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


def master_version() -> tuple:
    """What tells one master from another without reading it: its row, its file's size and time."""
    master = current_master()
    if master is None:
        return ("default",)
    try:
        info = os.stat(uploads.open_stored(master.file_key))
    except (NotFound, OSError):
        return ("missing", master.id)
    return (master.id, master.file_key, info.st_mtime_ns, info.st_size)
