"""The checklist per type of childcare: the one place that says which elements a dossier needs.

`DEFAULT_ELEMENTS` is DOMAIN.md's table of licence-dossier elements. It seeds the catalogue
(`ensure_catalogue`), which admins then edit at /beheer/dossiers/checklist: names, descriptions,
the types an element is for, whether it is required or only recorded as checked. Codes never
change — the export carries them. A dossier copies its items from the catalogue when it is made,
so a later edit does not move the goalposts for a dossier under way.

Each item moves `missing → received → approved | rejected`; see ITEM_TRANSITIONS.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from dossiers.models import ChecklistElement, ChecklistItem, ItemStatus
from registrations.models import ChildcareType

GEZIN, GROEP, BSO = (
    ChildcareType.GEZINSOPVANG.value,
    ChildcareType.GROEPSOPVANG.value,
    ChildcareType.BSO.value,
)
ALL = (GEZIN, GROEP, BSO)
#: The types a dossier can have: a licence is asked for one concrete type, never "not sure yet".
DOSSIER_TYPES = (ChildcareType.GEZINSOPVANG, ChildcareType.GROEPSOPVANG, ChildcareType.BSO)


@dataclass(frozen=True)
class DefaultElement:
    code: str
    name: str
    description: str
    types: tuple[str, ...]
    required: bool = True
    record_only: bool = False


# The Dutch texts are data (admins edit them in the catalogue), not interface strings.
DEFAULT_ELEMENTS = (
    DefaultElement("kbo", "Ondernemingsnummer (KBO) en rechtsvorm", "Uittreksel uit de KBO.", ALL),
    DefaultElement(
        "opportuniteitsadvies",
        "Opportuniteitsadvies van de gemeente",
        "Het advies van de gemeente en hoe je met de opmerkingen omgaat.",
        (GROEP,),
    ),
    DefaultElement(
        "brandveiligheidsattest",
        "Brandveiligheidsattest A of B",
        "Af te leveren door de burgemeester.",
        (GROEP,),
    ),
    DefaultElement(
        "rookmelders_risicoanalyse",
        "Rookmelders en risicoanalyse",
        "Een rookmelder op elke verdieping en een risicoanalyse brandveiligheid.",
        (GEZIN,),
    ),
    DefaultElement(
        "infrastructuur",
        "Verslag infrastructuur en grondplan",
        "Een verslag over de infrastructuur en een grondplan op schaal 1/50 of 1/100.",
        ALL,
    ),
    DefaultElement(
        "stedenbouw", "Stedenbouwkundige toets", "Controle van de bestemming of functiewijziging.", (GROEP,)
    ),
    DefaultElement(
        "kwalificatie",
        "Kwalificatiebewijs",
        "Diploma of attest van de kinderbegeleider en de verantwoordelijke.",
        ALL,
    ),
    DefaultElement(
        "module_gezinsopvang", "Module ‘Kennismaken met de gezinsopvang’", "Attest van de module.", (GEZIN,)
    ),
    DefaultElement(
        "strafregister",
        "Uittreksel uit het strafregister (model 2)",
        "Van de organisator, meerderjarige huisgenoten en medewerkers. We noteren dat het gecontroleerd "
        "is; we bewaren het uittreksel niet.",
        ALL,
        record_only=True,
    ),
    DefaultElement(
        "medisch_attest",
        "Medisch attest",
        "Van dezelfde personen. We noteren dat het gecontroleerd is; we bewaren het attest niet.",
        ALL,
        record_only=True,
    ),
    DefaultElement(
        "levensreddend_handelen", "Attest levensreddend handelen bij kinderen", "Een geldig attest.", ALL
    ),
    DefaultElement(
        "verzekering",
        "Verzekeringen",
        "Burgerlijke aansprakelijkheid (BA onderneming) en een ongevallenverzekering voor de kinderen.",
        ALL,
    ),
    DefaultElement(
        "huishoudelijk_reglement",
        "Huishoudelijk reglement en schriftelijke overeenkomst",
        "Het reglement en de overeenkomst met de ouders.",
        ALL,
    ),
    DefaultElement(
        "pedagogisch_beleid",
        "Pedagogisch beleid",
        "Pedagogisch beleid, kwaliteitsbeleid en klachtenprocedure.",
        ALL,
    ),
    DefaultElement(
        "ondernemingsplan",
        "Ondernemingsplan en financieel plan",
        "Aanbevolen; we vragen ernaar in het kennismakingsgesprek.",
        ALL,
        required=False,
    ),
    DefaultElement(
        "starterstraject", "Starterstraject doorlopen (of vrijstelling)", "Bewijs of beslissing.", ALL
    ),
)

#: status now → the statuses staff may set next, for an element whose document we keep.
DOCUMENT_MOVES: dict[ItemStatus, tuple[ItemStatus, ...]] = {
    ItemStatus.MISSING: (ItemStatus.RECEIVED,),
    ItemStatus.RECEIVED: (ItemStatus.APPROVED, ItemStatus.REJECTED, ItemStatus.MISSING),
    ItemStatus.APPROVED: (ItemStatus.MISSING,),
    ItemStatus.REJECTED: (ItemStatus.RECEIVED, ItemStatus.MISSING),
}
#: The same for a record-only element: there is nothing to receive, staff look at the paper and
#: record the verdict at once.
RECORD_ONLY_MOVES: dict[ItemStatus, tuple[ItemStatus, ...]] = {
    ItemStatus.MISSING: (ItemStatus.APPROVED, ItemStatus.REJECTED),
    ItemStatus.RECEIVED: (ItemStatus.APPROVED, ItemStatus.REJECTED, ItemStatus.MISSING),
    ItemStatus.APPROVED: (ItemStatus.MISSING,),
    ItemStatus.REJECTED: (ItemStatus.APPROVED, ItemStatus.MISSING),
}

ITEM_STATUS_LABELS = {
    ItemStatus.MISSING: _l("ontbreekt"),
    ItemStatus.RECEIVED: _l("ontvangen"),
    ItemStatus.APPROVED: _l("goedgekeurd"),
    ItemStatus.REJECTED: _l("afgekeurd"),
}
RECORD_ONLY_LABELS = {**ITEM_STATUS_LABELS, ItemStatus.APPROVED: _l("gecontroleerd, in orde")}


def allowed_item_moves(item: ChecklistItem) -> tuple[ItemStatus, ...]:
    table = RECORD_ONLY_MOVES if item.element.record_only else DOCUMENT_MOVES
    return table[item.status]


def ensure_catalogue() -> None:
    """Add the default elements whose code is not in the catalogue yet (never overwrites an
    admin's edits). Runs in the caller's transaction."""
    known = set(db.session.scalars(select(ChecklistElement.code)))
    for position, default in enumerate(DEFAULT_ELEMENTS, start=1):
        if default.code in known:
            continue
        db.session.add(
            ChecklistElement(
                code=default.code,
                name=default.name,
                description=default.description,
                childcare_types=",".join(default.types),
                required=default.required,
                record_only=default.record_only,
                position=position * 10,
            )
        )
    db.session.flush()


def catalogue() -> list[ChecklistElement]:
    return list(db.session.scalars(select(ChecklistElement).order_by(ChecklistElement.position)))


def elements_for(childcare_type: ChildcareType) -> list[ChecklistElement]:
    """The active elements a dossier of this type needs, in catalogue order."""
    return [e for e in catalogue() if e.active and e.applies_to(childcare_type)]


@dataclass(frozen=True)
class Completeness:
    approved: int
    required: int

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.approved / self.required)

    @property
    def complete(self) -> bool:
        return self.approved == self.required


def completeness(items: list[ChecklistItem]) -> Completeness:
    """How many of the required items are approved: the figure and the bar on the dossier."""
    required = [item for item in items if item.required]
    return Completeness(sum(item.status == ItemStatus.APPROVED for item in required), len(required))
