"""Helpers for the follow-up mailings' tests: a session three people attended, a thank-you mailing
to them, and a page's text as a person reads it (tags stripped, white space squeezed)."""

from __future__ import annotations

import html
import re

from materials.mailings import services
from materials.mailings.models import Mailing, Segment
from registrations import attendance
from sessions import services as sessions
from tests.support.registrations import begin

PEOPLE = (
    ("an.peeters@example.com", "An", "Peeters"),
    ("bram.claes@example.com", "Bram", "Claes"),
    ("chloe.dubois@example.com", "Chloé", "Dubois"),
)


def attended(make_session, make_registration, people=PEOPLE, **session_fields):
    """A completed session that `people` ((email, first name, last name), …) attended; returns
    (session, their registrations in the same order)."""
    session = make_session(capacity=max(len(people), 1) + 5, **session_fields)
    registrations = [
        make_registration(session, email, "confirmed", first_name=first, last_name=last)
        for email, first, last in people
    ]
    session = begin(session)
    for registration in registrations:
        attendance.check_in(registration, None)
    sessions.complete_session(session)
    return session, registrations


def thanks_sent(session) -> Mailing:
    """The thank-you mailing to the attendees of `session`, sent (its intents in the outbox)."""
    mailing = services.create_mailing(session.id, Segment.ATTENDEES)
    services.send_mailing(mailing.id)
    return mailing


def text_of(page: str) -> str:
    """What a person reads on an HTML page: no tags, no scripts, entities decoded, one space."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())
