"""The organiser's page behind their signed link: what is missing, uploads checked by content
and size, the owner told; and a link that only ever opens its own dossier, and expires."""

from __future__ import annotations

import io
import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.audit import AuditEntry
from app.extensions import db
from dossiers import links
from dossiers.models import DossierDocument, ItemStatus
from tests.support.dossiers import dossier_mails

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def link_to(dossier) -> str:
    return path_of(links.organiser_url(dossier))


def item(dossier, code: str):
    return next(i for i in dossier.items if i.element.code == code)


def upload(client, dossier, item_id: int, content: bytes, name: str, link: str | None = None):
    return client.post(
        link or link_to(dossier),
        data={"item_id": str(item_id), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_the_page_lists_what_is_missing_without_a_login(client, make_dossier):
    dossier = make_dossier()
    page = client.get(link_to(dossier))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert dossier.reference in html
    assert "Verslag infrastructuur en grondplan" in html
    assert "Niet opladen: toon dit aan je dossierbeheerder" in html  # the criminal record extract


def test_an_uploaded_pdf_is_received_and_the_owner_is_told(client, make_dossier, dossier_staff):
    dossier = make_dossier()
    target = item(dossier, "infrastructuur")
    response = upload(client, dossier, target.id, PDF, "grondplan.pdf")
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.status == ItemStatus.RECEIVED and target.changed_by_organiser
    [document] = dossier.documents
    assert (document.original_name, document.kind) == ("grondplan.pdf", "pdf")
    [mail] = dossier_mails(dossier_staff.email, "uploaded")
    assert "grondplan.pdf" in mail.text_body and dossier.reference in mail.subject
    assert (
        db.session.query(AuditEntry).filter_by(action="document_uploaded", actor_kind="organiser").count()
        == 1
    )
    # Staff can download it from the dossier.
    client.post("/login", data={"email": dossier_staff.email, "password": "correct horse battery staple"})
    with client.get(f"/beheer/dossiers/{dossier.reference}/documenten/{document.id}") as download:
        assert download.status_code == 200 and download.data == PDF


def test_a_file_that_is_not_what_it_claims_is_refused(client, make_dossier):
    dossier = make_dossier()
    target = item(dossier, "infrastructuur")
    response = upload(client, dossier, target.id, EXE, "grondplan.pdf")
    assert response.status_code == 422
    assert "Dit soort bestand kunnen we niet aanvaarden" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert target.status == ItemStatus.MISSING
    assert db.session.query(DossierDocument).count() == 0


def test_a_file_that_is_too_large_is_refused(app, client, make_dossier):
    app.config["UPLOAD_MAX_BYTES"] = 1024
    dossier = make_dossier()
    response = upload(client, dossier, item(dossier, "verzekering").id, PDF + b"0" * 2048, "polis.pdf")
    assert response.status_code == 422
    assert "te groot" in response.get_data(as_text=True)


def test_an_empty_file_is_refused(client, make_dossier):
    dossier = make_dossier()
    response = upload(client, dossier, item(dossier, "verzekering").id, b"", "polis.pdf")
    assert response.status_code == 422


def test_a_record_only_element_cannot_be_uploaded(client, make_dossier):
    dossier = make_dossier()
    response = upload(client, dossier, item(dossier, "strafregister").id, PDF, "uittreksel.pdf")
    assert response.status_code == 422
    assert db.session.query(DossierDocument).count() == 0


def test_a_link_never_reaches_another_dossier(client, make_dossier):
    mine = make_dossier()
    theirs = make_dossier(email="ander@example.com", postcode="2000")
    their_item = item(theirs, "infrastructuur")
    response = upload(client, mine, their_item.id, PDF, "grondplan.pdf")
    assert response.status_code == 422
    db.session.refresh(their_item)
    assert their_item.status == ItemStatus.MISSING
    assert db.session.query(DossierDocument).count() == 0
    page = client.get(link_to(mine)).get_data(as_text=True)
    assert theirs.reference not in page and mine.reference in page


def test_a_tampered_link_is_refused(client, make_dossier):
    dossier = make_dossier()
    signed = link_to(dossier)
    response = client.get(signed[:-3] + ("aaa" if not signed.endswith("aaa") else "bbb"))
    assert response.status_code == 404
    assert "Deze link werkt niet" in response.get_data(as_text=True)


def test_a_link_signed_for_something_else_is_refused(app, client, make_dossier):
    dossier = make_dossier()
    forged = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="registration-manage").dumps(dossier.token)
    assert client.get(f"/dossier/{forged}").status_code == 404


def test_an_expired_link_is_refused_with_a_clear_page(app, client, make_dossier):
    dossier = make_dossier()
    signed = link_to(dossier)
    app.config["DOSSIER_LINK_DAYS"] = -1  # every link is now older than its lifetime
    response = client.get(signed)
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.get_data(as_text=True)
    assert (
        upload(client, dossier, item(dossier, "verzekering").id, PDF, "polis.pdf", signed).status_code == 410
    )


@pytest.mark.parametrize("state", ["analysis", "closed"])
def test_no_uploads_once_the_documents_are_checked(client, make_dossier, state):
    dossier = make_dossier()
    dossier.state = state
    db.session.commit()
    response = upload(client, dossier, item(dossier, "verzekering").id, PDF, "polis.pdf")
    assert response.status_code in (200, 422)
    assert db.session.query(DossierDocument).count() == 0
