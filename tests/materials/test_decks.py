"""Generated decks, reopened with python-pptx and checked the way a presenter checks them."""

from __future__ import annotations

import io
import zipfile
from datetime import date, time

import openpyxl
import pytest
from flask_babel import force_locale
from lxml import etree
from openpyxl.utils import range_boundaries
from PIL import ImageFont
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches, Pt

from app.auth.models import Role
from app.extensions import db
from app.timezone import from_local
from materials.decks import services
from materials.decks.builder import build_deck
from materials.decks.template import build_default_master
from registrations import services as registrations
from registrations.models import ChildcareType, LegalForm

EVENING = [
    ("Welkom en wie is er", 10),
    ("Het landschap van de kinderopvang", 15),
    ("Het starterstraject en de tijdlijn", 20),
    ("Pauze", 10),
    ("Jullie vragen en de volgende stappen", 15),
]
# (first, last, postcode, type, legal form, planned start, question)
PEOPLE = [
    ("Sarah", "Janssens", "9000", ChildcareType.GEZINSOPVANG, LegalForm.EENMANSZAAK, date(2027, 3, 1),
     "Hoeveel kost een brandveiligheidsattest? Bel me op 0470 12 34 56, Sarah Janssens"),
    ("Fatima", "El Idrissi", "2000", ChildcareType.GROEPSOPVANG, LegalForm.BV, date(2027, 9, 1),
     "Kan ik subsidie krijgen? Mail naar fatima.elidrissi@voorbeeld.be"),
    ("Tom", "Van Damme", "9000", ChildcareType.GEZINSOPVANG, LegalForm.EENMANSZAAK, date(2028, 5, 1),
     "Mijn buurvrouw Sarah vroeg of ik Tom van Damme mag noemen in mijn vergunning"),
    ("Elif", "Yilmaz", "3500", ChildcareType.BSO, LegalForm.VZW, None, ""),
    ("Jonas", "Maes", "2000", ChildcareType.GEZINSOPVANG, LegalForm.NOG_NIET_BEPAALD, date(2027, 2, 1),
     "Moet mijn personeel een diploma hebben?"),
    ("Ines", "Claes", "9000", ChildcareType.ONBEKEND, LegalForm.EENMANSZAAK, date(2027, 6, 1),
     "Hoeveel vierkante meter heb ik nodig in mijn woning?"),
]  # fmt: skip
FONT = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 100)
FONT_BOLD = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 100)


@pytest.fixture
def evening(make_session, make_topic, make_venue, make_user):
    """A Tuesday-evening session on 12 January 2027 in Gent, with two presenters."""
    topic = make_topic("Kinderopvang starten", agenda=EVENING)
    presenters = [make_user(Role.EXPERT, name="An Peeters"), make_user(Role.EXPERT, name="Bart Wouters")]
    venue = make_venue(name="Zaal De Kouter", postcode="9000", capacity=300)
    return make_session(
        topic=topic,
        venue=venue,
        presenters=presenters,
        capacity=300,
        starts_at=from_local(date(2027, 1, 12), time(19, 30)),
    )


@pytest.fixture
def registered(evening, make_registration):
    """The six PEOPLE registered and confirmed, plus one pending and one cancelled who must not count."""
    made = []
    for first, last, postcode, kind, form, start, question in PEOPLE:
        made.append(
            make_registration(
                evening, email=f"{first.lower()}@voorbeeld.be", status="confirmed", first_name=first,
                last_name=last, postcode=postcode, childcare_type=kind, legal_form=form, planned_start=start,
                questions=question,
            )
        )  # fmt: skip
    make_registration(evening, email="pending@voorbeeld.be", childcare_type=ChildcareType.GROEPSOPVANG)
    gone = make_registration(evening, email="weg@voorbeeld.be", status="confirmed", postcode="8000")
    registrations.cancel_registration(gone)
    return made


def open_deck(session) -> Presentation:
    return Presentation(io.BytesIO(services.generate_deck(session)))


def titles(prs) -> list[str]:
    return [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in prs.slides]


