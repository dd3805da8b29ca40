"""The transition table of a dossier: the one place that says which move is allowed.

    intake → documents → completeness_check → analysis → decision_proposal → decision
           → follow_up → closed

with a few steps back (a check that finds gaps sends the dossier back to documents; a proposal
can go back to analysis), `on_hold` from any open state and back to where it came from, and
`withdrawn` from any open state. `closed` and `withdrawn` are final.

`check_transition` gives the reason a move is refused; the services call it, the views use
`allowed_targets` to show only the buttons that can work.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from dossiers.models import DossierState

S = DossierState

#: The main line, in order; a dossier on hold returns to one of these.
MAIN_LINE = (
    S.INTAKE,
    S.DOCUMENTS,
    S.COMPLETENESS_CHECK,
    S.ANALYSIS,
    S.DECISION_PROPOSAL,
    S.DECISION,
    S.FOLLOW_UP,
)

#: state → the states it may move to. From ON_HOLD only the state it came from is allowed
#: (`held_from`), which the table cannot say by itself: see `check_transition`.
TRANSITIONS: dict[DossierState, frozenset[DossierState]] = {
    S.INTAKE: frozenset({S.DOCUMENTS, S.ON_HOLD, S.WITHDRAWN}),
    S.DOCUMENTS: frozenset({S.COMPLETENESS_CHECK, S.ON_HOLD, S.WITHDRAWN}),
    S.COMPLETENESS_CHECK: frozenset({S.ANALYSIS, S.DOCUMENTS, S.ON_HOLD, S.WITHDRAWN}),
    S.ANALYSIS: frozenset({S.DECISION_PROPOSAL, S.DOCUMENTS, S.ON_HOLD, S.WITHDRAWN}),
    S.DECISION_PROPOSAL: frozenset({S.DECISION, S.ANALYSIS, S.ON_HOLD, S.WITHDRAWN}),
    S.DECISION: frozenset({S.FOLLOW_UP, S.ON_HOLD, S.WITHDRAWN}),
    S.FOLLOW_UP: frozenset({S.CLOSED, S.ON_HOLD, S.WITHDRAWN}),
    S.ON_HOLD: frozenset({*MAIN_LINE, S.WITHDRAWN}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

#: Moves that need every required checklist element approved: past the completeness check.
NEEDS_COMPLETE_CHECKLIST = frozenset({(S.COMPLETENESS_CHECK, S.ANALYSIS)})
#: Moves that need a written proposal with an outcome: a decision is taken on a proposal.
NEEDS_PROPOSAL = frozenset({(S.DECISION_PROPOSAL, S.DECISION)})

STATE_LABELS = {
    S.INTAKE: _l("intake"),
    S.DOCUMENTS: _l("documenten verzamelen"),
    S.COMPLETENESS_CHECK: _l("controle volledigheid"),
    S.ANALYSIS: _l("analyse"),
    S.DECISION_PROPOSAL: _l("voorstel van beslissing"),
    S.DECISION: _l("beslissing"),
    S.FOLLOW_UP: _l("opvolging"),
    S.CLOSED: _l("afgesloten"),
    S.ON_HOLD: _l("opgeschort"),
    S.WITHDRAWN: _l("ingetrokken"),
}

#: What the button says for a move to this state.
ACTION_LABELS = {
    S.INTAKE: _l("Terug naar intake"),
    S.DOCUMENTS: _l("Naar documenten verzamelen"),
    S.COMPLETENESS_CHECK: _l("Volledigheid controleren"),
    S.ANALYSIS: _l("Naar analyse"),
    S.DECISION_PROPOSAL: _l("Voorstel van beslissing opmaken"),
    S.DECISION: _l("Beslissing vastleggen"),
    S.FOLLOW_UP: _l("Naar opvolging"),
    S.CLOSED: _l("Dossier afsluiten"),
    S.ON_HOLD: _l("Opschorten"),
    S.WITHDRAWN: _l("Ingetrokken door de organisator"),
}


def state_label(state: DossierState | str | None) -> str:
    return "" if state is None else str(STATE_LABELS[DossierState(state)])


def check_transition(
    current: DossierState,
    target: DossierState,
    *,
    held_from: DossierState | None,
    complete: bool,
    has_proposal: bool,
) -> None:
    """Raise DomainError (with the reason) unless a dossier in `current` may move to `target`.

    `held_from` is where an on-hold dossier came from; `complete` whether every required
    checklist element is approved; `has_proposal` whether the proposal has a text and an outcome.
    """
    if current == target:
        raise DomainError(_l("Het dossier staat al in de fase ‘%(state)s’.", state=state_label(current)))
    if not current.is_open:
        raise DomainError(
            _l("Dit dossier is %(state)s: er kan niets meer aan veranderen.", state=state_label(current))
        )
    if target not in TRANSITIONS[current]:
        raise DomainError(
            _l(
                "Van ‘%(current)s’ kan een dossier niet naar ‘%(target)s’. Mogelijk: %(options)s.",
                current=state_label(current),
                target=state_label(target),
                options=", ".join(state_label(s) for s in targets_for(current, held_from)) or "—",
            )
        )
    if current == S.ON_HOLD and target != S.WITHDRAWN and target != held_from:
        raise DomainError(
            _l(
                "Een dossier dat on hold staat, gaat terug naar waar het was: ‘%(state)s’.",
                state=state_label(held_from),
            )
        )
    if (current, target) in NEEDS_COMPLETE_CHECKLIST and not complete:
        raise DomainError(_l("Nog niet alle verplichte elementen van de checklist zijn goedgekeurd."))
    if (current, target) in NEEDS_PROPOSAL and not has_proposal:
        raise DomainError(_l("Schrijf eerst het voorstel van beslissing uit en kies gunstig of ongunstig."))


def targets_for(current: DossierState, held_from: DossierState | None) -> list[DossierState]:
    """The states the table allows from `current`, in the order of the workflow."""
    order = [*MAIN_LINE, S.CLOSED, S.ON_HOLD, S.WITHDRAWN]
    allowed = TRANSITIONS[current]
    if current == S.ON_HOLD:
        allowed = {s for s in allowed if s == held_from or s == S.WITHDRAWN}
    return [s for s in order if s in allowed]


def allowed_targets(dossier) -> list[DossierState]:
    """The moves to offer on the dossier page (the checklist rule is checked when it is tried,
    so the reason can be shown)."""
    return targets_for(dossier.state, dossier.held_from)
