"""The deck opens in LibreOffice Impress: it converts to PDF with a page per slide, and the
title slide is kept as a PNG for a human look (test-artifacts/decks/, git-ignored)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date, time
from pathlib import Path

import pytest
from pptx import Presentation

from app.auth.models import Role
from app.timezone import from_local
from materials.decks import services
from materials.decks.builder import build_deck
from registrations.models import ChildcareType
from tests.support.decks import other_master

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "decks"
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def soffice(source: Path, target: str, workdir: Path) -> Path:
    """Convert with a private LibreOffice profile (parallel runs must not share one) and a timeout."""
    binary = shutil.which("soffice")
    assert binary, "LibreOffice is missing: scripts/install.sh --with-browser installs it"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [binary, "--headless", f"-env:UserInstallation=file://{workdir / 'profile'}",
         "--convert-to", target, "--outdir", str(workdir), str(source)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    converted = workdir / f"{source.stem}.{target}"
    assert result.returncode == 0 and converted.exists(), result.stderr.decode(errors="replace")
    return converted


@pytest.fixture
def full_session(make_session, make_topic, make_registration, make_user):
    topic = make_topic(
        "Kinderopvang starten: van idee tot vergunning",
        agenda=[
            ("Welkom en wie is er", 10),
            ("Het starterstraject en de tijdlijn", 20),
            ("Pauze", 10),
            ("Geld: ondernemingsplan en subsidietrappen", 20),
            ("Jullie vragen en de volgende stappen", 15),
        ],
    )
    session = make_session(
        topic=topic,
        capacity=40,
        presenters=[make_user(Role.EXPERT, name="An Peeters")],
        starts_at=from_local(date(2027, 1, 12), time(19, 30)),
    )
    kinds = list(ChildcareType)
    for n in range(12):
        make_registration(
            session,
            status="confirmed",
            childcare_type=kinds[n % len(kinds)],
            questions="Hoeveel kost een brandveiligheidsattest voor een groepsopvang?" if n % 2 else "",
        )
    return session


@pytest.fixture
def full_deck(full_session, tmp_path):
    path = tmp_path / "deck.pptx"
    path.write_bytes(services.generate_deck(full_session))
    return path


def test_libreoffice_converts_the_deck_with_a_page_per_slide(full_deck, tmp_path):
    slides = len(Presentation(str(full_deck)).slides)
    pdf = soffice(full_deck, "pdf", tmp_path)
    assert len(_PAGE.findall(pdf.read_bytes())) == slides


def test_title_slide_png_is_kept_for_a_human_look(full_deck, tmp_path):
    png = soffice(full_deck, "png", tmp_path)  # Impress exports the first slide
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, ARTIFACTS / "title-slide.png")
    shutil.copy(full_deck, ARTIFACTS / "deck.pptx")


def test_the_default_master_converts_too(app, tmp_path):
    from materials.decks.template import build_default_master

    deck = Presentation(io.BytesIO(build_default_master()))
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Startklaar"
    source = tmp_path / "master.pptx"
    deck.save(str(source))
    pdf = soffice(source, "pdf", tmp_path)
    assert len(_PAGE.findall(pdf.read_bytes())) == 1


def test_a_deck_on_another_master_converts_with_a_page_per_slide(full_session, tmp_path):
    with services.force_locale("nl"):
        deck = build_deck(other_master(), services.deck_data(full_session))
    source = tmp_path / "other.pptx"
    source.write_bytes(deck)
    pdf = soffice(source, "pdf", tmp_path)
    assert len(_PAGE.findall(pdf.read_bytes())) == len(Presentation(io.BytesIO(deck)).slides)


def test_the_charts_workbooks_open_as_spreadsheets(full_deck, tmp_path):
    """The chart data PowerPoint opens in Excel for "Edit data": here LibreOffice Calc reads it
    (the test command installs Calc beside Impress)."""
    archive = zipfile.ZipFile(full_deck)
    workbooks = [name for name in archive.namelist() if name.startswith("ppt/embeddings/")]
    assert len(workbooks) == 4  # all made alike: one LibreOffice run is enough
    source = tmp_path / "workbook.xlsx"
    source.write_bytes(archive.read(workbooks[0]))
    rows = soffice(source, "csv", tmp_path).read_text().splitlines()
    assert rows[0] == ",Aantal"
    assert len(rows) > 1 and all(int(row.rsplit(",", 1)[1]) > 0 for row in rows[1:]), rows
