"""What every kind of slide is made with: the master and its layouts, a new slide (logo, title,
speaker notes), points as cards or as bulleted slides that run on, text boxes, and the footers
(the session's date and a slide-number field). The kinds of slides subclass BuilderCore."""

from __future__ import annotations

import io
import logging

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from materials.decks import fitting
from materials.decks.builder.data import Box, DeckData
from materials.decks.builder.drawing import (
    BODY_SIZES,
    BOLD_WIDTH,
    BULLET_INSET,
    CARD_GAP,
    CARD_MAX,
    CARD_PADDING_PT,
    CARD_ROW_LINES,
    CARD_SIZES,
    TITLE_SIZES,
    fill,
    number_colour,
    placeholder,
    slide_number_field,
)
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

log = logging.getLogger(__package__)  # materials.decks.builder, as before it was a package


class BuilderCore:
    def __init__(self, master: bytes, data: DeckData, logo: bytes | None = None):
        self.prs = open_master(master)
        self.layouts = find_layouts(self.prs)  # raises TemplateInvalid for a master without layouts
        self.data = data
        self.logo = logo
        self.content_box = Box.of(placeholder(self.layouts.content, BODY_TYPES))
        self.body_frame = fitting.Frame.of(
            self.content_box.width, self.content_box.height, inset_x_pt=BULLET_INSET
        )
        self.number_colour = number_colour(self.prs.slide_master)

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

    def slide(self, layout, title: str, notes: str):
        """A new slide on `layout`, with the logo, the title at a size that fits, and the notes."""
        slide = self.prs.slides.add_slide(layout)
        self._logo(slide)
        self._title(slide, title)
        notes_frame = slide.notes_slide.notes_text_frame
        if notes_frame is not None:  # a notes master without a notes area
            notes_frame.text = notes
        return slide

    def points(self, title: str, items: list[str], notes: str, *, largest=None, smallest=None) -> None:
        """A few short points as cards on one slide, else one or more bulleted slides ("(2/3)" in
        the title when the list runs over)."""
        if self._cards(title, items, notes):
            return
        largest, smallest = largest or BODY_SIZES[0], smallest or BODY_SIZES[1]
        pages = fitting.paginate(items, self.body_frame, largest=largest, smallest=smallest)
        for n, (chunk, size) in enumerate(pages, start=1):
            suffix = f" ({n}/{len(pages)})" if len(pages) > 1 else ""
            slide = self.slide(self.layouts.content, title + suffix, notes)
            fill(placeholder(slide, BODY_TYPES), chunk, size)
            self.footers(slide)

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
        slide = self.slide(self.layouts.title_only, title, notes)
        for n, (item, box) in enumerate(zip(items, boxes, strict=True)):
            self._card(slide, box, item, size).name = f"Kaart {n + 1}"
        self.footers(slide)
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

    def footers(self, slide) -> None:
        """The session's date where the layout keeps its date (a copy of that placeholder, or a
        text box at the bottom left), and the slide number in a text box with a field where the
        layout keeps its number (Impress does not show a slide-number placeholder copied to a
        slide, but it does show the field)."""
        layout = slide.slide_layout
        date_holder = placeholder(layout, (PP_PLACEHOLDER.DATE,))
        if date_holder is not None:
            slide.shapes.clone_placeholder(date_holder)
            date = slide.shapes[-1]
        else:
            date = slide.shapes.add_textbox(Inches(0.5), HEIGHT - Inches(0.45), Inches(5), Inches(0.35))
            date.name = "Datum"
        fill(date, [self.data.footer_date], 12)
        number_holder = placeholder(layout, (PP_PLACEHOLDER.SLIDE_NUMBER,))
        if number_holder is not None:
            box = Box.of(number_holder)
        else:
            box = Box(WIDTH - Inches(2), HEIGHT - Inches(0.45), Inches(1.5), Inches(0.35))
        number = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        number.name = "Dianummer"
        slide_number_field(number, len(self.prs.slides), self.number_colour)

    def textbox(self, slide, box: Box, text: str, sizes, *, bold=False):
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
