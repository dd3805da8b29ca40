"""Handouts: who can download what, and what an upload may be."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from materials.handouts import services
from materials.handouts.models import Material, Visibility
from registrations import services as registrations
from tests.support.files import pdf_bytes


@pytest.fixture
def add(app):
    def make(
        title="Checklist",
        visibility=Visibility.ATTENDEES,
        *,
        session=None,
        topic=None,
        data=None,
        name="x.pdf",
    ):
        return services.add_material(
            services.MaterialData(title=title, visibility=visibility),
            session=session,
            topic=topic,
            stream=io.BytesIO(data if data is not None else pdf_bytes(title)),
            filename=name,
        )

    return make


def get(client, path: str):
    """GET and close: a file response holds the file open until it is closed."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_attendee_gets_signed_links_to_session_and_topic_materials_but_not_staff_ones(
    client, make_session, make_registration, add
):
    session = make_session()
    add("Voor deelnemers", Visibility.ATTENDEES, session=session)
    add("Openbare tijdlijn", Visibility.PUBLIC, topic=session.topic)
    add("Draaiboek", Visibility.STAFF, session=session)
    registration = make_registration(session, status="confirmed")

    links = dict(services.links_for_attendee(registration))

    assert sorted(links) == ["Openbare tijdlijn", "Voor deelnemers"]
    response = get(client, _path(links["Voor deelnemers"]))
    assert response.status_code == 200
    assert response.data == pdf_bytes("Voor deelnemers")
    assert "attachment" in response.headers["Content-Disposition"]


def test_links_are_absolute_and_carry_no_sequential_id(app, make_session, make_registration, add):
    session = make_session()
    material = add(session=session)
    registration = make_registration(session, status="confirmed")
    [(_, url)] = services.links_for_attendee(registration)
    assert url.startswith("http://localhost/materialen/")
    assert f"/{material.id}/" not in url and not url.endswith(f"/{material.id}")


def test_a_forged_or_guessed_download_address_gets_404(client, make_session, make_registration, add):
    session = make_session()
    material = add(session=session)
    registration = make_registration(session, status="confirmed")
    [(_, url)] = services.links_for_attendee(registration)
    path = _path(url)

    assert get(client, path[:-3] + "abc").status_code == 404  # signature tampered
    assert get(client, f"/materialen/{material.uid}").status_code == 404  # attendees-only, unsigned
    assert get(client, f"/materialen/{material.id}").status_code == 404
    assert get(client, "/materialen/raden/123").status_code == 404
    assert get(client, f"/beheer/materialen/{material.uid}").status_code == 302  # to the login page


def test_a_signed_link_does_not_open_another_sessions_material(client, make_session, make_registration, add):
    mine, other = make_session(), make_session()
    foreign = add("Van een andere sessie", session=other)
    registration = make_registration(mine, status="confirmed")
    signed = services._serializer().dumps([registration.token, foreign.uid])
    assert get(client, f"/materialen/{foreign.uid}/{signed}").status_code == 404


def test_link_stops_working_after_cancelling_or_when_made_staff_only(
    client, make_session, make_registration, add
):
    session = make_session()
    material = add(session=session)
    registration = make_registration(session, status="confirmed")
    [(_, url)] = services.links_for_attendee(registration)
    assert get(client, _path(url)).status_code == 200

    services.update_visibility(material, Visibility.STAFF)
    assert get(client, _path(url)).status_code == 404
    services.update_visibility(material, Visibility.ATTENDEES)
    registrations.cancel_registration(registration)
    assert get(client, _path(url)).status_code == 404
    assert services.links_for_attendee(registration) == []


def test_public_materials_show_on_the_public_session_page(client, make_session, add):
    session = make_session()
    add("Openbare brochure", Visibility.PUBLIC, session=session)
    add("Geheim draaiboek", Visibility.STAFF, session=session)
    page = get(client, f"/sessies/{session.id}").get_data(as_text=True)
    assert "Openbare brochure" in page
    assert "Geheim draaiboek" not in page
    public = db.session.scalar(select(Material).where(Material.title == "Openbare brochure"))
    assert get(client, f"/materialen/{public.uid}").data == pdf_bytes("Openbare brochure")


def test_staff_only_material_downloads_for_logged_in_staff(client, login, make_session, add):
    material = add("Draaiboek", Visibility.STAFF, session=make_session())
    login(Role.STAFF)
    assert get(client, f"/beheer/materialen/{material.uid}").data == pdf_bytes("Draaiboek")


def test_expert_uploads_a_handout_on_the_session_page(client, login, make_session, app):
    session = make_session()
    login(Role.EXPERT)
    response = client.post(
        f"/beheer/sessies/{session.id}/materialen",
        data={
            "title": "Checklist",
            "visibility": "attendees",
            "file": (io.BytesIO(pdf_bytes()), "check.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = get(client, f"/beheer/sessies/{session.id}").get_data(as_text=True)
    assert "Checklist" in page and "check.pdf" in page


def test_a_file_named_pdf_with_other_content_is_refused(client, login, make_session, app):
    session = make_session()
    login(Role.EXPERT)
    response = client.post(
        f"/beheer/sessies/{session.id}/materialen",
        data={
            "title": "Nep",
            "visibility": "public",
            "file": (io.BytesIO(b"MZ\x90\x00 not a pdf" * 20), "nep.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Dit soort bestand kunnen we niet aanvaarden" in response.get_data(as_text=True)
    assert db.session.scalar(select(Material)) is None
    assert not [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


def test_a_path_in_the_file_name_cannot_escape_the_storage_folder(app, make_session, add, tmp_path):
    material = add(session=make_session(), name="../../../../etc/passwd.pdf")
    stored = services.stored_path(material).resolve()
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    assert root in stored.parents
    assert material.original_name == "passwd.pdf"
    assert not (tmp_path / "etc").exists()


def test_a_link_material_redirects_and_a_bad_link_is_refused(client, make_session, make_registration):
    session = make_session()
    services.add_material(
        services.MaterialData("Website", Visibility.ATTENDEES, link_url="https://www.opgroeien.be/"),
        session=session,
    )
    registration = make_registration(session, status="confirmed")
    [(_, url)] = services.links_for_attendee(registration)
    response = get(client, _path(url))
    assert response.status_code == 302 and response.headers["Location"] == "https://www.opgroeien.be/"
    with pytest.raises(services.DomainError, match="https://"):
        services.add_material(
            services.MaterialData("Kwaad", Visibility.PUBLIC, link_url="javascript:alert(1)"), session=session
        )


def test_deleting_a_material_removes_its_file(client, login, make_session, add):
    material = add(session=make_session())
    path = services.stored_path(material)
    login(Role.EXPERT)
    response = client.post(f"/beheer/materialen/{material.uid}/verwijderen")
    assert response.status_code == 302
    assert not path.exists()
    assert get(client, f"/beheer/materialen/{material.uid}").status_code == 404


def test_topic_materials_page_lists_and_adds(client, login, make_topic):
    topic = make_topic()
    login(Role.EXPERT)
    response = client.post(
        f"/beheer/themas/{topic.id}/materialen",
        data={"title": "Brochure", "visibility": "public", "link_url": "https://example.com/brochure"},
    )
    assert response.status_code == 302
    assert "Brochure" in get(client, f"/beheer/themas/{topic.id}/materialen").get_data(as_text=True)
    client.post("/logout")
    login(Role.STAFF)
    assert get(client, f"/beheer/themas/{topic.id}/materialen").status_code == 403
