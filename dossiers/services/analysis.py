"""Analysis and decision proposal: the rules checked on a dossier, the arguments for and
against, the proposal text; and the complaints and appeals logged on a dossier.

The rules come from DOMAIN.md. Their thresholds are settings (DOSSIER_MAX_PLACES_GEZINSOPVANG,
DOSSIER_MIN_PLACES_GROEPSOPVANG, DOSSIER_APPLICATION_MONTHS) because rules change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import lazy_gettext as _l

from app import audit
from app.auth.models import User
from app.database import atomic
from app.errors import DomainError, NotFound
from app.extensions import db
from app.i18n import month_name
from dossiers import checklist
from dossiers.models import (
    ArgumentSide,
    Complaint,
    ComplaintChannel,
    ComplaintKind,
    Dossier,
    DossierArgument,
    DossierState,
    ItemStatus,
    ProposalOutcome,
)
from dossiers.services.dossiers import lock_dossier, record
from registrations.models import ChildcareType

#: Where the analysis and the proposal can still be written.
PROPOSAL_STATES = (DossierState.ANALYSIS, DossierState.DECISION_PROPOSAL)


@dataclass(frozen=True)
class RuleResult:
    code: str  # stable, exported
    label: str
    passed: bool | None  # None: unknown, a fact the rule needs is not filled in yet
    detail: str = ""


def _approved(dossier: Dossier, code: str) -> bool:
    return any(i.element.code == code and i.status == ItemStatus.APPROVED for i in dossier.items)


def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def check_rules(dossier: Dossier, today: date) -> list[RuleResult]:
    """The rules that apply to this dossier, each passed, failed or unknown (None: a fact it
    needs is not filled in, which is not the same as failing), with why."""
    results = []
    kind = dossier.childcare_type
    places = dossier.planned_places
    if kind == ChildcareType.GROEPSOPVANG:
        results.append(
            RuleResult(
                "opportuniteitsadvies",
                str(_l("Groepsopvang: opportuniteitsadvies van de gemeente goedgekeurd")),
                _approved(dossier, "opportuniteitsadvies"),
                str(_l("Zonder opportuniteitsadvies is de vergunningsaanvraag niet ontvankelijk.")),
            )
        )
        results.append(
            RuleResult(
                "brandveiligheidsattest",
                str(_l("Groepsopvang: brandveiligheidsattest A of B goedgekeurd")),
                _approved(dossier, "brandveiligheidsattest"),
            )
        )
        minimum = _setting("DOSSIER_MIN_PLACES_GROEPSOPVANG", 9)
        results.append(
            RuleResult(
                "plaatsen_groepsopvang",
                str(_l("Groepsopvang: minstens %(n)s plaatsen", n=minimum)),
                None if places is None else places >= minimum,
                str(_l("Gepland: %(n)s", n=places)) if places is not None else str(_l("Niet ingevuld")),
            )
        )
    if kind == ChildcareType.GEZINSOPVANG:
        maximum = _setting("DOSSIER_MAX_PLACES_GEZINSOPVANG", 8)
        results.append(
            RuleResult(
                "plaatsen_gezinsopvang",
                str(_l("Gezinsopvang: hoogstens %(n)s kinderen tegelijk", n=maximum)),
                None if places is None else places <= maximum,
                str(_l("Gepland: %(n)s", n=places)) if places is not None else str(_l("Niet ingevuld")),
            )
        )
    months = _setting("DOSSIER_APPLICATION_MONTHS", 6)
    if dossier.planned_start is None:
        window = RuleResult(
            "aanvraagtermijn",
            str(_l("Aanvraag ten vroegste %(n)s maanden voor de start", n=months)),
            None,
            str(_l("Er is nog geen startdatum.")),
        )
    else:
        earliest = dossier.planned_start - relativedelta(months=months)
        if today < earliest:
            detail = _l("Te vroeg: de aanvraag kan vanaf %(date)s.", date=month_name(earliest))
        elif today >= dossier.planned_start:
            detail = _l("De geplande start (%(date)s) is voorbij.", date=month_name(dossier.planned_start))
        else:
            # A planned start is a month, never a day ("mei 2027").
            detail = _l("Start in %(date)s.", date=month_name(dossier.planned_start))
        window = RuleResult(
            "aanvraagtermijn",
            str(_l("Aanvraag ten vroegste %(n)s maanden voor de start", n=months)),
            earliest <= today < dossier.planned_start,
            str(detail),
        )
    results.append(window)
    results.append(
        RuleResult(
            "ondernemingsnummer",
            str(_l("De organisator heeft een ondernemingsnummer")),
            bool(dossier.enterprise_number),
            dossier.enterprise_number or "",
        )
    )
    results.append(
        RuleResult("leeftijd", str(_l("De organisator is minstens 21 jaar")), dossier.is_21_or_older is True)
    )
    results.append(
        RuleResult(
            "starterstraject",
            str(_l("Starterstraject doorlopen of vrijstelling")),
            _approved(dossier, "starterstraject"),
        )
    )
    done = checklist.completeness(dossier.items)
    results.append(
        RuleResult(
            "checklist_volledig",
            str(_l("Alle verplichte elementen goedgekeurd")),
            done.complete,
            f"{done.approved}/{done.required}",
        )
    )
    return results


def _refuse_outside_proposal(dossier: Dossier) -> None:
    if dossier.state not in PROPOSAL_STATES:
        raise DomainError(
            _l("De analyse en het voorstel schrijf je in de fase analyse of voorstel van beslissing.")
        )


@atomic
def add_argument(dossier: Dossier, side: ArgumentSide | str, text: str, *, by: User) -> DossierArgument:
    """Add an argument for or against a favourable decision, and commit. Raises DomainError."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Schrijf het argument uit."), field="text")
    if len(text) > 2000:
        raise DomainError(_l("Een argument is hoogstens 2000 tekens lang."), field="text")
    side = ArgumentSide(side)
    dossier = lock_dossier(dossier.id)
    _refuse_outside_proposal(dossier)
    argument = DossierArgument(dossier_id=dossier.id, side=side, text=text, created_by_id=by.id)
    db.session.add(argument)
    db.session.flush()
    record(dossier, "argument_added", by, {"side": [None, side.value], "text": [None, text]})
    db.session.commit()
    return argument


