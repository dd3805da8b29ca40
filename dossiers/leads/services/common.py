"""What the leads' services share: the words for statuses and triggers, the lead's log, clean text."""

from __future__ import annotations

import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.timezone import local
from dossiers.leads.models import Lead, LeadNote, LeadStatus, LeadTrigger, NoteKind

S = LeadStatus
STATUS_LABELS = {
    S.NEW: _l("nieuw"),
    S.CONTACTED: _l("gecontacteerd"),
    S.INTAKE_PLANNED: _l("gesprek gepland"),
    S.CONVERTED: _l("omgezet naar dossier"),
    S.DROPPED: _l("afgevoerd"),
}
TRIGGER_LABELS = {
    LeadTrigger.REGISTRATION: _l("bij inschrijving (e-mailadres bevestigd)"),
    LeadTrigger.ATTENDANCE: _l("bij aanwezigheid op de sessie"),
    LeadTrigger.INTAKE_REQUEST: _l("bij een vraag om een kennismakingsgesprek"),
}


def today_in_brussels() -> date:
    return local(utcnow()).date()


def printable(text: str | None, keep: str = "") -> str:
    """The text without control characters (except those in `keep`), stripped."""
    return "".join(c for c in (text or "") if c in keep or unicodedata.category(c) != "Cc").strip()


def log_event(lead: Lead, body: str, author: User | None = None) -> None:
    db.session.add(
        LeadNote(lead=lead, author_id=author.id if author else None, kind=NoteKind.EVENT, body=body)
    )
