"""Charts of a suppressed report: a hidden value is marked with its sign, never drawn as zero."""

import math

from matplotlib.figure import Figure

from casework.reports.charts import _mark_hidden, _number


def test_hidden_values_are_marked_and_not_drawn_as_zero():
    values = [5, "<3", "..", 0]
    axes = Figure().subplots()
    bars = axes.bar(range(len(values)), [_number(v) for v in values])
    _mark_hidden(axes, range(len(values)), values, horizontal=False)
    heights = [bar.get_height() for bar in bars]
    assert heights[0] == 5 and heights[3] == 0
    assert math.isnan(heights[1]) and math.isnan(heights[2])
    assert [text.get_text() for text in axes.texts] == ["<3", ".."]
