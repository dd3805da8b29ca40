"""Turn a DeckData (plain values) into a .pptx on a master. No database here, so the builder is
tested and benchmarked on its own.

Every slide gets speaker notes and a footer (the session's date and a slide-number field); every
text box gets an explicit font size chosen by `fitting`, and lists too long for one slide go on
to the next, so nothing overflows.

What goes where is decided here; the slides, notes, charts and footers themselves are made by
`parts` from prototypes it keeps per master, which is several times faster than python-pptx's
own add_slide, notes_slide and add_chart and writes the same XML (see its docstring).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

import qrcode
from flask_babel import gettext as _
from pptx.util import Inches, Pt

from materials.decks import fitting, parts
from materials.decks.content import Chart, QuestionGroup
from materials.decks.parts import Box
from materials.decks.template import open_master

TITLE_SIZES = (36, 24)  # largest, smallest
BODY_SIZES = (24, 16)
SUBTITLE_SIZES = (24, 16)
BOLD_WIDTH = 1.12
BULLET_INSET = 14.4 + 27 + 4  # margins, the body style's bullet indent, and some room


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


class DeckBuilder:
    def __init__(self, master: bytes, data: DeckData):
        self.kit = parts.master_kit(master)  # raises TemplateInvalid for a master without layouts
        self.prs = open_master(master)
        self.deck = parts.DeckParts(self.prs, self.kit)
        self.data = data
        self.content_box = self.kit.content_box
        self.body_frame = fitting.Frame.of(
            self.content_box.width, self.content_box.height, inset_x_pt=BULLET_INSET
        )

    # ----------------------------------------------------------------- text

    def _title(self, slide: parts.DeckSlide, text: str) -> None:
        shape = slide.holders.get("title")
        if shape is None:
            return
        box = slide.box("title")
        frame = fitting.Frame.of(box.width, box.height)
        # Titles are often bold (the default master's are): bold glyphs run up to a tenth wider.
        frame = fitting.Frame(frame.width / BOLD_WIDTH, frame.height)
        largest, smallest = TITLE_SIZES
        size = fitting.best_size([text], frame, largest=largest, smallest=smallest)
        if size is None:
            text, size = fitting.shorten(text, frame, smallest), smallest
        parts.fill(shape, [text], size)

    def _slide(self, layout: str, title: str, notes: str) -> parts.DeckSlide:
        slide = self.deck.add_slide(layout)
        self._title(slide, title)
        self.deck.add_notes(slide, notes)
        return slide

    def _bullets(self, title: str, items: list[str], notes: str, *, largest=None, smallest=None) -> None:
        """One or more content slides; "(2/3)" in the title when the list runs over."""
        largest, smallest = largest or BODY_SIZES[0], smallest or BODY_SIZES[1]
        pages = fitting.paginate(items, self.body_frame, largest=largest, smallest=smallest)
        for n, (chunk, size) in enumerate(pages, start=1):
            suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
            slide = self._slide("content", title + suffix, notes)
            parts.fill(slide.holders["body"], chunk, size)

    def _textbox(self, slide, box: Box, paragraphs: list[str], sizes=BODY_SIZES, *, bold_first=False) -> None:
        shape = self.deck.add_textbox(slide, box)
        frame = fitting.Frame.of(box.width, box.height)
        size = fitting.best_size(paragraphs, frame, largest=sizes[0], smallest=sizes[1])
        if size is None:  # keep what fits at the smallest size
            while paragraphs and not fitting.fits(paragraphs, frame, sizes[1]):
                paragraphs = paragraphs[:-1]
            size = sizes[1]
        parts.fill(shape, paragraphs, size, bold_first=bold_first)

    # ----------------------------------------------------------------- slides

    def title_slide(self) -> None:
        d = self.data
        slide = self.deck.add_slide("title")
        self._title(slide, d.title)
        lines = [d.date_line, d.place]
        if d.presenters:
            lines.append(_("Met %(names)s", names=", ".join(d.presenters)))
        subtitle = slide.holders.get("subtitle")
        if subtitle is not None:
            box = slide.box("subtitle")
            frame = fitting.Frame.of(box.width, box.height)
            size = fitting.best_size(lines, frame, largest=SUBTITLE_SIZES[0], smallest=SUBTITLE_SIZES[1])
            parts.fill(subtitle, lines, size or SUBTITLE_SIZES[1])
        notes = _(
            "Welkom iedereen. Stel jezelf voor en zeg wie er nog presenteert. Vandaag: %(title)s. "
            "Er zijn %(count)s mensen ingeschreven.",
            title=d.title,
            count=d.registered,
        )
        self.deck.add_notes(slide, notes)

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
            "title_only",
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
            native = self.deck.add_bar_chart(
                slide, Box(left, top, width, height), chart.categories, _("Aantal"), chart.values
            )
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
            "title_only",
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
        self.deck.add_picture(
            slide, qr_png(d.intake_url), Box(area.left + area.width - qr_side, area.top, qr_side, qr_side)
        )

    def build(self) -> bytes:
        self.title_slide()
        self.agenda_slide()
        self.audience_slide()
        self.content_slides()
        self.question_slides()
        self.next_steps_slide()
        self.deck.footers(self.data.footer_date)
        return parts.save(self.prs)


@lru_cache(maxsize=8)
def qr_png(url: str) -> bytes:
    image = qrcode.make(url, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build_deck(master: bytes, data: DeckData) -> bytes:
    return DeckBuilder(master, data).build()
