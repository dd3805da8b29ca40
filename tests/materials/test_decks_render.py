"""The deck as LibreOffice Impress shows it: converted to PDF (a page per slide) and to PNG
images of every slide, kept for a human look in test-artifacts/decks/ (git-ignored), and read
back as a presenter would check it: no placeholder text, no text cut off at the slide's edge or
running out of its box, every chart category labelled.

Needs LibreOffice Impress and Calc, and poppler's pdftoppm and pdftotext (Debian: poppler-utils).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date, time
from pathlib import Path

import pytest
from flask_babel import force_locale
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from app.auth.models import Role
from app.timezone import from_local
from materials.decks import services
from materials.decks.builder import build_deck
from materials.decks.services import generating
from registrations.models import ChildcareType, LegalForm

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "decks"
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def poppler(tool: str, *arguments: str) -> str:
    binary = shutil.which(tool)
    assert binary, f"{tool} is missing: install poppler-utils (Debian)"
    result = subprocess.run([binary, *arguments], capture_output=True, timeout=120, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout.decode()


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


def test_a_deck_on_another_master_converts_with_a_page_per_slide(full_session, another_master, tmp_path):
    with force_locale("nl"):
        deck = build_deck(another_master, services.deck_data(full_session))
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


# --------------------------------------------------------------------------- ready to present

PLACEHOLDER_TEXT = re.compile(
    r"\blogo\b|klik om|klik hier|click to add|click to edit|\{[a-z_]+\}", re.IGNORECASE
)
SVG = {"s": "http://www.w3.org/2000/svg"}
HUNDREDTH_MM = 360  # EMU in 1/100 mm, the unit of Impress's SVG
LONG_QUESTIONS = [
    "Hoeveel vierkante meter heb ik nodig per kind in mijn woning als ik gezinsopvang start?",
    "Wat kost een brandveiligheidsattest ongeveer en hoe lang duurt de aanvraag bij de brandweer?",
    "Moet ik zelf een diploma hebben als ik iemand met een kwalificatie aanneem in mijn groepsopvang?",
    "Kan ik subsidies krijgen vanaf de eerste dag of moet ik wachten op een oproep van het agentschap?",
    "Tellen mijn eigen kinderen mee voor de 8 plaatsen van de gezinsopvang, ook als ze naar school gaan?",
]


@pytest.fixture
def presented(make_session, make_topic, make_venue, make_registration, make_user, make_session_later, logo):
    """A busy evening: every legal form, childcare type and most provinces among the audience,
    short and long questions, a slide of two points and one of many, later sessions on the
    topic, and the agency's logo."""
    topic = make_topic(
        "Kinderopvang starten: van het eerste idee tot de vergunning",
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
        venue=make_venue(name="Cultuurcentrum De Werf", postcode="9300", capacity=80),
        capacity=80,
        presenters=[make_user(Role.EXPERT, name="An Peeters"), make_user(Role.EXPERT, name="Bart Wouters")],
        starts_at=from_local(date(2027, 1, 12), time(19, 30)),
    )
    services.save_block(
        None,
        services.BlockData("Twee dingen om te onthouden", "Vraag tijdig aan\nBereid je gesprek voor"),
        topic=topic,
        key=topic.agenda_blocks[1].key,
    )
    services.save_block(
        None,
        services.BlockData(
            "De subsidietrappen",
            "Trap 0: geen subsidie, vrije prijs\nTrap 1: basissubsidie\n"
            "Trap 2: subsidie voor inkomenstarief, minstens 20% voorrangskinderen\nTrap 3: plussubsidie\n"
            "Uitbreidingsrondes: subsidies worden in oproepen toegekend",
        ),
        topic=topic,
        key=topic.agenda_blocks[3].key,
    )
    forms, kinds = list(LegalForm), list(ChildcareType)
    postcodes = ["9000", "2000", "3500", "8000", "1000", "3000"]
    for n in range(24):
        make_registration(
            session,
            status="confirmed",
            legal_form=forms[n % len(forms)],
            childcare_type=kinds[n % len(kinds)],
            postcode=postcodes[n % len(postcodes)],
            questions=LONG_QUESTIONS[n % len(LONG_QUESTIONS)] + f" ({n})" if n % 2 else "",
        )
    make_session_later(topic)
    return session


