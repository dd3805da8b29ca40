"""The decision proposal as a Word document to sign (python-docx).

Dutch always: it is an act of the agency, written in its working language.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Pt
from flask_babel import force_locale
from flask_babel import gettext as _

from app.geo import PROVINCES
from app.i18n import long_date, month_name
from dossiers import checklist
from dossiers.models import (
    ARGUMENT_SIDES,
    DOSSIER_TYPE_LABELS,
    PROPOSAL_OUTCOMES,
    ArgumentSide,
    Dossier,
    label,
)
from dossiers.services import check_rules
from registrations.labels import LEGAL_FORMS


def _paragraphs(document, text: str) -> None:
    for block in (text or "").split("\n\n"):
        if block.strip():
            document.add_paragraph(block.strip())


def build(dossier: Dossier, *, today: date, author: str) -> bytes:
    """The proposal as .docx bytes: facts, rules checked, arguments, analysis, the proposal
    text and a place to sign."""
    with force_locale("nl"):
        document = Document()
        document.styles["Normal"].font.size = Pt(11)
        document.core_properties.title = _(
            "Voorstel van beslissing %(reference)s", reference=dossier.reference
        )
        document.core_properties.author = author
        document.add_heading(_("Voorstel van beslissing"), level=0)
        document.add_paragraph(
            _(
                "Dossier %(reference)s — %(type)s",
                reference=dossier.reference,
                type=label(DOSSIER_TYPE_LABELS, dossier.childcare_type),
            )
        )

        document.add_heading(_("Gegevens"), level=1)
        facts = document.add_table(rows=0, cols=2)
        facts.style = "Table Grid"
        location = ", ".join(p for p in (dossier.street, f"{dossier.postcode} {dossier.municipality}") if p)
        rows = [
            (_("Organisator"), dossier.organiser_name),
            (_("Contactpersoon"), f"{dossier.contact_name} ({dossier.email})"),
            (_("Ondernemingsvorm"), label(LEGAL_FORMS, dossier.legal_form)),
            (_("Ondernemingsnummer"), dossier.enterprise_number or "—"),
            (_("Locatie"), f"{location} ({PROVINCES.get(dossier.province, dossier.province)})"),
            (_("Geplande plaatsen"), str(dossier.planned_places or "—")),
            (_("Geplande start"), month_name(dossier.planned_start) if dossier.planned_start else "—"),
        ]
        for name, value in rows:
            cells = facts.add_row().cells
            cells[0].text, cells[1].text = str(name), str(value)

        done = checklist.completeness(dossier.items)
        document.add_heading(_("Toetsing"), level=1)
        document.add_paragraph(
            _(
                "Checklist: %(approved)s van %(required)s verplichte elementen goedgekeurd.",
                approved=done.approved,
                required=done.required,
            )
        )
        for rule in check_rules(dossier, today):
            mark = _("voldaan") if rule.passed else _("niet voldaan")
            text = f"{rule.label}: {mark}" + (f" ({rule.detail})" if rule.detail else "")
            document.add_paragraph(text, style="List Bullet")

        for side in (ArgumentSide.FOR, ArgumentSide.AGAINST):
            arguments = [a for a in dossier.arguments if a.side == side]
            document.add_heading(_("Argumenten %(side)s", side=label(ARGUMENT_SIDES, side)), level=1)
            if not arguments:
                document.add_paragraph(_("Geen."))
            for argument in arguments:
                document.add_paragraph(argument.text, style="List Bullet")

        if dossier.analysis.strip():
            document.add_heading(_("Analyse"), level=1)
            _paragraphs(document, dossier.analysis)

        document.add_heading(_("Voorstel"), level=1)
        if dossier.proposal_outcome is not None:
            document.add_paragraph(
                _("Voorgesteld: %(outcome)s", outcome=label(PROPOSAL_OUTCOMES, dossier.proposal_outcome))
            )
        _paragraphs(document, dossier.proposal_text)

        document.add_heading(_("Ondertekening"), level=1)
        document.add_paragraph(_("Opgemaakt door %(name)s op %(date)s.", name=author, date=long_date(today)))
        document.add_paragraph(_("Handtekening:"))
        document.add_paragraph("\n\n______________________________")
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
