"""The deck opens in LibreOffice Impress: it converts to PDF with a page per slide, and the
title slide is kept as a PNG for a human look (test-artifacts/decks/, git-ignored)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import pytest
from pptx import Presentation

from app.auth.models import Role
from app.timezone import from_local
from materials.decks import services
from registrations.models import ChildcareType

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
def full_deck(make_session, make_topic, make_registration, make_user, tmp_path):
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
    path = tmp_path / "deck.pptx"
    path.write_bytes(services.generate_deck(session))
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
