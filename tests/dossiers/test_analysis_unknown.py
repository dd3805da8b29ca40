"""The analysis shows a fact nobody filled in as "onbekend", not as "niet voldaan" (issue 16);
the proposal and the coded export say the same."""

from __future__ import annotations

import io
import re

from docx import Document

from tests.support.dossiers import html_of


def test_an_unknown_fact_is_onbekend_not_niet_voldaan(client, as_staff, make_dossier):
    dossier = make_dossier(planned_places=None, planned_start=None)
    html = html_of(client, f"/beheer/dossiers/{dossier.reference}/analyse")
    rules = html[html.index('class="rules"') :]
    for code in ("plaatsen_gezinsopvang", "aanvraagtermijn"):
        line = re.search(rf'data-rule="{code}" data-passed="(\w+)">(.*?)</li>', rules, re.S)
        assert (
            line.group(1) == "unknown" and "onbekend" in line.group(2) and "niet voldaan" not in line.group(2)
        )
    known = make_dossier(planned_places=12, postcode="2000")
    html = html_of(client, f"/beheer/dossiers/{known.reference}/analyse")
    assert re.search(r'data-rule="plaatsen_gezinsopvang" data-passed="no">.*?niet voldaan', html, re.S)


def test_the_proposal_and_the_export_say_unknown_too(client, as_staff, make_dossier):
    dossier = make_dossier(planned_places=None, planned_start=None)
    document = Document(io.BytesIO(client.get(f"/beheer/dossiers/{dossier.reference}/voorstel.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "hoogstens 8 kinderen tegelijk: onbekend" in text
    assert "voor de start: onbekend" in text
    record = client.get(f"/beheer/dossiers/{dossier.reference}.json").get_json()
    rules = {r["code"]: r["passed"] for r in record["rules"]}
    assert rules["plaatsen_gezinsopvang"] is None and rules["aanvraagtermijn"] is None
