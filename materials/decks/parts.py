"""The parts of a deck (slides, notes, charts, their workbooks, a picture, footers), made fast.

python-pptx's own `add_slide`, `notes_slide`, `clone_placeholder` and `add_chart` are correct
but slow for a deck of twenty slides: they find placeholders with XPath compiled on every call,
clone the notes master's placeholders for every notes slide, name every new part by walking
the whole package (quadratic in the number of parts), and write each chart's workbook with
xlsxwriter. Together that was about three quarters of a deck's time.

So what is the same for every deck on a master is made once, by python-pptx itself on a
scratch copy of the master, and kept as XML per master (`MasterKit`, cached by the master's
hash): a prototype slide per layout the deck uses (what `add_slide` makes), a prototype notes
slide, the footer shapes, and where the placeholders are and how big. A deck then copies
prototypes, gives parts their names directly (one walk of the package per deck), relates them
with python-pptx's Part classes, and fills text with plain lxml. The result is the XML python-pptx
would have written (tests/materials/test_decks.py checks the deck the way a presenter does).

Using python-pptx internals (SlidePart, NotesSlidePart, ChartPart, EmbeddedXlsxPart, ImagePart,
PackURI, relate_to, the oxml element constructors) is the price of that speed; they are stable
within python-pptx 1.x. Nothing in python-pptx is patched.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import struct
import threading
import time
import uuid
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.spec import default_content_types
from pptx.oxml import parse_xml
from pptx.oxml.shapes.autoshape import CT_Shape
from pptx.oxml.shapes.graphfrm import CT_GraphicalObjectFrame
from pptx.oxml.shapes.picture import CT_Picture
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart
from pptx.parts.image import Image, ImagePart
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.shapes.autoshape import Shape
from pptx.util import Emu, Inches

from materials.decks.template import BODY_TYPES, HEIGHT, WIDTH, find_layouts, open_master

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_P, A_R, A_RPR, A_T, A_BR, A_FLD = (f"{{{_A}}}{tag}" for tag in ("p", "r", "rPr", "t", "br", "fld"))
A_BODYPR, A_END = f"{{{_A}}}bodyPr", f"{{{_A}}}endParaRPr"
P_CNVPR = f"{{{_P}}}cNvPr"
_RUN_CONTENT = {A_R, A_BR, A_FLD}
_AUTOFITS = {f"{{{_A}}}{tag}" for tag in ("noAutofit", "normAutofit", "spAutoFit")}
_AFTER_AUTOFIT = {f"{{{_A}}}{tag}" for tag in ("scene3d", "sp3d", "flatTx", "extLst")}
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")  # as python-pptx escapes them in a run's text
SUBTITLE_TYPES = (PP_PLACEHOLDER.SUBTITLE, *BODY_TYPES)
KIT_CACHE_SIZE = 4


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int


def _box(shape) -> Box:
    return Box(shape.left, shape.top, shape.width, shape.height)


# --------------------------------------------------------------------------- text


def _escape_controls(text: str) -> str:
    return _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def _before_end(p, child) -> None:
    """Add a run, break or field to a paragraph, before its end-of-paragraph properties."""
    end = p.find(A_END)
    if end is None:
        p.append(child)
    else:
        end.addprevious(child)


def _run(text: str, size: int | None = None, bold: bool = False):
    r = etree.Element(A_R)
    if size is not None:
        rpr = etree.SubElement(r, A_RPR, sz=str(size * 100))
        if bold:
            rpr.set("b", "1")
    etree.SubElement(r, A_T).text = _escape_controls(text)
    return r


def text_body(sp):
    """The shape's `p:txBody`, added as python-pptx adds it when the shape has none."""
    return sp.get_or_add_txBody()


