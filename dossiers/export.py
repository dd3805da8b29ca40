"""The coded record of a dossier for the agency's case system (Edison): JSON and CSV.

Every coded value is a stable code, never a label in some language, so the record can be typed
over (or imported) without interpretation:

- `state`: intake, documents, completeness_check, analysis, decision_proposal, decision,
  follow_up, closed, on_hold, withdrawn (`dossiers.models.DossierState`)
- `childcare_type`: gezinsopvang, groepsopvang, bso (DOMAIN.md)
- `organiser.kind`: person, organisation
- `organiser.legal_form`: eenmanszaak, bv, vof, commv, maatschap, vzw, feitelijke_vereniging,
  nog_niet_bepaald; `organiser.statute`: zelfstandige, onthaalouder_sui_generis,
  onthaalouder_werknemer, werknemer_organisator, nog_niet_bepaald
- `location.province`: antwerpen, limburg, oost-vlaanderen, vlaams-brabant, west-vlaanderen,
  brussel
- `checklist[].element`: the element codes of DOMAIN.md (kbo, opportuniteitsadvies, …);
  `checklist[].status`: missing, received, approved, rejected
- `rules[].code`: the rules of `dossiers.services.analysis.check_rules`
- `proposal.outcome`: favourable, unfavourable (or null)
- `complaints[].kind`: complaint, appeal; `complaints[].channel`: email, phone, letter, desk,
  webform

Dates are ISO 8601 (YYYY-MM-DD), times ISO 8601 in UTC. `schema` names the version of this
layout: a change that breaks a reader gets a new version.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from dossiers import checklist
from dossiers.models import Dossier
from dossiers.services import check_rules

SCHEMA = "startklaar.dossier/1"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def record(dossier: Dossier, today: date) -> dict:
    """The dossier as a coded record (a dict ready for JSON)."""
    done = checklist.completeness(dossier.items)
    return {
        "schema": SCHEMA,
        "reference": dossier.reference,
        "state": dossier.state.value,
        "state_changed_at": _iso(dossier.state_changed_at),
        "created_at": _iso(dossier.created_at),
        "childcare_type": dossier.childcare_type.value,
        "organiser": {
            "kind": dossier.organiser_kind.value,
            "organisation_name": dossier.organisation_name or None,
            "first_name": dossier.first_name,
            "last_name": dossier.last_name,
            "email": dossier.email,
            "phone": dossier.phone,
            "legal_form": dossier.legal_form.value,
            "enterprise_number": dossier.enterprise_number,
            "statute": dossier.statute.value,
            "is_21_or_older": dossier.is_21_or_older,
        },
        "location": {
            "street": dossier.street or None,
            "postcode": dossier.postcode,
            "municipality": dossier.municipality,
            "province": dossier.province,
        },
        "planned_places": dossier.planned_places,
        "planned_start": _iso(dossier.planned_start),
        "owner": dossier.owner.email if dossier.owner else None,
        "checklist": [
            {
                "element": item.element.code,
                "required": item.required,
                "record_only": item.element.record_only,
                "status": item.status.value,
                "due_on": _iso(item.due_on),
                "changed_at": _iso(item.changed_at),
            }
            for item in dossier.items
        ],
        "completeness": {"approved": done.approved, "required": done.required, "percent": done.percent},
        "rules": [{"code": rule.code, "passed": rule.passed} for rule in check_rules(dossier, today)],
        "proposal": {
            "outcome": dossier.proposal_outcome.value if dossier.proposal_outcome else None,
            "text": dossier.proposal_text or None,
        },
        "complaints": [
            {
                "kind": complaint.kind.value,
                "received_on": _iso(complaint.received_on),
                "channel": complaint.channel.value,
                "summary": complaint.summary,
                "follow_up": complaint.follow_up or None,
                "closed_on": _iso(complaint.closed_on),
            }
            for complaint in dossier.complaints
        ],
    }


#: The CSV's fixed columns, in order; then one `checklist.<element code>` column per element.
CSV_COLUMNS = (
    "reference",
    "state",
    "childcare_type",
    "organiser_kind",
    "organisation_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "legal_form",
    "enterprise_number",
    "statute",
    "is_21_or_older",
    "street",
    "postcode",
    "municipality",
    "province",
    "planned_places",
    "planned_start",
    "owner",
    "completeness_percent",
    "proposal_outcome",
    "complaints",
)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    # A cell that a spreadsheet would run as a formula is written as text (CSV injection); a
    # phone number in E.164 ("+32…") stays as it is.
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not text[1:].isdigit()):
        return "'" + text
    return text


def csv_text(dossier: Dossier, today: date) -> str:
    """A header row and one row: the same codes as the JSON, flattened."""
    data = record(dossier, today)
    organiser, location = data["organiser"], data["location"]
    row = {
        "reference": data["reference"],
        "state": data["state"],
        "childcare_type": data["childcare_type"],
        "organiser_kind": organiser["kind"],
        "organisation_name": organiser["organisation_name"],
        "first_name": organiser["first_name"],
        "last_name": organiser["last_name"],
        "email": organiser["email"],
        "phone": organiser["phone"],
        "legal_form": organiser["legal_form"],
        "enterprise_number": organiser["enterprise_number"],
        "statute": organiser["statute"],
        "is_21_or_older": organiser["is_21_or_older"],
        "street": location["street"],
        "postcode": location["postcode"],
        "municipality": location["municipality"],
        "province": location["province"],
        "planned_places": data["planned_places"],
        "planned_start": data["planned_start"],
        "owner": data["owner"],
        "completeness_percent": data["completeness"]["percent"],
        "proposal_outcome": data["proposal"]["outcome"],
        "complaints": len(data["complaints"]),
    }
    for item in data["checklist"]:
        row[f"checklist.{item['element']}"] = item["status"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(row))
    writer.writerow([_cell(value) for value in row.values()])
    return out.getvalue()
