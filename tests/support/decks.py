"""Helpers for the deck tests: a master an admin might upload, and an agency logo."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches


def other_master() -> bytes:
    """An uploaded master unlike the default: python-pptx's own layouts at 16:9 without date and
    slide-number placeholders (so the footers fall back to text boxes), with two example slides,
    one with notes and a picture, that the deck must drop."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for layout in prs.slide_layouts:
        for shape in list(layout.placeholders):
            if shape.placeholder_format.type in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER):
                shape.element.getparent().remove(shape.element)
    example = prs.slides.add_slide(prs.slide_layouts[0])
    example.shapes.title.text = "Voorbeeld"
    example.notes_slide.notes_text_frame.text = "Voorbeeldnotities"
    example.shapes.add_picture(io.BytesIO(logo_png()), 0, 0, Inches(1), Inches(1))
    prs.slides.add_slide(prs.slide_layouts[5])
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def logo_png(width: int = 600, height: int = 200) -> bytes:
    """An agency logo as an admin would upload it: a wide PNG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).ellipse((10, 10, height - 10, height - 10), fill=(224, 123, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