def charts(prs) -> dict[str, dict[str, int]]:
    found = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                plot = chart.plots[0]
                values = [int(v) for v in plot.series[0].values]
                found[chart.chart_title.text_frame.text] = dict(zip(plot.categories, values, strict=True))
    return found


NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}


def slide_numbers(slide) -> list[str]:
    """The text of the slide-number fields on the slide."""
    return [t.text for t in slide.element.iterfind(".//a:fld[@type='slidenum']/a:t", NS)]


def all_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def body_lines(slide) -> list[str]:
    """The slide's text without its title and footer."""
    lines = []
    for shape in slide.shapes:
        if not shape.has_text_frame or shape == slide.shapes.title or shape.name == "Dianummer":
            continue
        if shape.is_placeholder and shape.placeholder_format.type == PP_PLACEHOLDER.DATE:
            continue
        lines.extend(shape.text_frame.text.splitlines())
    return lines


# --------------------------------------------------------------------------- content


def test_slides_come_in_the_order_a_presenter_expects(registered, evening):
    prs = open_deck(evening)
    names = titles(prs)
    assert names[0] == "Kinderopvang starten"
    assert names[1] == "Programma"
    assert names[2] == "Wie is er vanavond?"
    questions = [n for n in names if n.startswith("Jullie vragen")]
    assert questions and names.index(questions[0]) > 2
    assert names[-1] == "Volgende stappen"
    assert prs.slide_width * 9 == prs.slide_height * 16


def test_title_slide_has_the_dutch_date_place_and_presenters(registered, evening):
    text = all_text(open_deck(evening).slides[0])
    assert "dinsdag 12 januari 2027, 19:30" in text
    assert "Zaal De Kouter, Gent" in text
    assert "An Peeters" in text and "Bart Wouters" in text


def test_an_online_session_says_online(make_session, make_topic):
    from sessions.models import SessionFormat

    session = make_session(format=SessionFormat.ONLINE, topic=make_topic(agenda=EVENING))
    assert "online" in body_lines(open_deck(session).slides[0])


def test_agenda_times_follow_from_the_start_and_the_durations(registered, evening):
    agenda = body_lines(open_deck(evening).slides[1])
    assert agenda == [
        "19:30–19:40  Welkom en wie is er",
        "19:40–19:55  Het landschap van de kinderopvang",
        "19:55–20:15  Het starterstraject en de tijdlijn",
        "20:15–20:25  Pauze",
        "20:25–20:40  Jullie vragen en de volgende stappen",
    ]


def test_audience_charts_count_the_confirmed_registrations(registered, evening):
    found = charts(open_deck(evening))
    assert found["Soort opvang"] == {
        "Gezinsopvang": 3, "Groepsopvang": 1, "Buitenschoolse opvang": 1, "Nog niet zeker": 1,
    }  # fmt: skip
    assert found["Provincie"] == {"Antwerpen": 2, "Limburg": 1, "Oost-Vlaanderen": 3}
    # Counted from the session's month, January 2027.
    assert found["Geplande start"] == {
        "Binnen 6 maanden": 3, "Over 6 tot 12 maanden": 1, "Over meer dan een jaar": 1, "Onbekend": 1,
    }  # fmt: skip
    assert found["Ondernemingsvorm"] == {"Eenmanszaak": 3, "BV": 1, "vzw": 1, "Nog niet bepaald": 1}


def test_charts_are_native_and_editable(registered, evening):
    slide = open_deck(evening).slides[2]
    kinds = [shape.shape_type for shape in slide.shapes]
    assert kinds.count(MSO_SHAPE_TYPE.CHART) == 4
    assert MSO_SHAPE_TYPE.PICTURE not in kinds


def test_audience_slide_is_left_out_under_five_registrations(evening, make_registration):
    for _ in range(4):
        make_registration(evening, status="confirmed")
    prs = open_deck(evening)
    assert not charts(prs)
    assert not any(name.startswith("Wie is er") for name in titles(prs))


