"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable by a screen reader.

A chart is an <svg role="img"> with a <title> and a <desc>; the page puts the same numbers in
a table beside it (WCAG 1.1.1: the table is the text alternative, the chart the picture). The
colours keep at least 3:1 against white (WCAG 1.4.11) and the series also differ by the value
written at the end of each bar, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Contrast on white: 7.3, 4.9, 5.9, 4.6, 8.6 : 1.
PALETTE = ("#00558c", "#b05a00", "#1e6b35", "#8a3ffc", "#4a5563")
WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 70
BAR = 14
GAP = 10


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _number(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.0f} %"
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:.1f}".replace(".", ",")


def bar_chart(
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    percent: bool = False,
    summary: str = "",
) -> Markup:
    """Horizontal bars: one group per category, one bar per series (at most five series).

    `key` makes the ids inside the SVG unique on the page."""
    if not 1 <= len(series) <= len(PALETTE):
        raise ValueError("a bar chart shows one to five series")
    chart_id = f"grafiek-{key}"
    top = 8 + (22 if len(series) > 1 else 0)  # room for the legend
    group = len(series) * BAR + GAP
    height = top + max(len(categories), 1) * group + 8
    values = [v for s in series for v in s.values if v is not None]
    scale_max = 100.0 if percent else max(values, default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary or title)}</desc>',
    ]
    if len(series) > 1:
        x = LABEL_WIDTH
        for index, one in enumerate(series):
            parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[index]}"/>')
            parts.append(f'<text x="{x + 16}" y="16" class="chart-legend">{escape(one.name)}</text>')
            x += 24 + 7 * len(one.name)
    for row, category in enumerate(categories):
        y0 = top + row * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y0 + len(series) * BAR / 2 + 4:.0f}" text-anchor="end" '
            f'class="chart-label">{escape(category)}</text>'
        )
        for index, one in enumerate(series):
            value = one.values[row]
            y = y0 + index * BAR
            length = 0 if value is None else max(plot * min(value / scale_max, 1), 0)
            colour, x = PALETTE[index], LABEL_WIDTH + length + 4
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR - 2}" fill="{colour}"/>'
            )
            shown = "–" if value is None else _number(value, percent)
            parts.append(f'<text x="{x:.1f}" y="{y + BAR - 3}" class="chart-value">{shown}</text>')
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{top - 2}" x2="{LABEL_WIDTH}" y2="{height - 6}" stroke="#4a5563"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()
