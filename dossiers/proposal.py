"""The decision proposal as a Word document to sign (python-docx).

Dutch always: it is an act of the agency, written in its working language. Every page carries a
letterhead (the agency, the team, the dossier's reference and the date; settings
AGENCY_NAME and TEAM_NAME) and its number in the footer ("Pagina 2 van 3", Word
fields PAGE and NUMPAGES); headings stay on the page of the text they introduce.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from flask import current_app
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


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in the paragraph: begin, instruction, separate, a shown
    value until Word updates it, end — python-docx's documented way through OxmlElement."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run.element.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.element.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run.element.append(separate)
    paragraph.add_run("1")
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run.element.append(end)


def _letterhead(document, dossier: Dossier, today: date) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    agency = header.add_run(current_app.config["AGENCY_NAME"])
    agency.bold = True
    header.add_run(" — " + current_app.config["TEAM_NAME"])
    line = section.header.add_paragraph(
        _("Dossier %(reference)s · %(date)s", reference=dossier.reference, date=long_date(today))
    )
    line.runs[0].font.size = Pt(9)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_("Pagina") + " ")
    _field(footer, "PAGE")
    footer.add_run(" " + _("van") + " ")
    _field(footer, "NUMPAGES")


def _heading(document, text: str, level: int):
    """A heading that stays with the paragraph after it (never alone at the foot of a page)."""
    heading = document.add_heading(text, level=level)
    heading.paragraph_format.keep_with_next = True
    return heading


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
        _letterhead(document, dossier, today)
        _heading(document, _("Voorstel van beslissing"), level=0)
        document.add_paragraph(
            _(
                "Dossier %(reference)s — %(type)s",
                reference=dossier.reference,
                type=label(DOSSIER_TYPE_LABELS, dossier.childcare_type),
            )
        )

        _heading(document, _("Gegevens"), level=1)
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
        _heading(document, _("Toetsing"), level=1)
        document.add_paragraph(
            _(
                "Checklist: %(approved)s van %(required)s verplichte elementen goedgekeurd.",
                approved=done.approved,
                required=done.required,
            )
        )
        for rule in check_rules(dossier, today):
            mark = (
                _("onbekend") if rule.passed is None else (_("voldaan") if rule.passed else _("niet voldaan"))
            )
            text = f"{rule.label}: {mark}" + (f" ({rule.detail})" if rule.detail else "")
            document.add_paragraph(text, style="List Bullet")

        for side in (ArgumentSide.FOR, ArgumentSide.AGAINST):
            arguments = [a for a in dossier.arguments if a.side == side]
            _heading(document, _("Argumenten %(side)s", side=label(ARGUMENT_SIDES, side)), level=1)
            if not arguments:
                document.add_paragraph(_("Geen."))
            for argument in arguments:
                document.add_paragraph(argument.text, style="List Bullet")

        if dossier.analysis.strip():
            _heading(document, _("Analyse"), level=1)
            _paragraphs(document, dossier.analysis)

        _heading(document, _("Voorstel"), level=1)
        if dossier.proposal_outcome is not None:
            document.add_paragraph(
                _("Voorgesteld: %(outcome)s", outcome=label(PROPOSAL_OUTCOMES, dossier.proposal_outcome))
            )
        _paragraphs(document, dossier.proposal_text)

        _heading(document, _("Ondertekening"), level=1)
        # The signature block stays on one page.
        made = document.add_paragraph(
            _("Opgemaakt door %(name)s op %(date)s.", name=author, date=long_date(today))
        )
        sign = document.add_paragraph(_("Handtekening:"))
        made.paragraph_format.keep_with_next = sign.paragraph_format.keep_with_next = True
        document.add_paragraph("\n\n______________________________")
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
