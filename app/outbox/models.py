"""The outbox: one row per outgoing e-mail, written in the transaction of the change that causes it.

A row starts as a mail *intent*: its kind, the ids it concerns, the locale and a small snapshot of
what must not change (`ids`, `snapshot`, `locale`), with the recipient and the dedup key. The
worker renders it once (`rendered_at`, the subject and bodies, and the MIME message built from
them) and sends what it stored, so a retry sends the same bytes and the viewer shows what was sent.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import UTCDateTime, utcnow
from app.extensions import db


class MailStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting to be rendered and sent (possibly claimed by a worker, or retrying later)
    SENT = "sent"  # the SMTP server accepted it
    FAILED = "failed"  # refused for good, or out of attempts: `last_error` says why
    DROPPED = "dropped"  # not sent: what it was about was gone when it was rendered (`last_error`)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        # What a worker asks for: queued rows whose time has come, oldest first.
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a second enqueue with the same key is a no-op (ON CONFLICT DO NOTHING).
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    # The code of a registered mail kind (app.outbox.kinds), e.g. "registration.confirmed".
    kind: Mapped[str] = mapped_column(String(60), index=True)
    status: Mapped[MailStatus] = mapped_column(
        Enum(
            MailStatus,
            native_enum=False,
            length=20,
            validate_strings=True,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=MailStatus.QUEUED,
    )
    recipient: Mapped[str] = mapped_column(String(254))
    # The intent: what the kind's renderer needs to write the mail later.
    locale: Mapped[str] = mapped_column(String(10), default="nl", server_default="nl")  # migration 0010
    ids: Mapped[dict | None] = mapped_column(JSON)
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    # The rendered mail, stored once (None until the worker rendered it).
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    subject: Mapped[str | None] = mapped_column(String(500))
    text_body: Mapped[str | None] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    ics: Mapped[bytes | None] = mapped_column(LargeBinary)
    ics_method: Mapped[str | None] = mapped_column(String(10))
    list_unsubscribe: Mapped[str | None] = mapped_column(String(500))
    # The whole MIME message as it goes to the server, built once when the mail was rendered:
    # every attempt sends these bytes, and the viewer's .eml is exactly what was sent.
    raw_message: Mapped[bytes | None] = mapped_column(LargeBinary)
    reference: Mapped[str | None] = mapped_column(String(120), index=True)
    # Chosen once at enqueue and kept through every retry, so a receiver can recognise the rare
    # duplicate (see services.delivery on the window between "accepted" and "marked sent").
    message_id: Mapped[str] = mapped_column(String(255))
    resent_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True
    )

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Not before: `send_after` at first, then the retry backoff.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the last attempt failed, or (status dropped) why the mail was not sent.
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A worker's claim on a queued row; once `claimed_until` has passed, another worker may take it.
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
