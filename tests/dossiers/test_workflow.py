"""The transition table of a dossier: every allowed move works, every other move is refused with
the reason. Checked twice: against the table in dossiers.workflow, and against an independent
list written here from the issue (so a wrong edit of the table cannot pass by agreeing with
itself)."""

from __future__ import annotations

import itertools

import pytest

from app.errors import DomainError
from app.extensions import db
from dossiers import services, workflow
from dossiers.models import Dossier, DossierState, ItemStatus, ProposalOutcome
from tests.support.dossiers import approve_all

S = DossierState
OPEN = [s for s in S if s.is_open and s != S.ON_HOLD]

# Written from the issue, not from the code: the main line, its steps back, on hold and withdrawn.
EXPECTED = {
    (S.INTAKE, S.DOCUMENTS),
    (S.DOCUMENTS, S.COMPLETENESS_CHECK),
    (S.COMPLETENESS_CHECK, S.ANALYSIS),
    (S.COMPLETENESS_CHECK, S.DOCUMENTS),
    (S.ANALYSIS, S.DECISION_PROPOSAL),
    (S.ANALYSIS, S.DOCUMENTS),
    (S.DECISION_PROPOSAL, S.DECISION),
    (S.DECISION_PROPOSAL, S.ANALYSIS),
    (S.DECISION, S.FOLLOW_UP),
    (S.FOLLOW_UP, S.CLOSED),
    *((state, S.ON_HOLD) for state in OPEN),
    *((state, S.WITHDRAWN) for state in OPEN),
    (S.ON_HOLD, S.WITHDRAWN),
}
ALL_PAIRS = [(a, b) for a, b in itertools.product(S, S) if a != b]


def test_the_table_says_what_the_issue_says():
    from_table = {(a, b) for a, targets in workflow.TRANSITIONS.items() for b in targets if a != S.ON_HOLD}
    from_table |= {(S.ON_HOLD, S.WITHDRAWN)}
    assert from_table == EXPECTED


def _at(dossier: Dossier, state: DossierState, held_from: DossierState | None = None) -> Dossier:
    """Put a dossier in `state` directly (the set-up of a test, not a move under test)."""
    dossier.state, dossier.held_from = state, held_from
    db.session.commit()
    return dossier


@pytest.fixture
def ready(make_dossier, dossier_staff):
    """A dossier whose checklist is complete and whose proposal is written, so only the table decides."""

    def make() -> Dossier:
        dossier = make_dossier()
        for item in dossier.items:  # set-up, straight in the database: the items are not under test
            item.status = ItemStatus.APPROVED
        dossier.proposal_outcome, dossier.proposal_text = ProposalOutcome.FAVOURABLE, "Toekennen."
        db.session.commit()
        return dossier

    return make


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=lambda s: s.value)
def test_every_move_is_allowed_exactly_when_the_issue_allows_it(ready, dossier_staff, current, target):
    held_from = S.ANALYSIS if current == S.ON_HOLD else None
    dossier = _at(ready(), current, held_from)
    allowed = (current, target) in EXPECTED or (current == S.ON_HOLD and target == held_from)
    if allowed:
        services.change_state(dossier, target, by=dossier_staff)
        assert db.session.get(Dossier, dossier.id).state == target
    else:
        with pytest.raises(DomainError) as refused:
            services.change_state(dossier, target, by=dossier_staff)
        assert str(refused.value)  # a reason, in words
        assert db.session.get(Dossier, dossier.id, populate_existing=True).state == current


@pytest.mark.parametrize(
    ("current", "target"),
    # sorted: TRANSITIONS holds sets, and every xdist worker must collect the same order
    [(a, b) for a, targets in workflow.TRANSITIONS.items() for b in sorted(targets) if a != S.ON_HOLD],
    ids=lambda s: s.value,
)
def test_every_move_in_the_table_works(ready, dossier_staff, current, target):
    dossier = _at(ready(), current)
    services.change_state(dossier, target, by=dossier_staff)
    assert db.session.get(Dossier, dossier.id).state == target


@pytest.mark.parametrize("final", [S.CLOSED, S.WITHDRAWN], ids=lambda s: s.value)
def test_a_closed_or_withdrawn_dossier_cannot_move_and_says_so(ready, dossier_staff, final):
    dossier = _at(ready(), final)
    with pytest.raises(DomainError, match="er kan niets meer aan veranderen"):
        services.change_state(dossier, S.DOCUMENTS, by=dossier_staff)


def test_a_refused_move_names_the_moves_that_are_possible(make_dossier, dossier_staff):
    dossier = make_dossier()
    with pytest.raises(DomainError) as refused:
        services.change_state(dossier, S.DECISION, by=dossier_staff)
    message = str(refused.value)
    assert "intake" in message and "beslissing" in message and "documenten verzamelen" in message


def test_on_hold_goes_back_to_where_it_came_from(make_dossier, dossier_staff):
    dossier = make_dossier()
    services.change_state(dossier, S.DOCUMENTS, by=dossier_staff)
    services.change_state(dossier, S.ON_HOLD, by=dossier_staff)
    assert workflow.allowed_targets(dossier) == [S.DOCUMENTS, S.WITHDRAWN]
    with pytest.raises(DomainError, match="documenten verzamelen"):
        services.change_state(dossier, S.INTAKE, by=dossier_staff)
    services.change_state(dossier, S.DOCUMENTS, by=dossier_staff)
    assert dossier.state == S.DOCUMENTS and dossier.held_from is None


def test_moving_past_the_completeness_check_needs_every_required_element_approved(
    make_dossier, dossier_staff
):
    dossier = make_dossier()
    services.change_state(dossier, S.DOCUMENTS, by=dossier_staff)
    services.change_state(dossier, S.COMPLETENESS_CHECK, by=dossier_staff)
    approve_all(dossier, dossier_staff)
    last = next(item for item in dossier.items if item.required and not item.element.record_only)
    services.update_item(dossier, last.id, by=dossier_staff, status="missing")
    with pytest.raises(DomainError, match="verplichte elementen"):
        services.change_state(dossier, S.ANALYSIS, by=dossier_staff)
    services.update_item(dossier, last.id, by=dossier_staff, status="received")
    services.update_item(dossier, last.id, by=dossier_staff, status="approved")
    services.change_state(dossier, S.ANALYSIS, by=dossier_staff)
    assert dossier.state == S.ANALYSIS


def test_a_recommended_element_does_not_hold_the_dossier_back(make_dossier, dossier_staff):
    dossier = make_dossier()
    approve_all(dossier, dossier_staff)
    plan = next(item for item in dossier.items if item.element.code == "ondernemingsplan")
    assert plan.status.value == "missing" and not plan.required
    _at(dossier, S.COMPLETENESS_CHECK)
    services.change_state(dossier, S.ANALYSIS, by=dossier_staff)


def test_a_decision_needs_a_written_proposal(make_dossier, dossier_staff):
    dossier = _at(make_dossier(), S.DECISION_PROPOSAL)
    with pytest.raises(DomainError, match="voorstel"):
        services.change_state(dossier, S.DECISION, by=dossier_staff)
    services.save_proposal(
        dossier, analysis="", outcome=ProposalOutcome.FAVOURABLE, text="Toekennen.", by=dossier_staff
    )
    services.change_state(dossier, S.DECISION, by=dossier_staff)
    assert dossier.state == S.DECISION


def test_an_unknown_state_is_refused_in_words(make_dossier, dossier_staff):
    with pytest.raises(DomainError, match="bestaat niet"):
        services.change_state(make_dossier(), "approved", by=dossier_staff)
