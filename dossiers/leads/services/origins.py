"""Where the leads of one inbox page came from and how old they are: what the inbox shows beside
each name. One query for the whole page (never one per lead), separate from the inbox's own query
so that query can be tuned on its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.timezone import local
from dossiers.leads.models import Lead, LeadRegistration, LeadRule, LeadTrigger
from dossiers.leads.services.common import today_in_brussels
from registrations.models import Registration
from sessions.models import InfoSession


@dataclass(frozen=True)
class Origin:
    kind: str  # "session" or "intake_request": what the inbox says first
    session: InfoSession | None = None
    rule_name: str | None = None  # the lead rule that made it; None when none is known
    requested_at: datetime | None = None  # for an intake request


def origins(leads: list[Lead]) -> dict[int, Origin]:
    """lead id → where it came from: the intake request that made it, or the session of its
    first registration and the rule that gathered it. One statement for any number of leads."""
    ids = [lead.id for lead in leads]
    found: dict[int, Origin] = {}
    if ids:
        first = (
            select(func.min(LeadRegistration.id))
            .where(LeadRegistration.lead_id.in_(ids))
            .group_by(LeadRegistration.lead_id)
        )
        rows = db.session.execute(
            select(LeadRegistration.lead_id, InfoSession, LeadRule.name)
            .join(Registration, Registration.id == LeadRegistration.registration_id)
            .join(InfoSession, InfoSession.id == Registration.session_id)
            .outerjoin(LeadRule, LeadRule.id == LeadRegistration.rule_id)
            .where(LeadRegistration.id.in_(first))
        )
        for lead_id, session, rule_name in rows:
            found[lead_id] = Origin("session", session=session, rule_name=rule_name)
    result = {}
    for lead in leads:
        if lead.source == LeadTrigger.INTAKE_REQUEST or lead.id not in found:
            rule = found[lead.id].rule_name if lead.id in found else None
            result[lead.id] = Origin("intake_request", rule_name=rule, requested_at=lead.intake_requested_at)
        else:
            result[lead.id] = found[lead.id]
    return result


def age(created_at: datetime, today: date | None = None) -> str:
    """How long ago the lead came in, in days: "vandaag", "1 dag geleden", "3 dagen geleden"."""
    days = ((today or today_in_brussels()) - local(created_at).date()).days
    if days <= 0:
        return str(_l("vandaag"))
    return ngettext("%(num)s dag geleden", "%(num)s dagen geleden", days)


def day(moment: datetime | None) -> str:
    """The day of a session or a request without the weekday ("21 november 2026"): short
    enough for a table cell."""
    return "" if moment is None else format_date(local(moment).date(), "d MMMM y")