def test_questions_are_grouped_by_theme_without_names_or_contact_details(registered, evening):
    prs = open_deck(evening)
    slides = [s for s in prs.slides if s.shapes.title.text.startswith("Jullie vragen:")]
    text = "\n".join(all_text(s) for s in slides)
    assert "Jullie vragen: Geld en subsidies" in text
    assert "Jullie vragen: Locatie en veiligheid" in text
    assert "Jullie vragen: Mensen en kwalificaties" in text
    assert "Hoeveel kost een brandveiligheidsattest?" in text
    whole_deck = "\n".join(all_text(s) for s in prs.slides)
    for first, last, *_ in PEOPLE:
        for word in (first, *last.split()):
            if word.lower() not in ("van", "el"):
                assert word.lower() not in whole_deck.lower().split(), word
    assert "@" not in text and "0470" not in text
    assert "[naam]" in text and "[telefoonnummer]" in text and "[e-mailadres]" in text


def test_many_questions_run_over_extra_slides_and_none_is_lost(evening, make_registration):
    for n in range(60):
        make_registration(
            evening,
            status="confirmed",
            questions=f"Vraag {n:02d}: hoe lang duurt de aanvraag van de vergunning?",
        )
    prs = open_deck(evening)
    slides = [s for s in prs.slides if s.shapes.title.text.startswith("Jullie vragen:")]
    assert len(slides) > 1
    assert slides[0].shapes.title.text.endswith(f"(1/{len(slides)})")
    text = "\n".join(all_text(s) for s in slides)
    assert sorted(int(line[6:8]) for line in text.splitlines() if line.startswith("Vraag ")) == list(
        range(60)
    )


def test_every_slide_has_speaker_notes_and_a_footer(registered, evening):
    prs = open_deck(evening)
    for number, slide in enumerate(prs.slides, start=1):
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), number
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert "dinsdag 12 januari 2027" in texts, number
        fields = slide_numbers(slide)
        assert fields == [str(number)]


def test_slide_blocks_fill_the_agenda_with_the_sessions_facts(registered, evening):
    key = evening.topic.agenda_blocks[2].key
    services.save_block(
        None,
        services.BlockData(
            "Het starterstraject voor {thema}",
            "Vandaag, {sessie_datum}, in {locatie}\n{plaatsen} plaatsen",
            "Zeg {onbekend}",
        ),
        topic=evening.topic,
        key=key,
    )
    prs = open_deck(evening)
    slide = next(s for s in prs.slides if s.shapes.title.text.startswith("Het starterstraject voor"))
    assert slide.shapes.title.text == "Het starterstraject voor Kinderopvang starten"
    body = body_lines(slide)
    assert "Vandaag, dinsdag 12 januari 2027, 19:30, in Zaal De Kouter, Gent" in body
    assert "300 plaatsen" in body
    notes = slide.notes_slide.notes_text_frame.text
    assert "Het starterstraject en de tijdlijn (19:55–20:15)" in notes and "{onbekend}" in notes


# --------------------------------------------------------------------------- nothing overflows

EMU_PER_PT = 12700


def _measure_lines(text: str, width_pt: float, size: float, font) -> int:
    """Greedy wrapping with the real DejaVu Sans metrics (independent of the builder's estimate)."""
    scale = size / 100
    lines = 0
    for paragraph in text.split("\n"):
        line = ""
        count = 1
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) * scale <= width_pt or not line:
                line = candidate
            else:
                count += 1
                line = word
        lines += count
    return lines


def _overflows(shape, inset_left_pt: float, bold: bool) -> str | None:
    frame = shape.text_frame
    width = (shape.width - frame.margin_left - frame.margin_right) / EMU_PER_PT - inset_left_pt
    height = (shape.height - frame.margin_top - frame.margin_bottom) / EMU_PER_PT
    used = 0.0
    for paragraph in frame.paragraphs:
        sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
        if not paragraph.runs:
            continue
        assert sizes, f"{shape.name}: a run without an explicit size"
        size = max(sizes)
        font = FONT_BOLD if bold or any(run.font.bold for run in paragraph.runs) else FONT
        lines = _measure_lines(paragraph.text, width, size, font)
        used += lines * size * 1.17 + (size * 0.2 if used else 0)
    if used > height:
        return f"{shape.name}: needs {used:.0f}pt, has {height:.0f}pt: {frame.text[:60]!r}"
    return None


