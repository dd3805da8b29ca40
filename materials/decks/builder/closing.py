"""The closing slide: how to ask for an intake (a QR code and the short address) and the
next sessions on the topic, in a table made with `add_table`."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Emu, Inches, Pt

from materials.decks import fitting
from materials.decks.builder.core import BuilderCore
from materials.decks.builder.data import Box, NextSession
from materials.decks.builder.drawing import BOLD_WIDTH, TABLE_SIZES, fill, qr_png, short_url


class ClosingSlide(BuilderCore):
    def next_steps_slide(self) -> None:
        """Left: how to ask for an intake, with a QR code and the short address under it. Right:
        the next sessions on this topic as a small table."""
        d = self.data
        slide = self.slide(
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
            self.textbox(
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
            self.textbox(
                slide,
                Box(below.left, below.top, below.width, Inches(1.2)),
                _("Nieuwe data staan op %(site)s.", site=short_url(d.intake_url).split("/")[0]),
                (20, 14),
            )
        self.footers(slide)

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
