"""The audit trail of a dossier in words: "Fase: analyse → voorstel van beslissing",
"Soort organisator: organisatie". The trail stores codes (stable, exported); this turns each
change into a field name and values a person reads, through the one label helper
(`app.labels.label`) and the packages' own tables of words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.geo import PROVINCES
from app.i18n import long_date, month_name
from app.labels import label
from dossiers import checklist, workflow
from dossiers import models as m
from registrations import labels as rl

#: What the trail's actions read as.
ACTIONS = {
    "created": _l("dossier aangemaakt"),
    "updated": _l("gegevens gewijzigd"),
    "state_changed": _l("fase gewijzigd"),
    "owner_changed": _l("dossierbeheerder gewijzigd"),
    "item_changed": _l("checklist bijgewerkt"),
    "document_uploaded": _l("document opgeladen"),
    "missing_list_sent": _l("lijst met ontbrekende stukken gemaild"),
    "reminder_sent": _l("herinnering gemaild (termijn verstreken)"),
    "argument_added": _l("argument toegevoegd"),
    "argument_removed": _l("argument verwijderd"),
    "proposal_saved": _l("analyse of voorstel bewaard"),
    "complaint_added": _l("klacht of beroep genoteerd"),
    "complaint_updated": _l("opvolging klacht bijgewerkt"),
}

#: The fields a change names, in words.
FIELDS = {
    "state": _l("Fase"),
    "owner": _l("Dossierbeheerder"),
    "organiser_kind": _l("Soort organisator"),
    "organisation_name": _l("Naam organisatie"),
    "first_name": _l("Voornaam"),
    "last_name": _l("Familienaam"),
    "email": _l("E-mail"),
    "phone": _l("Telefoon"),
    "legal_form": _l("Ondernemingsvorm"),
    "enterprise_number": _l("Ondernemingsnummer"),
    "statute": _l("Statuut"),
    "is_21_or_older": _l("21 jaar of ouder"),
    "childcare_type": _l("Type opvang"),
    "street": _l("Straat en nummer"),
    "postcode": _l("Postcode"),
    "municipality": _l("Gemeente"),
    "province": _l("Provincie"),
    "planned_places": _l("Geplande plaatsen"),
    "planned_start": _l("Geplande start"),
    "lead_id": _l("Lead"),
    "element": _l("Element"),
    "elements": _l("Elementen"),
    "status": _l("Status"),
    "comment": _l("Opmerking"),
    "due_on": _l("Termijn"),
    "document": _l("Document"),
    "side": _l("Kant"),
    "text": _l("Tekst"),
    "analysis": _l("Analyse"),
    "proposal_outcome": _l("Voorgestelde beslissing"),
    "proposal_text": _l("Tekst van het voorstel"),
    "complaint": _l("Klacht"),
    "kind": _l("Soort"),
    "received_on": _l("Ontvangen op"),
    "channel": _l("Kanaal"),
    "summary": _l("Samenvatting"),
    "follow_up": _l("Opvolging"),
    "closed_on": _l("Afgehandeld op"),
}

ORGANISER_KINDS = {
    m.OrganiserKind.PERSON: _l("natuurlijke persoon"),
    m.OrganiserKind.ORGANISATION: _l("organisatie"),
}

#: field → the table of words for its codes.
TABLES = {
    "state": workflow.STATE_LABELS,
    "province": PROVINCES,
    "organiser_kind": ORGANISER_KINDS,
    "legal_form": rl.LEGAL_FORMS,
    "statute": rl.STATUTES,
    "childcare_type": m.DOSSIER_TYPE_LABELS,
    "status": checklist.ITEM_STATUS_LABELS,
    "side": m.ARGUMENT_SIDES,
    "proposal_outcome": m.PROPOSAL_OUTCOMES,
    "kind": m.COMPLAINT_KINDS,
    "channel": m.COMPLAINT_CHANNELS,
}
DATES = {"due_on", "received_on", "closed_on"}
#: Long texts: the trail says they changed, the page shows them in full elsewhere.
LONG = {"analysis", "proposal_text", "text", "summary", "follow_up", "comment"}
HIDDEN = {"complaint"}  # an internal number, says nothing to a person


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: there was nothing before
    after: str


def _date(value) -> str:
    try:
        return long_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def value_words(name: str, value, element_names: dict[str, str]) -> str:
    """One stored value in words."""
    if value is None or value == "" or value == []:
        return "—"
    if name in TABLES:
        return label(TABLES[name], value)
    if name == "element":
        return element_names.get(value, value)
    if name == "elements":
        return ", ".join(element_names.get(code, code) for code in value)
    if name == "is_21_or_older":
        return str(_l("ja") if value else _l("nee"))
    if name == "planned_start":
        try:
            return month_name(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if name in DATES:
        return _date(value)
    return str(value)


def changes_in_words(
    changes: dict | None, element_names: dict[str, str], record_only=frozenset()
) -> list[Change]:
    """Each change of one trail entry as a field and its before and after, in words.
    `record_only`: the codes of elements checked but never kept (their "approved" reads
    "gecontroleerd, in orde")."""
    words = []
    element = (changes or {}).get("element", [None, None])
    checked_only = isinstance(element, list) and element[-1] in record_only
    for name, pair in (changes or {}).items():
        if name in HIDDEN:
            continue
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if before in ("", []):
            before = None  # nothing before: say only what it became
        if name in LONG and before not in (None, ""):
            words.append(Change(str(FIELDS.get(name, name)), None, str(_l("gewijzigd"))))
            continue
        if name == "status" and checked_only:
            before_words = None if before is None else label(checklist.RECORD_ONLY_LABELS, before)
            words.append(Change(str(FIELDS[name]), before_words, label(checklist.RECORD_ONLY_LABELS, after)))
            continue
        words.append(
            Change(
                str(FIELDS.get(name, name)),
                None if before is None else value_words(name, before, element_names),
                value_words(name, after, element_names),
            )
        )
    return words


def action_words(action: str) -> str:
    return str(ACTIONS.get(action, action))


def element_names(dossier) -> dict[str, str]:
    return {item.element.code: item.element.name for item in dossier.items}


def record_only_codes(dossier) -> frozenset[str]:
    return frozenset(item.element.code for item in dossier.items if item.element.record_only)
