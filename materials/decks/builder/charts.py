"""The slides of charts: the audience's profile and the answers to the team's choice
questions, as bar charts made with `add_chart` (python-pptx writes their workbooks)."""

from __future__ import annotations

from flask_babel import gettext as _
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.util import Pt

from materials.decks import fitting
from materials.decks.builder.core import BuilderCore
from materials.decks.builder.data import Box
from materials.decks.builder.drawing import (
    BOLD_WIDTH,
    CHART_FONT_PT,
    CHART_TITLE_PT,
    chart_boxes,
    label_every_category,
)
from materials.decks.content import Chart


def in_words(charts: list[Chart]) -> str:
    """The charts for the speaker notes: "Title: a 3, b 2." for each."""
    return " ".join(
        f"{c.title}: " + ", ".join(f"{k} {v}" for k, v in zip(c.categories, c.values, strict=True)) + "."
        for c in charts
    )


class ChartSlides(BuilderCore):
    def audience_slide(self) -> None:
        charts = self.data.charts
        if charts is None:
            return  # too few registrations to show a profile without recognising someone
        slide = self.slide(
            self.layouts.title_only,
            _("Wie is er vanavond?") if self.data.evening else _("Wie is er vandaag?"),
            _(
                "Het profiel van de %(count)s bevestigde inschrijvingen. Vraag wie al een locatie "
                "heeft en wie al een ondernemingsplan maakte. %(details)s",
                count=self.data.registered,
                details=in_words(charts),
            ),
        )
        self._charts(slide, charts)
        self.footers(slide)

    def answers_slides(self) -> None:
        """The answers to the team's choice questions, four charts a slide, after the profile."""
        charts = self.data.answer_charts
        for start in range(0, len(charts), 4):
            chunk = charts[start : start + 4]
            slide = self.slide(
                self.layouts.title_only,
                _("Wat ze ons vertelden"),
                in_words(chunk),
            )
            self._charts(slide, chunk)
            self.footers(slide)

    def _charts(self, slide, charts: list[Chart]) -> None:
        boxes = chart_boxes(self.content_box, charts)
        # One size for every chart's title, on one line: Impress gives a chart's title about three
        # quarters of the chart's width and breaks a long word where it runs out.
        room = fitting.Frame(boxes[0].width * 0.75 / fitting.EMU_PER_PT / BOLD_WIDTH, CHART_TITLE_PT * 1.3)
        titles = [chart.title for chart in charts]
        title_size = fitting.best_size(titles, room, largest=CHART_TITLE_PT, smallest=CHART_FONT_PT - 1)
        for chart, box in zip(charts, boxes, strict=True):
            self._bar_chart(slide, box, chart, title_size or CHART_FONT_PT - 1)

    def _bar_chart(self, slide, box: Box, chart: Chart, title_size: int) -> None:
        data = CategoryChartData()
        data.categories = chart.categories
        data.add_series(_("Aantal"), chart.values)
        native = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width, box.height, data
        ).chart
        native.has_title = True
        native.chart_title.text_frame.text = chart.title
        title_font = native.chart_title.text_frame.paragraphs[0].runs[0].font
        title_font.size, title_font.bold = Pt(title_size), True
        native.has_legend = False
        native.font.size = Pt(CHART_FONT_PT)
        plot = native.plots[0]
        plot.gap_width = 40
        plot.vary_by_categories = False
        plot.has_data_labels = True
        plot.data_labels.font.size = Pt(CHART_FONT_PT)
        axis = native.category_axis
        axis.reverse_order = True  # first category on top, as it reads
        axis.major_tick_mark = XL_TICK_MARK.NONE
        axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        axis.tick_labels.font.size = Pt(CHART_FONT_PT)
        native.value_axis.visible = False
        native.value_axis.has_major_gridlines = False
        label_every_category(native)
