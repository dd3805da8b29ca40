import enum
import secrets

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import TimestampMixin, str_enum
from app.extensions import db
from sessions.models import InfoSession, Topic


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # on the public session page, for anyone
    ATTENDEES = "attendees"  # through the signed link in a registrant's mail
    STAFF = "staff"  # logged-in staff, experts and admins only


def new_uid() -> str:
    return secrets.token_urlsafe(12)


class Material(TimestampMixin, db.Model):
    """A handout (a stored file) or a link, attached to one session or to a topic (all its sessions)."""

    __tablename__ = "materials"
    __table_args__ = (
        CheckConstraint("(session_id IS NULL) <> (topic_id IS NULL)", name="session_or_topic"),
        CheckConstraint("(file_key IS NULL) <> (link_url IS NULL)", name="file_or_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random: the public and staff download addresses carry it, never the sequential id.
    uid: Mapped[str] = mapped_column(String(24), unique=True, default=new_uid)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("info_sessions.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    visibility: Mapped[Visibility] = mapped_column(str_enum(Visibility, 20))
    file_key: Mapped[str | None] = mapped_column(String(255))
    file_kind: Mapped[str | None] = mapped_column(String(10))
    file_size: Mapped[int | None]
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    link_url: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[InfoSession | None] = relationship()
    topic: Mapped[Topic | None] = relationship()

    @property
    def is_link(self) -> bool:
        return self.link_url is not None

    def __repr__(self) -> str:
        return f"<Material {self.uid} {self.visibility}>"
