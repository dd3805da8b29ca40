"""What the top of a dossier's page says at a glance: the next due date of what is still awaited,
the next step on the main line and what (if anything) stands in its way.

The reasons come from `workflow.check_transition`, the one place that knows them, so the page
says the same thing a refused button would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from dossiers import checklist, workflow
from dossiers.models import Dossier, DossierState

S = DossierState


@dataclass(frozen=True)
class NextStep:
    target: DossierState | None  # None: the dossier is final
    blocker: str  # "" when nothing stands in the way


def next_due(dossier: Dossier) -> date | None:
    """The earliest due date of an item the organiser still owes (missing or refused)."""
    dates = [item.due_on for item in dossier.items if item.is_open and item.due_on is not None]
    return min(dates, default=None)


def _main_line_next(dossier: Dossier) -> DossierState | None:
    if dossier.state == S.ON_HOLD:
        return dossier.held_from
    if dossier.state == S.FOLLOW_UP:
        return S.CLOSED
    if dossier.state in workflow.MAIN_LINE:
        return workflow.MAIN_LINE[workflow.MAIN_LINE.index(dossier.state) + 1]
    return None


def next_step(dossier: Dossier) -> NextStep:
    """The next step on the main line and why it cannot be taken yet, in words."""
    target = _main_line_next(dossier)
    if target is None:
        return NextStep(None, "")
    if dossier.state == S.ON_HOLD:
        return NextStep(target, str(_l("Het dossier is opgeschort: hervat het om verder te werken.")))
    done = checklist.completeness(dossier.items)
    try:
        workflow.check_transition(
            dossier.state,
            target,
            held_from=dossier.held_from,
            complete=done.complete,
            has_proposal=bool(dossier.proposal_outcome and dossier.proposal_text.strip()),
        )
    except DomainError as error:
        blocker = str(error)
        if not done.complete and target == S.ANALYSIS:
            blocker += " " + str(_l("Nog %(n)s te gaan.", n=done.required - done.approved))
        return NextStep(target, blocker)
    return NextStep(target, "")
