"""Demo dossiers: about fifteen, one or more in every state of the workflow, some with
complaints, some with overdue elements, a few converted from the demo leads.

They go through the real services (so the audit trail and the outbox are filled as in real life).
"""

from __future__ import annotations

import io
import logging
import random
import unicodedata
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.errors import DomainError
from app.extensions import db
from app.timezone import local
from dossiers import checklist, services, workflow
from dossiers.models import (
    ArgumentSide,
    ComplaintChannel,
    ComplaintKind,
    DossierState,
    ItemStatus,
    OrganiserKind,
    ProposalOutcome,
)
from registrations.models import ChildcareType, LegalForm, Statute

S = DossierState
log = logging.getLogger(__name__)
GEZIN, GROEP, BSO = ChildcareType.GEZINSOPVANG, ChildcareType.GROEPSOPVANG, ChildcareType.BSO
EZ, BV, VZW, VOF = LegalForm.EENMANSZAAK, LegalForm.BV, LegalForm.VZW, LegalForm.VOF

# (first, last, organisation, legal form, type, postcode, street, places, target state)
PEOPLE = [
    ("Sarah", "Peeters", "", EZ, GEZIN, "9000", "Kortrijksesteenweg 12", 8, S.INTAKE),
    ("Fatima", "El Idrissi", "", EZ, GEZIN, "2000", "Lange Lozanastraat 40", 6, S.DOCUMENTS),
    ("Lotte", "Maes", "Kinderdagverblijf Het Nest", BV, GROEP, "3500", "Kempische Steenweg 88", 18,
     S.DOCUMENTS),
    ("Ines", "Claes", "Vzw Speelvogel", VZW, BSO, "8000", "Sint-Pieterskaai 3", 28, S.DOCUMENTS),
    ("Eline", "Wouters", "", EZ, GEZIN, "3000", "Naamsestraat 101", 7, S.COMPLETENESS_CHECK),
    ("Yasmina", "Yilmaz", "Kinderopvang Zonnestraal", BV, GROEP, "2800", "Bruul 54", 14, S.ANALYSIS),
    ("Hanne", "Mertens", "", EZ, GEZIN, "8500", "Doorniksestraat 22", 8, S.ANALYSIS),
    ("Julie", "Janssens", "Kinderhuis De Boomhut", BV, GROEP, "3600", "Stalenstraat 9", 21,
     S.DECISION_PROPOSAL),
    ("Amina", "Declercq", "", EZ, GEZIN, "9300", "Molenstraat 5", 9, S.DECISION_PROPOSAL),
    ("Sofie", "Aerts", "Crèche Kleine Stapjes", VOF, GROEP, "2300", "Otterstraat 77", 18, S.DECISION),
    ("Emma", "Vermeulen", "", EZ, GEZIN, "9100", "Grote Markt 14", 5, S.FOLLOW_UP),
    ("Marie", "Van Damme", "Vzw Kinderkoor", VZW, BSO, "1000", "Rue Haute 200", 36, S.CLOSED),
    ("Leen", "Goossens", "", EZ, GEZIN, "1500", "Basiliekstraat 30", 6, S.ON_HOLD),
    ("Kaat", "Willems", "Kinderopvang Het Bos", BV, GROEP, "9000", "Coupure Links 400", 24,
     S.WITHDRAWN),
    ("Chloé", "Dubois", "Vzw De Speelplaats", VZW, BSO, "3500", "Thonissenlaan 15", 40, S.DOCUMENTS),
]  # fmt: skip

ARGUMENTS = {
    ArgumentSide.FOR: [
        "Sterk pedagogisch plan, uitgewerkt met voorbeelden uit de praktijk.",
        "Ruime ervaring als kinderbegeleider (meer dan 5 jaar).",
        "Gemeente bevestigt een tekort aan opvangplaatsen in de buurt.",
    ],
    ArgumentSide.AGAINST: [
        "Financieel plan steunt op subsidies die niet zeker zijn.",
        "Buitenspeelruimte is klein voor het geplande aantal kinderen.",
    ],
}
# A PDF small enough to read in full; the upload check knows it by its first bytes.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _address(first: str, last: str) -> str:
    plain = unicodedata.normalize("NFKD", f"{first}.{last}".lower().replace(" ", ""))
    return "".join(c for c in plain if c.isascii()) + "@voorbeeld.be"


def enterprise_number(rng: random.Random) -> str:
    """A made-up number that passes the modulo-97 check."""
    base = rng.randint(2_000_000, 9_999_999)  # eight digits with a leading 0
    digits = f"0{base:07d}{97 - base % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _complete_checklist(dossier, by) -> None:
    for item in dossier.items:
        if not item.required or item.status == ItemStatus.APPROVED:
            continue
        if not item.element.record_only:
            services.update_item(dossier, item.id, by=by, status=ItemStatus.RECEIVED)
        services.update_item(dossier, item.id, by=by, status=ItemStatus.APPROVED)


