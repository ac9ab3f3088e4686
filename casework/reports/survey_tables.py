"""The tables and charts of the `surveys` and `post_exit_cohorts` keys (`surveys.py`), read by every format.

Every Swedish text is a value of `TEXT` or of the instruments' own dicts, so that `babel.cfg`
extracts it for the English catalogue; the page translates titles and headings when it shows them.
The NNS and staircase steps are headed by the team's names of them (`TeamSettings.nns_scale`,
`process_steps`; the defaults translate, a team's own are shown as typed), a step the settings do
not name (a federation whose teams' scales differ) by its number.
"""

from casework.events.instruments import INSTRUMENTS
from casework.reports.surveys import COHORT_STATES, NOT_ANSWERED
from casework.reports.table import Table
from casework.teams.settings import TeamSettings
from casework.vocab import POST_EXIT_MONTHS

TEXT = {
    "surveys": "Enkäter: svarande",
    "instrument": "Instrument",
    "respondents": "Svarande",
    "legacy_scores": "Äldre enkäter med bara poäng",
    "answers": "Enkät:",
    "question": "Fråga",
    "not_answered": "Ej besvarad",
    "top_two_share": "Andel i de två högsta stegen",
    "ors_comparison": "ORS: första och senaste skattning",
    "compared": "Jämförda (minst två ORS)",
    "mean_first": "Medel första totalpoäng (0–40)",
    "mean_latest": "Medel senaste totalpoäng (0–40)",
    "improved": "Högre senaste totalpoäng",
    "post_exit_cohorts": "Uppföljning efter avslut per avslutskohort",
    "state": "Läge",
    "at_exit": "Vid avslut",
    "after_6": "Efter 6 månader",
    "after_18": "Efter 18 månader",
    "in_work_or_studies": "I arbete eller studier",
    "other": "Annat",
    "not_reached": "Ej nådda",
    "chart_top_two": "andel i de två högsta stegen per fråga",
    "share": "Andel",
    "first": "Första",
    "latest": "Senaste",
    "total_score": "Totalpoäng",
}
NNS_INSTRUMENTS = ("nns_ongoing", "nns_exit")


def step_headings(key: str, steps: list[str], settings: TeamSettings) -> list[str]:
    names = INSTRUMENTS[key].step_names(settings) or ()
    return [names[int(step) - 1] if 0 < int(step) <= len(names) else step for step in steps]


def survey_tables(report: dict, settings: TeamSettings | None = None) -> list[Table]:
    settings = settings or TeamSettings()
    surveys = report.get("surveys")
    if not surveys:
        return []
    tables = [Table("surveys", TEXT["surveys"], [TEXT["instrument"], TEXT["respondents"], TEXT["legacy_scores"]],
                    [[INSTRUMENTS[k].label, f["respondents"], f["legacy_scores"]] for k, f in surveys.items()])]
    tables += [_answers_table(key, figures, settings) for key, figures in surveys.items()]
    ors = surveys.get("ors")
    if ors is not None:
        tables.append(Table("survey_ors_comparison", TEXT["ors_comparison"],
                            [TEXT[k] for k in ("compared", "mean_first", "mean_latest", "improved")],
                            [[ors[k] for k in ("compared", "mean_first", "mean_latest", "improved")]]))
    cohorts = report.get("post_exit_cohorts")
    if cohorts is not None:
        columns = ["at_exit", *(str(m) for m in POST_EXIT_MONTHS)]
        tables.append(Table("post_exit_cohorts", TEXT["post_exit_cohorts"],
                            [TEXT["state"], TEXT["at_exit"], *[TEXT[f"after_{m}"] for m in POST_EXIT_MONTHS]],
                            [[TEXT[state], *[cohorts[c][state] for c in columns]] for state in COHORT_STATES]))
    return tables


def _steps_in(figures: dict) -> list[str]:
    """The steps the report counted answers by (the team's scale), in order."""
    first = next(iter(figures["answers"].values()), {})
    return [step for step in first if step != NOT_ANSWERED]


def _answers_table(key: str, figures: dict, settings: TeamSettings) -> Table:
    instrument = INSTRUMENTS[key]
    steps = _steps_in(figures)
    headings = [TEXT["question"], *step_headings(key, steps, settings), TEXT["not_answered"], TEXT["top_two_share"]]
    rows = [[instrument.questions[q], *[counts[s] for s in steps], counts[NOT_ANSWERED], figures["top_two_share"][q]]
            for q, counts in figures["answers"].items()]
    return Table(f"survey_{key}", f"{TEXT['answers']} {instrument.label}", headings, rows)


def survey_chart_specs(report: dict, settings: TeamSettings | None = None) -> dict[str, dict]:
    """A chart per NNS instrument (share in the two highest steps per question, named by the
    team's scale), and ORS first vs latest."""
    surveys = report.get("surveys")
    if not surveys:
        return {}
    top_two = " / ".join((settings or TeamSettings()).nns_scale[-2:])
    # Specs built with dict(): their codes (kind, unit) are not texts for the catalogue (`babel.cfg`).
    specs = {}
    for key in NNS_INSTRUMENTS:
        shares = surveys[key]["top_two_share"]
        specs[f"survey_{key}"] = dict(
            title=f"{INSTRUMENTS[key].label}: {TEXT['chart_top_two']} ({top_two})", kind="barh", unit="share",
            labels=[f"{TEXT['question']} {n}" for n in range(1, len(shares) + 1)],
            series={TEXT["share"]: list(shares.values())})
    ors = surveys["ors"]
    specs["survey_ors_comparison"] = dict(title=TEXT["ors_comparison"], kind="bar", unit="score",
                                          labels=[TEXT["total_score"]],
                                          series={TEXT["first"]: [ors["mean_first"]], TEXT["latest"]: [ors["mean_latest"]]})
    return specs
