"""The two rules of a lead that other code must never restate: which status moves are allowed,
and whether a lead rule's filters match a person's interest profile."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from dossiers.leads.models import LeadRule, LeadStatus

S = LeadStatus

#: Every allowed status move, and nothing else. Converting straight from "new" or "contacted"
#: stands for an intake conversation the agency waived (an exemption, DOMAIN.md); a dropped lead
#: can be taken up again; a converted one lives on as a dossier and never moves again.
TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    S.NEW: frozenset({S.CONTACTED, S.INTAKE_PLANNED, S.CONVERTED, S.DROPPED}),
    S.CONTACTED: frozenset({S.INTAKE_PLANNED, S.CONVERTED, S.DROPPED}),
    # Back to "contacted" when the planned conversation is cancelled.
    S.INTAKE_PLANNED: frozenset({S.CONTACTED, S.CONVERTED, S.DROPPED}),
    S.CONVERTED: frozenset(),
    S.DROPPED: frozenset({S.CONTACTED}),
}


def allowed(old: LeadStatus, new: LeadStatus) -> bool:
    return new in TRANSITIONS[old]


def next_statuses(status: LeadStatus) -> list[LeadStatus]:
    """The moves offered from `status`, in the order of the funnel."""
    return [s for s in LeadStatus if s in TRANSITIONS[status]]


def matches(rule: LeadRule, profile, today: date) -> bool:
    """Does a person's profile (a Registration or a Lead: anything with childcare_type, province,
    legal_form and planned_start) pass the rule's filters? An empty filter lets everyone through;
    a filter on something the person left blank lets them through only if it is empty."""
    if rule.childcare_types and _value(profile.childcare_type) not in rule.childcare_types:
        return False
    if rule.provinces and (profile.province or "") not in rule.provinces:
        return False
    if rule.legal_forms and _value(profile.legal_form) not in rule.legal_forms:
        return False
    if rule.start_within_months is not None:
        if profile.planned_start is None:
            return False
        horizon = today.replace(day=1) + relativedelta(months=rule.start_within_months)
        if profile.planned_start > horizon:
            return False
    return True


def _value(member) -> str | None:
    return getattr(member, "value", member)
