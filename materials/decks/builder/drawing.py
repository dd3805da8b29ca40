"""Drawing helpers the builder's rooms share: the sizes, text into a shape (`fill`), the
slide-number field, placeholders, the charts' boxes and labels, the QR code. Where python-pptx
has no API (the `a:fld` field, `c:tickLblSkip`), the XML goes in through its `element` property.
"""

from __future__ import annotations

import io
import uuid
from functools import lru_cache

import qrcode
from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from materials.decks.builder.data import Box
from materials.decks.content import Chart

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


def slide_number_field(shape, number: int, colour: RGBColor | None) -> None:
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


def number_colour(master) -> RGBColor | None:
    """The colour the master gives its slide number (white on the default's band), if any."""
    for shape in master.placeholders:
        if shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            found = shape.element.find(".//a:lstStyle/a:lvl1pPr/a:defRPr/a:solidFill/a:srgbClr", _NS)
            return RGBColor.from_string(found.get("val")) if found is not None else None
    return None


def placeholder(holder, types):
    for shape in holder.placeholders:
        if shape.placeholder_format.type in types:
            return shape
    return None


# --------------------------------------------------------------------------- charts


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


def label_every_category(chart) -> None:
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


# --------------------------------------------------------------------------- the QR code


@lru_cache(maxsize=8)
def qr_png(url: str) -> bytes:
    image = qrcode.make(url, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
