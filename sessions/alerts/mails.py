"""The mails of session alerts: the confirmation (double opt-in) and the alert itself, queued as
intents and rendered by the outbox's worker (app/outbox/kinds.py).

The links are short links (app/links.py), issued when the mail is rendered: the confirmation
points to the alert's secret, the unsubscribe link (also in the List-Unsubscribe header, RFC
8058) to the address, so one click stops every alert of that address.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import links
from app.extensions import db
from app.outbox.kinds import MailIntent, RenderedMail, mail_kind
from app.outbox.layout import Action
from sessions.alerts.models import SessionAlert
from sessions.ics import session_url
from sessions.models import InfoSession, SessionStatus

CONFIRM_PURPOSE = "alerts.confirm"
UNSUBSCRIBE_PURPOSE = "alerts.unsubscribe"
CONFIRM_LINK_LIFETIME = timedelta(days=7)
UNSUBSCRIBE_LINK_LIFETIME = timedelta(days=400)
MAX_LISTED = 8  # a mail stays short: the rest is one link to the catalogue away


def _base() -> str:
    return current_app.config["BASE_URL"]


def confirm_url(alert: SessionAlert, preview: bool = False) -> str:
    token = "voorbeeld" if preview else links.issue(CONFIRM_PURPOSE, alert.token, CONFIRM_LINK_LIFETIME)
    return f"{_base()}/meldingen/bevestigen/{token}"


def unsubscribe_url(email: str, preview: bool = False) -> str:
    token = "voorbeeld" if preview else links.issue(UNSUBSCRIBE_PURPOSE, email, UNSUBSCRIBE_LINK_LIFETIME)
    return f"{_base()}/meldingen/uitschrijven/{token}"


def _html(subject: str, text: str, locale: str, action: Action) -> str:
    return render_template("outbox/mail.html", subject=subject, text=text, lang=locale, action=action)


def _render_confirm(intent: MailIntent) -> RenderedMail | None:
    alert = db.session.get(SessionAlert, intent.id("alert"))
    if alert is None or alert.email != intent.to or alert.confirmed_at is not None:
        return None  # unsubscribed, erased, or confirmed since: nothing to confirm
    subject = _("Bevestig je melding van nieuwe infosessies")
    url = confirm_url(alert, intent.preview)
    text = render_template("sessions/alerts/mail/confirm.txt", alert=alert, confirm_url=url)
    action = Action(_("Bevestig je melding"), url)
    return RenderedMail(subject=subject, text=text, html=_html(subject, text, intent.locale, action))


def _render_sessions(intent: MailIntent) -> RenderedMail | None:
    if not db.session.scalar(select(SessionAlert.id).where(SessionAlert.email == intent.to).limit(1)):
        return None  # unsubscribed or erased since
    ids = [int(i) for i in intent.snapshot.get("sessions", ())]
    sessions = [
        s
        for s in db.session.scalars(
            select(InfoSession).where(InfoSession.id.in_(ids)).order_by(InfoSession.starts_at)
        )
        if s.status == SessionStatus.PUBLISHED
    ]
    if not sessions:
        return None
    unsubscribe = unsubscribe_url(intent.to, intent.preview)
    subject = _("Nieuwe infosessie: %(title)s", title=sessions[0].display_title)
    if len(sessions) > 1:
        subject = _("%(num)s nieuwe infosessies", num=len(sessions))
    shown = sessions[:MAX_LISTED]
    text = render_template(
        "sessions/alerts/mail/sessions.txt",
        sessions=[(s, session_url(s)) for s in shown],
        more=len(sessions) - len(shown),
        catalogue_url=f"{_base()}/sessies",
        unsubscribe_url=unsubscribe,
        alerts_url=f"{_base()}/meldingen",
    )
    action = Action(_("Bekijk alle infosessies"), f"{_base()}/sessies")
    return RenderedMail(
        subject=subject,
        text=text,
        html=_html(subject, text, intent.locale, action),
        list_unsubscribe=unsubscribe,
    )


CONFIRM = mail_kind(
    "alerts.confirm",
    _l("Melding van nieuwe sessies bevestigen"),
    _render_confirm,
    gone=_l("Niet verstuurd: de melding was al bevestigd, uitgeschreven of gewist."),
)
SESSIONS = mail_kind(
    "alerts.sessions",
    _l("Melding van nieuwe sessies"),
    _render_sessions,
    gone=_l("Niet verstuurd: het adres schreef zich uit, of de sessies gaan niet meer door."),
)


def _digest(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def confirm_intent(alert: SessionAlert, now: datetime) -> MailIntent:
    return MailIntent(
        kind=CONFIRM,
        to=alert.email,
        dedup_key=f"alert:{alert.id}:confirm:{now.isoformat()}",
        ids={"alert": alert.id},
        locale=alert.locale,
        reference=f"alert:{alert.id}",
    )


def sessions_intent(alert: SessionAlert, session_ids: list[int], now: datetime) -> MailIntent:
    """One alert mail for the address of `alert`, listing `session_ids`."""
    return MailIntent(
        kind=SESSIONS,
        to=alert.email,
        dedup_key=f"alerts:{_digest(alert.email)}:{now.isoformat()}",
        ids={"alert": alert.id},
        snapshot={"sessions": session_ids},
        locale=alert.locale,
        reference=f"alert:{alert.id}",
    )