def test_no_text_frame_holds_more_than_fits(evening, make_registration):
    evening.topic.title = (
        "Kinderopvang starten: van het eerste idee tot de vergunning, de inspectie en de subsidies"
    )
    db.session.commit()  # an edit saved before people register (register takes the write lock)
    for n in range(40):
        make_registration(
            evening,
            status="confirmed",
            questions="Ik wil graag weten hoe het zit met de brandveiligheid en het grondplan als ik een "
            f"oude hoeve verbouw tot groepsopvang met {n} plaatsen; moet de brandweer dan komen kijken?",
        )
    prs = open_deck(evening)
    problems = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip() or shape.name == "Dianummer":
                continue
            bulleted = shape.is_placeholder and shape.placeholder_format.type in (
                PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT,
            )  # fmt: skip
            title = shape.is_placeholder and shape.placeholder_format.type in (
                PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE,
            )  # fmt: skip
            problem = _overflows(shape, 27 if bulleted else 0, bold=title)
            if problem:
                problems.append(problem)
    assert not problems
    sizes = {run.font.size.pt for s in prs.slides for sh in s.shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for run in p.runs}  # fmt: skip
    assert min(sizes) >= 12  # shrunk within limits, never to an unreadable size


# --------------------------------------------------------------------------- next steps


def table_rows(slide) -> list[list[str]]:
    rows = []
    for shape in slide.shapes:
        if shape.has_table:
            rows.extend([cell.text for cell in row.cells] for row in shape.table.rows)
    return rows


def test_next_steps_has_a_qr_code_a_short_address_and_the_next_dates_in_a_table(
    registered, evening, make_session
):
    later = make_session(topic=evening.topic, starts_at=from_local(date(2027, 2, 13), time(9, 30)))
    slide = open_deck(evening).slides[-1]
    text = all_text(slide)
    assert "Vraag een kennismakingsgesprek aan" in text
    assert "localhost/kennismakingsgesprek" in text.splitlines()  # short: no scheme
    assert "http://" not in text
    (link,) = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.endswith("gesprek")]
    assert link.text_frame.paragraphs[0].runs[0].hyperlink.address == "http://localhost/kennismakingsgesprek"
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    assert pictures[0].width == pictures[0].height
    rows = table_rows(slide)
    assert rows[0] == ["Wanneer", "Waar"]
    assert ["zaterdag 13 februari 2027, 09:30", f"{later.venue.name}, {later.venue.municipality}"] in rows


def test_next_steps_without_later_sessions_points_to_the_site(registered, evening):
    slide = open_deck(evening).slides[-1]
    assert not table_rows(slide)
    assert "Nieuwe data staan op localhost." in all_text(slide)


# --------------------------------------------------------------------------- the package


def assert_sound_package(data: bytes) -> Presentation:
    """A zip that reads back, every part once and typed, every slide with its own notes slide."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = archive.namelist()
    assert len(names) == len(set(names))
    assert names[0] == "[Content_Types].xml"
    types = etree.fromstring(archive.read("[Content_Types].xml"))
    overrides = {e.get("PartName") for e in types if e.tag.endswith("Override")}
    defaults = {e.get("Extension") for e in types if e.tag.endswith("Default")}
    prs = Presentation(io.BytesIO(data))
    partnames = [str(part.partname) for part in prs.part.package.iter_parts()]
    assert len(partnames) == len(set(partnames))
    for partname in partnames:
        assert partname[1:] in names
        assert partname in overrides or partname.rsplit(".", 1)[1].lower() in defaults, partname
    notes = set()
    for number, slide in enumerate(prs.slides, start=1):
        assert str(slide.part.partname) == f"/ppt/slides/slide{number}.xml"
        assert slide.has_notes_slide, number
        notes_part = slide.notes_slide.part
        assert notes_part.part_related_by(RT.SLIDE) is slide.part
        notes.add(notes_part.partname)
    assert len(notes) == len(prs.slides)
    return prs


def test_the_deck_is_a_sound_package(registered, evening):
    prs = assert_sound_package(services.generate_deck(evening))
    assert titles(prs)[0] == "Kinderopvang starten"


def _cells(sheet, ref: str) -> list:
    """The values a chart's formula (`Sheet1!$A$2:$A$5`) points at."""
    sheet_name, area = ref.split("!")
    assert sheet_name == "Sheet1"
    first_column, first_row, last_column, last_row = range_boundaries(area.replace("$", ""))
    rows = sheet.iter_rows(min_row=first_row, max_row=last_row, min_col=first_column, max_col=last_column)
    return [cell.value for row in rows for cell in row]


