"""Reminders before a session: when each is due, and queueing them (idempotent)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from app.database import atomic
from app.db import utcnow
from app.extensions import db
from app.timezone import from_local, local
from registrations import mails
from registrations.models import Registration, RegistrationStatus
from sessions.models import InfoSession, SessionStatus


def reminder_due(session: InfoSession, spec: str) -> datetime:
    """When a reminder is due: "2d" = 48 hours before, "morning" = 08:00 on the day itself."""
    if spec == "morning":
        return from_local(local(session.starts_at).date(), time(8, 0))
    if spec.endswith("d") and spec[:-1].isdigit():
        return session.starts_at - timedelta(days=int(spec[:-1]))
    if spec.endswith("h") and spec[:-1].isdigit():
        return session.starts_at - timedelta(hours=int(spec[:-1]))
    raise ValueError(f"unknown reminder {spec!r}")


@atomic
def send_reminders(now: datetime | None = None) -> int:
    """Queue every reminder that is due. Idempotent: each goes once per registration, however
    often this runs (the outbox's deduplication key). A person who confirmed after a reminder
    was due does not get that one."""
    now = now or utcnow()
    default = current_app.config.get("REMINDER_OFFSETS", ["2d", "morning"])
    horizon = now + timedelta(days=8)
    candidates = db.session.scalars(
        select(InfoSession).where(
            InfoSession.status == SessionStatus.PUBLISHED,
            InfoSession.starts_at > now,
            InfoSession.starts_at < horizon,
        )
    ).all()
    queued = 0
    for session in candidates:
        due = [spec for spec in (session.reminder_offsets or default) if reminder_due(session, spec) <= now]
        if not due:
            continue
        for registration in db.session.scalars(
            select(Registration).where(
                Registration.session_id == session.id, Registration.status == RegistrationStatus.CONFIRMED
            )
        ):
            for spec in due:
                if registration.confirmed_at and registration.confirmed_at <= reminder_due(session, spec):
                    key = f"reg:{registration.id}:reminder:{spec}"
                    mails.queue(mails.REMINDER, registration, key, spec=spec)
                    queued += 1
    db.session.commit()
    return queued
