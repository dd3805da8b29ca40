"""Short links: the opaque tokens in the links people get by mail (manage a registration, confirm,
evaluate a session, verify a certificate, …).

A token is 22 random URL-safe characters (`secrets.token_urlsafe(16)`, 128 bits). The database
keeps only its SHA-256, with what the link is for (`purpose`), what it points to (`payload`: a
registration's secret token, an address, …, never a sequential id on its own) and when it stops
working, so a copy of the database cannot be turned into working links and a link cannot be
turned into another one. A link is issued inside the caller's transaction (the worker issues the
links of a mail when it renders that mail) and does nothing until that transaction commits.

    token = links.issue("registration.manage", registration.token, timedelta(days=400))
    url = f"{base}/inschrijving/{token}"
    payload = links.resolve(token, "registration.manage")   # LinkExpired, LinkInvalid

Links sent earlier as signed payloads (itsdangerous) keep working where their owner still reads
them: `looks_short()` tells the two apart.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from app.database import insert_ignoring
from app.db import UTCDateTime, utcnow
from app.extensions import db

TOKEN_BYTES = 16  # 22 characters in URL-safe base64
_SHORT = re.compile(r"[A-Za-z0-9_-]{20,24}")


class LinkInvalid(Exception):
    """No such link (mistyped, made up, or forgotten with the person's data)."""


class LinkExpired(LinkInvalid):
    """The link existed but its time is over."""


class ShortLink(db.Model):
    __tablename__ = "short_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(60))
    payload: Mapped[str] = mapped_column(String(500), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # None: never


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_short(token: str) -> bool:
    """A token this module issued (a signed payload of the older links is longer and has dots)."""
    return bool(_SHORT.fullmatch(token))


def issue(purpose: str, payload: str, lifetime: timedelta | None, *, now: datetime | None = None) -> str:
    """A new link token for `purpose` and `payload`, valid for `lifetime` (None: until forgotten).

    Adds a row to the current transaction and never commits: the caller's commit makes the link
    real. Raises ValueError for an empty purpose or payload, or one too long to store."""
    if not purpose or len(purpose) > 60 or not payload or len(payload) > 500:
        raise ValueError("a link needs a purpose (1-60 characters) and a payload (1-500 characters)")
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(
        ShortLink(
            token_hash=_digest(token),
            purpose=purpose,
            payload=payload,
            created_at=now,
            expires_at=now + lifetime if lifetime is not None else None,
        )
    )
    return token


def stable_token(purpose: str, payload: str, key: str) -> str:
    """The token `issue_stable` gives: 22 characters derived with the app's secret, so nobody
    without it can make one, and the same mail rendered twice carries the same link."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    message = "\0".join((purpose, payload, key)).encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()[:TOKEN_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue_stable(
    purpose: str, payload: str, key: str, lifetime: timedelta | None, *, keep: bool = True, now=None
) -> str:
    """A link token that is the same every time for the same purpose, payload and `key` (a
    mailing's id: every recipient's mail is the mailing's frame with their values, and the preview
    is exactly the mail that is sent). With `keep` the link is stored in the caller's transaction
    (once: a second issue keeps the first row and its expiry); without, only the token is made
    (a preview), and the link works once the mail that carries it is rendered for real."""
    if not purpose or len(purpose) > 60 or not payload or len(payload) > 500:
        raise ValueError("a link needs a purpose (1-60 characters) and a payload (1-500 characters)")
    token = stable_token(purpose, payload, key)
    if keep:
        now = now or utcnow()
        db.session.execute(
            insert_ignoring(ShortLink.__table__, "token_hash").values(
                token_hash=_digest(token),
                purpose=purpose,
                payload=payload,
                created_at=now,
                expires_at=now + lifetime if lifetime is not None else None,
            )
        )
    return token


def resolve(token: str, purpose: str, *, now: datetime | None = None) -> str:
    """The payload of a link issued for `purpose`; raises LinkExpired when its time is over and
    LinkInvalid for anything else (unknown, another purpose, not a token at all)."""
    if not looks_short(token):
        raise LinkInvalid(token)
    link = db.session.scalar(select(ShortLink).where(ShortLink.token_hash == _digest(token)))
    if link is None or link.purpose != purpose:
        raise LinkInvalid(token)
    if link.expires_at is not None and link.expires_at <= (now or utcnow()):
        raise LinkExpired(token)
    return link.payload


def forget(payload: str, purpose_prefix: str = "") -> int:
    """Delete every link to `payload` (whose purpose starts with `purpose_prefix`): the person's
    data is erased, or the thing the links point to is gone. In the caller's transaction."""
    statement = delete(ShortLink).where(ShortLink.payload == payload)
    if purpose_prefix:
        statement = statement.where(ShortLink.purpose.startswith(purpose_prefix, autoescape=True))
    return db.session.execute(statement).rowcount


def forget_starting(prefix: str) -> int:
    """Delete every link whose payload starts with `prefix` (a payload that holds a token and
    more, "token:12"). In the caller's transaction."""
    if not prefix:
        raise ValueError("forget_starting needs a prefix")
    return db.session.execute(
        delete(ShortLink).where(ShortLink.payload.startswith(prefix, autoescape=True))
    ).rowcount


# An expired link still says "verlopen" (and what to do) rather than "klopt niet" for a while.
EXPIRED_KEPT = timedelta(days=90)


def purge_expired(now: datetime | None = None) -> int:
    """Delete links that expired more than EXPIRED_KEPT ago (a scheduled job); commits."""
    cutoff = (now or utcnow()) - EXPIRED_KEPT
    result = db.session.execute(delete(ShortLink).where(ShortLink.expires_at <= cutoff))
    db.session.commit()
    return result.rowcount


def init_app(app) -> None:
    from datetime import time

    from app.ops.jobs import register_job

    register_job(app, "short-links-purge", purge_expired, daily_at=time(4, 30))
