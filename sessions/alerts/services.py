"""The rules of session alerts: subscribe (double opt-in), confirm, the weekly batch of alert
mails, one-click unsubscribe, and a person's data (export, erasure, retention).

An address hears of a session when it is published after the alert was confirmed (or after the
last alert mail), upcoming, and matching the alert: in the province (a session on site there,
or — unless the person said otherwise — one to follow online) and on the topic. All an
address's alerts go in one mail, at most one a week (`COOLDOWN`): sessions published in between
wait for the next mail, since the watermark is the last mail, not the last session.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select

from app import links
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.geo import PROVINCES
from app.outbox.services import enqueue
from sessions.alerts import mails
from sessions.alerts.models import SessionAlert
from sessions.models import InfoSession, SessionStatus, Topic, Venue
from sessions.services.catalogue import FOLLOWABLE_ONLINE

COOLDOWN = timedelta(days=7)
CONFIRM_LIFETIME = timedelta(days=7)
RESEND_AFTER = timedelta(minutes=5)
# An unconfirmed wish is forgotten when its link has expired; a confirmed one after this long.
RETENTION_MONTHS_DEFAULT = 24


def normal_email(email: str) -> str:
    return (email or "").strip().lower()


def subscribe(
    email: str,
    *,
    province: str | None = None,
    topic_slug: str | None = None,
    include_online: bool = True,
    locale: str = "nl",
    now: datetime | None = None,
) -> SessionAlert:
    """Ask to be told of new sessions. Sends the confirmation mail (through the outbox) unless
    the same wish is confirmed already; commits. Raises DomainError for a wish without a
    province or topic, or one that does not exist."""
    now = now or utcnow()
    email = normal_email(email)
    province = (province or "").strip() or None
    topic_slug = (topic_slug or "").strip() or None
    if province and province not in PROVINCES:
        raise DomainError(_l("Kies een provincie uit de lijst."), field="province")
    topic = None
    if topic_slug:
        topic = db.session.scalar(select(Topic).where(Topic.slug == topic_slug, Topic.active.is_(True)))
        if topic is None:
            raise DomainError(_l("Kies een thema uit de lijst."), field="topic")
    if province is None and topic is None:
        raise DomainError(_l("Kies een provincie of een thema (of allebei)."), field="province")
    if not email or "@" not in email or len(email) > 254:
        raise DomainError(_l("Dit is geen geldig e-mailadres."), field="email")
    alert = db.session.scalar(
        select(SessionAlert).where(
            SessionAlert.email == email,
            SessionAlert.province.is_(None) if province is None else SessionAlert.province == province,
            SessionAlert.topic_id.is_(None) if topic is None else SessionAlert.topic_id == topic.id,
        )
    )
    new = alert is None
    if new:
        alert = SessionAlert(email=email, province=province, topic=topic, created_at=now)
        db.session.add(alert)
    alert.include_online, alert.locale = include_online, locale
    db.session.flush()
    # Asked again (a lost mail): a new mail, and the wish counts from now for the purge; but not
    # within RESEND_AFTER of the last one, so the form cannot be used to flood someone's inbox.
    if alert.confirmed_at is None and (new or alert.created_at <= now - RESEND_AFTER):
        alert.created_at = now
        enqueue(mails.confirm_intent(alert, now))
    db.session.commit()
    return alert


def alert_for_confirmation(token: str, now: datetime | None = None) -> SessionAlert:
    """The alert behind a confirmation link; NotFound with a message that says what went wrong."""
    try:
        secret = links.resolve(token, mails.CONFIRM_PURPOSE, now=now)
    except links.LinkExpired:
        raise NotFound(_l("Deze bevestigingslink is verlopen. Vraag de melding opnieuw aan.")) from None
    except links.LinkInvalid:
        raise NotFound(_l("Deze link klopt niet (meer).")) from None
    alert = db.session.scalar(select(SessionAlert).where(SessionAlert.token == secret))
    if alert is None:
        raise NotFound(_l("Deze melding bestaat niet meer. Vraag ze opnieuw aan."))
    return alert


def confirm(alert: SessionAlert, now: datetime | None = None) -> SessionAlert:
    """The address is confirmed: from now on new matching sessions are mailed. Commits."""
    if alert.confirmed_at is None:
        alert.confirmed_at = now or utcnow()
        db.session.commit()
    return alert


def matching_sessions(alert: SessionAlert, since: datetime, now: datetime) -> list[InfoSession]:
    """Upcoming published sessions that match the alert, published after `since`."""
    query = select(InfoSession).where(
        InfoSession.status == SessionStatus.PUBLISHED,
        InfoSession.published_at > since,
        InfoSession.published_at <= now,
        InfoSession.starts_at > now,
    )
    if alert.topic_id is not None:
        query = query.where(InfoSession.topic_id == alert.topic_id)
    if alert.province:
        on_site = InfoSession.venue.has(Venue.province == alert.province)
        if alert.include_online:
            on_site = or_(on_site, InfoSession.format.in_(FOLLOWABLE_ONLINE))
        query = query.where(on_site)
    return list(db.session.scalars(query.order_by(InfoSession.starts_at)))


def send_alerts(now: datetime | None = None) -> int:
    """The batch (a scheduled job): one mail per address with new matching sessions, unless
    that address had one less than COOLDOWN ago. Returns how many mails were queued; commits."""
    now = now or utcnow()
    by_email: dict[str, list[SessionAlert]] = defaultdict(list)
    confirmed = select(SessionAlert).where(SessionAlert.confirmed_at.is_not(None)).order_by(SessionAlert.id)
    for alert in db.session.scalars(confirmed):
        by_email[alert.email].append(alert)
    queued = 0
    for alerts in by_email.values():
        last = max((a.notified_at for a in alerts if a.notified_at), default=None)
        if last is not None and last > now - COOLDOWN:
            continue
        found: dict[int, InfoSession] = {}
        for alert in alerts:
            for session in matching_sessions(alert, alert.notified_at or alert.confirmed_at, now):
                found[session.id] = session
        if not found:
            continue
        ordered = sorted(found.values(), key=lambda s: (s.starts_at, s.id))
        enqueue(mails.sessions_intent(alerts[0], [s.id for s in ordered], now))
        for alert in alerts:
            alert.notified_at = now
        queued += 1
    db.session.commit()
    return queued


def email_for_unsubscribe(token: str) -> str:
    """The address behind an unsubscribe link; NotFound when the link is unknown or expired."""
    try:
        return links.resolve(token, mails.UNSUBSCRIBE_PURPOSE)
    except links.LinkInvalid:
        raise NotFound(_l("Deze link klopt niet (meer).")) from None


def unsubscribe(email: str) -> int:
    """Forget every alert of this address and the links to them. Returns how many; commits."""
    count = _forget(normal_email(email))
    db.session.commit()
    return count


def alerts_of(email: str) -> list[SessionAlert]:
    return list(
        db.session.scalars(
            select(SessionAlert).where(SessionAlert.email == normal_email(email)).order_by(SessionAlert.id)
        )
    )


def _forget(email: str) -> int:
    alerts = alerts_of(email)
    for alert in alerts:
        links.forget(alert.token, "alerts.")
        db.session.delete(alert)
    links.forget(email, "alerts.")
    db.session.flush()
    return len(alerts)


# --------------------------------------------------------------------------- personal data


def export_alerts(email: str) -> dict:
    """A person's alerts, for the export of their data (registrations/privacy.py)."""
    return {
        "session_alerts": [
            {
                "email": alert.email,
                "province": alert.province,
                "topic": alert.topic.title if alert.topic else None,
                "include_online": alert.include_online,
                "created_at": alert.created_at.isoformat(),
                "confirmed_at": alert.confirmed_at.isoformat() if alert.confirmed_at else None,
                "last_mailed_at": alert.notified_at.isoformat() if alert.notified_at else None,
            }
            for alert in alerts_of(email)
        ]
    }


def erase_alerts(email: str, now: datetime) -> None:
    """The person asked to be forgotten: their alerts go (inside the erasure's transaction)."""
    _forget(normal_email(email))


def purge_alerts(now: datetime) -> int:
    """Retention: unconfirmed wishes whose link expired, and confirmed ones older than
    ALERT_RETENTION_MONTHS. In the purge's transaction; returns how many went."""
    months = current_app.config.get("ALERT_RETENTION_MONTHS", RETENTION_MONTHS_DEFAULT)
    stale = list(
        db.session.scalars(
            select(SessionAlert).where(
                or_(
                    SessionAlert.confirmed_at.is_(None) & (SessionAlert.created_at < now - CONFIRM_LIFETIME),
                    SessionAlert.confirmed_at < now - relativedelta(months=months),
                )
            )
        )
    )
    for alert in stale:
        links.forget(alert.token, "alerts.")
    if stale:
        db.session.execute(delete(SessionAlert).where(SessionAlert.id.in_([a.id for a in stale])))
    for email in {alert.email for alert in stale}:
        if not alerts_of(email):  # no wish left: its unsubscribe links point to nothing
            links.forget(email, "alerts.")
    return len(stale)