@pytest.fixture
def make_session_later(make_session, make_venue):
    def make(topic):
        make_session(topic=topic, starts_at=from_local(date(2027, 2, 13), time(9, 30)))
        make_session(
            topic=topic,
            venue=make_venue(name="Provinciehuis Antwerpen", postcode="2000"),
            starts_at=from_local(date(2027, 3, 4), time(20, 0)),
        )

    return make


@pytest.fixture
def rendered(presented, logo, monkeypatch, tmp_path):
    """The deck, its PDF, a PNG per slide and the SVG, made once by LibreOffice and poppler."""
    monkeypatch.setattr(generating, "agency_logo", lambda: logo)
    source = tmp_path / "deck.pptx"
    source.write_bytes(services.generate_deck(presented))
    pdf = soffice(source, "pdf", tmp_path)
    poppler("pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "slide"))
    pages = poppler("pdftotext", "-layout", str(pdf), "-").split("\f")
    svg = soffice(source, "svg", tmp_path)
    prs = Presentation(str(source))
    pngs = sorted(tmp_path.glob("slide-*.png"))
    shown = ARTIFACTS / "slides"
    shutil.rmtree(shown, ignore_errors=True)
    shown.mkdir(parents=True)
    for png in pngs:
        shutil.copy(png, shown / png.name)
    shutil.copy(source, shown / "deck.pptx")
    return prs, pngs, pages, etree.parse(str(svg), etree.XMLParser(huge_tree=True))


def _words(text: str) -> set[str]:
    """Words as a renderer may break them: at spaces and after hyphens."""
    return {word for word in re.split(r"[\s\-]+", text) if word}


def _slide_texts(slide) -> list[str]:
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    for shape in slide.shapes:
        if shape.has_table:
            texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return texts


def images_problems(prs, pngs, pages, svg) -> list[str]:
    problems = [] if len(pngs) == len(prs.slides) else [f"{len(pngs)} images for {len(prs.slides)} slides"]
    for png in pngs:
        colours = Image.open(png).convert("RGB").getcolors(maxcolors=1_000_000)
        if colours is not None and len(colours) <= 2:
            problems.append(f"{png.name} is blank")
    return problems


def placeholder_problems(prs, pngs, pages, svg) -> list[str]:
    """Placeholder text as printed (the PDF) and as on screen (the SVG keeps empty placeholders'
    prompts and hidden text too)."""
    problems = []
    for number, page in enumerate(pages[:-1], start=1):
        if found := PLACEHOLDER_TEXT.search(page):
            problems.append(f"slide {number} shows {found.group()!r}")
    slides = svg.xpath("//s:g[@class='SlideGroup']//s:g[@class='Slide']", namespaces=SVG)
    for number, slide in enumerate(slides, start=1):
        if found := PLACEHOLDER_TEXT.search(" ".join(slide.itertext())):
            problems.append(f"slide {number} holds {found.group()!r}")
    return problems


def cut_off_problems(prs, pngs, pages, svg) -> list[str]:
    """Impress prints only what is on the slide: every word a slide holds is on its page."""
    problems = []
    for number, (slide, page) in enumerate(zip(prs.slides, pages, strict=False), start=1):
        if missing := set().union(*map(_words, _slide_texts(slide))) - _words(page):
            problems.append(f"slide {number}: not shown: {sorted(missing)}")
    return problems


def outside_problems(prs, pngs, pages, svg) -> list[str]:
    """Every line of text as Impress lays it out (the SVG has each line's position) inside its
    shape's box, and every box on the slide."""
    width, height = prs.slide_width / HUNDREDTH_MM, prs.slide_height / HUNDREDTH_MM
    slides = svg.xpath("//s:g[@class='SlideGroup']//s:g[@class='Slide']", namespaces=SVG)
    assert len(slides) == len(prs.slides)
    problems = []
    for number, slide in enumerate(slides, start=1):
        for shape in slide.xpath(".//s:g[s:rect[@class='BoundingBox']]", namespaces=SVG):
            box = shape.find("s:rect", SVG)
            left, top = float(box.get("x")), float(box.get("y"))
            right, bottom = left + float(box.get("width")), top + float(box.get("height"))
            if left < 0 or top < 0 or right > width + 1 or bottom > height + 1:
                problems.append(
                    f"slide {number}: a shape reaches off the slide ({left}, {top}, {right}, {bottom})"
                )
            for line in shape.xpath(".//s:tspan[@class='TextPosition']", namespaces=SVG):
                text = "".join(line.itertext()).strip()
                if not text:
                    continue
                size = float(line.getparent().get("font-size", "0px").removesuffix("px") or 0)
                x, baseline = float(line.get("x")), float(line.get("y"))
                tolerance = 0.25 * size + 50  # the descent, and half a millimetre
                if not (0 <= x <= width and 0 <= baseline <= height):
                    problems.append(f"slide {number}: {text!r} is off the slide")
                elif baseline > bottom + tolerance or baseline - size * 0.7 < top - tolerance:
                    problems.append(f"slide {number}: {text!r} runs out of its box")
    return problems


def overlap_problems(prs, pngs, pages, svg) -> list[str]:
    """No two lines of text on top of each other within a shape: a crowded chart's labels, say,
    which Impress prints over one another rather than drop. Each line's extent is estimated on
    the small side (half an em per character, from the baseline to 0.6 em above it), so only a
    real overlap counts."""
    problems = []
    slides = svg.xpath("//s:g[@class='SlideGroup']//s:g[@class='Slide']", namespaces=SVG)
    for number, slide in enumerate(slides, start=1):
        for shape in slide.xpath(".//s:g[s:rect[@class='BoundingBox']]", namespaces=SVG):
            lines = []
            for line in shape.xpath(".//s:tspan[@class='TextPosition']", namespaces=SVG):
                text = "".join(line.itertext()).strip()
                size = float(line.getparent().get("font-size", "0px").removesuffix("px") or 0)
                if text and size:
                    x, y = float(line.get("x")), float(line.get("y"))
                    lines.append((text, x, x + 0.5 * size * len(text), y - 0.6 * size, y))
            for n, (text, left, right, top, bottom) in enumerate(lines):
                for other, left2, right2, top2, bottom2 in lines[n + 1 :]:
                    if left < right2 and left2 < right and top < bottom2 and top2 < bottom:
                        problems.append(f"slide {number}: {text!r} overlaps {other!r}")
    return problems


def chart_problems(prs, pages, expected) -> list[str]:
    """Each chart's categories in its XML (python-pptx reads them back) are the data's, and each
    category's label is on the slide as rendered (no label dropped for want of room)."""
    problems, found = [], {}
    for number, slide in enumerate(prs.slides):
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                categories = list(chart.plots[0].categories)
                found[chart.chart_title.text_frame.text] = categories
                if missing := set().union(*map(_words, categories)) - _words(pages[number]):
                    problems.append(f"{chart.chart_title.text_frame.text}: no label {sorted(missing)}")
                if shape.top + shape.height > prs.slide_height - Emu(457200):
                    problems.append(f"{chart.chart_title.text_frame.text} reaches into the footer band")
    if found != expected:
        problems.append(f"the charts hold {found}, not {expected}")
    return problems


def test_the_deck_as_libreoffice_shows_it_is_ready_to_present(rendered, presented):
    prs, pngs, pages, svg = rendered
    with force_locale("nl"):
        expected = {chart.title: chart.categories for chart in services.deck_data(presented).charts}
    assert len(expected["Ondernemingsvorm"]) == len(LegalForm)  # the crowded chart is there
    assert any(shape.name == "Logo" for shape in prs.slides[0].shapes)
    problems = [
        *images_problems(prs, pngs, pages, svg),
        *placeholder_problems(prs, pngs, pages, svg),
        *cut_off_problems(prs, pngs, pages, svg),
        *outside_problems(prs, pngs, pages, svg),
        *overlap_problems(prs, pngs, pages, svg),
        *chart_problems(prs, pages, expected),
    ]
    assert not problems, "\n".join(problems)
