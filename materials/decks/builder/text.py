"""The slides of words: the title slide, the programme, the agenda blocks' slides (a divider
for a block without slides of its own) and the questions sent in beforehand, by theme."""

from __future__ import annotations

from flask_babel import gettext as _
from pptx.enum.shapes import PP_PLACEHOLDER

from materials.decks import fitting
from materials.decks.builder.core import BuilderCore
from materials.decks.builder.data import Box
from materials.decks.builder.drawing import BODY_SIZES, SUBTITLE_SIZES, fill, placeholder
from materials.decks.template import BODY_TYPES


class TextSlides(BuilderCore):
    def title_slide(self) -> None:
        d = self.data
        notes = _(
            "Welkom iedereen. Stel jezelf voor en zeg wie er nog presenteert. Vandaag: %(title)s. "
            "Er zijn %(count)s mensen ingeschreven.",
            title=d.title,
            count=d.registered,
        )
        slide = self.slide(self.layouts.title, d.title, notes)
        lines = [d.date_line, d.place]
        if d.presenters:
            lines.append(_("Met %(names)s", names=", ".join(d.presenters)))
        self._subtitle(slide, lines)
        self.footers(slide)

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
            slide = self.slide(self.layouts.content, _("Programma") + suffix, notes)
            fill(placeholder(slide, BODY_TYPES), chunk, size)
            self.footers(slide)

    def content_slides(self) -> None:
        for item in self.data.content:
            notes = f"{item.block} ({item.when}). {item.notes}".strip()
            if item.divider:
                self._divider(item.title, item.bullets, notes)
            else:
                self.points(item.title, item.bullets or [item.block], notes)

    def _subtitle(self, slide, lines: list[str]) -> None:
        """Lines under a title-layout slide's title, as large as the subtitle's box allows."""
        subtitle = placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, *BODY_TYPES))
        if subtitle is not None:
            box = Box.of(subtitle)
            frame = fitting.Frame.of(box.width, box.height)
            size = fitting.best_size(lines, frame, largest=SUBTITLE_SIZES[0], smallest=SUBTITLE_SIZES[1])
            fill(subtitle, lines, size or SUBTITLE_SIZES[1])

    def _divider(self, title: str, lines: list[str], notes: str) -> None:
        """A section slide on the title layout: the block's title large, its time under it."""
        slide = self.slide(self.layouts.title, title, notes)
        self._subtitle(slide, lines)
        self.footers(slide)

    def question_slides(self) -> None:
        groups = self.data.questions
        if not groups:
            self.points(
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
            self.points(
                _("Jullie vragen: %(theme)s", theme=group.title),
                group.questions,
                notes,
                largest=24,
                smallest=14,
            )
