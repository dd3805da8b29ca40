"""Calendar files: one session, the public feed, and a presenter's private feed (RFC 5545).

`build_calendar` is a pure function of the sessions it is given (it needs an application
context for BASE_URL, never a request), so the registrations package can attach the same
file to a confirmation mail with `method="REQUEST"` and `include_private=True`. The routes that
serve these files are in `sessions.views.calendar`.

A meeting link is private: it only appears with `include_private=True` (a presenter's own
feed, a registrant's invitation), never in a public file or link.

Everything goes through icalendar's public API: the calendar is built with `add` and
`add_component` and serialised by `to_ical`; the one VTIMEZONE is built once and added to every
calendar as a component.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
)
from itsdangerous import BadSignature, URLSafeSerializer

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.outbox.layout import calendar
from app.timezone import BRUSSELS
from sessions.models import AttendMode, InfoSession, SessionFormat, SessionStatus

PRODID = "-//Startklaar//Infosessies kinderopvang//NL"
TZID = "Europe/Brussels"
METHODS = frozenset({"PUBLISH", "REQUEST", "CANCEL"})
ITIP_MESSAGES = frozenset({"REQUEST", "CANCEL"})
# How often a subscribed calendar should look again (RFC 7986 REFRESH-INTERVAL).
FEED_REFRESH = timedelta(hours=6)
PRESENTER_FEED_SALT = "presenter-feed"
DESCRIPTION_LIMIT = 400


# --------------------------------------------------------------------------- building


@dataclass(frozen=True)
class _Texts:
    """The translated words of a calendar, looked up once per file rather than once per event."""

    online: str
    hybrid: str
    cancelled_summary: str
    cancelled_reason: str
    meeting_link: str
    more_info: str

    @classmethod
    def current(cls) -> _Texts:
        # gettext without variables returns the template; it is filled in per event.
        return cls(
            online=_("Online"),
            hybrid=_("Je kunt ter plaatse of online deelnemen."),
            cancelled_summary=_("Geannuleerd: %(title)s"),
            cancelled_reason=_("Deze infosessie is geannuleerd. Reden: %(reason)s"),
            meeting_link=_("Vergaderlink: %(url)s"),
            more_info=_("Meer info: %(url)s"),
        )


def _last_sunday_switch(year: int, month: int) -> datetime:
    """The EU clock change: the last Sunday of `month`, 01:00 UTC."""
    day = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    day -= timedelta(days=(day.weekday() - 6) % 7)
    return datetime(day.year, day.month, day.day, 1, tzinfo=UTC)


def _zoneinfo_follows_eu_rule(first_year: int, last_year: int) -> bool:
    """Does the installed tzdata still switch Brussels' clocks by the EU rule in these years?"""
    hour = timedelta(hours=1)
    for year in range(first_year, last_year + 1):
        for month, before, after in ((3, hour, 2 * hour), (10, 2 * hour, hour)):
            switch = _last_sunday_switch(year, month)
            offsets = (
                (switch - timedelta(seconds=1)).astimezone(BRUSSELS).utcoffset(),
                switch.astimezone(BRUSSELS).utcoffset(),
            )
            if offsets != (before, after):
                return False
        middle = (datetime(year, 1, 15, tzinfo=UTC), datetime(year, 7, 15, tzinfo=UTC))
        if tuple(m.astimezone(BRUSSELS).utcoffset() for m in middle) != (hour, 2 * hour):
            return False
    return True


def _observance(kind: type, name: str, offset_from: int, offset_to: int, start: datetime, month: int):
    observance = kind()
    observance.add("tzname", name)
    observance.add("tzoffsetfrom", timedelta(hours=offset_from))
    observance.add("tzoffsetto", timedelta(hours=offset_to))
    observance.add("dtstart", start)
    observance.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
    return observance


