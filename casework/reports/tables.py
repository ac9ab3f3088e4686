"""The report as the tables teams hand to their steering group (Swedish headings).

Used by the page, CSV and XLSX alike. Cells are numbers, None (no data), or for readers outside
the team the text "<3" (a count of 1 or 2) or ".." (hidden so that no small count can be worked out).
"""

from casework.reports.groups import groups_table
from casework.reports.organisation_tables import organisation_tables
from casework.reports.split_tables import OUTSIDE_LABELS, split_tables
from casework.reports.splits import OUTSIDE
from casework.reports.suppress import HIDDEN
from casework.reports.survey_tables import survey_tables
from casework.reports.table import Table
from casework.teams.settings import TeamSettings
from casework.vocab import (
    EDUCATION_LEVELS,
    EXIT_CATEGORIES,
    GENDERS,
    INCOME_SOURCES,
    POST_EXIT_STATUSES,
    REFERRER_ORGS,
)

GENDER_COLUMNS = list(GENDERS)
POPULATIONS = [
    ("participants_in_period_by_gender", "participants_in_period", "Samtliga deltagare under perioden"),
    ("new_by_gender", "new_enrolments", "Nya deltagare"),
    ("exits_by_gender", "exits_total", "Avslut"),
    ("goal_reached_by_gender", "goal_reached", "I mål"),
    ("enrolled_at_end_by_gender", "enrolled_at_end", "Inskrivna vid periodens slut"),
    ("enrolled_at_start_by_gender", "enrolled_at_start", "Inskrivna vid periodens början"),
    ("counted_exits_by_gender", "result_denominator", "Räknade avslut"),
]


def result_columns(report: dict, settings: TeamSettings) -> list[tuple[str, object]]:
    """One column per exit category, or per the team's own report columns."""
    by_category = report["exits_by_category"]
    if settings.report_columns:
        return [(name, _sum(by_category[c] for c in cats)) for name, cats in settings.report_columns.items()]
    return [(label, by_category[c]) for c, label in EXIT_CATEGORIES.items()]


def _sum(values):
    """A team column adding up categories; a column of one category is that cell as it is shown.
    The sum of hidden cells is not a count known to be 1 or 2, so it is "..", never "<3"."""
    values = list(values)
    if len(values) == 1:
        return values[0]
    if any(isinstance(v, str) for v in values):
        return HIDDEN
    return sum(values)


def support_label(key: str) -> str:
    if key == "unknown":
        return "Okänd"
    months = int(key.lstrip("<=>"))
    years = f"{months / 12:g}".replace(".", ",")
    return f"≤ {years} år" if key.startswith("<=") else f"> {years} år"


