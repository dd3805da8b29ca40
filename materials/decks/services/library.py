"""The slide-block library: the slides per agenda block, the topic's own or shared by all."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.database import atomic
from app.errors import DomainError, NotFound
from app.extensions import db
from materials.decks.models import SlideBlock
from materials.decks.services.gathering import topic_library
from sessions.models import Topic


@dataclass
class BlockData:
    title: str
    bullets: str = ""
    notes: str = ""


def library_overview(topic: Topic) -> list[tuple[object, list[SlideBlock], bool]]:
    """(agenda block, its slides, whether they are the topic's own or shared) per agenda block."""
    own, shared = topic_library(topic)
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