@lru_cache(maxsize=1)
def vtimezone() -> Timezone:
    """Europe/Brussels as a VTIMEZONE, built once and shared (only ever serialised).

    The usual RRULE form (last Sunday of March and of October), as Google, Apple and
    tzurl.org publish it, rather than icalendar's `Timezone.from_tzid`, which lists every
    switch in one multi-valued RDATE: vobject reads only the first date of such a list and
    then shifts every later summer-time event by an hour, and programs keep the first
    VTIMEZONE they meet per TZID. The rule is checked against the installed tzdata for the
    next 15 years; should the tzdata ever disagree (the EU dropping summer time), we fall
    back to the generated form, so zoneinfo stays the one source of truth.
    """
    this_year = utcnow().year
    if not _zoneinfo_follows_eu_rule(this_year - 1, this_year + 15):
        return Timezone.from_tzid(TZID, first_date=date(this_year - 1, 1, 1), last_date=date(2100, 1, 1))
    timezone = Timezone()
    timezone.add("tzid", TZID)
    timezone.add("x-lic-location", TZID)
    timezone.add_component(_observance(TimezoneDaylight, "CEST", 1, 2, datetime(1981, 3, 29, 2, 0), month=3))
    timezone.add_component(_observance(TimezoneStandard, "CET", 2, 1, datetime(1996, 10, 27, 3, 0), month=10))
    return timezone


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def session_url(session: InfoSession) -> str:
    """The absolute public URL of a session's page (works outside a request)."""
    return f"{base_url()}/sessies/{session.id}"


def session_ics_url(session: InfoSession) -> str:
    return f"{base_url()}/sessies/{session.id}.ics"


def webcal_url(url: str) -> str:
    """The same address with the webcal:// scheme, which makes a calendar app subscribe."""
    return re.sub(r"^https?://", "webcal://", url, count=1)


def changed_at(session: InfoSession) -> datetime:
    """When anything a calendar shows of this session last changed (its topic and venue too);
    not its seats, which no calendar shows (`InfoSession.details_changed_at`)."""
    moments = [session.details_changed_at, session.topic.updated_at]
    if session.venue is not None:
        moments.append(session.venue.updated_at)
    return max((m for m in moments if m is not None), default=None) or utcnow()


def _location(
    session: InfoSession, texts: _Texts, include_private: bool, attends: AttendMode | None = None
) -> str:
    """The venue, or online the meeting link (when private); `attends`: how the one person this
    invitation is for attends (a hybrid session's online attendee gets the link, not the room)."""
    venue = session.venue
    online = attends is not None and session.attend_mode(attends) == AttendMode.ONLINE
    if session.format.needs_venue and venue is not None and not online:
        return f"{venue.name}, {venue.street}, {venue.postcode} {venue.municipality}"
    if include_private and session.meeting_url:
        return session.meeting_url
    return texts.online


def _shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def _description(session: InfoSession, url: str, texts: _Texts, *, cancelled: bool, private: bool) -> str:
    parts = []
    if cancelled and session.cancel_reason:
        parts.append(texts.cancelled_reason % {"reason": session.cancel_reason})
    if session.topic.description:
        parts.append(_shorten(session.topic.description))
    if session.format == SessionFormat.HYBRID:
        parts.append(texts.hybrid)
    if private and session.meeting_url:
        parts.append(texts.meeting_link % {"url": session.meeting_url})
    parts.append(texts.more_info % {"url": url})
    return "\n\n".join(parts)


# "Name <address>" as people write it; parseaddr would split a name with a comma in it.
_NAMED_ADDRESS = re.compile(r"^\s*(.*?)\s*<([^<>\s]+)>\s*$")


def calendar_address(email: str, name: str = "", role: str | None = None) -> vCalAddress:
    """An ORGANIZER or ATTENDEE value: mailto:, the name as CN; with a `role`, an attendee who
    has accepted and need not answer (the person registered or booked it themselves)."""
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    if role:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "ACCEPTED"
        address.params["RSVP"] = "FALSE"
    return address


def _address(value: str, role: str | None = None) -> vCalAddress:
    match = _NAMED_ADDRESS.match(value)
    name, email = (match.group(1).strip().strip('"'), match.group(2)) if match else ("", value.strip())
    return calendar_address(email, name, role)


def session_event(
    session: InfoSession,
    *,
    include_private: bool = False,
    method: str | None = None,
    stamp: datetime | None = None,
    texts: _Texts | None = None,
    attends: AttendMode | None = None,
) -> Event:
    """One VEVENT for a session. Times carry TZID=Europe/Brussels; add the VTIMEZONE yourself
    (or use `build_calendar`, which does)."""
    texts = texts or _Texts.current()
    url = session_url(session)
    modified = changed_at(session)
    cancelled = session.status == SessionStatus.CANCELLED or method == "CANCEL"
    title = session.display_title
    event = Event()
    event.add("uid", f"{session.uid}@startklaar")
    if stamp is None:
        # An invitation is a message: its DTSTAMP is when it was made, so a later one wins at
        # equal SEQUENCE (RFC 5546). A published file takes the last revision instead (as
        # RFC 5545 3.8.7.2 does without METHOD), which keeps its bytes, and so its ETag,
        # unchanged until something changes.
        stamp = utcnow() if method in ITIP_MESSAGES else modified
    event.add("dtstamp", stamp)
    event.add("last-modified", modified)
    event.add("sequence", session.sequence or 0)
    event.add("dtstart", session.starts_at.astimezone(BRUSSELS))
    event.add("dtend", session.ends_at.astimezone(BRUSSELS))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", texts.cancelled_summary % {"title": title} if cancelled else title)
    event.add("location", _location(session, texts, include_private, attends))
    event.add("url", url)
    event.add("description", _description(session, url, texts, cancelled=cancelled, private=include_private))
    return event


