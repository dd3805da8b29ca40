from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import TimestampMixin
from app.extensions import db


class SlideBlock(TimestampMixin, db.Model):
    """A reusable content slide for one agenda block.

    Matched by the agenda block's stable key (the slug of its title): for one topic when
    `topic_id` is set, else for every topic with a block of that key ("welkom", "pauze"). Tied
    to the key rather than the block's row, because editing a topic's agenda keeps keys, not rows.
    """

    __tablename__ = "slide_blocks"
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    block_key: Mapped[str] = mapped_column(String(80), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    bullets: Mapped[str] = mapped_column(Text, default="")  # one bullet per line
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def bullet_list(self) -> list[str]:
        return [line.strip() for line in self.bullets.splitlines() if line.strip()]


class DeckMaster(TimestampMixin, db.Model):
    """An uploaded master template; the newest one replaces the built-in default for every deck."""

    __tablename__ = "deck_masters"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_key: Mapped[str] = mapped_column(String(255))
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FinalDeck(TimestampMixin, db.Model):
    """The expert's own final version of a session's deck, served instead of the generated one."""

    __tablename__ = "final_decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("info_sessions.id", ondelete="CASCADE"), unique=True)
    file_key: Mapped[str] = mapped_column(String(255))
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
