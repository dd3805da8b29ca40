"""The charts stay readable: names never clipped, values beside their bars, series told apart by
more than colour, and text that keeps the page's size at any width."""

from __future__ import annotations

import re

from reports.charts import LABEL_CHARS, PLOT, Series, bar_chart

LONG = "Subsidies: basissubsidie, inkomenstarief, plussubsidie"
VERY_LONG = "Opportuniteitsadvies en samenwerken met je gemeente, de provincie en het agentschap Opgroeien"


def chart(**kw) -> str:
    values = dict(
        key="test",
        title="Inschrijvingen per thema",
        categories=["Kort", LONG, VERY_LONG],
        series=[Series("Inschrijvingen", [12, 1234, 0]), Series("Aanwezig", [10, 987, None])],
        summary="Hoeveel mensen per thema.",
    )
    values.update(kw)
    return str(bar_chart(**values))


def label_lines(svg: str) -> list[list[str]]:
    return [
        re.findall(r"<tspan[^>]*>([^<]*)</tspan>", text)
        for text in re.findall(r'<text class="chart-label">.*?</text>', svg)
    ]


def test_a_long_name_wraps_and_a_longer_one_is_cut_with_its_full_name_in_a_title():
    svg = chart()
    short, wrapped, cut = label_lines(svg)
    assert short == ["Kort"]
    assert " ".join(wrapped) == LONG and len(wrapped) == 2
    assert all(len(line) <= LABEL_CHARS for line in wrapped + cut)
    assert cut[-1].endswith("…") and len(cut) == 2
    assert f"<title>{VERY_LONG}</title>" in svg  # the full name, on hover
    assert f"<title>{LONG}</title>" not in svg  # shown whole: no tooltip needed


def test_every_value_is_written_beside_its_bar_and_no_bar_leaves_room_for_none():
    svg = chart()
    assert re.findall(r'class="chart-value"[^>]*>([^<]*)<', svg) == ["12", "10", "1.234", "987", "0", "–"]
    widths = [float(w) for w in re.findall(r'<rect x="0.5" y="[^"]+" width="([\d.]+)%"', svg)]
    assert max(widths) == PLOT  # the longest bar leaves the rest of the width for its value
    assert len(widths) == 4  # a zero or missing value draws no bar, only its value


def test_series_differ_by_pattern_and_the_legend_shows_each_with_its_fill():
    svg = chart()
    patterns = re.findall(r'<pattern id="(grafiek-test-p\d)"', svg)
    assert patterns == ["grafiek-test-p0", "grafiek-test-p1"]
    assert "<circle" not in svg.split('id="grafiek-test-p1"')[0]  # the first series is plain
    assert '<path d="M-1,1' in svg.split('id="grafiek-test-p1"')[1]  # the second one striped
    legend = re.search(r'<ul class="chart-legend">(.*?)</ul>', svg).group(1)
    assert "url(#grafiek-test-p0)" in legend and "Inschrijvingen" in legend
    assert "url(#grafiek-test-p1)" in legend and "Aanwezig" in legend
    assert 'aria-hidden="true"' in legend  # the swatches are decoration; the names are text


def test_one_series_needs_no_legend():
    svg = chart(series=[Series("Inschrijvingen", [1, 2, 3])])
    assert "chart-legend" not in svg


def test_the_chart_is_named_for_screen_readers_and_its_text_is_never_scaled_down():
    svg = chart(title="A & B", summary="<b>x</b>")
    assert 'role="img"' in svg and 'aria-labelledby="grafiek-test-title grafiek-test-desc"' in svg
    assert '<title id="grafiek-test-title">A &amp; B</title>' in svg
    assert '<desc id="grafiek-test-desc">&lt;b&gt;x&lt;/b&gt;</desc>' in svg
    assert "viewBox" not in svg and 'width="100%"' in svg  # bars stretch, letters keep their size


def test_percentages_are_drawn_against_a_hundred():
    svg = chart(series=[Series("Aanwezigheid", [50.0, 100.0, 25.0])], percent=True)
    assert re.findall(r'class="chart-value"[^>]*>([^<]*)<', svg) == ["50 %", "100 %", "25 %"]
    widths = [float(w) for w in re.findall(r'width="([\d.]+)%"', svg)[1:]]
    assert widths == [PLOT / 2, PLOT, PLOT / 4]
