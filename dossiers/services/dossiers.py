"""Making dossiers (by hand or from a lead), finding them, moving them through the workflow.

A new dossier takes its reference number from a counter row per year that is locked (FOR UPDATE
on PostgreSQL, the write lock on SQLite) for the rest of the transaction. That one lock also
makes the "one open dossier per enterprise number and location" rule safe: two people creating
the same dossier at the same moment are served one after the other, and the second sees the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.models import Role, User
from app.auth.services import normalise_email
from app.database import atomic, begin_write, insert_ignoring, lock_row
from app.db import utcnow
from app.errors import DomainError, Errors, NotFound
from app.extensions import db
from app.geo import lookup_postcode
from app.timezone import local
from app.validation import normalise_enterprise_number, normalise_phone
from dossiers import checklist, workflow
from dossiers.models import (
    ChecklistItem,
    Dossier,
    DossierCounter,
    DossierState,
    ItemStatus,
    OrganiserKind,
)
from registrations.models import ChildcareType, LegalForm, Statute

ENTITY = "dossier"
#: Fields whose change the trail records when a dossier's data is edited.
DATA_FIELDS = (
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
    "childcare_type",
    "street",
    "postcode",
    "municipality",
    "province",
    "planned_places",
    "planned_start",
)


@dataclass
class DossierData:
    """What staff fill in (or the lead pre-fills). Shape is checked by the form; rules here."""

    first_name: str
    last_name: str
    email: str
    childcare_type: ChildcareType
    postcode: str
    organiser_kind: OrganiserKind = OrganiserKind.PERSON
    organisation_name: str = ""
    phone: str | None = None
    legal_form: LegalForm = LegalForm.NOG_NIET_BEPAALD
    enterprise_number: str | None = None
    statute: Statute = Statute.NOG_NIET_BEPAALD
    is_21_or_older: bool | None = None
    street: str = ""
    planned_places: int | None = None
    planned_start: date | None = None
    owner_id: int | None = None


def record(
    dossier: Dossier, action: str, by, changes: dict | None = None, at: datetime | None = None
) -> None:
    """The one audit entry of a dossier change (`at`: when it happened, if not now)."""
    audit.record(ENTITY, dossier.id, action, actor=by, changes=changes, reference=dossier.reference, at=at)


def data_from_lead(lead) -> DossierData:
    """A dossier pre-filled from everything the lead told us."""
    kind = lead.childcare_type if lead.childcare_type in checklist.DOSSIER_TYPES else None
    return DossierData(
        first_name=lead.first_name or "",
        last_name=lead.last_name or "",
        email=lead.email,
        phone=lead.phone,
        childcare_type=kind,
        postcode=lead.postcode or "",
        legal_form=lead.legal_form,
        enterprise_number=lead.enterprise_number,
        statute=lead.statute,
        organiser_kind=OrganiserKind.PERSON
        if lead.legal_form in (LegalForm.EENMANSZAAK, LegalForm.NOG_NIET_BEPAALD)
        else OrganiserKind.ORGANISATION,
        planned_places=lead.planned_places,
        planned_start=lead.planned_start,
        owner_id=lead.owner_id,
    )


def _text(value: str | None, limit: int, field: str, required_message=None) -> str:
    cleaned = " ".join((value or "").split())
    if required_message and not cleaned:
        raise DomainError(required_message, field=field)
    if len(cleaned) > limit:
        raise DomainError(_l("Hoogstens %(n)s tekens.", n=limit), field=field)
    return cleaned


def _clean(data: DossierData) -> dict:
    """The values to store. Every rule is checked, so the form shows all mistakes at once: raises
    DomainError (with the field) for one, InvalidInput for several."""
    errors = Errors()
    childcare_type = None
    if data.childcare_type in checklist.DOSSIER_TYPES:
        childcare_type = ChildcareType(data.childcare_type)
    else:
        errors.add(
            _l("Kies het type opvang: een vergunning vraag je voor één type aan."), field="childcare_type"
        )
    place = errors.check(lookup_postcode, data.postcode)
    if data.planned_places is not None and not 1 <= data.planned_places <= 500:
        errors.add(_l("Geef een aantal plaatsen tussen 1 en 500."), field="planned_places")
    kind = OrganiserKind(data.organiser_kind)
    organisation = errors.check(
        _text,
        data.organisation_name,
        200,
        "organisation_name",
        _l(
            "Vul de naam van de organisatie in: een organisatie (een rechtspersoon zoals een BV of "
            "vzw) krijgt het dossier op haar naam. Is de organisator een persoon, kies dan "
            "‘een natuurlijke persoon’."
        )
        if kind == OrganiserKind.ORGANISATION
        else None,
    )
    enterprise = (data.enterprise_number or "").strip()
    values = {
        "organiser_kind": kind,
        "organisation_name": (organisation or "") if kind == OrganiserKind.ORGANISATION else "",
        "first_name": errors.check(_text, data.first_name, 100, "first_name", _l("Vul de voornaam in.")),
        "last_name": errors.check(_text, data.last_name, 100, "last_name", _l("Vul de achternaam in.")),
        "email": errors.check(normalise_email, data.email),
        "phone": errors.check(normalise_phone, data.phone) if (data.phone or "").strip() else None,
        "legal_form": LegalForm(data.legal_form),
        "enterprise_number": errors.check(normalise_enterprise_number, enterprise) if enterprise else None,
        "statute": Statute(data.statute),
        "is_21_or_older": data.is_21_or_older,
        "childcare_type": childcare_type,
        "street": errors.check(_text, data.street, 200, "street"),
        "postcode": place.postcode if place else None,
        "municipality": place.municipality if place else None,
        "province": place.province if place else None,
        "planned_places": data.planned_places,
        "planned_start": data.planned_start,
    }
    errors.raise_any()
    return values


def _owner(owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = db.session.get(User, owner_id)
    if owner is None or not owner.active or owner.role not in (Role.STAFF, Role.ADMIN):
        raise DomainError(_l("Kies een actieve dossierbeheerder als eigenaar."), field="owner_id")
    return owner


def _lock_counter(year: int) -> DossierCounter:
    """The year's counter with its row locked until the commit (made if it is the first)."""
    db.session.execute(insert_ignoring(DossierCounter.__table__, "year").values(year=year, last_number=0))
    return db.session.scalar(
        select(DossierCounter)
        .where(DossierCounter.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _same_location(street_a: str, street_b: str) -> bool:
    """Same address, or one of them has none (then the postcode alone decides)."""

    def key(street: str) -> str:
        return re.sub(r"[^0-9a-z]", "", street.lower())

    return not key(street_a) or not key(street_b) or key(street_a) == key(street_b)


def find_open_duplicate(enterprise_number: str | None, postcode: str, street: str) -> Dossier | None:
    """The open dossier for the same enterprise number and location, if there is one."""
    if not enterprise_number:
        return None
    candidates = db.session.scalars(
        select(Dossier).where(
            Dossier.enterprise_number == enterprise_number,
            Dossier.postcode == postcode,
            Dossier.state.not_in([DossierState.CLOSED, DossierState.WITHDRAWN]),
        )
    )
    return next((d for d in candidates if _same_location(d.street, street)), None)


class DuplicateDossier(DomainError):
    """A second open dossier for the same organiser and location; `existing` is the first."""

    def __init__(self, existing: Dossier):
        super().__init__(
            _l(
                "Er loopt al een open dossier voor dit ondernemingsnummer op deze locatie: %(reference)s.",
                reference=existing.reference,
            ),
            field="enterprise_number",
        )
        self.existing = existing


def _due_date(now: datetime) -> date:
    return local(now).date() + timedelta(days=int(current_app.config.get("DOSSIER_DUE_DAYS", 30)))


@atomic
def create_dossier(data: DossierData, *, by: User, lead=None, now: datetime | None = None) -> Dossier:
    """Open a dossier with its checklist for the type of childcare, and commit.

    With `lead`, the lead is marked converted in the same transaction. Raises DomainError for
    bad data, DuplicateDossier when an open dossier exists for the same enterprise number and
    location, and DomainError when the lead already has an open dossier.
    """
    now = now or utcnow()
    values = _clean(data)
    owner = _owner(data.owner_id)
    begin_write()
    year = local(now).year
    counter = _lock_counter(year)  # from here on, creations are served one by one
    existing = find_open_duplicate(values["enterprise_number"], values["postcode"], values["street"])
    if existing is not None:
        raise DuplicateDossier(existing)
    if lead is not None:
        of_lead = db.session.scalar(
            select(Dossier).where(
                Dossier.lead_id == lead.id,
                Dossier.state.not_in([DossierState.CLOSED, DossierState.WITHDRAWN]),
            )
        )
        if of_lead is not None:
            raise DuplicateDossier(of_lead)
    counter.last_number += 1
    dossier = Dossier(
        reference=f"KO-{year}-{counter.last_number:05d}",
        lead_id=lead.id if lead is not None else None,
        owner=owner,
        state=DossierState.INTAKE,
        state_changed_at=now,
        created_at=now,
        **values,
    )
    checklist.ensure_catalogue()
    due = _due_date(now)
    for element in checklist.elements_for(dossier.childcare_type):
        dossier.items.append(
            ChecklistItem(
                element=element,
                position=element.position,
                required=element.required,
                status=ItemStatus.MISSING,
                due_on=due if element.required else None,
            )
        )
    db.session.add(dossier)
    db.session.flush()
    if lead is not None:
        from dossiers.leads import services as leads

        leads.mark_converted(lead, by)
    record(
        dossier,
        "created",
        by,
        {name: [None, audit.plain(value)] for name, value in values.items() if value not in (None, "")}
        | ({"lead_id": [None, lead.id]} if lead is not None else {}),
        at=now,
    )
    db.session.commit()
    return dossier


@atomic
def update_dossier(dossier: Dossier, data: DossierData, *, by: User) -> Dossier:
    """Correct the organiser, location or plans of an open dossier, and commit.

    The checklist stays as it is (a change of type of childcare is refused: that is another
    licence, so another dossier). Raises DomainError, DuplicateDossier.
    """
    values = _clean(data)
    dossier = lock_dossier(dossier.id)
    _refuse_when_final(dossier)
    if values["childcare_type"] != dossier.childcare_type:
        raise DomainError(
            _l("Het type opvang verander je niet in een lopend dossier: maak een nieuw dossier."),
            field="childcare_type",
        )
    existing = find_open_duplicate(values["enterprise_number"], values["postcode"], values["street"])
    if existing is not None and existing.id != dossier.id:
        raise DuplicateDossier(existing)
    before = audit.snapshot(dossier, DATA_FIELDS)
    for name, value in values.items():
        setattr(dossier, name, value)
    changes = audit.diff(before, audit.snapshot(dossier, DATA_FIELDS))
    if changes:
        record(dossier, "updated", by, changes)
    db.session.commit()
    return dossier


def lock_dossier(dossier_id: int) -> Dossier:
    """Start a write transaction and re-read the dossier with its row locked until the commit."""
    dossier = lock_row(Dossier, dossier_id)
    if dossier is None:
        raise NotFound(_l("Dit dossier bestaat niet."))
    return dossier


def _refuse_when_final(dossier: Dossier) -> None:
    if not dossier.state.is_open:
        raise DomainError(
            _l(
                "Dit dossier is %(state)s: er kan niets meer aan veranderen.",
                state=workflow.state_label(dossier.state),
            )
        )


@atomic
def change_state(dossier: Dossier, target: DossierState | str, *, by, now: datetime | None = None) -> Dossier:
    """Move a dossier to `target` if the transition table allows it, and commit.

    Raises DomainError with the reason otherwise (a move the table does not have, an on-hold
    dossier going elsewhere than where it came from, a checklist that is not complete).
    """
    now = now or utcnow()
    try:
        target = DossierState(target)
    except ValueError as error:
        raise DomainError(_l("Deze fase bestaat niet.")) from error
    dossier = lock_dossier(dossier.id)
    complete = checklist.completeness(dossier.items).complete
    workflow.check_transition(
        dossier.state,
        target,
        held_from=dossier.held_from,
        complete=complete,
        has_proposal=bool(dossier.proposal_outcome and dossier.proposal_text.strip()),
    )
    changes = {"state": [dossier.state.value, target.value]}
    if target == DossierState.ON_HOLD:
        dossier.held_from = dossier.state
    elif dossier.state == DossierState.ON_HOLD:
        dossier.held_from = None
    dossier.state = target
    dossier.state_changed_at = now
    record(dossier, "state_changed", by, changes, at=now)
    db.session.commit()
    return dossier


@atomic
def assign_owner(dossier: Dossier, owner_id: int | None, *, by: User) -> Dossier:
    """Give the dossier to another dossierbeheerder (or to nobody), and commit."""
    owner = _owner(owner_id)
    dossier = lock_dossier(dossier.id)
    if dossier.owner_id == (owner.id if owner else None):
        return dossier
    before = dossier.owner.name if dossier.owner else None
    dossier.owner = owner
    record(dossier, "owner_changed", by, {"owner": [before, owner.name if owner else None]})
    db.session.commit()
    return dossier
