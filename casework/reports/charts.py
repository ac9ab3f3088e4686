"""Server-side charts of a report (matplotlib, Agg backend, no state shared between calls).

A chart is described by a small JSON-able spec (`chart_specs`), and drawn from the spec alone, so
drawings are cached by their spec (`draw_chart`): drawing costs 0.1–0.3 s a chart, the report's
computation a few milliseconds. The page links each chart as a separate image (an SVG image runs
no script and its inline styles are out of the page's Content-Security-Policy's reach); the PDF
embeds the same SVG drawings (so a PDF asked for from the page finds them drawn), DOCX gets PNG.
Counts are drawn on integer axes, shares on 0–100 %, all with decimal commas; a hidden value ("<3", "..") or a missing one is
not drawn at all, never as a zero.
"""

import io
import json
import math
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
# Text stays text in SVG (not one path a glyph): a third of the size, readable by search and screen
# readers, and WeasyPrint lays it out in a fraction of the time it takes to fill paths. Set once for
# the process (a per-call rc_context would change the global settings under concurrent requests).
matplotlib.rcParams["svg.fonttype"] = "none"

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from casework.reports.compute import age_bracket_labels  # noqa: E402
from casework.reports.survey_tables import survey_chart_specs  # noqa: E402
from casework.vocab import EXIT_CATEGORIES, GENDERS, INCOME_SOURCES  # noqa: E402

COLOURS = ["#1f5f8b", "#e08a2c", "#4c9a5b", "#b04a5a", "#7b68a6"]
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
PNG_DPI = 150


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan


def _decimal_comma(value, _position=None) -> str:
    return f"{value:g}".replace(".", ",").replace("-", "−")


def _percent_comma(value, _position=None) -> str:
    return f"{value:g} %".replace(".", ",")


def chart_specs(report: dict, settings) -> dict[str, dict]:
    """Every chart of the report as the data it draws (what the cache and the alt text are keyed by)."""
    genders = list(GENDERS)
    brackets = [label for label, _, _ in age_bracket_labels(settings.age_brackets)]
    specs = {
        "exits": {"title": "Avslut per kategori", "kind": "barh", "unit": "count",
                  "labels": list(EXIT_CATEGORIES.values()),
                  "series": {"Avslut": [report["exits_by_category"][c] for c in EXIT_CATEGORIES]}},
        "gender": {"title": "Könsfördelning", "kind": "bar", "unit": "count",
                   "labels": [GENDERS[g] for g in genders],
                   "series": {"Nya": [report["new_by_gender"][g] for g in genders],
                              "Avslut": [report["exits_by_gender"][g] for g in genders],
                              "I mål": [report["goal_reached_by_gender"][g] for g in genders]}},
        "age": {"title": "Nya deltagare per ålder", "kind": "bar", "unit": "count",
                "labels": [f"{b} år" for b in brackets],
                "series": {"Nya": [report["new_by_age"][b] for b in brackets]}},
        "trend": {"title": "Genomströmningstid (månader), 12 månader bakåt", "kind": "line", "unit": "months",
                  "labels": [p["to"] for p in report["throughput_trend"]],
                  "series": {"Månader": [p["months"] for p in report["throughput_trend"]]}},
        "income": {"title": "Försörjning före och efter", "kind": "barh", "unit": "count",
                   "labels": list(INCOME_SOURCES.values()),
                   "series": {"Före": [report["income_before_after"][k]["before"] for k in INCOME_SOURCES],
                              "Efter": [report["income_before_after"][k]["after"] for k in INCOME_SOURCES]}},
    }
    result = {"Denna period": [report["result_share"]]}
    if report.get("previous_period"):
        result["Föregående period"] = [report["previous_period"].get("result_share")]
    specs["result"] = {"title": "Resultat (andel i mål)", "kind": "bar", "unit": "share", "labels": ["Resultat"],
                       "series": result}
    specs.update(survey_chart_specs(report, settings))
    return specs


def chart_description(spec: dict) -> str:
    """The chart's accessible name: its title and the figures it shows."""
    parts = []
    for name, values in spec["series"].items():
        shown = ", ".join(f"{label} {_spoken(value, spec['unit'])}" for label, value in zip(spec["labels"], values,
                                                                                            strict=True))
        parts.append(f"{name}: {shown}" if len(spec["series"]) > 1 or spec["kind"] == "line" else shown)
    return f"{spec['title']}. " + "; ".join(parts) + "."


