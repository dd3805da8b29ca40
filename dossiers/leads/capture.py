"""How leads are made: the lead rules (on registration, on attendance), their backfill over
past sessions, and intake requests (the public form and the one-click link in follow-up mails).

One person is one lead. The person is their normalised e-mail address, kept UNIQUE by the
database: making a lead and gathering a registration are `INSERT … ON CONFLICT DO NOTHING`
followed by a read, so two triggers for the same person at the same moment (two sessions
confirmed in two requests, a rerun of the backfill next to a live registration) end with one
lead and one link per registration, on PostgreSQL and SQLite alike.

The signal receivers run inside the registrations service's transaction and never commit; the
other services commit once, at the end.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from flask import current_app, g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.services import normalise_email
from app.database import atomic, begin_write
from app.db import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.geo import PROVINCES, lookup_postcode
from app.validation import normalise_phone
from dossiers.leads import rules
from dossiers.leads.models import Lead, LeadRegistration, LeadRule, LeadStatus, LeadTrigger
from dossiers.leads.services import TRIGGER_LABELS, _printable, _today, log_event
from registrations.models import ChildcareType, LegalForm, Registration, RegistrationStatus, Statute

S = LeadStatus
RULES_CACHE_SECONDS = 60
MESSAGE_MAX = 2000
PROFILE_FIELDS = (
    "first_name", "last_name", "phone", "postcode", "municipality", "province", "childcare_type",
    "planned_places", "planned_start", "legal_form", "enterprise_number", "statute",
)  # fmt: skip
# Answers that say "I don't know yet": they never overwrite something the person told us before.
UNKNOWN = (None, "", ChildcareType.ONBEKEND, LegalForm.NOG_NIET_BEPAALD, Statute.NOG_NIET_BEPAALD)

# --------------------------------------------------------------------------- upserts


def _insert_ignoring(table, conflict: str):
    dialect = db.session.get_bind().dialect.name
    module = {"postgresql": postgresql, "sqlite": sqlite}[dialect]
    return module.insert(table).on_conflict_do_nothing(index_elements=[conflict])


def _lead_for(email: str, source: LeadTrigger) -> tuple[Lead, bool]:
    """The person's lead, made now if they had none; (lead, made_now)."""
    existing = db.session.scalar(select(Lead).where(Lead.email == email))
    if existing is not None:
        return existing, False
    now = utcnow()
    result = db.session.execute(
        _insert_ignoring(Lead.__table__, "email").returning(Lead.__table__.c.id),
        [
            {
                "email": email,
                "status": S.NEW,
                "source": source,
                "status_changed_at": now,
                "created_at": now,
                "updated_at": now,
            }
        ],
    ).all()
    lead = db.session.scalar(
        select(Lead).where(Lead.email == email).execution_options(populate_existing=True)
    )
    return lead, bool(result)


def _link(lead: Lead, registration: Registration, rule_id: int | None) -> bool:
    """Gather a registration into a lead; False when it already was (by this or another call)."""
    result = db.session.execute(
        _insert_ignoring(LeadRegistration.__table__, "registration_id").returning(
            LeadRegistration.__table__.c.id
        ),
        [
            {
                "lead_id": lead.id,
                "registration_id": registration.id,
                "rule_id": rule_id,
                "created_at": utcnow(),
            }
        ],
    ).all()
    return bool(result)


def _take_profile(lead: Lead, source, at: datetime) -> None:
    """The newest answers win (`at`: when the person gave them), except "don't know yet",
    which never erases an earlier answer; older answers only fill in what is still blank."""
    newer = lead.profile_at is None or at >= lead.profile_at
    for name in PROFILE_FIELDS:
        value = getattr(source, name, None)
        if value in UNKNOWN:
            continue
        if newer or getattr(lead, name) in UNKNOWN:
            setattr(lead, name, value)
    if newer:
        lead.profile_at = at


