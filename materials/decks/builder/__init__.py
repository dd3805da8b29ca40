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
charts. A deck takes a few hundred milliseconds; the services keep built decks by the version
of their data (`cache`), so only the first download after a change pays for it.

The builder lives in rooms: `data` (DeckData and its parts, and Box), `drawing` (the sizes and
the helpers that draw into a shape: `fill`, the slide-number field, placeholders, the charts'
boxes and labels, the QR code), `core` (BuilderCore: the master, a new slide, cards and bulleted
points, text boxes, footers), and one room per kind of slide, each a subclass of BuilderCore:
`text` (title, programme, the agenda blocks' slides, questions), `charts` (the audience and the
answers to the team's questions) and `closing` (next steps). DeckBuilder, here, puts the kinds
together and the slides in their order. Everything is re-exported here:
`from materials.decks.builder import DeckData, build_deck`.
"""

from __future__ import annotations

import io

from materials.decks.builder.charts import ChartSlides
from materials.decks.builder.closing import ClosingSlide
from materials.decks.builder.data import AgendaEntry, Box, ContentSlide, DeckData, NextSession
from materials.decks.builder.drawing import chart_boxes, fill, qr_png, short_url
from materials.decks.builder.text import TextSlides


class DeckBuilder(TextSlides, ChartSlides, ClosingSlide):
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


def build_deck(master: bytes, data: DeckData, logo: bytes | None = None) -> bytes:
    """The deck as .pptx bytes on `master`, with the agency's `logo` (PNG or JPEG bytes) in the
    top right corner of every slide, or no logo at all when it is None.

    Raises TemplateInvalid when the master lacks a layout with a title and a text area.
    """
    return DeckBuilder(master, data, logo).build()


__all__ = [
    "AgendaEntry",
    "Box",
    "ContentSlide",
    "DeckBuilder",
    "DeckData",
    "NextSession",
    "build_deck",
    "chart_boxes",
    "fill",
    "qr_png",
    "short_url",
]
