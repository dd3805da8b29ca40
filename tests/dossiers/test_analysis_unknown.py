"""The analysis shows a fact nobody filled in as "onbekend", not as "niet voldaan" (issue 16);
the proposal and the coded export say the same."""

from __future__ import annotations

import re

import pytest

from tests.support import PASSWORD


@pytest.fixture
def as_staff(client, dossier_staff):
    client.post("/login", data={"email": dossier_staff.email, "password": PASSWORD})
    return dossier_staff


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_an_unknown_fact_is_onbekend_not_niet_voldaan(client, as_staff, make_dossier):
    dossier = make_dossier(planned_places=None, planned_start=None)
    html = page(client, f"/beheer/dossiers/{dossier.reference}/analyse")
    rules = html[html.index('class="rules"') :]
    for code in ("plaatsen_gezinsopvang", "aanvraagtermijn"):
        line = re.search(rf'data-rule="{code}" data-passed="(\w+)">(.*?)</li>', rules, re.S)
        assert (
            line.group(1) == "unknown" and "onbekend" in line.group(2) and "niet voldaan" not in line.group(2)
        )
    known = make_dossier(planned_places=12, postcode="2000")
    html = page(client, f"/beheer/dossiers/{known.reference}/analyse")
    assert re.search(r'data-rule="plaatsen_gezinsopvang" data-passed="no">.*?niet voldaan', html, re.S)
