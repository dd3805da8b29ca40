"""The catalogue as an Atom feed (RFC 4287), for news readers and the agency's website.

Built with the standard library's ElementTree rather than a template or a feed library: every
text goes in as an element's text or an attribute, so escaping is done by the serialiser and
cannot be forgotten, and the Atom document is small enough that a dependency (feedgen, which
also pulls in lxml) would buy nothing. Characters XML 1.0 forbids (control characters someone
pasted into a description) are dropped, as no serialiser does that for us.

`build_feed` is a pure function of the sessions it is given (it needs an application context
for BASE_URL and the translations, never a request). Public: never the meeting link.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - only writes XML, never parses any
from collections.abc import Iterable
from datetime import UTC, datetime

from flask_babel import gettext as _

from app.geo import PROVINCES
from app.i18n import current_language, long_datetime, short_time
from sessions.ics import base_url, changed_at, session_url
from sessions.models import InfoSession, SessionStatus

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
SUMMARY_LIMIT = 400
# Everything XML 1.0 does not allow in a document (2.2 Characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The feed's `updated` when it lists nothing yet (it is required).
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

ET.register_namespace("", ATOM)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def _stamp(moment: datetime) -> str:
    """RFC 3339 in UTC, as Atom's date constructs want it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def entry_id(session: InfoSession) -> str:
    """A permanent id that survives a new BASE_URL: the session's UUID as a URN."""
    try:
        return uuid.UUID(hex=session.uid).urn
    except ValueError:
        return f"tag:startklaar,2026:session:{session.uid}"


def _place(session: InfoSession) -> str:
    venue = session.venue
    if session.format.needs_venue and venue is not None:
        province = PROVINCES.get(venue.province, venue.province)
        place = f"{venue.name}, {venue.street}, {venue.postcode} {venue.municipality} ({province})"
        return place + (" · " + _("ook online te volgen") if session.format.needs_link else "")
    return _("Online")


def _summary(session: InfoSession, cancelled: bool) -> str:
    lines = []
    if cancelled:
        lines.append(_("Deze infosessie is geannuleerd."))
        if session.cancel_reason:
            lines.append(_("Reden: %(reason)s", reason=session.cancel_reason))
    lines.append(f"{long_datetime(session.starts_at)}–{short_time(session.ends_at)}")
    lines.append(_place(session))
    description = (session.topic.description or "").strip()
    if description:
        if len(description) > SUMMARY_LIMIT:
            description = description[:SUMMARY_LIMIT].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
        lines.append(description)
    return "\n".join(lines)


def build_feed(
    sessions: Iterable[InfoSession], *, self_url: str, catalogue_url: str, updated: datetime | None
) -> bytes:
    """An Atom feed (UTF-8 bytes) with one entry per session, in the order given.

    `self_url` is the feed's own absolute address (it is also its id: a filtered feed is another
    feed), `catalogue_url` the page it mirrors, `updated` the last change of what it shows.
    """
    sessions = list(sessions)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: current_language()})
    _child(feed, "id", self_url)
    _child(feed, "title", _("Infosessies kinderopvang starten"))
    _child(feed, "subtitle", _("Nieuwe gratis infosessies over het starten van een kinderopvang."))
    moments = [changed_at(s) for s in sessions]
    if updated is not None:
        moments.append(updated)
    _child(feed, "updated", _stamp(max(moments, default=_EPOCH)))
    _child(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _child(feed, "link", rel="alternate", type="text/html", href=catalogue_url)
    author = _child(feed, "author")
    _child(author, "name", "Startklaar")
    _child(author, "uri", base_url() + "/sessies")
    _child(feed, "generator", "Startklaar")
    _child(feed, "icon", base_url() + "/apple-touch-icon.png")
    for session in sessions:
        cancelled = session.status == SessionStatus.CANCELLED
        title = f"{session.display_title} ({long_datetime(session.starts_at)})"
        entry = _child(feed, "entry")
        _child(entry, "id", entry_id(session))
        _child(entry, "title", _("Geannuleerd: %(title)s", title=title) if cancelled else title)
        _child(entry, "link", rel="alternate", type="text/html", href=session_url(session))
        published = session.published_at or changed_at(session)
        _child(entry, "published", _stamp(published))
        _child(entry, "updated", _stamp(max(published, changed_at(session))))
        _child(entry, "category", term=session.topic.slug, label=session.topic.title)
        _child(entry, "summary", _summary(session, cancelled), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