def _half_checklist(dossier, by, rng: random.Random) -> None:
    for item in dossier.items[: len(dossier.items) // 2]:
        if item.element.record_only:
            services.update_item(dossier, item.id, by=by, status=ItemStatus.APPROVED)
            continue
        services.update_item(dossier, item.id, by=by, status=ItemStatus.RECEIVED)
        if rng.random() < 0.7:
            services.update_item(dossier, item.id, by=by, status=ItemStatus.APPROVED)
        else:
            services.update_item(
                dossier,
                item.id,
                by=by,
                status=ItemStatus.REJECTED,
                comment="Onleesbaar: graag een betere scan.",
            )


def _write_proposal(dossier, by, rng: random.Random) -> None:
    for side, texts in ARGUMENTS.items():
        for text in rng.sample(texts, k=min(2, len(texts))):
            services.add_argument(dossier, side, text, by=by)
    favourable = all(rule.passed for rule in services.check_rules(dossier, local(utcnow()).date()))
    services.save_proposal(
        dossier,
        analysis="Het dossier is volledig. De organisator toont voldoende beleidsvoerend vermogen in het "
        "kennismakingsgesprek en heeft een realistisch plan.",
        outcome=ProposalOutcome.FAVOURABLE if favourable else ProposalOutcome.UNFAVOURABLE,
        text="Wij stellen voor de vergunning toe te kennen voor het gevraagde aantal plaatsen, onder "
        "voorbehoud van het advies van Zorginspectie."
        if favourable
        else "Wij stellen voor de vergunning te weigeren: niet aan alle voorwaarden is voldaan.",
        by=by,
    )


def _advance(dossier, target: DossierState, by, rng: random.Random) -> None:
    """Walk the dossier along the main line to `target` (on hold and withdrawn from documents)."""
    line = list(workflow.MAIN_LINE[1:]) + [S.CLOSED]
    if target in (S.ON_HOLD, S.WITHDRAWN):
        path = [S.DOCUMENTS, target]
    else:
        path = [] if target == S.INTAKE else line[: line.index(target) + 1]
    for state in path:
        if state == S.ANALYSIS:
            _complete_checklist(dossier, by)
        if state == S.DECISION:
            _write_proposal(dossier, by, rng)
        services.change_state(dossier, state, by=by)


def load(context: dict) -> None:
    rng = random.Random(2027)
    now = utcnow()
    today = local(now).date()
    users = context["users"]
    staff = next(u for u in users if u.role == Role.STAFF)
    admin = next(u for u in users if u.role == Role.ADMIN)
    made = []
    for index, (first, last, organisation, form, kind, postcode, street, places, target) in enumerate(PEOPLE):
        owner = staff if index % 4 else admin
        # Some dossiers were opened weeks ago: their due dates have passed (overdue elements).
        opened = now - timedelta(days=45 if index in (1, 2, 12) else rng.randint(1, 10))
        start = date(today.year, today.month, 1) + relativedelta(months=rng.choice([4, 5, 7, 9]))
        data = services.DossierData(
            first_name=first,
            last_name=last,
            email=_address(first, last),
            phone=f"04{rng.randint(70, 99)}{rng.randint(100000, 999999)}",
            childcare_type=kind,
            postcode=postcode,
            street=street,
            organiser_kind=OrganiserKind.ORGANISATION if organisation else OrganiserKind.PERSON,
            organisation_name=organisation,
            legal_form=form,
            enterprise_number=enterprise_number(rng),
            statute=Statute.ZELFSTANDIGE,
            is_21_or_older=True,
            planned_places=places,
            planned_start=start,
            owner_id=owner.id,
        )
        dossier = services.create_dossier(data, by=owner, now=opened)
        if target in (S.DOCUMENTS, S.ON_HOLD) or index == 0:
            _half_checklist(dossier, owner, rng)
        _advance(dossier, target, owner, rng)
        made.append(dossier)

    # The organisers of two dossiers uploaded something through their link.
    for dossier in made[1:3]:
        item = next(i for i in dossier.items if services.uploadable(i))
        services.upload_document(dossier, item.id, io.BytesIO(DEMO_PDF), f"{item.element.code}.pdf")

    # Complaints and appeals.
    services.add_complaint(
        made[4],
        services.ComplaintData(
            ComplaintKind.COMPLAINT,
            today - timedelta(days=6),
            ComplaintChannel.PHONE,
            "De organisator vindt dat de behandeling van het dossier te lang duurt.",
            "Teruggebeld en de planning uitgelegd.",
            today - timedelta(days=5),
        ),
        by=staff,
        today=today,
    )
    services.add_complaint(
        made[10],
        services.ComplaintData(
            ComplaintKind.APPEAL,
            today - timedelta(days=2),
            ComplaintChannel.LETTER,
            "Beroep tegen de voorwaarde over de buitenspeelruimte.",
        ),
        by=admin,
        today=today,
    )
    services.add_complaint(
        made[2],
        services.ComplaintData(
            ComplaintKind.COMPLAINT,
            today - timedelta(days=1),
            ComplaintChannel.EMAIL,
            "Het opladen van het grondplan lukte niet op de gsm.",
        ),
        by=staff,
        today=today,
    )

    _convert_leads(staff, rng)
    context["dossiers"] = made


def _convert_leads(staff, rng: random.Random) -> None:
    """Turn the demo leads that are in contact with us into dossiers, as staff would."""
    from dossiers.leads.models import Lead, LeadStatus

    leads = db.session.scalars(
        select(Lead)
        .where(Lead.status.in_([LeadStatus.CONTACTED, LeadStatus.INTAKE_PLANNED]))
        .order_by(Lead.id)
        .limit(2)
    )
    for lead in list(leads):
        data = services.data_from_lead(lead)
        if data.childcare_type not in checklist.DOSSIER_TYPES:
            data.childcare_type = GEZIN
        data.postcode = data.postcode or "9000"
        data.first_name = data.first_name or "Onbekend"
        data.last_name = data.last_name or "Onbekend"
        data.owner_id = staff.id
        try:
            services.create_dossier(data, by=staff, lead=lead)
        except DomainError as error:
            log.info("demo: lead %s not converted: %s", lead.id, error)
