"""Charts: decimal commas, integer axes for counts, 0–100 % for shares, hidden values not drawn,
an accessible name in the SVG."""

import math
import re

from matplotlib.figure import Figure

from casework.reports.charts import _mark_hidden, _number, chart_description, chart_specs, draw_chart
from casework.reports.suppress import suppress
from tests.reports.test_suppress import SETTINGS, build


def tick_texts(svg: bytes) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))


def test_counts_on_an_integer_axis():
    svg = draw_chart({"title": "Nya", "kind": "bar", "unit": "count", "labels": ["A", "B"],
                      "series": {"Nya": [1, 3]}}, "svg")
    numbers = [t for t in tick_texts(svg) if re.fullmatch(r"[\d,]+", t)]
    assert numbers and not any("," in t for t in numbers)


def test_shares_on_0_to_100_percent():
    svg = draw_chart({"title": "Resultat", "kind": "bar", "unit": "share", "labels": ["Resultat"],
                      "series": {"Nu": [0.571]}}, "svg")
    texts = tick_texts(svg)
    assert "0 %" in texts and "100 %" in texts


def test_means_with_a_decimal_comma():
    svg = draw_chart({"title": "Månader", "kind": "line", "unit": "months", "labels": ["2020-12-31", "2021-06-30"],
                      "series": {"Månader": [0.3, 0.7]}}, "svg")
    texts = tick_texts(svg)
    assert any(re.fullmatch(r"0,\d+", t) for t in texts) and not any(re.fullmatch(r"0\.\d+", t) for t in texts)


def test_accessible_name_tells_the_figures_and_a_hidden_one_as_hidden():
    spec = {"title": "Avslut", "kind": "barh", "unit": "count", "labels": ["Arbete", "Studier"],
            "series": {"Avslut": ["<3", 7]}}
    assert chart_description(spec) == "Avslut. Arbete <3, Studier 7."
    svg = draw_chart(spec, "svg").decode("utf-8")
    assert '<svg role="img"' in svg and "<title>Avslut. Arbete &lt;3, Studier 7.</title>" in svg


def test_hidden_values_are_marked_and_not_drawn_as_zero():
    values = [5, "<3", "..", 0]
    axes = Figure().subplots()
    bars = axes.bar(range(len(values)), [_number(v) for v in values])
    _mark_hidden(axes, range(len(values)), values, horizontal=False)
    heights = [bar.get_height() for bar in bars]
    assert heights[0] == 5 and heights[3] == 0
    assert math.isnan(heights[1]) and math.isnan(heights[2])
    assert [text.get_text() for text in axes.texts] == ["<3", ".."]


def test_a_suppressed_report_charts_with_its_hidden_trend_points_as_gaps():
    report, sizes = build([("woman", "work")] * 2, stayers=1)
    hidden = suppress(report, sizes, SETTINGS)
    assert any(point["months"] == ".." for point in hidden["throughput_trend"])
    specs = chart_specs(hidden, SETTINGS)
    assert specs["trend"]["series"]["Månader"] == [point["months"] for point in hidden["throughput_trend"]]
    for name, spec in specs.items():
        assert draw_chart(spec, "svg").startswith(b"<?xml"), name


def test_an_empty_count_chart_has_whole_numbers_not_hundredths():
    svg = draw_chart({"title": "Nya", "kind": "bar", "unit": "count", "labels": ["A", "B"],
                      "series": {"Nya": [0, 0]}}, "svg")
    numbers = [t for t in tick_texts(svg) if re.fullmatch(r"[\d,]+", t)]
    assert numbers and not any("," in t for t in numbers)
