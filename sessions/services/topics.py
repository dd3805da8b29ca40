"""Topics: what a session is about, with its default agenda (admins edit them)."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.database import atomic
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from sessions.models import AgendaBlock, Topic


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "sessie"


def list_topics(active_only: bool = True) -> list[Topic]:
    query = select(Topic).order_by(Topic.title).options(selectinload(Topic.agenda_blocks))
    if active_only:
        query = query.where(Topic.active)
    return list(db.session.scalars(query))


def list_topic_choices() -> list[tuple[str, str]]:
    """(slug, title) of the active topics, for filter menus: one light query."""
    return list(db.session.execute(select(Topic.slug, Topic.title).where(Topic.active).order_by(Topic.title)))


def get_topic(topic_id: int) -> Topic:
    topic = db.session.get(Topic, topic_id)
    if topic is None:
        raise NotFound(_l("Dit thema bestaat niet."))
    return topic


@atomic
def save_topic(
    topic: Topic | None,
    *,
    title: str,
    description: str = "",
    audience: str = "",
    default_duration_minutes: int = 120,
    agenda: list[tuple[str, int]] | None = None,
    slug: str | None = None,
    active: bool = True,
) -> Topic:
    """Create or update a topic and its default agenda (a list of (title, minutes)).

    Raises DomainError when the slug is taken or the agenda's minutes are not positive.
    """
    slug = slugify(slug or title)
    clash = db.session.scalar(
        select(Topic.id).where(Topic.slug == slug, Topic.id != (topic.id if topic else -1))
    )
    if clash:
        raise DomainError(
            _l("Er bestaat al een thema met deze korte naam (%(slug)s).", slug=slug), field="slug"
        )
    if default_duration_minutes <= 0:
        raise DomainError(_l("De duur moet positief zijn."), field="default_duration_minutes")
    topic = topic or Topic()
    topic.slug, topic.title, topic.description, topic.audience = slug, title.strip(), description, audience
    topic.default_duration_minutes, topic.active = default_duration_minutes, active
    if agenda is not None:
        if any(minutes <= 0 for _, minutes in agenda):
            raise DomainError(_l("Elk agendapunt heeft een positieve duur."), field="agenda")
        existing = {block.key: block for block in topic.agenda_blocks}
        blocks = []
        for position, (block_title, minutes) in enumerate(agenda):
            key = slugify(block_title)
            block = existing.get(key) or AgendaBlock(key=key)
            block.position, block.title, block.minutes = position, block_title.strip(), minutes
            blocks.append(block)
        topic.agenda_blocks = blocks
    # The blocks are rows of their own: stamp the topic so pages cached by it (the session
    # page shows the agenda) see the change.
    topic.updated_at = utcnow()
    db.session.add(topic)
    db.session.commit()
    return topic