def _gather_all(lead: Lead) -> int:
    """Link every registration of the person that no lead holds yet (oldest first, so the
    newest profile ends up on the lead). Only registrations whose address was confirmed: an
    unconfirmed one may carry someone else's address."""
    unlinked = db.session.scalars(
        select(Registration)
        .outerjoin(LeadRegistration, LeadRegistration.registration_id == Registration.id)
        .where(
            Registration.email == lead.email,
            Registration.anonymised_at.is_(None),
            Registration.email_confirmed_at.is_not(None),
            LeadRegistration.id.is_(None),
        )
        .order_by(Registration.created_at, Registration.id)
    ).all()
    linked = 0
    for registration in unlinked:
        if _link(lead, registration, None):
            _take_profile(lead, registration, registration.created_at)
            linked += 1
    return linked


# --------------------------------------------------------------------------- the rules


def active_rules(trigger: LeadTrigger) -> list[SimpleNamespace]:
    """The active rules for a trigger, as plain snapshots (id, name and filters).

    Signals fire once per registration, so the rules are read once per request (kept in `g`)
    and again after RULES_CACHE_SECONDS, which bounds how stale they get in a long-running CLI
    command or worker. Snapshots, not ORM rows: a commit in between would expire the rows and
    make every later match a query again.
    """
    cache = g.setdefault("lead_rules", {}) if has_app_context() else {}
    read_at, snapshot = cache.get(trigger, (None, None))
    if read_at is None or time.monotonic() - read_at > RULES_CACHE_SECONDS:
        rows = db.session.scalars(
            select(LeadRule)
            .where(LeadRule.trigger == trigger, LeadRule.active.is_(True))
            .order_by(LeadRule.id)
        )
        snapshot = [
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
        cache[trigger] = (time.monotonic(), snapshot)
    return snapshot


def _forget_cached_rules() -> None:
    if has_app_context():
        g.pop("lead_rules", None)


def apply_rules(registration: Registration, trigger: LeadTrigger, only_rule=None) -> Lead | None:
    """Make or update the person's lead when a rule for `trigger` matches the registration, or
    when the person already is a lead (a lead gathers all their registrations). Never commits:
    runs inside the caller's transaction. `only_rule` replaces the active rules (the backfill of
    one rule). Returns the lead, or None when no lead is due."""
    if registration.anonymised_at is not None:
        return None
    candidates = [only_rule] if only_rule is not None else active_rules(trigger)
    rule = next((r for r in candidates if rules.matches(r, registration, _today())), None)
    existing = db.session.scalar(select(Lead).where(Lead.email == registration.email))
    if rule is None and existing is None:
        return None
    lead, made = _lead_for(registration.email, trigger)
    if _link(lead, registration, rule.id if rule else None):
        _take_profile(lead, registration, registration.created_at)
    _gather_all(lead)
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
    if rule_id is not None:
        rule = db.session.get(LeadRule, rule_id)
        if rule is None:
            raise NotFound(_l("Deze regel bestaat niet."))
        if not rule.active:
            raise DomainError(_l("Zet de regel eerst aan."))
        triggers = [rule.trigger]
    else:
        triggers = [LeadTrigger.REGISTRATION, LeadTrigger.ATTENDANCE]
    begin_write()
    _forget_cached_rules()
    result = BackfillResult()
    before = db.session.scalar(select(func.count()).select_from(Lead))
    gathered_before = db.session.scalar(select(func.count()).select_from(LeadRegistration))
    for trigger in triggers:
        if trigger == LeadTrigger.INTAKE_REQUEST:
            continue
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
            if rule_id is not None:
                if not rules.matches(rule, registration, _today()):
                    continue
                apply_rules(registration, trigger, only_rule=rule)
            else:
                apply_rules(registration, trigger)
    result.leads_made = db.session.scalar(select(func.count()).select_from(Lead)) - before
    result.registrations_gathered = (
        db.session.scalar(select(func.count()).select_from(LeadRegistration)) - gathered_before
    )
    db.session.commit()
    return result


# --------------------------------------------------------------------------- rule administration


@dataclass
class RuleData:
    name: str
    trigger: LeadTrigger
    active: bool = True
    childcare_types: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    legal_forms: list[str] = field(default_factory=list)
    start_within_months: int | None = None


def list_rules() -> list[LeadRule]:
    return list(db.session.scalars(select(LeadRule).order_by(LeadRule.trigger, LeadRule.id)))


def get_rule(rule_id: int) -> LeadRule:
    rule = db.session.get(LeadRule, rule_id)
    if rule is None:
        raise NotFound(_l("Deze regel bestaat niet."))
    return rule


@atomic
def save_rule(rule_id: int | None, data: RuleData) -> LeadRule:
    """Create or change a lead rule. Raises DomainError for an empty name, an unknown code in a
    filter or a horizon outside 1–60 months."""
    begin_write()
    name = (data.name or "").strip()
    if not name or len(name) > 120:
        raise DomainError(_l("Geef de regel een naam (hoogstens 120 tekens)."), field="name")
    known = {
        "childcare_types": {c.value for c in ChildcareType},
        "provinces": set(PROVINCES),
        "legal_forms": {f.value for f in LegalForm},
    }
    for attribute, codes in known.items():
        if set(getattr(data, attribute)) - codes:
            raise DomainError(_l("Kies enkel uit de lijst."), field=attribute)
    months = data.start_within_months
    if months is not None and not 1 <= months <= 60:
        raise DomainError(_l("Kies een termijn tussen 1 en 60 maanden."), field="start_within_months")
    rule = get_rule(rule_id) if rule_id else LeadRule()
    rule.name, rule.trigger, rule.active = name, LeadTrigger(data.trigger), bool(data.active)
    rule.childcare_types = sorted(set(data.childcare_types))
    rule.provinces = sorted(set(data.provinces))
    rule.legal_forms = sorted(set(data.legal_forms))
    rule.start_within_months = months
    db.session.add(rule)
    db.session.commit()
    _forget_cached_rules()
    return rule


@atomic
def delete_rule(rule_id: int) -> None:
    """Leads the rule made stay; only the rule goes."""
    begin_write()
    db.session.delete(get_rule(rule_id))
    db.session.commit()
    _forget_cached_rules()


# --------------------------------------------------------------------------- intake requests


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
    first, last = _printable(data.first_name), _printable(data.last_name)
    if not first:
        raise DomainError(_l("Vul je voornaam in."), field="first_name")
    if not last:
        raise DomainError(_l("Vul je achternaam in."), field="last_name")
    if len(first) > 100 or len(last) > 100:
        raise DomainError(_l("Een naam is hoogstens 100 tekens lang."), field="last_name")
    values = {"first_name": first, "last_name": last, "email": normalise_email(data.email)}
    values["phone"] = normalise_phone(data.phone) if (data.phone or "").strip() else None
    if (data.postcode or "").strip():
        place = lookup_postcode(data.postcode)
        values.update(postcode=place.postcode, municipality=place.municipality, province=place.province)
    values["childcare_type"] = ChildcareType(data.childcare_type)
    message = _printable(data.message, keep="\r\n\t")
    if len(message) > MESSAGE_MAX:
        raise DomainError(
            _l("Je bericht is te lang (hoogstens %(n)s tekens).", n=MESSAGE_MAX), field="message"
        )
    values["message"] = message
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
    lead, made = _lead_for(values["email"], LeadTrigger.INTAKE_REQUEST)
    _gather_all(lead)
    _take_profile(lead, SimpleNamespace(**values), now)
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
    if registration.anonymised_at is not None:
        raise DomainError(_l("Deze link is niet meer geldig."))
    _forget_cached_rules()
    begin_write()
    lead, made = _lead_for(registration.email, LeadTrigger.INTAKE_REQUEST)
    rule = next(
        (r for r in active_rules(LeadTrigger.INTAKE_REQUEST) if rules.matches(r, registration, _today())),
        None,
    )
    link = db.session.scalar(
        select(LeadRegistration).where(LeadRegistration.registration_id == registration.id)
    )
    if link is None:
        _link(lead, registration, rule.id if rule else None)
        _take_profile(lead, registration, registration.created_at)
    elif rule is not None and link.rule_id is None:
        link.rule_id = rule.id
    _gather_all(lead)
    if made:
        label = rule.name if rule else TRIGGER_LABELS[LeadTrigger.INTAKE_REQUEST]
        log_event(lead, str(_l("Lead aangemaakt: %(rule)s", rule=label)))
    if lead.intake_requested_at is None:
        _intake_requested(lead, now)
    db.session.commit()
    return lead