def _spoken(value, unit: str) -> str:
    if not isinstance(value, (int, float)):
        return "–" if value is None else str(value)
    if unit == "share":
        return _percent_comma(round(value * 100))
    return _decimal_comma(value)


def draw_chart(spec: dict, fmt: str) -> bytes:
    return _draw(json.dumps(spec, ensure_ascii=False), fmt)  # key order is the legend's order


@lru_cache(maxsize=256)
def _draw(spec_json: str, fmt: str) -> bytes:
    spec = json.loads(spec_json)
    figure = _line(spec) if spec["kind"] == "line" else _bars(spec)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, bbox_inches="tight", dpi=PNG_DPI, metadata=_metadata(spec, fmt))
    data = buffer.getvalue()
    return _with_title(data, chart_description(spec)) if fmt == "svg" else data


def _metadata(spec: dict, fmt: str) -> dict:
    return {"Title": spec["title"], "Date": None} if fmt == "svg" else {"Title": spec["title"]}


def _with_title(svg: bytes, description: str) -> bytes:
    """An SVG's accessible name: `role="img"` and a `<title>` as its first child."""
    from xml.sax.saxutils import escape

    opening_end = svg.index(b">", svg.index(b"<svg")) + 1
    head = svg[:opening_end].replace(b"<svg", b'<svg role="img"', 1)
    return head + f"<title>{escape(description)}</title>".encode() + svg[opening_end:]


def _axis_top(spec: dict) -> float | None:
    """0–100 % for shares; for other figures matplotlib's own top, or 1 when nothing is above zero
    (its default for an empty chart is a range of hundredths, meaningless for a count)."""
    if spec["unit"] == "share":
        return 100
    drawn = [_number(v) for values in spec["series"].values() for v in values]
    return None if any(v > 0 for v in drawn if not math.isnan(v)) else 1


def _value_axis(axis, unit: str) -> None:
    if unit == "share":
        axis.set_major_formatter(FuncFormatter(_percent_comma))
        return
    if unit == "count":
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(_decimal_comma))


def _bars(spec: dict) -> Figure:
    horizontal = spec["kind"] == "barh"
    labels, series = spec["labels"], spec["series"]
    figure = Figure(figsize=(7, 0.35 * len(labels) + 1.5) if horizontal else (7, 3.2))
    axes = figure.subplots()
    width = 0.8 / max(len(series), 1)
    scale = 100 if spec["unit"] == "share" else 1
    for index, (name, values) in enumerate(series.items()):
        offsets = [p + index * width for p in range(len(labels))]
        draw = axes.barh if horizontal else axes.bar
        draw(offsets, [_number(v) * scale for v in values], width, label=name, color=COLOURS[index % len(COLOURS)])
        _mark_hidden(axes, offsets, values, horizontal)
    ticks = [p + width * (len(series) - 1) / 2 for p in range(len(labels))]
    value_axis = axes.xaxis if horizontal else axes.yaxis
    if horizontal:
        axes.set_yticks(ticks, labels)
        axes.invert_yaxis()
    else:
        axes.set_xticks(ticks, labels)
    (axes.set_xlim if horizontal else axes.set_ylim)(0, _axis_top(spec))
    _value_axis(value_axis, spec["unit"])
    _finish(axes, spec, len(series) > 1)
    return figure


def _line(spec: dict) -> Figure:
    figure = Figure(figsize=(7, 3))
    axes = figure.subplots()
    for index, (name, values) in enumerate(spec["series"].items()):
        axes.plot(spec["labels"], [_number(v) for v in values], marker="o", color=COLOURS[index], label=name)
    axes.set_ylim(0, _axis_top(spec))
    _value_axis(axes.yaxis, spec["unit"])
    _finish(axes, spec, len(spec["series"]) > 1)
    return figure


def _finish(axes, spec: dict, legend: bool) -> None:
    axes.set_title(spec["title"])
    if legend:  # below the drawing, where it never covers a bar
        axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(spec["series"]))
    axes.spines[["top", "right"]].set_visible(False)


def _mark_hidden(axes, offsets, values, horizontal: bool) -> None:
    """A hidden value ("<3", "..") gets its sign where its bar would start, so it is not read as zero."""
    for offset, value in zip(offsets, values, strict=True):
        if isinstance(value, str):
            position = (0, offset) if horizontal else (offset, 0)
            axes.annotate(value, position, xytext=(3, 0) if horizontal else (0, 3), textcoords="offset points",
                          ha="left" if horizontal else "center", va="center" if horizontal else "bottom",
                          fontsize=9, color="#444444")
