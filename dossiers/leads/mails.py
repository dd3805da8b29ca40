"""Mails about intake conversations: the link to pick a time, and the confirmations with an
invitation (.ics) for the lead and for the staff member. Rendered at the moment of the change,
into the outbox, in the same transaction."""

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.i18n import long_datetime
from app.outbox.services import OutgoingMail, enqueue
from dossiers.leads import links
from dossiers.leads.ics import conversation_calendar
from dossiers.leads.models import IntakeConversation, Lead

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


def send_one(kind: str, to: str, lead: Lead, dedup_key: str, conversation: IntakeConversation | None = None):
    with force_locale("nl"):
        subject = str(
            SUBJECTS[kind]
            % {
                "date": long_datetime(conversation.starts_at) if conversation else "",
                "name": lead.full_name,
            }
        )
        context = {"lead": lead, "c": conversation, "pick_url": links.pick_url(lead), "subject": subject}
        text = render_template(f"dossiers/leads/mail/{kind}.txt", **context)
        html = render_template("outbox/mail.html", text=text, lang="nl", **context)
    method = METHODS.get(kind)
    ics = conversation_calendar(conversation, method) if method else None
    enqueue(
        OutgoingMail(
            to=to,
            subject=subject,
            text=text,
            html=html,
            dedup_key=dedup_key,
            kind=f"intake.{kind}",
            ics=ics,
            ics_method=method,
            reference=f"lead:{lead.id}",
        )
    )


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