def test_each_chart_keeps_its_numbers_in_an_embedded_workbook(registered, evening):
    slide = open_deck(evening).slides[2]
    found = 0
    for shape in slide.shapes:
        if not shape.has_chart:
            continue
        chart = shape.chart
        plot = chart.plots[0]
        sheet = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))["Sheet1"]
        (categories_ref,) = [f.text for f in chart.element.iterfind(".//c:cat//c:f", NS)]
        (values_ref,) = [f.text for f in chart.element.iterfind(".//c:val//c:f", NS)]
        (name_ref,) = [f.text for f in chart.element.iterfind(".//c:ser/c:tx//c:f", NS)]
        assert _cells(sheet, categories_ref) == list(plot.categories)
        assert _cells(sheet, values_ref) == [int(v) for v in plot.series[0].values]
        assert _cells(sheet, name_ref) == [plot.series[0].name] == ["Aantal"]
        found += 1
    assert found == 4


def test_a_deck_on_another_master_has_its_slides_notes_footers_and_charts(
    registered, evening, another_master
):
    with force_locale("nl"):
        data = services.deck_data(evening)
        deck = build_deck(another_master, data)
    prs = assert_sound_package(deck)
    assert titles(prs)[0] == "Kinderopvang starten" and titles(prs)[-1] == "Volgende stappen"
    assert "Voorbeeld" not in titles(prs)
    assert len(charts(prs)) == 4
    for number, slide in enumerate(prs.slides, start=1):
        assert slide.notes_slide.notes_text_frame.text.strip(), number
        names = {shape.name: shape for shape in slide.shapes}
        assert names["Datum"].text_frame.text == "dinsdag 12 januari 2027", number
        assert slide_numbers(slide) == [str(number)]
    pictures = [s for s in prs.slides[-1].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1


# --------------------------------------------------------------------------- the routes


def test_expert_downloads_the_deck_at_its_contract_url(client, login, registered, evening):
    login(Role.EXPERT)
    response = client.get(f"/beheer/sessies/{evening.id}/deck.pptx")
    assert response.status_code == 200
    assert response.mimetype.endswith("presentationml.presentation")
    assert "infosessie-2027-01-12" in response.headers["Content-Disposition"]
    assert Presentation(io.BytesIO(response.data)).slides[0].shapes.title.text == "Kinderopvang starten"


def test_the_deck_reflects_registrations_as_they_come_in(client, login, evening, make_registration):
    login(Role.EXPERT)
    before = client.get(f"/beheer/sessies/{evening.id}/deck.pptx").data
    assert not charts(Presentation(io.BytesIO(before)))
    for _ in range(5):
        make_registration(evening, status="confirmed", childcare_type=ChildcareType.GROEPSOPVANG)
    after = client.get(f"/beheer/sessies/{evening.id}/deck.pptx").data
    assert charts(Presentation(io.BytesIO(after)))["Soort opvang"] == {"Groepsopvang": 5}


@pytest.mark.parametrize("role, status", [(Role.STAFF, 403), (None, 302)])
def test_staff_and_strangers_do_not_get_the_deck(client, login, evening, role, status):
    if role:
        login(role)
    assert client.get(f"/beheer/sessies/{evening.id}/deck.pptx").status_code == status


def test_an_uploaded_final_version_replaces_the_generated_deck(client, login, evening):
    login(Role.EXPERT)
    final = Presentation(io.BytesIO(build_default_master()))
    slide = final.slides.add_slide(final.slide_layouts[5])
    slide.shapes.title.text = "Mijn eigen versie"
    out = io.BytesIO()
    final.save(out)
    response = client.post(
        f"/beheer/sessies/{evening.id}/deck/definitief",
        data={"file": (io.BytesIO(out.getvalue()), "definitief.pptx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "definitief.pptx" in client.get(f"/beheer/sessies/{evening.id}").get_data(as_text=True)

    response = client.get(f"/beheer/sessies/{evening.id}/deck.pptx")
    assert titles(Presentation(io.BytesIO(response.data))) == ["Mijn eigen versie"]
    response.close()
    generated = client.get(f"/beheer/sessies/{evening.id}/deck.pptx?gegenereerd=1").data
    assert titles(Presentation(io.BytesIO(generated)))[0] == "Kinderopvang starten"

    client.post(f"/beheer/sessies/{evening.id}/deck/definitief/verwijderen")
    again = client.get(f"/beheer/sessies/{evening.id}/deck.pptx").data
    assert titles(Presentation(io.BytesIO(again)))[0] == "Kinderopvang starten"


def test_a_final_version_that_is_not_powerpoint_is_refused(client, login, evening):
    login(Role.EXPERT)
    response = client.post(
        f"/beheer/sessies/{evening.id}/deck/definitief",
        data={"file": (io.BytesIO(b"%PDF-1.4 not a deck"), "deck.pptx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Toegelaten: PowerPoint" in response.get_data(as_text=True)
    assert services.final_deck(evening) is None


def test_the_session_page_shows_the_deck_panel(client, login, evening):
    login(Role.EXPERT)
    page = client.get(f"/beheer/sessies/{evening.id}").get_data(as_text=True)
    assert f"/beheer/sessies/{evening.id}/deck.pptx" in page
    assert "Definitieve versie opladen" in page


def test_an_agenda_block_without_a_library_slide_still_gets_its_own_slide(registered, evening):
    prs = open_deck(evening)
    names = titles(prs)
    assert names[3:8] == [title for title, _ in EVENING]
    pause = prs.slides[names.index("Pauze")]
    assert body_lines(pause) == ["20:15–20:25"]
    assert "Nog geen dia" in pause.notes_slide.notes_text_frame.text


def test_the_same_question_asked_twice_shows_once_with_a_count(evening, make_registration):
    for first in ("Lotte", "Kaat"):
        make_registration(
            evening, status="confirmed", first_name=first, questions=f"Wat kost een vergunning? {first}"
        )
    prs = open_deck(evening)
    text = "\n".join(all_text(s) for s in prs.slides if s.shapes.title.text.startswith("Jullie vragen:"))
    assert text.count("Wat kost een vergunning? [naam]") == 1
    assert "Wat kost een vergunning? [naam] (2×)" in text


# --------------------------------------------------------------------------- ready to present


def _placeholders_without_text(prs) -> list[str]:
    """Placeholders left empty: PowerPoint shows their prompt ("Klik om tekst toe te voegen")."""
    empty = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.placeholders:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                empty.append(f"slide {number}: {shape.name}")
    return empty


def test_no_slide_has_a_placeholder_box_or_an_empty_placeholder(registered, evening):
    prs = open_deck(evening)
    assert not _placeholders_without_text(prs)
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.name != "Logo"  # no logo uploaded: no logo, and no box in its place
            assert not (shape.has_text_frame and shape.text_frame.text.strip().lower() == "logo")
    master = Presentation(io.BytesIO(build_default_master())).slide_master
    texts = [shape.text_frame.text.lower() for shape in master.shapes if shape.has_text_frame]
    assert not [text for text in texts if "logo" in text]


def test_the_agency_logo_goes_top_right_on_every_slide_clear_of_the_title(registered, evening, logo):
    with force_locale("nl"):
        prs = Presentation(io.BytesIO(build_deck(build_default_master(), services.deck_data(evening), logo)))
    for number, slide in enumerate(prs.slides, start=1):
        (picture,) = [shape for shape in slide.shapes if shape.name == "Logo"]
        assert picture.image.blob == logo
        assert picture.width * 200 == pytest.approx(picture.height * 600, rel=0.01)  # not stretched
        assert picture.left + picture.width <= prs.slide_width and picture.top >= 0
        assert picture.left > prs.slide_width / 2 and picture.top < Inches(0.5), number
        title = slide.shapes.title
        if title is not None and title.top < picture.top + picture.height:
            assert title.left + title.width <= picture.left, number


def test_a_logo_that_is_no_image_leaves_the_slides_without_one(registered, evening):
    with force_locale("nl"):
        deck = build_deck(build_default_master(), services.deck_data(evening), b"not an image")
    prs = Presentation(io.BytesIO(deck))
    assert not [shape for slide in prs.slides for shape in slide.shapes if shape.name == "Logo"]


def _block(evening, index: int, bullets: str, title: str = "Een dia") -> None:
    services.save_block(
        None,
        services.BlockData(title, bullets, "Zeg dit erbij."),
        topic=evening.topic,
        key=evening.topic.agenda_blocks[index].key,
    )


def test_a_slide_with_two_points_shows_them_as_cards_and_keeps_its_notes(registered, evening):
    _block(evening, 1, "Subsidies worden toegekend in oproepen\nVolg de aankondigingen", "Twee punten")
    slide = next(s for s in open_deck(evening).slides if s.shapes.title.text == "Twee punten")
    cards = [shape for shape in slide.shapes if shape.name.startswith("Kaart")]
    assert [card.text_frame.text for card in cards] == [
        "Subsidies worden toegekend in oproepen",
        "Volg de aankondigingen",
    ]
    assert min(run.font.size.pt for card in cards for run in card.text_frame.paragraphs[0].runs) >= 24
    # On a layout without a body: no empty text placeholder left behind.
    bodies = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
    assert not [ph for ph in slide.placeholders if ph.placeholder_format.type in bodies]
    notes = slide.notes_slide.notes_text_frame.text
    assert notes == "Het landschap van de kinderopvang (19:40–19:55). Zeg dit erbij."


def test_a_slide_with_many_points_stays_a_bulleted_list(registered, evening):
    bullets = [f"Punt {n}: een kennismakingsgesprek, een aanvraag en een inspectie" for n in range(6)]
    _block(evening, 1, "\n".join(bullets), "Zes punten")
    slide = next(s for s in open_deck(evening).slides if s.shapes.title.text == "Zes punten")
    assert not [shape for shape in slide.shapes if shape.name.startswith("Kaart")]
    assert body_lines(slide) == bullets


def _chart_shapes(prs):
    return [(slide, shape) for slide in prs.slides for shape in slide.shapes if shape.has_chart]


def test_every_category_of_every_chart_is_labelled(evening, make_registration):
    """The legal-form chart has eight bars: each gets a label (none skipped) and the room for it."""
    forms, kinds = list(LegalForm), list(ChildcareType)
    for n in range(16):
        form, kind = forms[n % len(forms)], kinds[n % len(kinds)]
        make_registration(evening, status="confirmed", legal_form=form, childcare_type=kind)
    prs = open_deck(evening)
    found = _chart_shapes(prs)
    assert len(found) == 4
    by_title = {shape.chart.chart_title.text_frame.text: shape.chart for _, shape in found}
    legal = by_title["Ondernemingsvorm"]
    assert len(legal.plots[0].categories) == 8
    for _slide, shape in found:
        chart = shape.chart
        axis = chart.element.find(".//c:catAx", NS)
        assert axis.find("c:tickLblSkip", NS).get("val") == "1"
        assert axis.find("c:txPr/a:bodyPr", NS).get("rot") == "0"  # Impress: labels may not be dropped
        assert axis.find("c:delete", NS).get("val") == "0"
        assert shape.top + shape.height <= Inches(7.0)  # above the footer band
        assert shape.left + shape.width <= prs.slide_width
        # At least two lines of 12-point text beside every bar, for a label that wraps.
        room = (shape.height - Inches(0.75)) / len(chart.plots[0].categories)
        assert room >= Pt(2 * 12 * 1.2), chart.chart_title.text_frame.text


def test_the_logo_an_admin_uploads_is_on_the_downloaded_deck(registered, evening, logo):
    from app.branding import save_logo

    save_logo(logo, "logo.png", "Agentschap Opgroeien")
    db.session.commit()

    prs = open_deck(evening)

    pictures = [shape for slide in prs.slides for shape in slide.shapes if shape.name == "Logo"]
    assert len(pictures) == len(prs.slides)
    assert all(picture.image.blob == logo for picture in pictures)
