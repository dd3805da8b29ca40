"""The decision proposal as Word, opened again with python-docx: a letterhead (agency, team,
reference, date) in the header, page numbers as Word fields in the footer, headings kept with
their text (issue 16)."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

from app.i18n import long_date
from dossiers.views.common import today_in_brussels
from tests.support import PASSWORD


def open_proposal(client, dossier_staff, dossier) -> Document:
    client.post("/login", data={"email": dossier_staff.email, "password": PASSWORD})
    response = client.get(f"/beheer/dossiers/{dossier.reference}/voorstel.docx")
    assert response.status_code == 200
    return Document(io.BytesIO(response.data))


def test_every_page_has_the_letterhead_and_its_number(app, client, dossier_staff, make_dossier):
    dossier = make_dossier()
    document = open_proposal(client, dossier_staff, dossier)
    section = document.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert app.config["AGENCY_NAME"] in header and app.config["TEAM_NAME"] in header
    assert dossier.reference in header and long_date(today_in_brussels()) in header
    footer = section.footer.paragraphs[0]
    instructions = [t.text.strip() for run in footer.runs for t in run.element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [c.get(qn("w:fldCharType")) for run in footer.runs for c in run.element.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert footer.text.startswith("Pagina ")


def test_the_agency_and_team_are_settings(app, client, dossier_staff, make_dossier):
    app.config.update(AGENCY_NAME="Kind en Gezin", TEAM_NAME="Team Vergunningen")
    document = open_proposal(client, dossier_staff, make_dossier())
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Kind en Gezin — Team Vergunningen"


def test_headings_stay_with_their_text(client, dossier_staff, make_dossier):
    document = open_proposal(client, dossier_staff, make_dossier())
    headings = [p for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert len(headings) >= 6
    assert {p.text for p in headings} >= {"Voorstel van beslissing", "Gegevens", "Toetsing", "Ondertekening"}
    assert all(p.paragraph_format.keep_with_next for p in headings)
