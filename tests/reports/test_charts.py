"""Charts of a suppressed report: a hidden value is marked with its sign, never drawn as zero."""

import math

from matplotlib.figure import Figure

from casework.reports.charts import _mark_hidden, _number, report_charts, trend_points
from casework.reports.suppress import suppress
from tests.reports.test_suppress import SETTINGS, build


def test_hidden_values_are_marked_and_not_drawn_as_zero():
    values = [5, "<3", "..", 0]
    axes = Figure().subplots()
    bars = axes.bar(range(len(values)), [_number(v) for v in values])
    _mark_hidden(axes, range(len(values)), values, horizontal=False)
    heights = [bar.get_height() for bar in bars]
    assert heights[0] == 5 and heights[3] == 0
    assert math.isnan(heights[1]) and math.isnan(heights[2])
    assert [text.get_text() for text in axes.texts] == ["<3", ".."]


def test_a_suppressed_report_charts_with_hidden_trend_points():
    report, sizes = build([("woman", "work")] * 2, stayers=1)
    hidden = suppress(report, sizes, SETTINGS)
    assert any(point["months"] == ".." for point in hidden["throughput_trend"])
    ends, months = trend_points(hidden["throughput_trend"])
    assert ends == [point["to"] for point in hidden["throughput_trend"]]
    for point, drawn in zip(hidden["throughput_trend"], months, strict=True):
        assert math.isnan(drawn) if point["months"] in ("..", None) else drawn == point["months"]
    charts = report_charts(hidden, SETTINGS)
    assert all(uri.startswith("data:image/svg+xml;base64,") for uri in charts.values())