def report_tables(report: dict, settings: TeamSettings) -> list[Table]:
    columns = result_columns(report, settings)
    gender_labels = [GENDERS[g] for g in GENDER_COLUMNS]
    tables = [
        Table("results", "Deltagarresultat",
              ["Antal inskrivna vid periodens början", "Antal nyinskrivna under perioden", "Antal avslut totalt",
               *[name for name, _ in columns], "Antal inskrivna vid periodens slut", "Avslut under prövotid",
               "Antal i mål", "Resultat", "Resultat utan överflyttade", "Aktivt arbetssökande",
               "Andel aktivt arbetssökande", "Samtliga deltagare under perioden", "Antal i arbetsträning"],
              [[report["enrolled_at_start"], report["new_enrolments"], report["exits_total"],
                *[value for _, value in columns], report["enrolled_at_end"], report["exits_within_trial"],
                report["goal_reached"], report["result_share"], report["result_share_excluding_transfers"],
                report["active_jobseekers"]["count"], report["active_jobseekers"]["share"],
                report["participants_in_period"], report["work_training_participants"]]]),
        Table("new", "Nya deltagare", ["Fördelning", "Grupp", "Antal"], _new_rows(report)),
        Table("gender", "Könsfördelning", ["Grupp", *gender_labels, "Totalt"],
              [[label, *[report[split][g] for g in GENDER_COLUMNS], report[total]]
               for split, total, label in POPULATIONS]),
        Table("throughput", "Genomströmningstid och tid i försörjning", ["Mått", "Alla", *gender_labels],
              _mean_rows(report)),
        Table("age", "Ålder", ["Grupp", "Medel", "Median", "Lägst", "Högst", *gender_labels],
              [[label, *[report["age"][key][k] for k in ("mean", "median", "min", "max", *GENDER_COLUMNS)]]
               for key, label in (("participants", "Deltagare under perioden"),
                                  ("active_at_end", "Inskrivna vid periodens slut"), ("exits", "Avslutade"))]),
        Table("trend", "Genomströmningstid över tid", ["Från", "Till", "Månader"],
              [[p["from"], p["to"], p["months"]] for p in report["throughput_trend"]]),
        Table("income", "Försörjning före och efter", ["Försörjning", "Före", "Efter", "Förändring"],
              [[label, *[report["income_before_after"][k][c] for c in ("before", "after", "change")]]
               for k, label in INCOME_SOURCES.items()]),
        Table("queue", "Kö", ["Antal i kö", "Längsta väntetid (månader)", "Kortaste väntetid (månader)"],
              [[report["queue_at_end"][k] for k in ("count", "longest_months", "shortest_months")]]),
        Table("follow_ups", "Uppföljningar med remittent",
              ["Planerade under perioden", "Genomförda", "Genomförda i tid", "Försenade vid periodens slut"],
              [[report["follow_ups"][k] for k in ("due", "held", "held_on_time", "overdue_at_end")]]),
        Table("post_exit", "Uppföljning efter avslut", ["Status", "Efter 6 månader", "Efter 18 månader"],
              [[label, report["post_exit"]["6"][k], report["post_exit"]["18"][k]]
               for k, label in POST_EXIT_STATUSES.items()]),
        Table("age_gender", "Resultat per ålder och kön",
              ["Ålder", *[f"{g} – {what}" for g in gender_labels for what in ("avslut", "i mål")]],
              [[_age_label(label), *[row[g][k] for g in GENDER_COLUMNS for k in ("exits", "goal_reached")]]
               for label, row in report["results_by_age_gender"].items()]),
    ]
    return [*tables, groups_table(report), *survey_tables(report, settings), *split_tables(report), *organisation_tables(report)]


def _new_rows(report: dict) -> list[list]:
    groups = [
        ("Kön", "new_by_gender", GENDERS),
        ("Ålder vid inskrivning", "new_by_age", {k: _age_label(k) for k in report["new_by_age"]}),
        ("Remittent", "new_by_referrer", {**REFERRER_ORGS, OUTSIDE: OUTSIDE_LABELS["referrer"]}),
        ("Försörjning vid remiss", "new_by_income", {**INCOME_SOURCES, OUTSIDE: OUTSIDE_LABELS["income"]}),
        ("Utbildning", "new_by_education", EDUCATION_LEVELS),
        ("Tid i offentlig försörjning", "new_by_support_time",
         {k: support_label(k) for k in report["new_by_support_time"]}),
    ]
    return [[group, label, report[key][k]] for group, key, labels in groups for k, label in labels.items()]


def _age_label(key: str) -> str:
    return OUTSIDE_LABELS["age"] if key == OUTSIDE else f"{key} år"


def _mean_rows(report: dict) -> list[list]:
    rows = []
    for key, unit in (("throughput_months", "månader"), ("support_years_before", "år")):
        name = "Genomströmningstid" if key == "throughput_months" else "Tid i offentlig försörjning före"
        for population, label in (("all", "alla räknade avslut"), ("goal_reached", "i mål")):
            values = report[key][population]
            rows.append([f"{name} ({unit}), {label}", values["all"], *[values[g] for g in GENDER_COLUMNS]])
    return rows
