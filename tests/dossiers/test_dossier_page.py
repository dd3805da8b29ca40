"""The dossier page as issue 16 asks: one screen with a summary and the checklist as a task list,
each element's form on its own page, the analysis, complaints and history one click away and the
history in words."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dossiers import services
from dossiers.models import DossierState, ItemStatus
from tests.support.dossiers import html_of


def test_the_overview_is_a_summary_and_a_task_list_without_forms_per_element(client, as_staff, make_dossier):
    dossier = make_dossier()
    first = dossier.items[0]
    services.update_item(dossier, first.id, by=as_staff, due_on=date.today() + timedelta(days=10))
    html = html_of(client, f"/beheer/dossiers/{dossier.reference}")
    summary = html[html.index('id="samenvatting"') : html.index('id="workflow"')]
    for key in ("Referentie", "Organisator", "Type opvang", "Fase", "Dossierbeheerder", "Volledigheid",
                "Volgende termijn", "Volgende stap"):  # fmt: skip
        assert f"<dt>{key}</dt>" in summary
    assert dossier.reference in summary and "gezinsopvang" in summary
    required = sum(i.required for i in dossier.items)
    assert f"0 van {required} verplichte elementen goedgekeurd" in summary
    from app.i18n import long_date

    assert long_date(date.today() + timedelta(days=10)) in summary
    # Every element one line with its status tag and a link to its own page; no form per element.
    tasks = html[html.index('id="taken"') :]
    assert tasks.count('<li class="task"') == len(dossier.items)
    for item in dossier.items:
        assert f'href="/beheer/dossiers/{dossier.reference}/checklist/{item.id}"' in tasks
    assert html.count('data-status="missing"') == len(dossier.items)
    assert not re.search(r'<form[^>]+/checklist/\d+"', html)
    # The sections are one click away.
    for path in ("analyse", "klachten", "historiek"):
        assert f'href="/beheer/dossiers/{dossier.reference}/{path}"' in html


def test_the_summary_says_what_blocks_the_next_step(client, as_staff, make_dossier):
    dossier = make_dossier()
    services.change_state(dossier, DossierState.DOCUMENTS, by=as_staff)
    services.change_state(dossier, DossierState.COMPLETENESS_CHECK, by=as_staff)
    html = html_of(client, f"/beheer/dossiers/{dossier.reference}")
    blocker = re.search(r"<span data-blocker>(.*?)</span>", html, re.S).group(1)
    assert (
        "Nog niet alle verplichte elementen" in blocker
        and f"Nog {sum(i.required for i in dossier.items)} te gaan." in blocker
    )


def test_an_element_opens_on_its_own_page_and_is_saved_there(client, as_staff, make_dossier):
    dossier = make_dossier()
    item = next(i for i in dossier.items if i.element.code == "infrastructuur")
    url = f"/beheer/dossiers/{dossier.reference}/checklist/{item.id}"
    html = html_of(client, url)
    assert f"<h1>{item.element.name}</h1>" in html
    assert html.count("<form") - html.count('action="/logout"') == 1  # only this element's form
    assert f'name="item{item.id}-status"' in html
    response = client.post(
        url, data={f"item{item.id}-status": "received", f"item{item.id}-comment": "Per post."}
    )
    assert response.status_code == 302 and response.location.endswith(f"#item-{item.id}")
    html = html_of(client, url)
    assert "Per post." in html and 'data-status="received"' in html


def test_an_element_of_another_dossier_has_no_page(client, as_staff, make_dossier):
    mine, theirs = make_dossier(), make_dossier(postcode="2000")
    assert client.get(f"/beheer/dossiers/{mine.reference}/checklist/{theirs.items[0].id}").status_code == 404


def test_experts_read_every_section_without_forms(client, login, make_dossier):
    dossier = make_dossier()
    login("expert")
    item = dossier.items[0]
    for path in ("", f"/checklist/{item.id}", "/analyse", "/klachten", "/historiek"):
        html = html_of(client, f"/beheer/dossiers/{dossier.reference}{path}")
        assert 'action="/beheer/dossiers' not in html  # nothing to post
    assert client.get(f"/beheer/dossiers/{dossier.reference}/eigenaar").status_code == 403


def test_the_owner_is_assigned_on_its_own_page(client, as_staff, make_dossier):
    dossier = make_dossier()
    html = html_of(client, f"/beheer/dossiers/{dossier.reference}/eigenaar")
    assert 'name="owner_id"' in html
    client.post(f"/beheer/dossiers/{dossier.reference}/eigenaar", data={"owner_id": ""})
    assert "nog niemand" in html_of(client, f"/beheer/dossiers/{dossier.reference}")


def test_the_history_reads_as_words_not_codes(client, as_staff, make_dossier):
    dossier = make_dossier()
    services.change_state(dossier, DossierState.DOCUMENTS, by=as_staff)
    item = next(i for i in dossier.items if i.element.code == "strafregister")
    services.update_item(dossier, item.id, by=as_staff, status=ItemStatus.APPROVED.value)
    data = services.DossierData(
        first_name="Eline", last_name="Wouters", email=dossier.email, childcare_type=dossier.childcare_type,
        postcode=dossier.postcode, street=dossier.street, organiser_kind="organisation",
        organisation_name="Kinderdagverblijf Zonnetje", enterprise_number=dossier.enterprise_number,
        planned_places=dossier.planned_places, planned_start=dossier.planned_start,
        legal_form=dossier.legal_form, statute=dossier.statute, is_21_or_older=dossier.is_21_or_older,
    )  # fmt: skip
    services.update_dossier(dossier, data, by=as_staff)
    html = html_of(client, f"/beheer/dossiers/{dossier.reference}/historiek")
    trail = html[html.index('id="historiek"') :]
    assert "Fase: intake → documenten verzamelen" in trail
    assert "Soort organisator: natuurlijke persoon → organisatie" in trail
    assert f"Element: {item.element.name}" in trail and "Status: ontbreekt → gecontroleerd, in orde" in trail
    assert "Type opvang: gezinsopvang" in trail
    for code in ("organiser_kind", "childcare_type", "→ documents", "approved", "<code>"):
        assert code not in trail
