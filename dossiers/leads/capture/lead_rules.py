"""The lead rules as admins keep them: list, make, change, delete."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.database import atomic, begin_write
from app.errors import DomainError, NotFound
from app.extensions import db
from app.geo import PROVINCES
from dossiers.leads.models import LeadRule, LeadTrigger
from registrations.models import ChildcareType, LegalForm


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
    return rule


@atomic
def delete_rule(rule_id: int) -> None:
    """Leads the rule made stay; only the rule goes."""
    begin_write()
    db.session.delete(get_rule(rule_id))
    db.session.commit()
