"""Helpers for the deck tests: a master an admin might upload."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches

from materials.decks.builder import qr_png


def other_master() -> bytes:
    """An uploaded master unlike the default: python-pptx's own layouts at 16:9 without date and
    slide-number placeholders (so the footers fall back to text boxes), with two example slides,
    one with notes and a picture, that the deck must drop."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for layout in prs.slide_layouts:
        for shape in list(layout.placeholders):
            if shape.placeholder_format.type in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER):
                shape._element.getparent().remove(shape._element)
    example = prs.slides.add_slide(prs.slide_layouts[0])
    example.shapes.title.text = "Voorbeeld"
    example.notes_slide.notes_text_frame.text = "Voorbeeldnotities"
    example.shapes.add_picture(io.BytesIO(qr_png("https://example.org/logo")), 0, 0, Inches(1), Inches(1))
    prs.slides.add_slide(prs.slide_layouts[5])
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
