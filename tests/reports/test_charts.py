"""Charts: decimal commas, integer axes for counts, 0–100 % for shares, hidden values not drawn,
an accessible name in the SVG."""

import re

from casework.reports.charts import chart_description, draw_chart


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
