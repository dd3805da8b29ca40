"""The lead's status table: every allowed move works, every other one is refused and changes
nothing. The expected table is written out here, apart from the code's own."""

from __future__ import annotations

import itertools

import pytest

from app.auth.models import Role
from app.errors import DomainError
from app.extensions import db
from dossiers.leads import rules, services
from dossiers.leads.models import Lead, LeadStatus

S = LeadStatus
N, C, I, V, D = S.NEW, S.CONTACTED, S.INTAKE_PLANNED, S.CONVERTED, S.DROPPED  # noqa: E741

EXPECTED_ALLOWED = {
    (N, C), (N, I), (N, V), (N, D),
    (C, I), (C, V), (C, D),
    (I, C), (I, V), (I, D),
    (D, C),
}  # fmt: skip
ALL_PAIRS = list(itertools.product(LeadStatus, LeadStatus))
# How to bring a new lead to each status through allowed moves only.
PATH = {N: [], C: [C], I: [I], V: [V], D: [D]}


def test_the_code_table_is_the_expected_table():
    assert {(a, b) for a, targets in rules.TRANSITIONS.items() for b in targets} == EXPECTED_ALLOWED


def _lead_in(status: LeadStatus, make_lead, user) -> Lead:
    lead = make_lead()
    for step in PATH[status]:
        services.change_status(lead, step, user, reason="Geen interesse meer." if step == D else None)
    assert lead.status == status
    return lead


@pytest.mark.parametrize(("old", "new"), ALL_PAIRS, ids=[f"{a.value}->{b.value}" for a, b in ALL_PAIRS])
def test_every_move_is_allowed_or_refused_as_the_table_says(old, new, make_lead, make_user):
    user = make_user(Role.STAFF)
    lead = _lead_in(old, make_lead, user)
    reason = "Start toch niet." if new == D else None
    if (old, new) in EXPECTED_ALLOWED:
        services.change_status(lead, new, user, reason=reason)
        db.session.rollback()
        assert db.session.get(Lead, lead.id, populate_existing=True).status == new
    else:
        with pytest.raises(DomainError) as refused:
            services.change_status(lead, new, user, reason=reason)
        assert "kan een lead niet naar" in str(refused.value)
        assert db.session.get(Lead, lead.id, populate_existing=True).status == old


def test_dropping_needs_a_reason_and_keeps_it(make_lead, make_user):
    user = make_user(Role.STAFF)
    lead = make_lead()
    with pytest.raises(DomainError) as refused:
        services.change_status(lead, D, user, reason="   ")
    assert refused.value.field == "reason"
    assert db.session.get(Lead, lead.id, populate_existing=True).status == N
    services.change_status(lead, D, user, reason="Heeft een andere job gevonden.")
    lead = db.session.get(Lead, lead.id, populate_existing=True)
    assert lead.drop_reason == "Heeft een andere job gevonden."
    assert "afgevoerd" in lead.notes[0].body  # the history says who moved it and why


def test_mark_converted_does_not_commit_on_its_own(make_lead, make_user):
    user = make_user(Role.STAFF)
    lead = make_lead()
    services.mark_converted(lead, user)
    assert lead.status == V and lead.converted_at is not None
    db.session.rollback()  # the caller's transaction fails: the lead is not converted
    assert db.session.get(Lead, lead.id, populate_existing=True).status == N


def test_a_converted_lead_cannot_be_converted_again(make_lead, make_user):
    user = make_user(Role.STAFF)
    lead = make_lead()
    services.mark_converted(lead, user)
    db.session.commit()
    with pytest.raises(DomainError):
        services.mark_converted(lead, user)
