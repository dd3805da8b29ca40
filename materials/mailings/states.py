"""The words a mailing's state is shown in: on its page, in the list of a session's mailings, on
the session page and in the JSON the page's script polls. The state itself is derived in
`services.progress`; here it becomes "in de wachtrij", "verzonden 2 van 3", "mislukt: <the
server's answer>"."""

import re

from flask_babel import gettext as _

from app.i18n import long_date, long_datetime
from app.outbox.models import MailStatus
from app.outbox.services import smtp_settings
from materials.mailings.services import Progress, RecipientState, State

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def mailing_subject(mailing) -> str:
    """A mailing's subject as a title people read: the session's own placeholders filled in
    ("Bedankt voor je komst: Starten met gezinsopvang"), a person's shown as "…"."""
    session = mailing.session
    known = {"sessie": session.display_title, "datum": long_date(session.starts_at)}
    return _PLACEHOLDER.sub(lambda m: known.get(m.group(1), "…"), mailing.subject)


def mail_server_configured() -> bool:
    return smtp_settings() is not None


def state_label(progress: Progress) -> str:
    """A mailing's state in a few words: "in de wachtrij", "verzonden 2 van 3", "mislukt"…"""
    state = progress.state
    if state in (State.SENDING, State.SENT):
        return _("verzonden %(sent)s van %(total)s", sent=progress.sent, total=progress.total)
    return {
        State.DRAFT: _("ontwerp"),
        State.SCHEDULED: _("ingepland"),
        State.QUEUED: _("in de wachtrij"),
        State.FAILED: _("mislukt"),
        State.NOT_SENT: _("niet verstuurd"),
        State.EMPTY: _("niet verstuurd: er was niemand om te mailen"),
        State.FORGOTTEN: _("afgehandeld; wat er per persoon gebeurde, is niet meer bewaard"),
    }[state]


def state_colour(progress: Progress) -> str:
    state = progress.state
    if state == State.SENT:
        return "yellow" if progress.failed else "green"
    return {
        State.DRAFT: "grey",
        State.SCHEDULED: "blue",
        State.QUEUED: "yellow",
        State.SENDING: "yellow",
        State.FAILED: "red",
    }.get(state, "grey")


def state_summary(progress: Progress) -> str:
    """The counts behind the state, leaving out what is zero: "2 verzonden · 1 mislukt"."""
    parts = [
        (progress.sent, _("%(num)s verzonden", num=progress.sent)),
        (progress.queued, _("%(num)s in de wachtrij", num=progress.queued)),
        (progress.failed, _("%(num)s mislukt", num=progress.failed)),
        (progress.dropped, _("%(num)s niet verstuurd", num=progress.dropped)),
        (progress.unknown, _("%(num)s niet meer na te gaan", num=progress.unknown)),
    ]
    return " · ".join(text for count, text in parts if count)


def bar_label(progress: Progress) -> str:
    return _("Verzonden: %(sent)s van %(total)s", sent=progress.sent, total=progress.total)


def state_announcement(progress: Progress) -> str:
    """What a screen reader hears: the state, then what is not sent ("verzonden 8 van 14, 6 in
    de wachtrij")."""
    rest = [
        (progress.queued, _("%(num)s in de wachtrij", num=progress.queued)),
        (progress.failed, _("%(num)s mislukt", num=progress.failed)),
        (progress.dropped, _("%(num)s niet verstuurd", num=progress.dropped)),
    ]
    return ", ".join([state_label(progress), *(text for count, text in rest if count)])


def _reason(text: str | None) -> str:
    """Why a mail was closed unsent, without a leading "Niet verstuurd:" (the state says it)."""
    text = (text or "").strip()
    for prefix in (_("Niet verstuurd:"), "Niet verstuurd:", "Not sent:"):
        if text.lower().startswith(prefix.lower()):
            return text[len(prefix) :].strip()
    return text


def recipient_state(recipient: RecipientState) -> dict:
    """One person's line: the word on the tag, its colour key, and the reason after it."""
    if recipient.status is None:
        return {"word": _("niet meer na te gaan"), "status": "closed", "reason": _("de mail is gewist")}
    if recipient.status == MailStatus.FAILED:
        return {"word": _("mislukt"), "status": "failed", "reason": recipient.reason or ""}
    if recipient.status == MailStatus.DROPPED:
        return {"word": _("niet verstuurd"), "status": "dropped", "reason": _reason(recipient.reason)}
    if recipient.status == MailStatus.SENT:
        return {"word": _("verzonden"), "status": "sent", "reason": ""}
    if recipient.retrying:
        return {
            "word": _("in de wachtrij"),
            "status": "queued",
            "reason": _(
                "nieuwe poging na %(when)s (%(error)s)",
                when=long_datetime(recipient.next_attempt_at),
                error=recipient.reason or "",
            ),
        }
    return {"word": _("in de wachtrij"), "status": "queued", "reason": ""}
