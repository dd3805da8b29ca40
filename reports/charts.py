"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable at a phone's width.

A chart is horizontal bars, one group per category (a month, a province, a topic), one bar per
series. It is an <svg role="img"> with a <title> and a <desc>; the page puts the same numbers in
a table beside it (WCAG 1.1.1: the table is the text alternative, the chart the picture).

- Text stays the size of the page's text: the SVG has no viewBox, so it is never scaled down.
  Its width is the width of its box; bar lengths are percentages of it, heights are fixed.
- A category's name stands on its own line above its bars, so it has the whole width: a long
  name wraps onto a second line, and a name longer still is cut with "…" and keeps its full
  text in a <title> (shown on hover; the table beside the chart has it in full).
- Every bar has its value written at its end; the longest bar takes at most `PLOT` % of the
  width, so the value always fits beside it.
- Colour is never the only cue (WCAG 1.4.1): each series also has its own pattern (plain,
  stripes, dots, cross-hatching, vertical lines), the same in the legend, and the bars of a group
  are always in the legend's order. The colours keep at least 3:1 against white (WCAG 1.4.11).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Contrast on white: 7.3, 4.9, 5.9, 4.6, 8.6 : 1.
PALETTE = ("#00558c", "#b05a00", "#1e6b35", "#8a3ffc", "#4a5563")
FONT = 13  # px, as the page's small text
LINE = 17  # height of a line of a category's name
BAR = 12
BAR_GAP = 2
ROW_GAP = 12
PLOT = 78  # % of the width for the longest bar; the rest holds its value
LABEL_CHARS = 36  # a line of a category's name: fits a phone's width at FONT px
LABEL_LINES = 2


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _number(value: float, percent: bool) -> str:
    """As the table beside the chart writes it: 1.234 for a count, 12,5 for a rate or a median."""
    if percent:
        return f"{value:.0f} %"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return f"{value:.1f}".replace(".", ",")


def _pattern(pattern_id: str, index: int) -> str:
    """The fill of series `index`: its colour, with white marks from the second series on."""
    colour = PALETTE[index]
    marks = [
        "",
        '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#fff" stroke-width="1.5"/>',
        '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
        '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#fff" stroke-width="1"/>',
        '<path d="M3,0 V6" stroke="#fff" stroke-width="1.5"/>',
    ][index]
    return (
        f'<pattern id="{pattern_id}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>'
    )


def _label_lines(text: str) -> tuple[list[str], bool]:
    """The name on at most LABEL_LINES lines, and whether it had to be cut."""
    lines = textwrap.wrap(text, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) <= LABEL_LINES:
        return lines, False
    kept = lines[:LABEL_LINES]
    kept[-1] = textwrap.shorten(" ".join(lines[LABEL_LINES - 1 :]), LABEL_CHARS, placeholder=" …")
    return kept, True


def legend(key: str, series: Sequence[Series]) -> Markup:
    """The key of a chart with more than one series: a list that wraps on a narrow screen, each
    name with a swatch in its series' colour and pattern (the swatches are decoration)."""
    items = []
    for index, one in enumerate(series):
        items.append(
            '<li><svg width="16" height="12" aria-hidden="true" focusable="false">'
            f'<rect x="0.5" y="0.5" width="15" height="11" fill="url(#{key}-p{index})" '
            f'stroke="{PALETTE[index]}"/>'
            f"</svg>{escape(one.name)}</li>"
        )
    return Markup(f'<ul class="chart-legend">{"".join(items)}</ul>')  # noqa: S704 - names escaped


def bar_chart(
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    percent: bool = False,
    summary: str = "",
) -> Markup:
    """Horizontal bars: one group per category, one bar per series (one to five series), with
    the legend before the chart when there is more than one series.

    `key` makes the ids inside the SVG unique on the page."""
    if not 1 <= len(series) <= len(PALETTE):
        raise ValueError("a bar chart shows one to five series")
    chart_id = f"grafiek-{key}"
    values = [v for s in series for v in s.values if v is not None]
    scale_max = 100.0 if percent else max(values, default=0) or 1
    body: list[str] = []
    y = 0
    for row, category in enumerate(categories):
        lines, cut = _label_lines(str(category))
        tooltip = f"<title>{escape(category)}</title>" if cut else ""
        spans = "".join(
            f'<tspan x="2" y="{y + FONT + n * LINE}">{escape(line)}</tspan>' for n, line in enumerate(lines)
        )
        body.append(f'<text class="chart-label">{tooltip}{spans}</text>')
        y += len(lines) * LINE + 3
        for index, one in enumerate(series):
            value = one.values[row]
            share = 0.0 if value is None else max(min(value / scale_max, 1), 0) * PLOT
            if share > 0:
                body.append(
                    f'<rect x="0.5" y="{y + 0.5}" width="{share:.2f}%" height="{BAR - 1}" '
                    f'fill="url(#{chart_id}-p{index})" stroke="{PALETTE[index]}"/>'
                )
            shown = "–" if value is None else _number(value, percent)
            body.append(f'<text class="chart-value" x="{share:.2f}%" dx="5" y="{y + BAR - 2}">{shown}</text>')
            y += BAR + BAR_GAP
        y += ROW_GAP
    height = max(y - ROW_GAP + 2, LINE)
    patterns = "".join(_pattern(f"{chart_id}-p{index}", index) for index in range(len(series)))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" height="{height}" '
        f'font-size="{FONT}" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary or title)}</desc>'
        f"<defs>{patterns}</defs>{''.join(body)}</svg>"
    )
    key_list = legend(chart_id, series) if len(series) > 1 else ""
    return Markup(f"{key_list}{svg}")  # noqa: S704 - every text in it went through escape()
