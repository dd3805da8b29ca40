"""The master a deck is built on: the agency's default, made here by code, or an admin's upload.

No binary template lives in the repository: `build_default_master` makes one from python-pptx's
own blank presentation (16:9, the agency's colours and font in the theme, a footer band with the
date and slide number placeholders), so anyone can change and rebuild it. It is made once per
process (`default_master`) and its bytes are part of every deck's cache key.

python-pptx has no API for a master's shapes, its text styles or the theme. For those three,
this module edits XML through what python-pptx offers for it in public: the documented
`element` property of its objects (the lxml element they proxy) and `Part.blob` for the theme
part, which python-pptx keeps as plain bytes. The edits are plain lxml, on the master only,
once; slides are only ever made by python-pptx's own `add_slide`.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

from app.errors import DomainError

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 inches: 16:9
BRAND = "00558C"
BRAND_DARK = "003E66"
INK = "1D2530"
ACCENTS = ["00558C", "E07B00", "1E6B35", "7A3E9D", "B3261E", "4A5563"]
FONT = "Arial"
BAND_HEIGHT = Inches(0.5)
#: Where a slide's logo goes (top right); the default master's titles stop short of it.
LOGO_WIDTH, LOGO_HEIGHT, LOGO_MARGIN = Inches(1.6), Inches(0.75), Inches(0.25)

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = {"a": _A, "p": _P}
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
FOOTER_TYPES = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


class TemplateInvalid(DomainError):
    pass


# --------------------------------------------------------------------------- the default master


def _theme(prs) -> None:
    """Colours and fonts in the theme, so charts and text pick them up and an editor can change them."""
    theme_part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme_part.blob)
    scheme = root.find(".//a:clrScheme", _NS)
    scheme.set("name", "Startklaar")
    colours = {"dk2": BRAND_DARK, "hlink": BRAND}
    colours.update({f"accent{n}": value for n, value in enumerate(ACCENTS, start=1)})
    for name, value in colours.items():
        slot = scheme.find(f"a:{name}", _NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{_A}}}srgbClr", val=value)
    fonts = root.find(".//a:fontScheme", _NS)
    fonts.set("name", "Startklaar")
    for latin in fonts.iterfind("./*/a:latin", _NS):
        latin.set("typeface", FONT)
    theme_part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _widen(shapes, scale: float) -> None:
    for shape in shapes:
        if shape.left is None:
            continue
        # Read all four first: setting one writes an explicit position that hides the inherited rest.
        left, top, width, height = shape.left, shape.top, shape.width, shape.height
        shape.left, shape.width = Emu(int(left * scale)), Emu(int(width * scale))
        shape.top, shape.height = top, height


def _text_styles(master) -> None:
    styles = master.element.find("p:txStyles", _NS)
    title = styles.find("p:titleStyle/a:lvl1pPr", _NS)
    title.set("algn", "l")
    title.find("a:defRPr", _NS).set("sz", "3600")
    title.find("a:defRPr", _NS).set("b", "1")
    fill = title.find("a:defRPr/a:solidFill/a:schemeClr", _NS)
    fill.set("val", "tx2")
    for level, size in (("lvl1pPr", "2400"), ("lvl2pPr", "2000"), ("lvl3pPr", "1800")):
        styles.find(f"p:bodyStyle/a:{level}/a:defRPr", _NS).set("sz", size)


def _footer_band(prs) -> None:
    """A brand-coloured band at the bottom of the master holding the date, footer and slide number.

    python-pptx adds shapes to slides only: the band is drawn on a scratch slide and its element
    copied into the master's shape tree, behind the placeholders."""
    master = prs.slide_master
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, HEIGHT - BAND_HEIGHT, WIDTH, BAND_HEIGHT)
    band.name = "Voettekstband"
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(BRAND)
    band.line.fill.background()
    band.shadow.inherit = False
    # No theme style: the default shape style would add an outline and effects of its own.
    style = band.element.find("p:style", _NS)
    if style is not None:
        band.element.remove(style)
    tree = master.shapes.element
    tree.insert(2, copy.deepcopy(band.element))  # right after the group's own properties
    drop_slides(prs)
    for layout in prs.slide_layouts:
        for shape in layout.placeholders:
            if shape.placeholder_format.type in FOOTER_TYPES:
                left, width = shape.left, shape.width
                shape.top, shape.height = HEIGHT - BAND_HEIGHT + Inches(0.06), BAND_HEIGHT - Inches(0.12)
                shape.left, shape.width = left, width
    for shape in master.placeholders:
        if shape.placeholder_format.type in FOOTER_TYPES:
            shape.top, shape.height = HEIGHT - BAND_HEIGHT + Inches(0.06), BAND_HEIGHT - Inches(0.12)
            body = shape.element.find("p:txBody", _NS)
            pPr = body.find("a:lstStyle/a:lvl1pPr", _NS)
            if pPr is None:
                lst = body.find("a:lstStyle", _NS)
                pPr = etree.SubElement(lst, f"{{{_A}}}lvl1pPr")
            rpr = pPr.find("a:defRPr", _NS)
            if rpr is None:
                rpr = etree.SubElement(pPr, f"{{{_A}}}defRPr")
            rpr.set("sz", "1200")
            for child in list(rpr):
                rpr.remove(child)
            fill = etree.SubElement(rpr, f"{{{_A}}}solidFill")
            etree.SubElement(fill, f"{{{_A}}}srgbClr", val="FFFFFF")


