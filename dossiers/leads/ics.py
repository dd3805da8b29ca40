"""Calendar invitations for intake conversations (RFC 5545/5546), built like the sessions'
invitations: the same VTIMEZONE, TZID Europe/Brussels, a stable UID and a SEQUENCE that goes up
on every move, METHOD:REQUEST to invite or update and METHOD:CANCEL to call it off."""

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event

from app.db import utcnow
from app.timezone import BRUSSELS
from dossiers.leads.models import IntakeConversation, SlotMode
from sessions.ics import PRODID, calendar_address, vtimezone


def _organizer() -> tuple[str, str]:
    from app.outbox.transport import address_of

    sender = current_app.config["MAIL_FROM"]
    name = sender.split("<")[0].strip().strip('"') if "<" in sender else ""
    return name, address_of(sender)


def conversation_calendar(conversation: IntakeConversation, method: str) -> bytes:
    """The invitation for both the lead and the staff member (both are attendees)."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unknown iTIP method {method!r}")
    slot = conversation.slot
    lead = conversation.lead
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(vtimezone())
    event = Event()
    event.add("uid", f"intake-{conversation.uid}@startklaar")
    event.add("dtstamp", utcnow())
    event.add("sequence", conversation.sequence)
    event.add("dtstart", conversation.starts_at.astimezone(BRUSSELS))
    event.add("dtend", conversation.ends_at.astimezone(BRUSSELS))
    cancelled = method == "CANCEL"
    title = _("Kennismakingsgesprek kinderopvang: %(name)s", name=lead.full_name)
    event.add("summary", _("Geannuleerd: %(title)s", title=title) if cancelled else title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if slot is not None:
        if slot.mode == SlotMode.ONLINE:
            event.add("location", slot.meeting_url or _("Online"))
            if slot.meeting_url:
                event.add("description", _("Vergaderlink: %(url)s", url=slot.meeting_url))
        else:
            event.add("location", slot.place)
    name, email = _organizer()
    event.add("organizer", calendar_address(email, name))
    event.add("attendee", calendar_address(lead.email, lead.full_name, "REQ-PARTICIPANT"))
    staff = conversation.staff
    if staff is not None:
        event.add("attendee", calendar_address(staff.email, staff.name, "REQ-PARTICIPANT"))
    calendar.add_component(event)
    return calendar.to_ical()
