"""Turn a DeckData (plain values) into a .pptx on a master. No database here, so the builder is
tested and benchmarked on its own.

Every slide gets speaker notes and a footer (the session's date and a slide-number field); every
text box gets an explicit font size chosen by `fitting`, and lists too long for one slide go on
to the next, so nothing overflows.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

import qrcode
from flask_babel import gettext as _
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from materials.decks import fitting
from materials.decks.content import Chart, QuestionGroup
from materials.decks.template import HEIGHT, WIDTH, find_layouts, open_master

TITLE_SIZES = (36, 24)  # largest, smallest
BODY_SIZES = (24, 16)
SUBTITLE_SIZES = (24, 16)
BOLD_WIDTH = 1.12
BULLET_INSET = 14.4 + 27 + 4  # margins, the body style's bullet indent, and some room
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


@dataclass
class AgendaEntry:
    starts: str  # "19:30"
    ends: str
    title: str
    minutes: int


@dataclass
class ContentSlide:
    title: str
    bullets: list[str]
    notes: str
    block: str  # the agenda block's title, for the notes
    when: str  # "19:40–20:00"


@dataclass
class DeckData:
    title: str
    date_line: str  # "dinsdag 12 januari 2027, 19:30"
    footer_date: str  # "dinsdag 12 januari 2027"
    place: str
    presenters: list[str]
    agenda: list[AgendaEntry]
    registered: int
    charts: list[Chart] | None
    content: list[ContentSlide]
    questions: list[QuestionGroup]
    intake_url: str
    next_sessions: list[str] = field(default_factory=list)
    evening: bool = False


@dataclass
class Box:
    left: int
    top: int
    width: int
    height: int


def _box(shape) -> Box:
    return Box(shape.left, shape.top, shape.width, shape.height)


def _placeholder(holder, types):
    for shape in holder.placeholders:
        if shape.placeholder_format.type in types:
            return shape
    return None


class DeckBuilder:
    def __init__(self, master: bytes, data: DeckData):
        self.prs = open_master(master)
        self.layouts = find_layouts(self.prs)
        self.data = data
        body = _placeholder(self.layouts.content, (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
        self.content_box = _box(body)
        self.body_frame = fitting.Frame.of(body.width, body.height, inset_x_pt=BULLET_INSET)
        self.number_colour = _master_number_colour(self.prs)

    # ----------------------------------------------------------------- text

    def _fill(self, text_frame, paragraphs: list[str], size: int, *, bold_first: bool = False) -> None:
        text_frame.word_wrap = True
        text_frame.auto_size = MSO_AUTO_SIZE.NONE
        text_frame.clear()
        for n, text in enumerate(paragraphs):
            paragraph = text_frame.paragraphs[0] if n == 0 else text_frame.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            run.font.size = Pt(size)
            if bold_first and n == 0:
                run.font.bold = True

    def _title(self, slide, text: str) -> None:
        shape = slide.shapes.title
        if shape is None:
            return
        frame = fitting.Frame.of(shape.width, shape.height)
        # Titles are often bold (the default master's are): bold glyphs run up to a tenth wider.
        frame = fitting.Frame(frame.width / BOLD_WIDTH, frame.height)
        largest, smallest = TITLE_SIZES
        size = fitting.best_size([text], frame, largest=largest, smallest=smallest)
        if size is None:
            text, size = fitting.shorten(text, frame, smallest), smallest
        self._fill(shape.text_frame, [text], size)

    def _slide(self, layout, title: str, notes: str):
        slide = self.prs.slides.add_slide(layout)
        self._title(slide, title)
        slide.notes_slide.notes_text_frame.text = notes
        return slide

    def _bullets(self, title: str, items: list[str], notes: str, *, largest=None, smallest=None) -> None:
        """One or more content slides; "(2/3)" in the title when the list runs over."""
        largest, smallest = largest or BODY_SIZES[0], smallest or BODY_SIZES[1]
        pages = fitting.paginate(items, self.body_frame, largest=largest, smallest=smallest)
        for n, (chunk, size) in enumerate(pages, start=1):
            suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
            slide = self._slide(self.layouts.content, title + suffix, notes)
            body = _placeholder(slide, (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
            self._fill(body.text_frame, chunk, size)

    def _textbox(self, slide, box: Box, paragraphs: list[str], sizes=BODY_SIZES, *, bold_first=False) -> None:
        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = fitting.Frame.of(box.width, box.height)
        size = fitting.best_size(paragraphs, frame, largest=sizes[0], smallest=sizes[1])
        if size is None:  # keep what fits at the smallest size
            while paragraphs and not fitting.fits(paragraphs, frame, sizes[1]):
                paragraphs = paragraphs[:-1]
            size = sizes[1]
        self._fill(shape.text_frame, paragraphs, size, bold_first=bold_first)

    # ----------------------------------------------------------------- slides

    def title_slide(self) -> None:
        d = self.data
        slide = self.prs.slides.add_slide(self.layouts.title)
        self._title(slide, d.title)
        lines = [d.date_line, d.place]
        if d.presenters:
            lines.append(_("Met %(names)s", names=", ".join(d.presenters)))
        subtitle = _placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT))
        if subtitle is not None:
            frame = fitting.Frame.of(subtitle.width, subtitle.height)
            size = fitting.best_size(lines, frame, largest=SUBTITLE_SIZES[0], smallest=SUBTITLE_SIZES[1])
            self._fill(subtitle.text_frame, lines, size or SUBTITLE_SIZES[1])
        slide.notes_slide.notes_text_frame.text = _(
            "Welkom iedereen. Stel jezelf voor en zeg wie er nog presenteert. Vandaag: %(title)s. "
            "Er zijn %(count)s mensen ingeschreven.",
            title=d.title,
            count=d.registered,
        )

    def agenda_slide(self) -> None:
        items = [f"{a.starts}–{a.ends}  {a.title}" for a in self.data.agenda]
        if not items:
            items = [_("Het programma volgt.")]
        self._bullets(
            _("Programma"),
            items,
            _(
                "Overloop kort het programma. Zeg wanneer de pauze is en dat er op het einde tijd is "
                "voor vragen."
            ),
        )

    def audience_slide(self) -> None:
        charts = self.data.charts
        if charts is None:
            return  # too few registrations to show a profile without recognising someone
        slide = self._slide(
            self.layouts.title_only,
            _("Wie is er vanavond?") if self.data.evening else _("Wie is er vandaag?"),
            _(
                "Het profiel van de %(count)s bevestigde inschrijvingen. Vraag wie al een locatie "
                "heeft en wie al een ondernemingsplan maakte. %(details)s",
                count=self.data.registered,
                details=" ".join(
                    f"{c.title}: "
                    + ", ".join(f"{k} {v}" for k, v in zip(c.categories, c.values, strict=True))
                    + "."
                    for c in charts
                ),
            ),
        )
        area = self.content_box
        gap = Inches(0.15)
        width, height = (area.width - gap) // 2, (area.height - gap) // 2
        for n, chart in enumerate(charts):
            left = area.left + (n % 2) * (width + gap)
            top = area.top + (n // 2) * (height + gap)
            data = CategoryChartData()
            data.categories = chart.categories
            data.add_series(_("Aantal"), chart.values)
            frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, data)
            native = frame.chart
            native.has_title = True
            native.chart_title.text_frame.text = chart.title
            native.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
            native.has_legend = False
            native.font.size = Pt(11)
            plot = native.plots[0]
            plot.has_data_labels = True
            plot.data_labels.font.size = Pt(11)
            plot.vary_by_categories = False
            native.category_axis.reverse_order = True  # first category on top, as it reads
            native.value_axis.visible = False
            native.value_axis.has_major_gridlines = False

    def content_slides(self) -> None:
        for item in self.data.content:
            notes = f"{item.block} ({item.when}). {item.notes}".strip()
            self._bullets(item.title, item.bullets or [item.block], notes)

    def question_slides(self) -> None:
        groups = self.data.questions
        if not groups:
            self._bullets(
                _("Jullie vragen"),
                [_("Er kwamen vooraf geen vragen binnen. Stel ze gerust nu!")],
                _("Niemand stuurde vooraf een vraag. Nodig de zaal uit om vragen te stellen."),
            )
            return
        total = sum(len(g.questions) for g in groups)
        for group in groups:
            self._bullets(
                _("Jullie vragen: %(theme)s", theme=group.title),
                group.questions,
                _(
                    "%(count)s van de %(total)s vragen die vooraf binnenkwamen gaan over %(theme)s. "
                    "Namen en contactgegevens zijn weggelaten.",
                    count=len(group.questions),
                    total=total,
                    theme=group.title.lower(),
                ),
                largest=20,
                smallest=14,
            )

    def next_steps_slide(self) -> None:
        d = self.data
        slide = self._slide(
            self.layouts.title_only,
            _("Volgende stappen"),
            _(
                "Leg uit hoe ze een kennismakingsgesprek aanvragen: scan de QR-code of surf naar het "
                "adres. Wijs op de volgende infosessies over dit thema."
            ),
        )
        area = self.content_box
        qr_side = min(Inches(2.6), area.height)
        text = Box(area.left, area.top, area.width - qr_side - Inches(0.3), area.height)
        lines = [
            _("Vraag een kennismakingsgesprek aan:"),
            d.intake_url,
        ]
        if d.next_sessions:
            lines.append(_("Volgende infosessies over dit thema:"))
            lines.extend(d.next_sessions)
        self._textbox(slide, text, lines, (22, 14), bold_first=True)
        slide.shapes.add_picture(
            io.BytesIO(qr_png(d.intake_url)), area.left + area.width - qr_side, area.top, qr_side, qr_side
        )

    # ----------------------------------------------------------------- footers

    def footers(self) -> None:
        holders = {}  # per layout: its date and slide-number placeholders (looked up once)
        for number, slide in enumerate(self.prs.slides, start=1):
            layout = slide.slide_layout
            key = id(layout._element)
            if key not in holders:
                holders[key] = (
                    _placeholder(layout, (PP_PLACEHOLDER.DATE,)),
                    _placeholder(layout, (PP_PLACEHOLDER.SLIDE_NUMBER,)),
                )
            date_holder, number_holder = holders[key]
            if date_holder is not None:
                slide.shapes.clone_placeholder(date_holder)
                shape = slide.shapes[-1]  # clone_placeholder appends the new shape, returns nothing
            else:
                shape = slide.shapes.add_textbox(Inches(0.5), HEIGHT - Inches(0.45), Inches(5), Inches(0.35))
                shape.name = "Datum"
            self._fill(shape.text_frame, [self.data.footer_date], 12)
            # A text box where the layout keeps its slide number: Impress does not show a cloned
            # slide-number placeholder, but it does show a field in a text box.
            if number_holder is not None:
                box = _box(number_holder)
            else:
                box = Box(WIDTH - Inches(2), HEIGHT - Inches(0.45), Inches(1.5), Inches(0.35))
            shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
            shape.name = "Dianummer"
            _slide_number(shape.text_frame, number, self.number_colour)

    def build(self) -> bytes:
        self.title_slide()
        self.agenda_slide()
        self.audience_slide()
        self.content_slides()
        self.question_slides()
        self.next_steps_slide()
        self.footers()
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _master_number_colour(prs) -> str | None:
    """The colour the master gives its slide number (white on the default's band), if any."""
    for shape in prs.slide_master.placeholders:
        if shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            found = shape._element.xpath(".//a:lstStyle/a:lvl1pPr/a:defRPr/a:solidFill/a:srgbClr/@val")
            return found[0] if found else None
    return None


def _slide_number(text_frame, number: int, colour: str | None) -> None:
    """A slide-number field: PowerPoint and Impress keep it right when slides move."""
    text_frame.word_wrap = True
    text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    p = paragraph._p
    fld = etree.SubElement(p, f"{{{_A}}}fld", id="{" + str(uuid.uuid4()).upper() + "}", type="slidenum")
    rpr = etree.SubElement(fld, f"{{{_A}}}rPr", lang="nl-BE", sz="1200", dirty="0")
    if colour:
        fill = etree.SubElement(rpr, f"{{{_A}}}solidFill")
        etree.SubElement(fill, f"{{{_A}}}srgbClr", val=colour)
    etree.SubElement(fld, f"{{{_A}}}t").text = str(number)
    end = p.find(f"{{{_A}}}endParaRPr")
    if end is not None:
        p.remove(end)
        p.append(end)


@lru_cache(maxsize=8)
def qr_png(url: str) -> bytes:
    image = qrcode.make(url, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build_deck(master: bytes, data: DeckData) -> bytes:
    return DeckBuilder(master, data).build()
