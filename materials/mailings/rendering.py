"""What each recipient of a mailing reads: the placeholders filled in for them, the text part with
its footer, and the HTML part. The preview, the test mail and the send all go through `render`,
so what the expert sees is what is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from app.i18n import long_date, long_datetime
from materials.mailings import links
from materials.mailings.models import Mailing
from registrations import links as registration_links
from registrations.models import Registration
from sessions import ics as sessions_ics
from sessions import services as sessions
from sessions.models import InfoSession

PLACEHOLDERS = {
    "voornaam": _l("de voornaam"),
    "naam": _l("voor- en achternaam"),
    "sessie": _l("de titel van de sessie"),
    "datum": _l("de datum van de sessie"),
    "link_materiaal": _l("de links naar de presentatie en het materiaal"),
    "link_kennismaking": _l("de link om een kennismakingsgesprek te vragen"),
    "volgende_sessies": _l("de volgende sessies van het thema, met een inschrijflink"),
    "link_uitschrijven": _l("de link om geen nieuws meer te krijgen"),
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def check_text(subject: str, body: str) -> None:
    if not subject.strip():
        raise DomainError(_l("Geef de mailing een onderwerp."), field="subject")
    if len(subject) > 200:
        raise DomainError(_l("Het onderwerp is hoogstens 200 tekens lang."), field="subject")
    if not body.strip():
        raise DomainError(_l("De mail is leeg."), field="body")
    for field, text in (("subject", subject), ("body", body)):
        unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
        if unknown:
            raise DomainError(
                _l("Onbekende invulvelden: %(names)s.", names=", ".join("{" + n + "}" for n in unknown)),
                field=field,
            )


@dataclass(frozen=True)
class RenderedMail:
    to: str
    subject: str
    text: str
    html: str
    list_unsubscribe: str | None


@dataclass(frozen=True)
class Shared:
    """What is the same for every recipient of a mailing, computed once."""

    next_sessions: list[InfoSession]
    placeholders: set[str]  # those the text uses, and the unsubscribe link that news carries


def shared_parts(mailing: Mailing) -> Shared:
    excluded = {s.id for s in mailing.sessions} | {mailing.session_id}
    following = [
        s
        for s in sessions.next_sessions_of_topic(mailing.session.topic_id, limit=3 + len(excluded))
        if s.id not in excluded
    ]
    used = set(_PLACEHOLDER.findall(mailing.subject + "\n" + mailing.body))
    if mailing.segment.is_news:
        used.add("link_uitschrijven")
    return Shared(next_sessions=following[:3], placeholders=used)


def _place(session: InfoSession) -> str:
    return session.venue.municipality if session.venue else _("online")


def _next_sessions(mailing: Mailing, registration: Registration, shared: Shared) -> str:
    if not shared.next_sessions:
        return _("Nieuwe data vind je op %(url)s", url=current_app.config["BASE_URL"] + "/sessies")
    # News offers each date with the person's own one-click registration; attendees get the page.
    link = (
        (lambda s: links.invite_url(registration, s)) if mailing.segment.is_news else sessions_ics.session_url
    )
    return "\n".join(f"- {long_datetime(s.starts_at)}, {_place(s)}: {link(s)}" for s in shared.next_sessions)


def _materials(registration: Registration) -> str:
    from materials.handouts.services import links_for_attendee

    found = [f"- {title}: {url}" for title, url in links_for_attendee(registration)]
    if not found:
        url = sessions_ics.session_url(registration.session)
        return _("Het materiaal volgt nog; je vindt het later op %(url)s", url=url)
    return "\n".join(found)


def _values(mailing: Mailing, registration: Registration, shared: Shared, names: set[str]) -> dict[str, str]:
    """The placeholders `names` for one person; only those the text uses are worked out (links
    are signed, materials looked up: that adds up over thousands of recipients)."""
    session = registration.session
    makers = {
        "voornaam": lambda: registration.first_name,
        "naam": lambda: registration.full_name,
        "sessie": lambda: session.display_title,
        "datum": lambda: long_date(session.starts_at),
        "link_materiaal": lambda: _materials(registration),
        "link_kennismaking": lambda: registration_links.intake_url(registration),
        "volgende_sessies": lambda: _next_sessions(mailing, registration, shared),
        "link_uitschrijven": lambda: links.unsubscribe_url(registration.email, mailing.id),
    }
    return {name: makers[name]() for name in names if name in makers}


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def render(mailing: Mailing, registration: Registration, shared: Shared | None = None) -> RenderedMail:
    """The mail exactly as `registration`'s person receives it (the preview and the send use this)."""
    shared = shared or shared_parts(mailing)
    session = registration.session
    with force_locale(session.language if session.language in ("nl", "en") else "nl"):
        values = _values(mailing, registration, shared, shared.placeholders)
        subject = " ".join(_fill(mailing.subject, values).split())[:500]
        unsubscribe = values["link_uitschrijven"] if mailing.segment.is_news else None
        text = render_template(
            "materials/mailings/mail.txt",
            body=_fill(mailing.body, values).strip(),
            news=mailing.segment.is_news,
            unsubscribe_url=unsubscribe,
            s=session,
        )
        html = render_template("outbox/mail.html", subject=subject, text=text, lang=session.language)
    return RenderedMail(registration.email, subject, text, html, unsubscribe)
