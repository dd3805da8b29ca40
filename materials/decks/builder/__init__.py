"""Turn a DeckData (plain values) into a .pptx on a master, with python-pptx's public API. No
database here, so the builder is tested and benchmarked on its own.

Every slide gets speaker notes and a footer (the session's date and a slide-number field); every
text box gets an explicit font size chosen by `fitting`, and lists too long for one slide go on
to the next, so nothing overflows. How much text a slide has decides its layout: a few short
points become cards side by side, more become a bulleted list.

Slides come from `prs.slides.add_slide`, text from text frames, charts from `add_chart` with
`CategoryChartData` (python-pptx writes their workbooks with XlsxWriter), pictures from
`add_picture`, the closing slide's dates from `add_table`, and the file from `prs.save`. Two
things python-pptx has no API for are written through its documented `element` property: the
slide-number field (`a:fld`), and an explicit "label every category" (`c:tickLblSkip`) on the
charts. A deck takes a few hundred milliseconds; services.py keeps built decks by the version
of their data, so only the first download after a change pays for it.
"""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

import qrcode
from flask_babel import gettext as _
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from materials.decks import fitting
from materials.decks.content import Chart, QuestionGroup
from materials.decks.template import (
    BODY_TYPES,
    HEIGHT,
    LOGO_HEIGHT,
    LOGO_MARGIN,
    LOGO_WIDTH,
    WIDTH,
    find_layouts,
    open_master,
)

log = logging.getLogger(__name__)

TITLE_SIZES = (36, 24)  # largest, smallest
BODY_SIZES = (28, 16)
SUBTITLE_SIZES = (24, 16)
CARD_SIZES = (32, 20)
CARD_MAX = 3  # at most this many points become cards; more are a list
CARD_ROW_LINES = 4  # cards side by side hold at most this many lines each
BOLD_WIDTH = 1.12
BULLET_INSET = 14.4 + 27 + 4  # margins, the body style's bullet indent, and some room
CARD_GAP = Inches(0.35)
CARD_PADDING_PT = 18
CHART_FONT_PT = 12
CHART_TITLE_PT = 15
CHART_TITLE_ROOM = Inches(0.75)  # the chart's title and the plot's margins
CHART_MAX_PITCH = Inches(0.6)  # the most room a bar and its label get
TABLE_SIZES = (18, 12)

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_NS = {"a": _A, "c": _C, "p": _P}


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    @classmethod
    def of(cls, shape) -> Box:
        return cls(shape.left, shape.top, shape.width, shape.height)

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


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
    divider: bool = False  # an agenda block without slides of its own: its title and time


@dataclass
class NextSession:
    when: str  # "zaterdag 13 februari 2027, 09:30"
    where: str  # "Trefpunt Kortrijk, Kortrijk" or "online"


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
    next_sessions: list[NextSession] = field(default_factory=list)
    evening: bool = False
    # The team's choice questions, answered at registration: charts beside the audience profile.
    answer_charts: list[Chart] = field(default_factory=list)


def short_url(url: str) -> str:
    """The address as people type it: no scheme, no "www.", no trailing slash."""
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix) :]
    if url.startswith("www."):
        url = url[4:]
    return url.rstrip("/")


# --------------------------------------------------------------------------- text


def fill(shape, paragraphs: list[str], size: int, *, bold_first: bool = False) -> None:
    """Replace the shape's text with one run per paragraph at `size` points, wrapped and never
    shrunk by the renderer (fitting chose a size at which it fits)."""
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for n, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        if bold_first and n == 0:
            run.font.bold = True


def _slide_number_field(shape, number: int, colour: RGBColor | None) -> None:
    """A slide-number field in the shape's first paragraph: PowerPoint and Impress keep it right
    when slides move. python-pptx has no API for fields; this is the XML PowerPoint writes."""
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    p = shape.element.find(".//a:p", _NS)
    fld = etree.Element(f"{{{_A}}}fld", id="{" + str(uuid.uuid4()).upper() + "}", type="slidenum")
    rpr = etree.SubElement(fld, f"{{{_A}}}rPr", lang="nl-BE", sz="1200", dirty="0")
    if colour is not None:
        solid = etree.SubElement(rpr, f"{{{_A}}}solidFill")
        etree.SubElement(solid, f"{{{_A}}}srgbClr", val=str(colour))
    etree.SubElement(fld, f"{{{_A}}}t").text = str(number)  # what a reader shows before it renumbers
    end = p.find("a:endParaRPr", _NS)
    if end is None:
        p.append(fld)
    else:
        end.addprevious(fld)