def build_calendar(
    sessions: Iterable[InfoSession],
    *,
    method: str | None = None,
    include_private: bool = False,
    name: str | None = None,
    refresh: timedelta | None = None,
    stamp: datetime | None = None,
    organizer: str | None = None,
    attendee: str | None = None,
    attends: AttendMode | None = None,
) -> bytes:
    """An iCalendar file (UTF-8 bytes, CRLF lines) with one VEVENT per session.

    - `method`: PUBLISH, REQUEST or CANCEL (iTIP). With CANCEL every event says
      STATUS:CANCELLED. An invitation (REQUEST/CANCEL) should pass `organizer`
      ("Name <address>", e.g. MAIL_FROM) and `attendee` ("Name <address>" or an address).
    - `include_private`: put the meeting link in; only for the presenter or a registrant.
    - `attends`: how the attendee attends; LOCATION is the venue on site, the link online.
    - `name`: the calendar's display name (X-WR-CALNAME / NAME), for feeds; `refresh` how
      often subscribers should reload.
    - `stamp`: DTSTAMP for every event; by default now for REQUEST/CANCEL, otherwise each
      event's last change (so a feed's bytes change only when its content does).

    Needs an application context (BASE_URL, translations), never a request. Raises
    ValueError for an unknown method.
    """
    if method is not None and method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    sessions = list(sessions)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TZID)
    if refresh:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    # The VTIMEZONE first, where readers look for it; also in an empty feed, as a VCALENDAR
    # needs at least one component (RFC 5545 3.6).
    calendar.add_component(vtimezone())
    texts = _Texts.current()
    organizer_address = _address(organizer) if organizer else None
    attendee_address = _address(attendee, role="REQ-PARTICIPANT") if attendee else None
    for session in sessions:
        event = session_event(
            session, include_private=include_private, method=method, stamp=stamp, texts=texts, attends=attends
        )
        if organizer_address is not None:
            event.add("organizer", organizer_address)
        if attendee_address is not None:
            event.add("attendee", attendee_address)
        calendar.add_component(event)
    return calendar.to_ical()


# --------------------------------------------------------------------------- "add to calendar"


def calendar_links(session: InfoSession) -> dict[str, str]:
    """Links that open a filled-in "new event" form in Google Calendar, Outlook.com and
    Microsoft 365, plus the .ics file. Public: never the meeting link."""
    texts = _Texts.current()
    url = session_url(session)
    title = session.display_title
    details = _description(
        session, url, texts, cancelled=session.status == SessionStatus.CANCELLED, private=False
    )
    location = _location(session, texts, include_private=False)
    links = calendar(title, session.starts_at, session.ends_at, location=location, details=details)
    return {
        "google": links.google,
        "outlook": links.outlook,
        "office365": links.office365,
        "ics": session_ics_url(session),
    }


# --------------------------------------------------------------------------- presenter feed


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=PRESENTER_FEED_SALT)


def _fingerprint(user: User) -> str:
    # A digest, so the link never carries the session token itself; a new token (password
    # reset, deactivation) changes it and so kills every old link.
    return hashlib.sha256(user.session_token.encode()).hexdigest()[:20]


def presenter_feed_token(user: User) -> str:
    return _serializer().dumps([user.id, _fingerprint(user)])


def presenter_feed_url(user: User) -> str:
    """The absolute address of the user's private feed (subscribe with `webcal_url`)."""
    return f"{base_url()}/agenda/{presenter_feed_token(user)}.ics"


def presenter_for_token(token: str) -> User | None:
    """The active user a feed token belongs to, or None for a forged, stale or foreign token."""
    try:
        user_id, fingerprint = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(fingerprint, str):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or not hmac.compare_digest(fingerprint, _fingerprint(user)):
        return None
    return user