def fill(sp, paragraphs: list[str], size: int, *, bold_first: bool = False) -> None:
    """Replace the shape's text with one run per paragraph at `size` points, wrapped, never
    shrunk by the renderer: what python-pptx's word_wrap, auto_size NONE, clear, add_paragraph,
    add_run and font.size write, without its per-call overhead."""
    body = text_body(sp)
    body_pr = body.find(A_BODYPR)
    body_pr.set("wrap", "square")
    for child in list(body_pr):
        if child.tag in _AUTOFITS:
            body_pr.remove(child)
    no_autofit = etree.Element(f"{{{_A}}}noAutofit")
    for child in body_pr:
        if child.tag in _AFTER_AUTOFIT:
            child.addprevious(no_autofit)
            break
    else:
        body_pr.append(no_autofit)
    first, *rest = body.findall(A_P) or [etree.SubElement(body, A_P)]
    for p in rest:
        body.remove(p)
    for child in list(first):
        if child.tag in _RUN_CONTENT:
            first.remove(child)
    for n, text in enumerate(paragraphs):
        p = first if n == 0 else etree.SubElement(body, A_P)
        _before_end(p, _run(text, size, bold_first and n == 0))


def set_text(body, text: str) -> None:
    """A paragraph per line, as python-pptx's `TextFrame.text = text` does (for the notes)."""
    for p in body.findall(A_P):
        body.remove(p)
    for line in text.split("\n"):
        p = etree.SubElement(body, A_P)
        for n, part in enumerate(re.split("\n|\v", line)):
            if n:
                p.append(etree.Element(A_BR))
            if part:
                p.append(_run(part))


# --------------------------------------------------------------------------- the chart's workbook

_XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
_XLSX_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<bookViews><workbookView/></bookViews><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_XLSX_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="styles.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
    "</Relationships>"
)
_XLSX_STYLES = (  # the least Excel accepts: one font, the two required fills, one border, one format
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_XML_INVALID = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")


def _cell_text(ref: str, text: str) -> str:
    text = escape(_XML_INVALID.sub("", str(text)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def category_workbook(categories: list[str], series_name: str, values: list[float | None]) -> bytes:
    """The chart's data as a small .xlsx, laid out as python-pptx's CategoryWorkbookWriter lays it
    out (categories in A2:An, the series' name in B1 and its values in B2:Bn), so the chart's
    references `Sheet1!$A$2:$A$n` and `Sheet1!$B$2:$B$n` point at them.

    Written directly rather than with xlsxwriter, which took a fifth of a deck's time for four
    workbooks of a few cells. Strings are inline (no shared-strings part); Excel, LibreOffice and
    openpyxl read that, and Excel converts it when the data is edited and saved.
    """
    rows = [f'<row r="1">{_cell_text("B1", series_name)}</row>']
    for n, (category, value) in enumerate(zip(categories, values, strict=True), start=2):
        number = "" if value is None else f'<c r="B{n}"><v>{value!r}</v></c>'
        rows.append(f'<row r="{n}">{_cell_text(f"A{n}", category)}{number}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:B{len(categories) + 1}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="10.7109375" customWidth="1"/></cols>'  # as python-pptx sets it
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    members = [
        ("[Content_Types].xml", _XLSX_TYPES),
        ("_rels/.rels", _XLSX_RELS),
        ("xl/workbook.xml", _XLSX_WORKBOOK),
        ("xl/_rels/workbook.xml.rels", _XLSX_WORKBOOK_RELS),
        ("xl/styles.xml", _XLSX_STYLES),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    return zip_members([(name, text.encode()) for name, text in members])


# --------------------------------------------------------------------------- once per master


@dataclass(frozen=True)
class Holder:
    """A placeholder of a prototype slide: its position in the shape tree, and its size (its own
    or inherited from the layout and master, as python-pptx reports it)."""

    position: int
    box: Box


@dataclass(frozen=True)
class LayoutKit:
    index: int  # in prs.slide_layouts
    slide_xml: bytes  # the `p:sld` python-pptx's add_slide makes on this layout
    next_id: int  # the first free shape id on such a slide
    holders: dict[str, Holder]  # "title", "body", "subtitle", as the builder looks them up
    date_xml: bytes  # the footer date: a clone of the layout's date placeholder, else a text box
    date_name: str | None  # "Date Placeholder": the clone is named this plus its id - 1
    number_xml: bytes  # a text box with the slide-number field, where the layout has its number


@dataclass(frozen=True)
class MasterKit:
    """What every deck on one master shares, as XML (immutable, so safe to share across threads)."""

    layouts: dict[str, LayoutKit]  # "title", "content", "title_only"
    notes_xml: bytes  # the notes slide python-pptx makes from the notes master
    notes_body: int | None  # position of its notes placeholder
    content_box: Box  # the content layout's body area

    @classmethod
    def build(cls, master: bytes) -> MasterKit:
        """Made by python-pptx itself, on a scratch copy of the master: a slide per layout the
        deck uses and one notes slide, captured before anything is written on them.

        Raises TemplateInvalid when the master lacks a layout with a title and a body.
        """
        prs = open_master(master)
        found = find_layouts(prs)
        all_layouts = list(prs.slide_layouts)
        colour = _master_number_colour(prs)
        layouts: dict[str, LayoutKit] = {}
        notes_xml, notes_body = b"", None
        for key in ("title", "content", "title_only"):
            layout = getattr(found, key)
            slide = prs.slides.add_slide(layout)
            if not notes_xml:
                notes = slide.notes_slide
                notes_xml = etree.tostring(notes._element)
                holder = notes.notes_placeholder
                notes_body = None if holder is None else notes.shapes._spTree.index(holder._element)
            layouts[key] = _layout_kit(all_layouts.index(layout), layout, slide, colour)
        body = _placeholder(found.content, BODY_TYPES)
        return cls(layouts, notes_xml, notes_body, _box(body))


def _placeholder(holder, types):
    for shape in holder.placeholders:
        if shape.placeholder_format.type in types:
            return shape
    return None


def _layout_kit(index: int, layout, slide, colour: str | None) -> LayoutKit:
    """`slide` is a fresh scratch slide on `layout`; its placeholders are found here once, the
    way the builder used to find them on every slide."""
    tree = slide.shapes._spTree
    slide_xml = etree.tostring(slide._element)
    holders = {}
    for name, shape in (
        ("title", slide.shapes.title),
        ("body", _placeholder(slide, BODY_TYPES)),
        ("subtitle", _placeholder(slide, SUBTITLE_TYPES)),
    ):
        if shape is not None:
            holders[name] = Holder(tree.index(shape._element), _box(shape))
    next_id = tree.max_shape_id + 1
    date_holder = _placeholder(layout, (PP_PLACEHOLDER.DATE,))
    if date_holder is not None:
        slide.shapes.clone_placeholder(date_holder)
        date = tree[-1]
        text_body(date)
        date_name = date.find(f".//{P_CNVPR}").get("name").rsplit(" ", 1)[0]
    else:
        box = Box(Inches(0.5), HEIGHT - Inches(0.45), Inches(5), Inches(0.35))
        date = CT_Shape.new_textbox_sp(0, "Datum", *_xywh(box))
        date_name = None
    number_holder = _placeholder(layout, (PP_PLACEHOLDER.SLIDE_NUMBER,))
    if number_holder is not None:
        box = _box(number_holder)
    else:
        box = Box(WIDTH - Inches(2), HEIGHT - Inches(0.45), Inches(1.5), Inches(0.35))
    number = CT_Shape.new_textbox_sp(0, "Dianummer", box.left, box.top, box.width, box.height)
    _slide_number(Shape(number, None).text_frame, colour)
    return LayoutKit(
        index, slide_xml, next_id, holders, etree.tostring(date), date_name, etree.tostring(number)
    )


def _master_number_colour(prs) -> str | None:
    """The colour the master gives its slide number (white on the default's band), if any."""
    for shape in prs.slide_master.placeholders:
        if shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            found = shape._element.xpath(".//a:lstStyle/a:lvl1pPr/a:defRPr/a:solidFill/a:srgbClr/@val")
            return found[0] if found else None
    return None


def _slide_number(text_frame, colour: str | None) -> None:
    """A slide-number field: PowerPoint and Impress keep it right when slides move. Its id and
    number are set per slide (`DeckParts.footers`)."""
    text_frame.word_wrap = True
    text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    p = paragraph._p
    fld = etree.SubElement(p, A_FLD, id="", type="slidenum")
    rpr = etree.SubElement(fld, A_RPR, lang="nl-BE", sz="1200", dirty="0")
    if colour:
        solid = etree.SubElement(rpr, f"{{{_A}}}solidFill")
        etree.SubElement(solid, f"{{{_A}}}srgbClr", val=colour)
    etree.SubElement(fld, A_T)
    end = p.find(A_END)
    if end is not None:
        p.remove(end)
        p.append(end)


_kits: OrderedDict[bytes, MasterKit] = OrderedDict()
_kits_lock = threading.Lock()


def master_kit(master: bytes) -> MasterKit:
    """The kit of `master`, made on first use and kept for the last few masters (the default and
    an uploaded one, usually), keyed by the master's SHA-256 so a replaced upload is a new kit."""
    key = hashlib.sha256(master).digest()
    with _kits_lock:
        kit = _kits.get(key)
        if kit is not None:
            _kits.move_to_end(key)
            return kit
    kit = MasterKit.build(master)
    with _kits_lock:
        _kits[key] = kit
        while len(_kits) > KIT_CACHE_SIZE:
            _kits.popitem(last=False)
    return kit


# --------------------------------------------------------------------------- once per deck


@dataclass
class DeckSlide:
    part: SlidePart
    layout: LayoutKit
    tree: etree._Element  # p:spTree
    next_id: int
    holders: dict[str, etree._Element] = field(default_factory=dict)

    def box(self, holder: str) -> Box:
        """Where the placeholder is (its own position or the one it inherits)."""
        return self.layout.holders[holder].box

    def take_id(self) -> int:
        """A shape id for a new shape: ids are unique within a slide."""
        self.next_id += 1
        return self.next_id - 1


class _PartNames:
    """Free partnames, from one walk of the package (python-pptx's next_partname walks it on every
    call). Numbers are the lowest free, as python-pptx chooses them."""

    def __init__(self, package):
        self.used = {str(part.partname) for part in package.iter_parts()}

    def next(self, template: str) -> PackURI:
        n = 1
        while template % n in self.used:
            n += 1
        name = template % n
        self.used.add(name)
        return PackURI(name)

    def next_image(self, ext: str) -> PackURI:
        """`/ppt/media/imageN.ext` with N free whatever the extension (python-pptx's rule)."""
        taken = {PackURI(name).idx for name in self.used if name.startswith("/ppt/media/image")}
        n = next(n for n in range(1, len(taken) + 2) if n not in taken)
        name = f"/ppt/media/image{n}.{ext}"
        self.used.add(name)
        return PackURI(name)


class DeckParts:
    """Adds slides (with notes, charts, a picture and footers) to an opened master.

    Call in deck order: `add_slide`, then its `add_notes` and shapes, and `footers` once at the
    end (they go on top of everything else on a slide, as they always did).
    """

    def __init__(self, prs, kit: MasterKit):
        self.prs = prs
        self.kit = kit
        self.package = prs.part.package
        self.slides: list[DeckSlide] = []
        self._layout_parts = {key: prs.slide_layouts[lk.index].part for key, lk in kit.layouts.items()}
        self._names = _PartNames(self.package)
        self._slide_ids = prs.slides._sldIdLst
        self._next_slide_id = max([255, *(int(s.get("id")) for s in self._slide_ids)]) + 1
        self._protos: dict[bytes, etree._Element] = {}

    def _copy(self, xml: bytes):
        """A fresh element from a prototype, parsed once per deck (python-pptx's parser, so the
        elements have its classes) and copied per use."""
        proto = self._protos.get(xml)
        if proto is None:
            proto = self._protos[xml] = parse_xml(xml)
        return copy.deepcopy(proto)

    def add_slide(self, key: str) -> DeckSlide:
        """A slide on the kit's layout `key` ("title", "content", "title_only"), at the end."""
        layout = self.kit.layouts[key]
        element = self._copy(layout.slide_xml)
        part = SlidePart(self._names.next("/ppt/slides/slide%d.xml"), CT.PML_SLIDE, self.package, element)
        part.relate_to(self._layout_parts[key], RT.SLIDE_LAYOUT)
        rid = self.prs.part.relate_to(part, RT.SLIDE)
        self._slide_ids._add_sldId(id=self._next_slide_id, rId=rid)
        self._next_slide_id += 1
        tree = element.cSld.spTree
        holders = {name: tree[holder.position] for name, holder in layout.holders.items()}
        slide = DeckSlide(part, layout, tree, layout.next_id, holders)
        self.slides.append(slide)
        return slide

    def add_notes(self, slide: DeckSlide, text: str) -> None:
        """The slide's notes slide, with `text` a paragraph per line."""
        element = self._copy(self.kit.notes_xml)
        part = NotesSlidePart(
            self._names.next("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE, self.package, element
        )
        # On first use, as python-pptx does (it adds a default notes master when there is none).
        part.relate_to(self.prs.part.notes_master_part, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        if self.kit.notes_body is not None:
            set_text(text_body(element.cSld.spTree[self.kit.notes_body]), text)

    def add_textbox(self, slide: DeckSlide, box: Box):
        shape_id = slide.take_id()
        sp = CT_Shape.new_textbox_sp(shape_id, f"TextBox {shape_id - 1}", *_xywh(box))
        slide.tree.append(sp)
        return sp

    def add_picture(self, slide: DeckSlide, blob: bytes, box: Box) -> None:
        image = Image.from_blob(blob)
        part = ImagePart(
            self._names.next_image(image.ext), image.content_type, self.package, image.blob, image.filename
        )
        rid = slide.part.relate_to(part, RT.IMAGE)
        shape_id = slide.take_id()
        slide.tree.append(
            CT_Picture.new_pic(shape_id, f"Picture {shape_id - 1}", part.desc, rid, *_xywh(box))
        )

    def add_bar_chart(self, slide: DeckSlide, box: Box, categories, series_name: str, values):
        """A native clustered bar chart with its data in an embedded workbook; the python-pptx
        Chart, to format it."""
        data = CategoryChartData()
        data.categories = categories
        data.add_series(series_name, values)
        part = ChartPart.load(
            self._names.next(ChartPart.partname_template),
            CT.DML_CHART,
            self.package,
            data.xml_bytes(XL_CHART_TYPE.BAR_CLUSTERED),
        )
        part.chart_workbook.xlsx_part = EmbeddedXlsxPart(
            self._names.next(EmbeddedXlsxPart.partname_template),
            EmbeddedXlsxPart.content_type,
            self.package,
            category_workbook([c.label for c in data.categories], series_name, list(values)),
        )
        rid = slide.part.relate_to(part, RT.CHART)
        shape_id = slide.take_id()
        name = f"Chart {shape_id - 1}"
        slide.tree.append(CT_GraphicalObjectFrame.new_chart_graphicFrame(shape_id, name, rid, *_xywh(box)))
        return part.chart

    def footers(self, date: str) -> None:
        """The date and a slide-number field on every slide, after everything else on it.

        The number is a text box where the layout keeps its slide number: Impress does not show
        a cloned slide-number placeholder, but it does show a field in a text box.
        """
        dates = {}  # per layout: its date shape, filled once per deck
        for number, slide in enumerate(self.slides, start=1):
            layout = slide.layout
            if layout.date_xml not in dates:
                dates[layout.date_xml] = parse_xml(layout.date_xml)
                fill(dates[layout.date_xml], [date], 12)
            shape = copy.deepcopy(dates[layout.date_xml])
            shape_id = slide.take_id()
            name = shape.find(f".//{P_CNVPR}")
            name.set("id", str(shape_id))
            if layout.date_name is not None:
                name.set("name", f"{layout.date_name} {shape_id - 1}")
            slide.tree.append(shape)
            shape = self._copy(layout.number_xml)
            shape.find(f".//{P_CNVPR}").set("id", str(slide.take_id()))
            fld = shape.find(f".//{A_FLD}")
            fld.set("id", "{" + str(uuid.uuid4()).upper() + "}")
            fld.find(A_T).text = str(number)
            slide.tree.append(shape)


def _xywh(box: Box) -> tuple[int, int, int, int]:
    return Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)


# --------------------------------------------------------------------------- saving

_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_BY_EXTENSION = set(default_content_types)  # (extension, content type) given as a Default


@lru_cache(maxsize=4096)
def _relative_ref(partname: str, base_uri: str) -> str:
    """A relationship's target as the .rels item writes it (`../slideLayouts/slideLayout2.xml`).

    python-pptx computes it with posixpath.relpath for every relationship of every deck; the same
    few hundred pairs come back every time."""
    return PackURI(partname).relative_ref(base_uri)


def _rid_order(rel) -> tuple[int, str]:
    number = rel.rId[3:]
    return (int(number) if rel.rId.startswith("rId") and number.isdigit() else 0, rel.rId)


def _rels_xml(rels, base_uri: str) -> bytes:
    """A .rels item, byte for byte as python-pptx writes it (which builds each relationship by
    parsing a snippet of XML)."""
    root = etree.Element(f"{{{_PR}}}Relationships", nsmap={None: _PR})
    for rel in sorted(rels.values(), key=_rid_order):
        if rel.is_external:
            attributes = {
                "Id": rel.rId,
                "Type": rel.reltype,
                "Target": rel.target_ref,
                "TargetMode": "External",
            }
        else:
            target = _relative_ref(str(rel.target_partname), base_uri)
            attributes = {"Id": rel.rId, "Type": rel.reltype, "Target": target}
        etree.SubElement(root, f"{{{_PR}}}Relationship", attributes)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _content_types(parts) -> bytes:
    """[Content_Types].xml as python-pptx writes it: a Default per known extension, an Override
    for every other part, both sorted."""
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for part in parts:
        extension = part.partname.ext.lower()
        if (extension, part.content_type) in _BY_EXTENSION:
            defaults[extension] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    root = etree.Element(f"{{{_CT}}}Types", nsmap={None: _CT})
    for extension, content_type in sorted(defaults.items()):
        etree.SubElement(root, f"{{{_CT}}}Default", {"Extension": extension, "ContentType": content_type})
    for partname, content_type in sorted(overrides.items()):
        etree.SubElement(root, f"{{{_CT}}}Override", {"PartName": partname, "ContentType": content_type})
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def save(prs) -> bytes:
    """The presentation as .pptx bytes: the members python-pptx's `save` writes, in its order,
    zipped by `zip_members`."""
    package = prs.part.package
    parts = tuple(package.iter_parts())
    members = [("[Content_Types].xml", _content_types(parts)), ("_rels/.rels", _rels_xml(package._rels, "/"))]
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if part._rels:
            members.append((part.partname.rels_uri.membername, _rels_xml(part._rels, part.partname.baseURI)))
    return zip_members(members)


def _compressor(size: int):
    """A raw-deflate compressor no bigger than a member of `size` bytes needs: a window at least
    as large as the member (so it compresses as well as the default 32 KiB window) and hash
    tables to match. zipfile gives every member the full 256 KiB of state; for a deck's ~130
    small members, getting that memory (glibc hands it back after each member) costs more than
    the compressing, about 10 ms a deck."""
    window = max(9, min(15, (size - 1).bit_length()))
    return zlib.compressobj(6, zlib.DEFLATED, -window, max(1, min(8, window - 6)))


def zip_members(members: list[tuple[str, bytes]]) -> bytes:
    """A zip archive (deflated members, no zip64: a deck is far below 4 GiB and 65,535 members),
    as zipfile writes it but with `_compressor`. Checked by reading it back with zipfile,
    python-pptx, openpyxl and LibreOffice (tests/materials)."""
    year, month, day, hour, minute, second = time.localtime()[:6]
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    out, directory = io.BytesIO(), io.BytesIO()
    for name, data in members:
        raw_name = name.encode()
        flags = 0 if raw_name.isascii() else 0x800  # the name is UTF-8
        compressor = _compressor(len(data))
        packed = compressor.compress(data) + compressor.flush()
        crc = zlib.crc32(data)
        offset = out.tell()
        sizes = (crc, len(packed), len(data), len(raw_name))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, dos_time, dos_date, *sizes, 0))
        out.write(raw_name)
        out.write(packed)
        directory.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                flags,
                8,
                dos_time,
                dos_date,
                *sizes,
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        directory.write(raw_name)
    start, listing = out.tell(), directory.getvalue()
    out.write(listing)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(listing), start, 0))
    return out.getvalue()