def _number_colour(master) -> RGBColor | None:
    """The colour the master gives its slide number (white on the default's band), if any."""
    for shape in master.placeholders:
        if shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            found = shape.element.find(".//a:lstStyle/a:lvl1pPr/a:defRPr/a:solidFill/a:srgbClr", _NS)
            return RGBColor.from_string(found.get("val")) if found is not None else None
    return None


def _placeholder(holder, types):
    for shape in holder.placeholders:
        if shape.placeholder_format.type in types:
            return shape
    return None


# --------------------------------------------------------------------------- the builder


class DeckBuilder:
    def __init__(self, master: bytes, data: DeckData, logo: bytes | None = None):
        self.prs = open_master(master)
        self.layouts = find_layouts(self.prs)  # raises TemplateInvalid for a master without layouts
        self.data = data
        self.logo = logo
        self.content_box = Box.of(_placeholder(self.layouts.content, BODY_TYPES))
        self.body_frame = fitting.Frame.of(
            self.content_box.width, self.content_box.height, inset_x_pt=BULLET_INSET
        )
        self.number_colour = _number_colour(self.prs.slide_master)

    # ----------------------------------------------------------------- text

    def _title(self, slide, text: str) -> None:
        shape = slide.shapes.title
        if shape is None:
            return
        box = Box.of(shape)
        frame = fitting.Frame.of(box.width, box.height)
        # Titles are often bold (the default master's are): bold glyphs run up to a tenth wider.
        frame = fitting.Frame(frame.width / BOLD_WIDTH, frame.height)
        largest, smallest = TITLE_SIZES
        size = fitting.best_size([text], frame, largest=largest, smallest=smallest)
        if size is None:
            text, size = fitting.shorten(text, frame, smallest), smallest
        fill(shape, [text], size)

    def _slide(self, layout, title: str, notes: str):
        slide = self.prs.slides.add_slide(layout)
        self._logo(slide)
        self._title(slide, title)
        notes_frame = slide.notes_slide.notes_text_frame
        if notes_frame is not None:  # a notes master without a notes area
            notes_frame.text = notes
        return slide

    def _points(self, title: str, items: list[str], notes: str, *, largest=None, smallest=None) -> None:
        """A few short points as cards on one slide, else one or more bulleted slides ("(2/3)" in
        the title when the list runs over)."""
        if self._cards(title, items, notes):
            return
        largest, smallest = largest or BODY_SIZES[0], smallest or BODY_SIZES[1]
        pages = fitting.paginate(items, self.body_frame, largest=largest, smallest=smallest)
        for n, (chunk, size) in enumerate(pages, start=1):
            suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
            slide = self._slide(self.layouts.content, title + suffix, notes)
            fill(_placeholder(slide, BODY_TYPES), chunk, size)
            self._footers(slide)

    def _cards(self, title: str, items: list[str], notes: str) -> bool:
        """Up to CARD_MAX points, each in a card of its own, side by side or one under the other,
        whichever lets the text be larger, when each fits its card at CARD_SIZES; False (and
        nothing made) otherwise."""
        if not 1 <= len(items) <= CARD_MAX:
            return False
        content = self.content_box
        # Card edges in line with the title's text, which sits a margin inside its box.
        area = Box(content.left + Inches(0.1), content.top, content.width - Inches(0.2), content.height)
        count = len(items)
        inset = 2 * CARD_PADDING_PT + 4  # the padding and the outline
        row_width = (area.width - CARD_GAP * (count - 1)) // count
        column_height = (area.height - CARD_GAP * (count - 1)) // count
        layouts = {
            "row": fitting.Frame.of(row_width, int(area.height * 0.8), inset_x_pt=inset, inset_y_pt=inset),
            "column": fitting.Frame.of(area.width, column_height, inset_x_pt=inset, inset_y_pt=inset),
        }
        sizes = {
            name: fitting.best_size_each(items, frame, largest=CARD_SIZES[0], smallest=CARD_SIZES[1])
            for name, frame in layouts.items()
        }

        def lines(name: str) -> int:
            frame = layouts[name]
            return max(fitting.line_count(item, frame.width, sizes[name]) for item in items)

        # Side by side only while a card reads as a short block, not a narrow column of words.
        fitting_layouts = [
            name
            for name in ("row", "column")
            if sizes[name] is not None and (name == "column" or lines(name) <= CARD_ROW_LINES)
        ]
        if not fitting_layouts:
            return False
        # The larger text; on a tie, the fewer lines (wide cards for long points), then the row.
        arrangement = max(fitting_layouts, key=lambda name: (sizes[name], -lines(name)))
        size, frame = sizes[arrangement], layouts[arrangement]
        needed = max(fitting.height_needed([item], frame, size) for item in items)
        height = Pt(needed + inset + 12)
        if arrangement == "row":
            height = min(max(height, int(area.height * 0.45)), int(area.height * 0.8))
            boxes = [
                Box(
                    area.left + n * (row_width + CARD_GAP),
                    area.top + (area.height - height) // 3,
                    row_width,
                    height,
                )
                for n in range(count)
            ]
        else:
            height = min(max(height, Inches(1.1)), column_height)
            block = height * count + CARD_GAP * (count - 1)
            top = area.top + (area.height - block) // 3  # a little above the middle, as the eye expects
            boxes = [Box(area.left, top + n * (height + CARD_GAP), area.width, height) for n in range(count)]
        slide = self._slide(self.layouts.title_only, title, notes)
        for n, (item, box) in enumerate(zip(items, boxes, strict=True)):
            self._card(slide, box, item, size).name = f"Kaart {n + 1}"
        self._footers(slide)
        return True

    def _card(self, slide, box: Box, text: str, size: int):
        """A card: a text box filled with the theme's first accent colour, lightened, outlined in
        that colour, with dark text. A text box rather than an autoshape, which would bring the
        theme's shape style (a shadow in some renderers) that python-pptx cannot take off."""
        card = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        card.fill.solid()
        card.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
        card.fill.fore_color.brightness = 0.88
        card.line.color.theme_color = MSO_THEME_COLOR.ACCENT_1
        card.line.width = Pt(2.25)
        frame = card.text_frame
        frame.margin_left = frame.margin_right = Pt(CARD_PADDING_PT)
        frame.margin_top = frame.margin_bottom = Pt(CARD_PADDING_PT)
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        fill(card, [text], size)
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.runs[0].font.color.theme_color = MSO_THEME_COLOR.TEXT_1
        return card

    def _logo(self, slide) -> None:
        """The agency's logo in the top right corner, as large as fits LOGO_WIDTH × LOGO_HEIGHT; a
        title reaching into that corner is made narrower. Nothing when there is no logo."""
        if not self.logo:
            return
        try:
            picture = slide.shapes.add_picture(io.BytesIO(self.logo), 0, 0, height=LOGO_HEIGHT)
        except Exception:  # python-pptx raises several kinds for an image it cannot read
            log.warning("the agency logo is not an image python-pptx can read; decks go without it")
            self.logo = None
            return
        picture.name = "Logo"
        if picture.width > LOGO_WIDTH:
            picture.height = Emu(picture.height * LOGO_WIDTH // picture.width)
            picture.width = LOGO_WIDTH
        picture.left = WIDTH - LOGO_MARGIN - picture.width
        picture.top = LOGO_MARGIN
        title = slide.shapes.title
        if title is not None:
            box = Box.of(title)
            if box.right > picture.left - Inches(0.1) and box.top < picture.top + picture.height:
                title.left, title.top, title.height = box.left, box.top, box.height
                title.width = Emu(max(picture.left - Inches(0.1) - box.left, Inches(2)))

    def _footers(self, slide) -> None:
        """The session's date where the layout keeps its date (a copy of that placeholder, or a
        text box at the bottom left), and the slide number in a text box with a field where the
        layout keeps its number (Impress does not show a slide-number placeholder copied to a
        slide, but it does show the field)."""
        layout = slide.slide_layout
        date_holder = _placeholder(layout, (PP_PLACEHOLDER.DATE,))
        if date_holder is not None:
            slide.shapes.clone_placeholder(date_holder)
            date = slide.shapes[-1]
        else:
            date = slide.shapes.add_textbox(Inches(0.5), HEIGHT - Inches(0.45), Inches(5), Inches(0.35))
            date.name = "Datum"
        fill(date, [self.data.footer_date], 12)
        number_holder = _placeholder(layout, (PP_PLACEHOLDER.SLIDE_NUMBER,))
        if number_holder is not None:
            box = Box.of(number_holder)
        else:
            box = Box(WIDTH - Inches(2), HEIGHT - Inches(0.45), Inches(1.5), Inches(0.35))
        number = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        number.name = "Dianummer"
        _slide_number_field(number, len(self.prs.slides), self.number_colour)

    def _textbox(self, slide, box: Box, text: str, sizes, *, bold=False):
        """A text box with one paragraph at the largest size in `sizes` that fits the box; a text
        too long even at the smallest size is shortened at a word."""
        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = fitting.Frame.of(box.width, box.height)
        if bold:
            frame = fitting.Frame(frame.width / BOLD_WIDTH, frame.height)
        size = fitting.best_size([text], frame, largest=sizes[0], smallest=sizes[1])
        if size is None:
            text, size = fitting.shorten(text, frame, sizes[1]), sizes[1]
        fill(shape, [text], size, bold_first=bold)
        return shape

    # ----------------------------------------------------------------- slides

    def title_slide(self) -> None:
        d = self.data
        notes = _(
            "Welkom iedereen. Stel jezelf voor en zeg wie er nog presenteert. Vandaag: %(title)s. "
            "Er zijn %(count)s mensen ingeschreven.",
            title=d.title,
            count=d.registered,
        )
        slide = self._slide(self.layouts.title, d.title, notes)
        lines = [d.date_line, d.place]
        if d.presenters:
            lines.append(_("Met %(names)s", names=", ".join(d.presenters)))
        subtitle = _placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, *BODY_TYPES))
        if subtitle is not None:
            box = Box.of(subtitle)
            frame = fitting.Frame.of(box.width, box.height)
            size = fitting.best_size(lines, frame, largest=SUBTITLE_SIZES[0], smallest=SUBTITLE_SIZES[1])
            fill(subtitle, lines, size or SUBTITLE_SIZES[1])
        self._footers(slide)

    def agenda_slide(self) -> None:
        items = [f"{a.starts}–{a.ends}  {a.title}" for a in self.data.agenda]
        if not items:
            items = [_("Het programma volgt.")]
        largest, smallest = BODY_SIZES
        pages = fitting.paginate(items, self.body_frame, largest=largest, smallest=smallest)
        notes = _(
            "Overloop kort het programma. Zeg wanneer de pauze is en dat er op het einde tijd is voor vragen."
        )
        for n, (chunk, size) in enumerate(pages, start=1):
            suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
            slide = self._slide(self.layouts.content, _("Programma") + suffix, notes)
            fill(_placeholder(slide, BODY_TYPES), chunk, size)
            self._footers(slide)

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
        self._charts(slide, charts)
        self._footers(slide)

    def answers_slides(self) -> None:
        """The answers to the team's choice questions, four charts a slide, after the profile."""
        charts = self.data.answer_charts
        for start in range(0, len(charts), 4):
            chunk = charts[start : start + 4]
            slide = self._slide(
                self.layouts.title_only,
                _("Wat ze ons vertelden"),
                " ".join(
                    f"{c.title}: "
                    + ", ".join(f"{k} {v}" for k, v in zip(c.categories, c.values, strict=True))
                    + "."
                    for c in chunk
                ),
            )
            self._charts(slide, chunk)
            self._footers(slide)

    def _charts(self, slide, charts: list[Chart]) -> None:
        boxes = chart_boxes(self.content_box, charts)
        # One size for every chart's title, on one line: Impress gives a chart's title about three
        # quarters of the chart's width and breaks a long word where it runs out.
        room = fitting.Frame(boxes[0].width * 0.75 / fitting.EMU_PER_PT / BOLD_WIDTH, CHART_TITLE_PT * 1.3)
        titles = [chart.title for chart in charts]
        title_size = fitting.best_size(titles, room, largest=CHART_TITLE_PT, smallest=CHART_FONT_PT - 1)
        for chart, box in zip(charts, boxes, strict=True):
            self._bar_chart(slide, box, chart, title_size or CHART_FONT_PT - 1)

    def _bar_chart(self, slide, box: Box, chart: Chart, title_size: int) -> None:
        data = CategoryChartData()
        data.categories = chart.categories
        data.add_series(_("Aantal"), chart.values)
        native = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width, box.height, data
        ).chart
        native.has_title = True
        native.chart_title.text_frame.text = chart.title
        title_font = native.chart_title.text_frame.paragraphs[0].runs[0].font
        title_font.size, title_font.bold = Pt(title_size), True
        native.has_legend = False
        native.font.size = Pt(CHART_FONT_PT)
        plot = native.plots[0]
        plot.gap_width = 40
        plot.vary_by_categories = False
        plot.has_data_labels = True
        plot.data_labels.font.size = Pt(CHART_FONT_PT)
        axis = native.category_axis
        axis.reverse_order = True  # first category on top, as it reads
        axis.major_tick_mark = XL_TICK_MARK.NONE
        axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        axis.tick_labels.font.size = Pt(CHART_FONT_PT)
        native.value_axis.visible = False
        native.value_axis.has_major_gridlines = False
        _label_every_category(native)

    def content_slides(self) -> None:
        for item in self.data.content:
            notes = f"{item.block} ({item.when}). {item.notes}".strip()
            if item.divider:
                self._divider(item.title, item.bullets, notes)
            else:
                self._points(item.title, item.bullets or [item.block], notes)

    def _divider(self, title: str, lines: list[str], notes: str) -> None:
        """A section slide on the title layout: the block's title large, its time under it."""
        slide = self._slide(self.layouts.title, title, notes)
        subtitle = _placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, *BODY_TYPES))
        if subtitle is not None:
            box = Box.of(subtitle)
            frame = fitting.Frame.of(box.width, box.height)
            size = fitting.best_size(lines, frame, largest=SUBTITLE_SIZES[0], smallest=SUBTITLE_SIZES[1])
            fill(subtitle, lines, size or SUBTITLE_SIZES[1])
        self._footers(slide)

    def question_slides(self) -> None:
        groups = self.data.questions
        if not groups:
            self._points(
                _("Jullie vragen"),
                [_("Er kwamen vooraf geen vragen binnen. Stel ze gerust nu!")],
                _("Niemand stuurde vooraf een vraag. Nodig de zaal uit om vragen te stellen."),
            )
            return
        total = sum(len(g.questions) for g in groups)
        for group in groups:
            notes = _(
                "%(count)s van de %(total)s vragen die vooraf binnenkwamen gaan over %(theme)s. "
                "Namen en contactgegevens zijn weggelaten.",
                count=len(group.questions),
                total=total,
                theme=group.title.lower(),
            )
            if group.answers:
                # The knowledge base's answers (materials/faq), so the presenter has them at hand.
                notes += "\n\n" + _("Antwoorden uit de veelgestelde vragen:")
                for question, answer in group.answers:
                    notes += f"\n\n{question}\n{answer}"
            self._points(
                _("Jullie vragen: %(theme)s", theme=group.title),
                group.questions,
                notes,
                largest=24,
                smallest=14,
            )

    def next_steps_slide(self) -> None:
        """Left: how to ask for an intake, with a QR code and the short address under it. Right:
        the next sessions on this topic as a small table."""
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
        gap = Inches(0.5)
        left = Box(area.left, area.top, int((area.width - gap) * 0.4), area.height)
        right = Box(left.right + gap, area.top, area.width - left.width - gap, area.height)
        headings = [_("Vraag een kennismakingsgesprek aan"), _("Volgende infosessies over dit thema")]
        heading_height = Inches(0.95)  # two lines at the largest size
        heading_size = min(
            fitting.best_size(
                [text],
                fitting.Frame(
                    fitting.Frame.of(box.width, heading_height).width / BOLD_WIDTH, heading_height / 12700
                ),
                largest=24,
                smallest=16,
            )
            or 16
            for text, box in zip(headings, (left, right), strict=True)
        )
        for text, box in zip(headings, (left, right), strict=True):
            self._textbox(
                slide, Box(box.left, box.top, box.width, heading_height), text, (heading_size, 16), bold=True
            )
        url_height = Inches(0.75)  # room for two lines, should the address need them
        qr_side = min(Inches(2.8), left.width, left.height - heading_height - url_height - Inches(0.2))
        qr_top = left.top + heading_height + Inches(0.1)
        slide.shapes.add_picture(
            io.BytesIO(qr_png(d.intake_url)), left.left, qr_top, qr_side, qr_side
        ).name = "QR-code"
        url_box = Box(left.left, qr_top + qr_side + Inches(0.05), left.width, url_height)
        frame = fitting.Frame.of(url_box.width, url_box.height)
        address = short_url(d.intake_url)
        link = slide.shapes.add_textbox(url_box.left, url_box.top, url_box.width, url_box.height)
        # On one line if it can be (an address broken in the middle is hard to type).
        size = fitting.best_size_each(
            [address], fitting.Frame(frame.width, frame.height / 2), largest=20, smallest=11
        )
        fill(link, [address], size or fitting.best_size([address], frame, largest=20, smallest=10) or 10)
        link.text_frame.paragraphs[0].runs[0].hyperlink.address = d.intake_url

        below = Box(right.left, right.top + heading_height + Inches(0.1), right.width, 0)
        if d.next_sessions:
            self._sessions_table(slide, below, d.next_sessions)
        else:
            self._textbox(
                slide,
                Box(below.left, below.top, below.width, Inches(1.2)),
                _("Nieuwe data staan op %(site)s.", site=short_url(d.intake_url).split("/")[0]),
                (20, 14),
            )
        self._footers(slide)

    def _sessions_table(self, slide, box: Box, sessions: list[NextSession]) -> None:
        header = [_("Wanneer"), _("Waar")]
        rows = [header, *([s.when, s.where] for s in sessions)]
        when_width = int(box.width * 0.55)
        widths = [when_width, box.width - when_width]
        size = TABLE_SIZES[0]
        for candidate in range(TABLE_SIZES[0], TABLE_SIZES[1] - 1, -1):
            size = candidate
            lines = [
                max(
                    fitting.line_count(text, fitting.Frame.of(width, 0).width, size)
                    for text, width in zip(row, widths, strict=True)
                )
                for row in rows
            ]
            if sum(lines) <= 9:
                break
        row_heights = [Pt(n * size * fitting.LINE_HEIGHT + 14) for n in lines]
        shape = slide.shapes.add_table(len(rows), 2, box.left, box.top, box.width, sum(row_heights))
        shape.name = "Volgende infosessies"
        table = shape.table
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Emu(width)
        for row, height in zip(table.rows, row_heights, strict=True):
            row.height = Emu(height)
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                cell = table.cell(r, c)
                cell.text = text
                run = cell.text_frame.paragraphs[0].runs[0]
                run.font.size = Pt(size)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE

    def build(self) -> bytes:
        self.title_slide()
        self.agenda_slide()
        self.audience_slide()
        self.answers_slides()
        self.content_slides()
        self.question_slides()
        self.next_steps_slide()
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def chart_boxes(area: Box, charts: list[Chart]) -> list[Box]:
    """Where the audience charts go: side by side, each as tall as its bars need at the same
    thickness for all, top-aligned. A column of its own gives every category label the room to
    wrap onto two lines (the legal form has eight categories, some of two words); four charts
    in a two-by-two grid had room for one line, and renderers dropped every other label."""
    gap = Inches(0.25)
    width = (area.width - gap * (len(charts) - 1)) // max(len(charts), 1)
    most = max((len(chart.categories) for chart in charts), default=1)
    pitch = min(CHART_MAX_PITCH, (area.height - CHART_TITLE_ROOM) // max(most, 1))
    return [
        Box(
            area.left + n * (width + gap),
            area.top,
            width,
            CHART_TITLE_ROOM + pitch * max(len(chart.categories), 1),
        )
        for n, chart in enumerate(charts)
    ]


def _label_every_category(chart) -> None:
    """Every category labelled, never every other one: `c:tickLblSkip` 1 for PowerPoint, and
    horizontal labels stated as such (`rot="0"`) for Impress, which only then lets the labels
    take the room they need instead of dropping some. python-pptx has no property for either;
    `chart_boxes` gives each label its room."""
    cat_ax = chart.element.find(".//c:catAx", _NS)
    if cat_ax is None:
        return
    body = cat_ax.find("c:txPr/a:bodyPr", _NS)
    if body is not None:
        body.set("rot", "0")
        body.set("vert", "horz")
    if cat_ax.find("c:tickLblSkip", _NS) is not None:
        return
    skip = etree.Element(f"{{{_C}}}tickLblSkip", val="1")
    # Its place in the schema's sequence: after lblOffset, before tickMarkSkip/noMultiLvlLbl/extLst.
    for later in ("tickMarkSkip", "noMultiLvlLbl", "extLst"):
        found = cat_ax.find(f"c:{later}", _NS)
        if found is not None:
            found.addprevious(skip)
            return
    cat_ax.append(skip)


@lru_cache(maxsize=8)
def qr_png(url: str) -> bytes:
    image = qrcode.make(url, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build_deck(master: bytes, data: DeckData, logo: bytes | None = None) -> bytes:
    """The deck as .pptx bytes on `master`, with the agency's `logo` (PNG or JPEG bytes) in the
    top right corner of every slide, or no logo at all when it is None.

    Raises TemplateInvalid when the master lacks a layout with a title and a text area.
    """
    return DeckBuilder(master, data, logo).build()
