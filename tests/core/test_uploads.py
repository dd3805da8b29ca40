"""Uploads are judged by their content, land inside the upload folder, and fail cleanly."""

import errno
import io
import zipfile
from pathlib import Path

import pytest

from app import uploads
from app.errors import NotFound
from app.uploads import UploadRefused, open_stored, store_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


def store(app, data: bytes, name: str, allowed=("pdf", "docx", "png"), **kwargs):
    with app.test_request_context():
        return store_upload(io.BytesIO(data), filename=name, area="tests", allowed=set(allowed), **kwargs)


def files_in(app) -> list[Path]:
    return [path for path in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [(PDF, "brochure.pdf", "pdf"), (office("word/document.xml"), "plan.docx", "docx"), (PNG, "foto", "png")],
)
def test_accepted_files_are_stored_under_a_generated_name(app, data, name, kind):
    stored = store(app, data, name)
    assert stored.kind == kind
    assert stored.size == len(data)
    assert name not in stored.key
    with app.test_request_context():
        assert open_stored(stored.key).read_bytes() == data


def test_a_pdf_name_with_other_content_is_refused_and_nothing_stays(app):
    with pytest.raises(UploadRefused, match="De naam van het bestand zegt PDF"):
        store(app, office("word/document.xml"), "vergunning.pdf")
    with pytest.raises(UploadRefused, match="kunnen we niet aanvaarden"):
        store(app, b"MZ\x90\x00 not a pdf at all", "vergunning.pdf")
    assert files_in(app) == []


def test_an_office_zip_of_the_wrong_kind_is_refused(app):
    with pytest.raises(UploadRefused):
        store(app, office("xl/workbook.xml"), "tabel.xlsx", allowed=("pdf", "docx"))


def test_empty_and_too_large_files_are_refused(app):
    with pytest.raises(UploadRefused, match="leeg"):
        store(app, b"", "leeg.pdf")
    with pytest.raises(UploadRefused, match="te groot"):
        store(app, PDF + b"x" * 4096, "groot.pdf", max_bytes=1024)
    assert files_in(app) == []


def test_a_path_in_the_file_name_cannot_escape_the_folder(app):
    stored = store(app, PDF, "../../../etc/passwd.pdf")
    assert stored.original_name == "passwd.pdf"
    with app.test_request_context():
        path = open_stored(stored.key)
        assert Path(app.config["UPLOAD_FOLDER"]).resolve() in path.parents
        for key in ("../" + stored.key, "tests/2026/../../../etc/passwd", "/etc/passwd", stored.key + "x"):
            with pytest.raises(NotFound):
                open_stored(key)


def test_a_full_disk_gives_a_clear_message_and_leaves_no_partial_file(app, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(uploads.os, "fsync", disk_full)
    with pytest.raises(UploadRefused, match="de opslag is vol"):
        store(app, PDF, "brochure.pdf")
    assert files_in(app) == []


def test_the_virus_scanner_decides_and_fails_closed(app, tmp_path):
    flagged = tmp_path / "scan.sh"
    flagged.write_text('#!/bin/sh\ngrep -q EICAR "$1" && exit 1\nexit 0\n')
    flagged.chmod(0o755)
    app.config["UPLOAD_SCAN_COMMAND"] = f"{flagged} {{path}}"
    assert store(app, PDF, "schoon.pdf").kind == "pdf"
    with pytest.raises(UploadRefused, match="viruscontrole"):
        store(app, PDF + b"EICAR", "besmet.pdf")
    app.config["UPLOAD_SCAN_COMMAND"] = str(tmp_path / "missing-scanner") + " {path}"
    with pytest.raises(UploadRefused, match="niet op virussen gecontroleerd"):
        store(app, PDF, "onbekend.pdf")
    assert len(files_in(app)) == 1
