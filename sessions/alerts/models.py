"""Session alerts: a person's wish to hear when a session is published in a province or on a
topic ("Laat me weten wanneer er een sessie is")."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.extensions import db
from sessions.models import Topic


def new_alert_token() -> str:
    """The secret a confirmation link points to (through a short link, app/links.py)."""
    return secrets.token_urlsafe(16)


class SessionAlert(db.Model):
    """One wish of one address. Pending until the address is confirmed (double opt-in); the
    batch (sessions/alerts/services.py) mails it at most once a week per address."""

    __tablename__ = "session_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)  # lower case
    province: Mapped[str | None] = mapped_column(String(30))  # app.geo.PROVINCES; None: anywhere
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    include_online: Mapped[bool] = mapped_column(default=True)  # with a province: online ones too
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    token: Mapped[str] = mapped_column(String(40), unique=True, default=new_alert_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last alert mail

    topic: Mapped[Topic | None] = relationship()

    def __repr__(self) -> str:
        return f"<SessionAlert {self.id} {self.province or '-'}/{self.topic_id or '-'}>"
