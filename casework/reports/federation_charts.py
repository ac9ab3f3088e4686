"""The charts of the federation's view, as specs `charts.draw_chart` draws (accessible names,
decimal commas and hidden values as in every report chart): one bar per team, this period beside
the previous one. The total stands in the table, not in the charts, where it would dwarf the teams."""

from casework.reports.federation import MEASURES, FederationFigures

CHARTS = {
    "participants_in_period": ("Deltagare per team", "count"),
    "result_share": ("Resultat (andel i mål) per team", "share"),
    "throughput_months": ("Genomströmningstid (månader) per team", "months"),
    "cost_per_participant": ("Kostnad per deltagare (kr) per team", "kronor"),
}


def _series(figures: FederationFigures, key: str) -> dict[str, list]:
    measure = next(m for m in MEASURES if m.key == key)
    now = [measure.value(figures.reports[t.id]) for t in figures.teams]
    before = [measure.value(figures.reports[t.id].get("previous_period") or {}) for t in figures.teams]
    return {"Denna period": now, "Föregående period": before}


def federation_chart_specs(figures: FederationFigures) -> dict[str, dict]:
    """Every chart with something to draw (cost per participant only once budgets give it)."""
    labels = [t.name for t in figures.teams]
    specs = {}
    for key, (title, unit) in CHARTS.items():
        series = _series(figures, key)
        if not labels or all(v is None for values in series.values() for v in values):
            continue
        specs[key] = {"title": title, "kind": "barh", "unit": unit, "labels": labels, "series": series}
    return specs
