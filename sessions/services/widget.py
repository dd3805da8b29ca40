"""The embeddable widget: which websites may show it in an <iframe> (an admin's list, plus those
the server's `WIDGET_ORIGINS` names), and what it
lists is the catalogue's (`catalogue.list_widget`).

An origin is what a browser compares for CSP `frame-ancestors`: scheme, host and port
(`https://www.agentschap.be`, `http://localhost:8080`). An admin may paste a whole page address;
only its origin is kept. Anything a Content-Security-Policy could read as more than one source
(spaces, semicolons, commas, wildcards, quotes) is refused, so the list can never widen the
policy beyond the websites named.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.config import ConfigError
from app.database import atomic
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from sessions.models import WidgetOrigin

_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")
MAX_ORIGINS = 50


def normalise_origin(text: str) -> str:
    """`https://www.example.be/pagina?x=1` → `https://www.example.be`. Raises DomainError (field
    "origin") for anything that is not an http(s) address of one website."""
    raw = (text or "").strip()
    if not raw:
        raise DomainError(_l("Vul het adres van de website in."), field="origin")
    if not re.match(r"^https?://", raw, re.IGNORECASE):
        raise DomainError(
            _l("Begin het adres met https:// (of http://), bv. https://www.agentschap.be."), field="origin"
        )
    if re.search(r"[\s;,'\"*<>\\]", raw):
        raise DomainError(_l("Geef één website, zonder spaties of sterretjes."), field="origin")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise DomainError(_l("Dit is geen geldig webadres."), field="origin") from None
    host = (parts.hostname or "").lower()
    if parts.username or parts.password or not host or not (_HOST.match(host) or _IPV6.match(f"[{host}]")):
        raise DomainError(_l("Dit is geen geldig webadres."), field="origin")
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def list_origins() -> list[WidgetOrigin]:
    return list(db.session.scalars(select(WidgetOrigin).order_by(WidgetOrigin.origin)))


def configured_origins() -> list[str]:
    """The websites `WIDGET_ORIGINS` allows (the server's configuration; checked at start-up)."""
    return sorted({normalise_origin(text) for text in current_app.config.get("WIDGET_ORIGINS", ())})


def check_configured_origins(app) -> None:
    """Refuse to start with a `WIDGET_ORIGINS` entry that is not one website's origin."""
    with app.app_context():
        for text in app.config.get("WIDGET_ORIGINS", ()):
            try:
                normalise_origin(text)
            except DomainError as error:
                raise ConfigError(f"WIDGET_ORIGINS: {text!r} is not one website ({error})") from None


def allowed_origins() -> list[str]:
    """What the widget's `frame-ancestors` names besides 'self': the configured websites and
    those an admin listed (one query)."""
    listed = db.session.scalars(select(WidgetOrigin.origin))
    return sorted({*configured_origins(), *listed})


@atomic
def add_origin(text: str, actor=None, *, now: datetime | None = None) -> WidgetOrigin:
    """Allow one more website; adding one that is there already changes nothing."""
    origin = normalise_origin(text)
    existing = db.session.scalar(select(WidgetOrigin).where(WidgetOrigin.origin == origin))
    if existing is not None:
        return existing
    if db.session.query(WidgetOrigin).count() >= MAX_ORIGINS:
        raise DomainError(_l("Er staan al %(max)s websites in de lijst.", max=MAX_ORIGINS), field="origin")
    row = WidgetOrigin(origin=origin, added_at=now or utcnow(), added_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record("widget", row.id, "widget.origin_added", actor=actor, changes={"origin": [None, origin]})
    db.session.commit()
    return row


@atomic
def remove_origin(origin_id: int, actor=None) -> None:
    """Stop allowing a website; one that is gone already is no error."""
    row = db.session.get(WidgetOrigin, origin_id)
    if row is None:
        return
    change = {"origin": [row.origin, None]}
    audit.record("widget", row.id, "widget.origin_removed", actor=actor, changes=change)
    db.session.delete(row)
    db.session.commit()