@atomic
def remove_argument(dossier: Dossier, argument_id: int, *, by: User) -> None:
    """Take back an argument (the trail keeps what it said), and commit. Raises NotFound."""
    dossier = lock_dossier(dossier.id)
    _refuse_outside_proposal(dossier)
    argument = next((a for a in dossier.arguments if a.id == argument_id), None)
    if argument is None:
        raise NotFound(_l("Dit argument bestaat niet (meer)."))
    record(
        dossier, "argument_removed", by, {"side": [argument.side.value, None], "text": [argument.text, None]}
    )
    dossier.arguments.remove(argument)
    db.session.commit()


@atomic
def save_proposal(
    dossier: Dossier, *, analysis: str, outcome: ProposalOutcome | str | None, text: str, by: User
) -> Dossier:
    """Save the analysis, the proposed outcome and the proposal text, and commit."""
    analysis, text = (analysis or "").strip(), (text or "").strip()
    if len(analysis) > 20_000 or len(text) > 20_000:
        raise DomainError(_l("Deze tekst is te lang (hoogstens 20.000 tekens)."))
    outcome = ProposalOutcome(outcome) if outcome else None
    dossier = lock_dossier(dossier.id)
    _refuse_outside_proposal(dossier)
    fields = ("analysis", "proposal_outcome", "proposal_text")
    before = audit.snapshot(dossier, fields)
    dossier.analysis, dossier.proposal_outcome, dossier.proposal_text = analysis, outcome, text
    changes = audit.diff(before, audit.snapshot(dossier, fields))
    if changes:
        record(dossier, "proposal_saved", by, changes)
    db.session.commit()
    return dossier


# --------------------------------------------------------------------------- complaints


@dataclass
class ComplaintData:
    kind: ComplaintKind
    received_on: date
    channel: ComplaintChannel
    summary: str
    follow_up: str = ""
    closed_on: date | None = None


def _clean_complaint(data: ComplaintData, today: date) -> dict:
    summary = (data.summary or "").strip()
    if not summary:
        raise DomainError(_l("Vat de klacht of het beroep samen."), field="summary")
    if len(summary) > 5000 or len(data.follow_up or "") > 5000:
        raise DomainError(_l("Deze tekst is te lang (hoogstens 5000 tekens)."), field="summary")
    if data.received_on is None or data.received_on > today:
        raise DomainError(_l("De datum van ontvangst kan niet in de toekomst liggen."), field="received_on")
    if data.closed_on is not None and data.closed_on < data.received_on:
        raise DomainError(
            _l("De datum van afhandeling kan niet vóór de datum van ontvangst liggen."), field="closed_on"
        )
    return {
        "kind": ComplaintKind(data.kind),
        "received_on": data.received_on,
        "channel": ComplaintChannel(data.channel),
        "summary": summary,
        "follow_up": (data.follow_up or "").strip(),
        "closed_on": data.closed_on,
    }


@atomic
def add_complaint(dossier: Dossier, data: ComplaintData, *, by: User, today: date) -> Complaint:
    """Log a complaint or an appeal on a dossier (also a closed one), and commit."""
    values = _clean_complaint(data, today)
    dossier = lock_dossier(dossier.id)
    complaint = Complaint(dossier_id=dossier.id, created_by_id=by.id, **values)
    db.session.add(complaint)
    db.session.flush()
    record(
        dossier,
        "complaint_added",
        by,
        {"complaint": [None, complaint.id], **{k: [None, audit.plain(v)] for k, v in values.items() if v}},
    )
    db.session.commit()
    return complaint


@atomic
def update_complaint(
    dossier: Dossier, complaint_id: int, *, follow_up: str, closed_on: date | None, by: User, today: date
) -> Complaint:
    """Write the follow-up of a complaint and when it was closed, and commit. Raises NotFound."""
    dossier = lock_dossier(dossier.id)
    complaint = next((c for c in dossier.complaints if c.id == complaint_id), None)
    if complaint is None:
        raise NotFound(_l("Deze klacht bestaat niet (meer)."))
    values = _clean_complaint(
        ComplaintData(
            complaint.kind, complaint.received_on, complaint.channel, complaint.summary, follow_up, closed_on
        ),
        today,
    )
    before = audit.snapshot(complaint, ("follow_up", "closed_on"))
    complaint.follow_up, complaint.closed_on = values["follow_up"], values["closed_on"]
    changes = audit.diff(before, audit.snapshot(complaint, ("follow_up", "closed_on")))
    if changes:
        record(dossier, "complaint_updated", by, {"complaint": [complaint.id, complaint.id], **changes})
    db.session.commit()
    return complaint
