"""What each recipient of a mailing reads: the placeholders filled in for them, the text part with
its footer, and the HTML part. The preview, the test mail and the outbox's worker all go through
`render`, so what the expert sees is what is sent."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from app.errors import DomainError
from app.i18n import long_date, long_datetime
from app.outbox import html as html_text
from app.outbox.kinds import RenderedMail
from materials.mailings import links
from materials.mailings.models import Mailing, Segment
from registrations import certificates
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
    "link_attest": _l("de link naar het attest van deelname (alleen voor wie er was)"),
    "evaluatie": _l("de eerste evaluatievraag met een link per score (alleen voor wie er was)"),
    "volgende_sessies": _l("de volgende sessies van het thema, met een inschrijflink"),
    "link_uitschrijven": _l("de link om geen nieuws meer te krijgen"),
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Those whose value ends in a web address.
LINKS = frozenset(
    {
        "link_materiaal",
        "link_kennismaking",
        "link_attest",
        "evaluatie",
        "volgende_sessies",
        "link_uitschrijven",
    }
)


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
class NextDate:
    """A next session of the topic, as a mail lists it (plain values: kept across requests)."""

    id: int
    when: str
    place: str


@dataclass(frozen=True)
class Shared:
    """What is the same for every recipient of a mailing, computed once (in their language)."""

    next_sessions: tuple[NextDate, ...]
    placeholders: frozenset[str]  # those the text uses, and the unsubscribe link that news carries


def _place(session: InfoSession) -> str:
    return session.venue.municipality if session.venue else _("online")


def shared_parts(mailing: Mailing) -> Shared:
    excluded = {s.id for s in mailing.sessions} | {mailing.session_id}
    following = [
        NextDate(s.id, long_datetime(s.starts_at), _place(s))
        for s in sessions.next_sessions_of_topic(mailing.session.topic_id, limit=3 + len(excluded))
        if s.id not in excluded
    ]
    used = set(_PLACEHOLDER.findall(mailing.subject + "\n" + mailing.body))
    if mailing.segment.is_news:
        used.add("link_uitschrijven")
    return Shared(next_sessions=tuple(following[:3]), placeholders=frozenset(used))


def _next_sessions(mailing: Mailing, registration: Registration, shared: Shared, keep: bool) -> str:
    if not shared.next_sessions:
        return _("Nieuwe data vind je op %(url)s", url=current_app.config["BASE_URL"] + "/sessies")
    # News offers each date with the person's own one-click registration; attendees get the page.
    if mailing.segment.is_news:
        return "\n".join(
            f"- {d.when}, {d.place}: {links.invite_url(registration, d.id, mailing.id, keep=keep)}"
            for d in shared.next_sessions
        )
    base = sessions_ics.base_url()
    return "\n".join(f"- {d.when}, {d.place}: {base}/sessies/{d.id}" for d in shared.next_sessions)


def _materials(registration: Registration) -> str:
    from materials.handouts.services import links_for_attendee

    found = [f"- {title}: {url}" for title, url in links_for_attendee(registration)]
    if not found:
        url = sessions_ics.session_url(registration.session)
        return _("Het materiaal volgt nog; je vindt het later op %(url)s", url=url)
    return "\n".join(found)


def _certificate(registration: Registration, stable: str, keep: bool) -> str:
    if not certificates.may_have_certificate(registration):
        return _("Een attest van deelname is er alleen voor wie aanwezig was.")
    # The download sits behind the person's manage link (a short link in a mail).
    return registration_links.mail_url(registration, "manage", stable=stable, keep=keep) + "/attest.pdf"


def _evaluation(registration: Registration) -> str:
    from materials.evaluations import mail

    return mail.rating_links(registration)


def _values(
    mailing: Mailing, registration: Registration, shared: Shared, names: set[str], keep: bool = False
) -> dict[str, str]:
    """The placeholders `names` for one person; only those the text uses are worked out (links
    are stored, materials looked up: that adds up over thousands of recipients). The links are
    the same whenever the mail is rendered; `keep` stores them (the mail is really sent)."""
    session = registration.session
    stable = f"mailing:{mailing.id}"
    makers = {
        "voornaam": lambda: registration.first_name,
        "naam": lambda: registration.full_name,
        "sessie": lambda: session.display_title,
        "datum": lambda: long_date(session.starts_at),
        "link_materiaal": lambda: _materials(registration),
        "link_kennismaking": lambda: registration_links.mail_url(
            registration, "intake", stable=stable, keep=keep
        ),
        "link_attest": lambda: _certificate(registration, stable, keep),
        "evaluatie": lambda: _evaluation(registration),
        "volgende_sessies": lambda: _next_sessions(mailing, registration, shared, keep),
        "link_uitschrijven": lambda: links.unsubscribe_url(registration.email, mailing.id, keep=keep),
    }
    return {name: makers[name]() for name in names if name in makers}


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


@dataclass(frozen=True, kw_only=True)
class AddressedMail(RenderedMail):
    """A mailing's mail as one recipient reads it, with their address (the preview shows it)."""

    to: str


