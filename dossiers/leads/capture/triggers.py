"""The lead rules at work: on a confirmed registration and on attendance (receivers of the
registrations' extension points, run inside that service's transaction, never committing), and
their backfill over every registration so far."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.database import atomic, begin_write
from app.errors import DomainError, NotFound
from app.extensions import db
from dossiers.leads import rules
from dossiers.leads.capture.people import gather_all, lead_for, link_registration, take_profile
from dossiers.leads.models import Lead, LeadRegistration, LeadRule, LeadTrigger
from dossiers.leads.services import TRIGGER_LABELS, log_event, today_in_brussels
from registrations.models import Registration, RegistrationStatus


def active_rules(trigger: LeadTrigger) -> list[SimpleNamespace]:
    """The active rules for a trigger, as plain snapshots (id, name and filters), read now.

    Snapshots, not ORM rows: a commit in between would expire the rows and make every later
    match a query again. A caller that applies them to many registrations (the backfill) reads
    them once and passes them to `apply_rules`.
    """
    rows = db.session.scalars(
        select(LeadRule).where(LeadRule.trigger == trigger, LeadRule.active.is_(True)).order_by(LeadRule.id)
    )
    return [
        SimpleNamespace(
            id=r.id,
            name=r.name,
            childcare_types=list(r.childcare_types or []),
            provinces=list(r.provinces or []),
            legal_forms=list(r.legal_forms or []),
            start_within_months=r.start_within_months,
        )
        for r in rows
    ]


def apply_rules(
    registration: Registration, trigger: LeadTrigger, candidates: list | None = None
) -> Lead | None:
    """Make or update the person's lead when a rule for `trigger` matches the registration, or
    when the person already is a lead (a lead gathers all their registrations). Never commits:
    runs inside the caller's transaction. `candidates` replaces the active rules (read once by
    the backfill, or the one rule it replays). Returns the lead, or None when no lead is due."""
    if registration.anonymised_at is not None:
        return None
    # One lead per address; a companion without one belongs to the lead of who registered them.
    email = registration.email or (registration.companion_of.email if registration.companion_of else None)
    if not email:
        return None
    candidates = active_rules(trigger) if candidates is None else candidates
    rule = next((r for r in candidates if rules.matches(r, registration, today_in_brussels())), None)
    existing = db.session.scalar(select(Lead).where(Lead.email == email))
    if rule is None and existing is None:
        return None
    lead, made = lead_for(email, trigger)
    if link_registration(lead, registration, rule.id if rule else None):
        take_profile(lead, registration, registration.created_at)
    gather_all(lead)
    if made:
        log_event(
            lead, str(_l("Lead aangemaakt: %(rule)s", rule=rule.name if rule else TRIGGER_LABELS[trigger]))
        )
    db.session.flush()
    return lead


def on_registration_confirmed(registration: Registration, **_kw) -> None:
    apply_rules(registration, LeadTrigger.REGISTRATION)


def on_registration_attended(registration: Registration, **_kw) -> None:
    apply_rules(registration, LeadTrigger.ATTENDANCE)


@dataclass
class BackfillResult:
    leads_made: int = 0
    registrations_gathered: int = 0


@atomic
def backfill(rule_id: int | None = None) -> BackfillResult:
    """Apply the active rules (or one rule) to every registration so far, past sessions included.

    Safe to run again and next to live traffic: nothing is made twice. Intake-request rules
    have nothing to replay (every request already made a lead). Raises NotFound for an unknown
    rule and DomainError for an inactive one.
    """
    begin_write()
    rule = None
    if rule_id is not None:
        rule = db.session.get(LeadRule, rule_id)
        if rule is None:
            raise NotFound(_l("Deze regel bestaat niet."))
        if not rule.active:
            raise DomainError(_l("Zet de regel eerst aan."))
        triggers = [rule.trigger]
    else:
        triggers = [LeadTrigger.REGISTRATION, LeadTrigger.ATTENDANCE]
    result = BackfillResult()
    before = db.session.scalar(select(func.count()).select_from(Lead))
    gathered_before = db.session.scalar(select(func.count()).select_from(LeadRegistration))
    today = today_in_brussels()
    for trigger in triggers:
        if trigger == LeadTrigger.INTAKE_REQUEST:
            continue
        candidates = [rule] if rule is not None else active_rules(trigger)
        query = (
            select(Registration)
            .outerjoin(LeadRegistration, LeadRegistration.registration_id == Registration.id)
            .where(LeadRegistration.id.is_(None), Registration.anonymised_at.is_(None))
            .order_by(Registration.created_at, Registration.id)
        )
        if trigger == LeadTrigger.ATTENDANCE:
            query = query.where(Registration.status == RegistrationStatus.ATTENDED)
        else:
            query = query.where(Registration.email_confirmed_at.is_not(None))
        for registration in db.session.scalars(query).all():
            # One rule replayed: only what it matches (a person already a lead is gathered by
            # the live triggers, not by this rule).
            if rule is not None and not rules.matches(rule, registration, today):
                continue
            apply_rules(registration, trigger, candidates)
    result.leads_made = db.session.scalar(select(func.count()).select_from(Lead)) - before
    result.registrations_gathered = (
        db.session.scalar(select(func.count()).select_from(LeadRegistration)) - gathered_before
    )
    db.session.commit()
    return result
