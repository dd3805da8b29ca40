"""The laid-out parts of a registration mail (app.outbox.layout): its primary action, the session's
what/when/where and the "add to calendar" links. `registrations.mails` hands them to the text
template and to the HTML layout alike, so both parts say the same."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from app.i18n import long_datetime, short_time
from app.outbox.layout import Action, Calendar, Summary, calendar
from registrations.models import RegistrationStatus
from sessions.labels import attend_label
from sessions.models import AttendMode, InfoSession

# Kinds whose summary shows the meeting link: the person holds a seat (or does when confirmed).
_MEETING_LINK_ALWAYS = frozenset({"confirmed", "promoted", "reminder"})
_MEETING_LINK_WHEN_CONFIRMED = frozenset({"moved", "updated"})
# Kinds whose one thing to do is to choose another date.
_OTHER_DATE = frozenset({"cancelled", "session_cancelled", "left_waitlist"})


def shows_meeting_link(name: str, status: RegistrationStatus) -> bool:
    return name in _MEETING_LINK_ALWAYS or (
        name in _MEETING_LINK_WHEN_CONFIRMED and status == RegistrationStatus.CONFIRMED
    )


def place(session: InfoSession) -> str:
    venue = session.venue
    if venue is None:
        return ""
    where = f"{venue.name}, {venue.street}, {venue.postcode} {venue.municipality}"
    return f"{where} ({_('drempelvrij')})" if venue.step_free else where


def summary(
    session: InfoSession,
    session_url: str,
    *,
    meeting_link: bool,
    ended: bool = False,
    mode: AttendMode = AttendMode.ON_SITE,
) -> Summary:
    """What, when, where; `ended`: the registration or the session is over (no word on the
    meeting link then). Where this person goes follows `mode`, how they attend: the room on
    site, the meeting link online."""
    online = mode == AttendMode.ONLINE
    rows = [
        (_("Wat"), session.display_title),
        (_("Wanneer"), f"{long_datetime(session.starts_at)}–{short_time(session.ends_at)}"),
    ]
    if session.is_hybrid:
        rows.append((_("Je neemt deel"), attend_label(mode)))
    if not online:
        rows.append((_("Waar"), place(session)))
    if online and not ended:
        if meeting_link and session.meeting_url:
            rows.append((_("Online deelnemen"), session.meeting_url))
        else:
            rows.append((_("Online"), _("de link krijg je zodra je inschrijving bevestigd is.")))
    rows.append((_("Meer info"), session_url))
    return Summary.of(rows)


def ended(name: str) -> bool:
    return name in _OTHER_DATE


def sessions_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + "/sessies"


def action(name: str, status: RegistrationStatus, urls: dict[str, str]) -> Action:
    """The button of a mail `name`: confirm, choose another date, or see (and cancel) one's
    registration."""
    if name == "confirm_waitlist":
        return Action(_("Bevestig je plaats op de wachtlijst"), urls["confirm_url"])
    if name == "confirm_link" or (name == "already" and status == RegistrationStatus.PENDING):
        return Action(_("Bevestig je inschrijving"), urls["confirm_url"])
    if name in _OTHER_DATE:
        return Action(_("Kies een andere datum"), sessions_url())
    return Action(_("Bekijk of annuleer je inschrijving"), urls["manage_url"])


def calendar_links(
    session: InfoSession,
    session_url: str,
    *,
    meeting_link: bool,
    with_ics: bool,
    mode: AttendMode = AttendMode.ON_SITE,
) -> Calendar:
    location = "" if mode == AttendMode.ONLINE else place(session)
    if not location and meeting_link and session.meeting_url:
        location = session.meeting_url
    details = f"{_('Meer info')}: {session_url}"
    if meeting_link and session.meeting_url:
        details += f"\n{_('Online deelnemen')}: {session.meeting_url}"
    return calendar(
        session.display_title,
        session.starts_at,
        session.ends_at,
        location=location,
        details=details,
        with_ics=with_ics,
    )