# ---------------------------------------------------------------------------- the frame, cached
#
# Everything but the placeholders is the same for every recipient of a mailing who registered for
# the same session: the text with its footer, and the HTML laid out from it. That frame is rendered
# once per version of the mailing (its text, sessions and segment) and session, with a marker where
# each placeholder goes; each recipient's mail is the frame with their values put in (HTML-escaped
# and with links made, as the layout does with the rest of the text). The next dates are read
# again after FRAME_SECONDS.

FRAME_SECONDS = 300
_FRAME_LIMIT = 64
_SUBJECT = "\ue000subject\ue001"
_frames: dict[tuple, tuple[float, _Frame | None]] = {}


def _marker(name: str) -> str:
    return f"\ue000{name}\ue001"


@dataclass(frozen=True)
class _Frame:
    shared: Shared
    text: str
    html: str


def _version(mailing: Mailing, session: InfoSession, locale: str) -> tuple:
    digest = hashlib.sha256(f"{mailing.subject}\n{mailing.body}".encode()).hexdigest()
    sessions_of = tuple(sorted(s.id for s in mailing.sessions))
    return (mailing.id, mailing.segment, digest, sessions_of, session.id, session.updated_at, locale)


def _frame(mailing: Mailing, session: InfoSession, locale: str) -> _Frame | None:
    """The cached frame, or None when this mailing cannot be framed (a placeholder written inside
    a web address: the layout would make the whole address one link)."""
    key = _version(mailing, session, locale)
    cached = _frames.get(key)
    if cached is not None and time.monotonic() - cached[0] < FRAME_SECONDS:
        return cached[1]
    shared = shared_parts(mailing)
    markers = {name: _marker(name) for name in PLACEHOLDERS}
    text = _text(mailing, session, _fill(mailing.body, markers), markers["link_uitschrijven"])
    html = render_template("outbox/mail.html", subject=_SUBJECT, text=text, lang=locale, lists=False)
    # A marker inside a web address, or a link glued to text an address would run on into, would
    # make the layout link differently than it does for the filled-in text: render those per person.
    glued = re.search('href="[^"]*\ue000', html) or any(
        re.search(_marker(name) + "[^\\s<>\"'.,;:!?)\\]]", text) for name in LINKS
    )
    frame = None if glued else _Frame(shared, text, html)
    if len(_frames) >= _FRAME_LIMIT:
        _frames.clear()
    _frames[key] = (time.monotonic(), frame)
    return frame


@dataclass(frozen=True)
class Answer:
    """The person's own question and the knowledge base's answer to it (materials/faq)."""

    asked: str
    answer: str


ASKED_SHOWN = 300


def _answer(mailing: Mailing, registration: Registration) -> Answer | None:
    """For those who came: the answer an expert linked to the question they sent, if any."""
    from materials.faq.services import answers_for

    if mailing.segment != Segment.ATTENDEES or not (registration.questions or "").strip():
        return None
    entry = answers_for([registration.id]).get(registration.id)
    if entry is None:
        return None
    asked = " ".join(registration.questions.split())
    if len(asked) > ASKED_SHOWN:
        asked = asked[: ASKED_SHOWN - 1].rstrip() + "…"
    return Answer(asked, entry.answer.strip())


def _text(
    mailing: Mailing, session: InfoSession, body: str, unsubscribe: str | None, answer: Answer | None = None
) -> str:
    return render_template(
        "materials/mailings/mail.txt",
        body=body.strip(),
        answer=answer,
        news=mailing.segment.is_news,
        unsubscribe_url=unsubscribe if mailing.segment.is_news else None,
        s=session,
    )


def _put(frame: str, values: dict[str, str], format_value=str) -> str:
    for name, value in values.items():
        frame = frame.replace(_marker(name), format_value(value))
    return frame


def render(
    mailing: Mailing, registration: Registration, shared: Shared | None = None, *, keep_links: bool = False
) -> AddressedMail:
    """The mail exactly as `registration`'s person receives it (the preview, the test mail and the
    outbox's worker use this). Its links are the same every time; the worker, which sends the
    mail, stores them with `keep_links` (in its transaction), a preview does not."""
    session = registration.session
    locale = session.language if session.language in ("nl", "en") else "nl"
    with force_locale(locale):
        answer = _answer(mailing, registration)
        # A person with an answer gets their own text; everyone else the shared frame.
        frame = _frame(mailing, session, locale) if answer is None else None
        shared = shared or (frame.shared if frame is not None else shared_parts(mailing))
        values = _values(mailing, registration, shared, shared.placeholders, keep_links)
        subject = " ".join(_fill(mailing.subject, values).split())[:500]
        unsubscribe = values["link_uitschrijven"] if mailing.segment.is_news else None
        if frame is not None:
            text = _put(frame.text, values)
            html = _put(frame.html, values, html_text.inline).replace(_SUBJECT, str(escape(subject)))
        else:
            text = _text(mailing, session, _fill(mailing.body, values), unsubscribe, answer)
            html = render_template("outbox/mail.html", subject=subject, text=text, lang=locale, lists=False)
    return AddressedMail(
        to=registration.email, subject=subject, text=text, html=html, list_unsubscribe=unsubscribe
    )
