from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import TimestampMixin
from app.extensions import db
from sessions.models import Topic


class FaqEntry(TimestampMixin, db.Model):
    """A "veelgestelde vraag": the question as the public reads it and its answer, for a topic,
    in one of the deck's question themes."""

    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(String(300))
    answer: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    topic: Mapped[Topic] = relationship()

    def __repr__(self) -> str:
        return f"<FaqEntry {self.id} {self.theme}>"


class FaqLink(db.Model):
    """A registrant's question (the registration's `questions`) answered by an entry; a
    question has at most one answer."""

    __tablename__ = "faq_links"
    __table_args__ = (Index("ix_faq_links_entry_id", "entry_id"),)

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entries.id", ondelete="CASCADE"))