def logo_box_left() -> int:
    return WIDTH - LOGO_MARGIN - LOGO_WIDTH


def _clear_of_logo(prs) -> None:
    """Titles near the top stop short of where a logo goes."""
    logo_left = logo_box_left() - Inches(0.1)
    for shapes in [prs.slide_master.placeholders, *(layout.placeholders for layout in prs.slide_layouts)]:
        for shape in shapes:
            kind = shape.placeholder_format.type
            near_top = shape.top is not None and shape.top < Inches(1.0)
            if kind in TITLE_TYPES and near_top and shape.left + shape.width > logo_left:
                shape.width = Emu(logo_left - shape.left)


def _align_subtitle(layout) -> None:
    """The title slide's subtitle starts where its title starts (python-pptx's is indented) and
    is left-aligned under it."""
    title = next((ph for ph in layout.placeholders if ph.placeholder_format.type in TITLE_TYPES), None)
    subtitle = next(
        (ph for ph in layout.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None
    )
    if title is None or subtitle is None:
        return
    top, height = subtitle.top, subtitle.height  # read first: setting one position writes all four
    subtitle.left, subtitle.width = title.left, title.width
    subtitle.top, subtitle.height = top, height
    styles = subtitle.element.find("p:txBody/a:lstStyle", _NS)
    if styles is not None:
        for paragraph_style in styles:
            paragraph_style.set("algn", "l")


def drop_slides(prs) -> None:
    """Remove every slide: its entry in the slide list and the presentation's relationship to it
    (python-pptx then leaves the slide, its notes and its media out when it saves)."""
    slide_list = prs.slides.element
    for slide_id in list(slide_list):
        prs.part.drop_rel(slide_id.get(f"{{{_R}}}id"))
        slide_list.remove(slide_id)


def build_default_master() -> bytes:
    """The agency's default master as .pptx bytes (no slides; layouts of python-pptx's template)."""
    prs = Presentation()
    scale = WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    # Layouts first: their placeholders without a position of their own inherit the master's.
    for layout in prs.slide_layouts:
        _widen(layout.placeholders, scale)
    _widen(prs.slide_master.shapes, scale)
    _theme(prs)
    _text_styles(prs.slide_master)
    _footer_band(prs)
    _clear_of_logo(prs)
    _align_subtitle(prs.slide_layouts[0])
    prs.core_properties.title = "Startklaar"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def default_master() -> bytes:
    return build_default_master()


# --------------------------------------------------------------------------- any master


@dataclass
class Layouts:
    title: object
    content: object
    title_only: object


def _has(layout, types) -> bool:
    return any(ph.placeholder_format.type in types for ph in layout.placeholders)


def find_layouts(prs) -> Layouts:
    """The layouts a deck needs, found by their placeholders (names differ per language).

    Raises TemplateInvalid when there is no layout with a title and a text or content area.
    """
    layouts = list(prs.slide_layouts)
    content = [lo for lo in layouts if _has(lo, (PP_PLACEHOLDER.TITLE,)) and _has(lo, BODY_TYPES)]
    if not content:
        raise TemplateInvalid(
            _l("Het sjabloon heeft geen lay-out met een titel en een tekstvak (zoals 'Titel en inhoud').")
        )
    titles = [lo for lo in layouts if _has(lo, (PP_PLACEHOLDER.CENTER_TITLE,))]
    only = [lo for lo in layouts if _has(lo, (PP_PLACEHOLDER.TITLE,)) and not _has(lo, BODY_TYPES)]
    return Layouts(title=(titles or content)[0], content=content[0], title_only=(only or content)[0])


def check_master(data: bytes) -> None:
    """Refuse a master a deck cannot be built on, with a message an admin understands.

    Raises TemplateInvalid when python-pptx cannot open it, it is not 16:9, or it lacks layouts.
    """
    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as error:  # python-pptx raises many kinds for a broken package
        raise TemplateInvalid(_l("Dit PowerPoint-bestand kunnen we niet openen."), field="file") from error
    ratio = prs.slide_width / prs.slide_height if prs.slide_height else 0
    if abs(ratio - 16 / 9) > 0.02:
        raise TemplateInvalid(
            _l("Het sjabloon moet breedbeeld (16:9) zijn; dit is een ander formaat."), field="file"
        )
    try:
        find_layouts(prs)
    except TemplateInvalid as error:
        raise TemplateInvalid(error.message, field="file") from error


def open_master(data: bytes):
    """A Presentation of the master with its own example slides removed."""
    prs = Presentation(io.BytesIO(data))
    if len(prs.slides):
        drop_slides(prs)
    return prs
