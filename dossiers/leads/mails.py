"""Mails about intake conversations: the link to pick a time, and the confirmations with an
invitation (.ics) for the lead and for the staff member. Queued as intents in the transaction of
the change; rendered by the outbox's worker.

A conversation's mail keeps the appointment as it was at the change (its time, slot, staff member
and SEQUENCE, in the snapshot): the cancellation a former staff member gets when the lead moves to
another's slot names the old time and place, whatever happened since. A mail about a lead whose
data was erased before it went out is dropped.
"""

from __future__ import annotations

import hashlib
from functools import partial

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.extensions import db
from app.i18n import long_datetime
from app.outbox.kinds import AsOf, MailIntent, RenderedMail, mail_kind
from app.outbox.layout import Action, Summary, calendar
from app.outbox.services import enqueue_many
from dossiers.leads import links
from dossiers.leads.ics import conversation_calendar
from dossiers.leads.models import IntakeConversation, IntakeSlot, Lead

SUBJECTS = {
    "pick_link": _l("Kies een moment voor je kennismakingsgesprek"),
    "booked": _l("Je kennismakingsgesprek: %(date)s"),
    "moved": _l("Je kennismakingsgesprek is verplaatst: %(date)s"),
    "cancelled": _l("Je kennismakingsgesprek is geannuleerd: %(date)s"),
    "staff_booked": _l("Kennismakingsgesprek ingepland: %(name)s, %(date)s"),
    "staff_moved": _l("Kennismakingsgesprek verplaatst: %(name)s, %(date)s"),
    "staff_cancelled": _l("Kennismakingsgesprek geannuleerd: %(name)s, %(date)s"),
}
METHODS = {
    "booked": "REQUEST",
    "moved": "REQUEST",
    "cancelled": "CANCEL",
    "staff_booked": "REQUEST",
    "staff_moved": "REQUEST",
    "staff_cancelled": "CANCEL",
}
LABELS = {
    "pick_link": _l("Link om een kennismakingsgesprek te kiezen"),
    "booked": _l("Kennismakingsgesprek ingepland"),
    "moved": _l("Kennismakingsgesprek verplaatst"),
    "cancelled": _l("Kennismakingsgesprek geannuleerd"),
    "staff_booked": _l("Kennismakingsgesprek ingepland (medewerker)"),
    "staff_moved": _l("Kennismakingsgesprek verplaatst (medewerker)"),
    "staff_cancelled": _l("Kennismakingsgesprek geannuleerd (medewerker)"),
}
ACTIONS = {
    "pick_link": _l("Kies een moment"),
    "booked": _l("Verplaats of annuleer het gesprek"),
    "moved": _l("Verplaats of annuleer het gesprek"),
    "cancelled": _l("Kies een nieuw moment"),
}
GONE = _l("Niet verstuurd: de gegevens van de lead werden gewist voor deze mail vertrok.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def _where(conversation) -> str:
    slot = conversation.slot
    if slot is None:
        return ""
    if slot.mode.value == "online":
        return f"{_('online')} — {slot.meeting_url}" if slot.meeting_url else _("online")
    return slot.place


def _summary(conversation) -> Summary:
    """When, where and with whom: the conversation as the mail's change left it."""
    return Summary.of(
        [
            (_("Wanneer"), long_datetime(conversation.starts_at)),
            (_("Waar"), _where(conversation)),
            (_("Met"), conversation.staff.name if conversation.staff else None),
        ]
    )


def _render(name: str, intent: MailIntent) -> RenderedMail | None:
    lead = db.session.get(Lead, intent.id("lead"))
    if lead is None or _digest(lead.token) != intent.snapshot.get("lead"):
        return None
    if not name.startswith("staff_") and lead.email != intent.to:
        return None
    conversation = None
    if intent.id("conversation") is not None:
        live = db.session.get(IntakeConversation, intent.id("conversation"))
        if live is None:
            return None
        then = intent.snapshot
        conversation = AsOf(
            live,
            starts_at=intent.moment("starts_at"),
            ends_at=intent.moment("ends_at"),
            sequence=then["sequence"],
            slot=db.session.get(IntakeSlot, then["slot"]) if then.get("slot") else None,
            staff=db.session.get(User, then["staff"]) if then.get("staff") else None,
        )
    date = long_datetime(conversation.starts_at) if conversation else ""
    subject = str(SUBJECTS[name] % {"date": date, "name": lead.full_name})
    method = METHODS.get(name) if conversation else None
    to_lead = not name.startswith("staff_")
    # Staff mails carry no link to pick a time: none is issued for them.
    pick_url = links.mail_url(lead) if to_lead else None
    context = {
        "lead": lead,
        "c": conversation,
        "pick_url": pick_url,
        "subject": subject,
        "action": Action(str(ACTIONS[name]), pick_url) if name in ACTIONS else None,
        "summary": _summary(conversation)
        if conversation and name not in ("cancelled", "staff_cancelled")
        else None,
        "calendar": None,
    }
    if method == "REQUEST":
        context["calendar"] = calendar(
            str(_l("Kennismakingsgesprek")),
            conversation.starts_at,
            conversation.ends_at,
            location=_where(conversation),
        )
    text = render_template(f"dossiers/leads/mail/{name}.txt", **context)
    html = render_template("outbox/mail.html", text=text, lang="nl", **context)
    ics = conversation_calendar(conversation, method) if method else None
    return RenderedMail(subject=subject, text=text, html=html, ics=ics, ics_method=method)


# Dutch always: intake conversations are held in Dutch (the agency's working language).
_KINDS = {
    name: mail_kind(f"intake.{name}", label, partial(_render, name), gone=GONE)
    for name, label in LABELS.items()
}
MAIL_KINDS = tuple(_KINDS.values())  # registered by init_app (app.outbox.kinds.KINDS)


def send_one(kind: str, to: str, lead: Lead, dedup_key: str, conversation: IntakeConversation | None = None):
    """Queue the mail `kind` (a key of LABELS) about `lead`, in the current transaction; the
    conversation's time, slot, staff member and SEQUENCE are kept as they are now."""
    snapshot = {"lead": _digest(lead.token)}
    ids = {"lead": lead.id}
    if conversation is not None:
        ids["conversation"] = conversation.id
        snapshot.update(
            starts_at=conversation.starts_at.isoformat(),
            ends_at=conversation.ends_at.isoformat(),
            sequence=conversation.sequence,
            slot=conversation.slot_id,
            staff=conversation.staff_id,
        )
    intent = MailIntent(
        kind=_KINDS[kind],
        to=to,
        dedup_key=dedup_key,
        ids=ids,
        snapshot=snapshot,
        locale="nl",
        reference=f"lead:{lead.id}",
    )
    enqueue_many([intent])


def send_pick_link(lead: Lead, dedup_key: str) -> None:
    send_one("pick_link", lead.email, lead, dedup_key)


def send_to_both(kind: str, conversation: IntakeConversation, staff=None) -> None:
    """`kind`: booked, moved or cancelled. `staff` overrides who gets the staff copy (the former
    staff member of a moved conversation gets a cancellation instead)."""
    lead = conversation.lead
    key = f"intake:{conversation.id}:{conversation.sequence}"
    send_one(kind, lead.email, lead, f"{key}:{kind}:lead", conversation)
    staff = staff or conversation.staff
    if staff is not None:
        send_one(f"staff_{kind}", staff.email, lead, f"{key}:{kind}:staff:{staff.id}", conversation)
