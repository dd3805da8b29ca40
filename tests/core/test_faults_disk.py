"""A full disk, for real: the upload folder on a 2 MB tmpfs. An upload that does not fit is
refused with a clear message and leaves nothing behind (the space is free again for the next
one), and `flask check` says the folder is out of room.

Mounting needs root (or CAP_SYS_ADMIN); elsewhere these tests are skipped.
tests/core/test_uploads.py plays the same fault without a mount.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.uploads import UploadRefused, store_bytes

PDF = b"%PDF-1.4\n" + b"%" * 100 + b"\n%%EOF\n"


@pytest.fixture
def tiny_disk(tmp_path):
    mount = shutil.which("mount")
    point = tmp_path / "schijf"
    point.mkdir()
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=True)


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_an_upload_that_does_not_fit_is_refused_clearly_and_leaves_nothing(app, tiny_disk):
    app.config["UPLOAD_FOLDER"] = str(tiny_disk)
    free_before = shutil.disk_usage(tiny_disk).free
    big = PDF + b"0" * (3 * 1024 * 1024)
    with pytest.raises(UploadRefused, match="de opslag is vol"):
        store_bytes(big, filename="ondernemingsplan.pdf", area="dossiers", allowed={"pdf"})
    assert files_under(tiny_disk) == []
    assert shutil.disk_usage(tiny_disk).free == free_before

    stored = store_bytes(PDF, filename="attest.pdf", area="dossiers", allowed={"pdf"})
    assert (tiny_disk / stored.key).read_bytes() == PDF


def test_check_fails_when_the_upload_folder_is_out_of_room(app_config, tiny_disk):
    config = {**app_config, "UPLOAD_FOLDER": str(tiny_disk / "uploads")}
    other = create_app(config)
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["check"])
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "UPLOAD_FOLDER" in line)
    assert line.startswith("FAIL") and "uploads zullen mislukken" in line
