"""A lead's part in a person's privacy: kept while a lead needs the registration, exported,
and erased on request (the extension points of registrations.privacy)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import links as short_links
from app.extensions import db
from dossiers.leads.models import (
    ConversationStatus,
    IntakeConversation,
    Lead,
    LeadRegistration,
    LeadStatus,
    new_secret,
)
from registrations.models import Registration


def belongs_to_lead(registration: Registration) -> bool:
    """Privacy keep hook: a registration a lead gathered stays until the lead is dealt with."""
    return (
        db.session.scalar(
            select(LeadRegistration.id).where(LeadRegistration.registration_id == registration.id)
        )
        is not None
    )


def export_lead(email: str) -> dict:
    """Privacy export hook: the person's lead, its notes and intake conversations, if any."""
    lead = db.session.scalar(select(Lead).where(Lead.email == email))
    if lead is None:
        return {}
    fields = (
        "first_name", "last_name", "email", "phone", "postcode", "municipality", "province",
        "childcare_type", "planned_places", "planned_start", "legal_form", "enterprise_number",
        "statute", "status", "message", "created_at", "intake_requested_at",
    )  # fmt: skip
    conversations = db.session.scalars(
        select(IntakeConversation).where(IntakeConversation.lead_id == lead.id)
    )
    return {
        "lead": {
            **{name: _exported(getattr(lead, name)) for name in fields},
            "notes": [{"at": note.created_at.isoformat(), "text": note.body} for note in lead.notes],
            "intake_conversations": [
                {"status": c.status.value, "created_at": c.created_at.isoformat()} for c in conversations
            ],
        }
    }


def _exported(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return getattr(value, "value", value)


def erase_lead(email: str, now: datetime) -> None:
    """Privacy erase hook: the person asked to be forgotten. A lead that did not become a
    dossier is anonymised, its notes and messages blanked and its conversations cancelled; a
    converted lead stays with its dossier, which is a licence case the agency must keep (its
    own retention rules apply, see SECURITY.md)."""
    lead = db.session.scalar(select(Lead).where(Lead.email == email))
    if lead is None or lead.status == LeadStatus.CONVERTED:
        return
    lead.first_name, lead.last_name = "(gewist)", ""
    lead.email = f"gewist-lead-{lead.id}@anoniem.invalid"
    lead.phone = lead.postcode = lead.enterprise_number = None
    lead.message = ""
    lead.status, lead.status_changed_at = LeadStatus.DROPPED, now
    lead.drop_reason = str(_l("Gegevens gewist op vraag van de persoon."))
    short_links.forget(lead.token, "lead.")  # its short links are stored with the token
    lead.token = new_secret()  # every link to it stops working
    for note in lead.notes:
        note.body = "(gewist)"
    for conversation in db.session.scalars(
        select(IntakeConversation).where(
            IntakeConversation.lead_id == lead.id, IntakeConversation.status == ConversationStatus.BOOKED
        )
    ):
        conversation.status, conversation.slot_id = ConversationStatus.CANCELLED, None
