"""Server-side SVG charts of a report (matplotlib, Agg backend, no state shared between calls).

Each chart is a `data:image/svg+xml` URI for an `<img>`: matplotlib's SVG styles itself with
`style` attributes, which the pages' Content-Security-Policy (no inline style) would block in
inline SVG but does not reach inside an image. An SVG image also runs no script.
"""

import base64
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from casework.reports.compute import age_bracket_labels  # noqa: E402
from casework.vocab import EXIT_CATEGORIES, GENDERS, INCOME_SOURCES  # noqa: E402

COLOURS = ["#1f5f8b", "#e08a2c", "#4c9a5b", "#b04a5a", "#7b68a6"]


def _number(value) -> float:
    """Hidden cells ("<3", "..") and missing data are drawn as nothing (not a number), never as zero."""
    return float(value) if isinstance(value, (int, float)) else float("nan")


def _svg(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _bar(title: str, labels: list[str], series: dict[str, list], horizontal: bool = False) -> str:
    figure = Figure(figsize=(7, 0.35 * len(labels) + 1.5) if horizontal else (7, 3.2))
    axes = figure.subplots()
    width = 0.8 / max(len(series), 1)
    positions = range(len(labels))
    for index, (name, values) in enumerate(series.items()):
        offsets = [p + index * width for p in positions]
        numbers = [_number(v) for v in values]
        draw = axes.barh if horizontal else axes.bar
        draw(offsets, numbers, width, label=name, color=COLOURS[index % len(COLOURS)])
        _mark_hidden(axes, offsets, values, horizontal)
    ticks = [p + width * (len(series) - 1) / 2 for p in positions]
    if horizontal:
        axes.set_yticks(ticks, labels)
        axes.invert_yaxis()
    else:
        axes.set_xticks(ticks, labels)
    axes.set_title(title)
    if len(series) > 1:
        axes.legend(frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def _mark_hidden(axes, offsets, values, horizontal: bool) -> None:
    """A hidden value ("<3", "..") gets its sign where its bar would start, so it is not read as zero."""
    for offset, value in zip(offsets, values, strict=True):
        if isinstance(value, str):
            position = (0, offset) if horizontal else (offset, 0)
            axes.annotate(value, position, xytext=(3, 0) if horizontal else (0, 3), textcoords="offset points",
                          ha="left" if horizontal else "center", va="center" if horizontal else "bottom",
                          fontsize=9, color="#444444")


def trend_points(trend: list[dict]) -> tuple[list[str], list[float]]:
    """The trend's window ends and months; a hidden or missing month is a gap in the line."""
    return [p["to"] for p in trend], [_number(p["months"]) for p in trend]


def report_charts(report: dict, settings) -> dict[str, str]:
    genders = list(GENDERS)
    brackets = [label for label, _, _ in age_bracket_labels(settings.age_brackets)]
    trend = report["throughput_trend"]
    trend_figure = Figure(figsize=(7, 3))
    axes = trend_figure.subplots()
    axes.plot(*trend_points(trend), marker="o", color=COLOURS[0])
    axes.set_title("Genomströmningstid (månader), 12 månader bakåt")
    axes.spines[["top", "right"]].set_visible(False)
    return {
        "exits": _bar("Avslut per kategori", list(EXIT_CATEGORIES.values()),
                      {"Avslut": [report["exits_by_category"][c] for c in EXIT_CATEGORIES]}, horizontal=True),
        "gender": _bar("Könsfördelning", [GENDERS[g] for g in genders],
                       {"Nya": [report["new_by_gender"][g] for g in genders],
                        "Avslut": [report["exits_by_gender"][g] for g in genders],
                        "I mål": [report["goal_reached_by_gender"][g] for g in genders]}),
        "age": _bar("Nya deltagare per ålder", [f"{b} år" for b in brackets],
                    {"Nya": [report["new_by_age"][b] for b in brackets]}),
        "trend": _svg(trend_figure),
        "income": _bar("Försörjning före och efter", list(INCOME_SOURCES.values()),
                       {"Före": [report["income_before_after"][k]["before"] for k in INCOME_SOURCES],
                        "Efter": [report["income_before_after"][k]["after"] for k in INCOME_SOURCES]},
                       horizontal=True),
    }
