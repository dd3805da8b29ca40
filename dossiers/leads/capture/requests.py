"""Intake requests: the public form "ik wil een kennismakingsgesprek" and the one-click link in
follow-up mails. A request always makes (or updates) the person's lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.services import normalise_email
from app.database import atomic, begin_write
from app.db import utcnow
from app.errors import DomainError, Errors
from app.extensions import db
from app.geo import lookup_postcode
from app.validation import normalise_phone
from dossiers.leads import rules
from dossiers.leads.capture.people import gather_all, lead_for, link_registration, take_profile
from dossiers.leads.capture.triggers import active_rules
from dossiers.leads.models import Lead, LeadRegistration, LeadTrigger
from dossiers.leads.services import TRIGGER_LABELS, log_event, printable, today_in_brussels
from registrations.models import ChildcareType, Registration

MESSAGE_MAX = 2000


@dataclass
class IntakeRequestData:
    first_name: str
    last_name: str
    email: str
    phone: str | None = None
    postcode: str | None = None
    childcare_type: ChildcareType = ChildcareType.ONBEKEND
    message: str = ""


def _clean_request(data: IntakeRequestData) -> dict:
    """The values to store; every broken rule at once (InvalidInput), or one DomainError."""
    errors = Errors()
    first, last = printable(data.first_name), printable(data.last_name)
    for name, value, missing in (
        ("first_name", first, _l("Vul je voornaam in.")),
        ("last_name", last, _l("Vul je achternaam in.")),
    ):
        if not value:
            errors.add(missing, field=name)
        elif len(value) > 100:
            errors.add(_l("Een naam is hoogstens 100 tekens lang."), field=name)
    values = {"first_name": first, "last_name": last, "email": errors.check(normalise_email, data.email)}
    values["phone"] = errors.check(normalise_phone, data.phone) if (data.phone or "").strip() else None
    if (data.postcode or "").strip():
        place = errors.check(lookup_postcode, data.postcode)
        if place:
            values.update(postcode=place.postcode, municipality=place.municipality, province=place.province)
    values["childcare_type"] = ChildcareType(data.childcare_type)
    message = printable(data.message, keep="\r\n\t")
    if len(message) > MESSAGE_MAX:
        errors.add(_l("Je bericht is te lang (hoogstens %(n)s tekens).", n=MESSAGE_MAX), field="message")
    values["message"] = message
    errors.raise_any()
    return values


def _intake_requested(lead: Lead, now: datetime, message: str = "") -> None:
    lead.intake_requested_at = now
    if message:
        lead.message = f"{lead.message}\n\n{message}".strip() if lead.message else message
    log_event(lead, str(_l("Vroeg een kennismakingsgesprek aan.")))


# Decision: an intake request always makes (or updates) a lead, whatever the rules say. The
# starterstraject is mandatory and the intake conversation is its first step, so a person who
# asks for one must reach staff; filters cannot turn them away. Intake-request rules still
# apply in that the first matching one is recorded on the gathered registration (the one-click
# link), so an admin sees which rule a request fell under.


@atomic
def request_intake(data: IntakeRequestData, now: datetime | None = None) -> Lead:
    """The public form "ik wil een kennismakingsgesprek". Raises DomainError for bad input,
    with nothing saved."""
    now = now or utcnow()
    values = _clean_request(data)
    message = values.pop("message")
    begin_write()
    lead, made = lead_for(values["email"], LeadTrigger.INTAKE_REQUEST)
    gather_all(lead)
    take_profile(lead, SimpleNamespace(**values), now)
    lead.privacy_version = current_app.config["PRIVACY_NOTICE_VERSION"]
    lead.consented_at = now
    if made:
        log_event(lead, str(_l("Lead aangemaakt: %(rule)s", rule=TRIGGER_LABELS[LeadTrigger.INTAKE_REQUEST])))
    _intake_requested(lead, now, message)
    db.session.commit()
    return lead


@atomic
def request_intake_for(registration: Registration, now: datetime | None = None) -> Lead:
    """The one-click link in a follow-up mail: the registration's person asks for an intake.
    Clicking twice changes nothing more."""
    now = now or utcnow()
    begin_write()
    if registration.anonymised_at is not None:  # read afresh, under the write lock
        raise DomainError(_l("Deze link is niet meer geldig."))
    lead, made = lead_for(registration.email, LeadTrigger.INTAKE_REQUEST)
    rule = next(
        (
            r
            for r in active_rules(LeadTrigger.INTAKE_REQUEST)
            if rules.matches(r, registration, today_in_brussels())
        ),
        None,
    )
    existing_link = db.session.scalar(
        select(LeadRegistration).where(LeadRegistration.registration_id == registration.id)
    )
    if existing_link is None:
        link_registration(lead, registration, rule.id if rule else None)
        take_profile(lead, registration, registration.created_at)
    elif rule is not None and existing_link.rule_id is None:
        existing_link.rule_id = rule.id
    gather_all(lead)
    if made:
        label = rule.name if rule else TRIGGER_LABELS[LeadTrigger.INTAKE_REQUEST]
        log_event(lead, str(_l("Lead aangemaakt: %(rule)s", rule=label)))
    if lead.intake_requested_at is None:
        _intake_requested(lead, now)
    db.session.commit()
    return lead
