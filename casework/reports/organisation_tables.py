"""The tables of the organisation keys (`staff`, `economy`, `meetings`) as the seeds print them:
full-time equivalents per party, the budget as Beslut / Utfall / Återstår, meetings by kind.

A report frozen before these keys existed has none of them, and gets none of these tables.
Every Swedish text is a value of `TEXT` or a vocabulary label (extracted by `babel.cfg`).
"""

from casework.reports.table import Table
from casework.vocab import BUDGET_LINES, EMPLOYERS, MEETING_KINDS

TEXT = {
    "staff": "Personal (heltidsekvivalenter per part)",
    "party": "Part",
    "fte_at_start": "Vid periodens början",
    "fte_at_end": "Vid periodens slut",
    "started": "Började",
    "ended": "Slutade",
    "economy": "Budgetutfall",
    "budget_line": "Budgetpost",
    "decided": "Beslut",
    "outcome": "Utfall",
    "remaining": "Återstår",
    "forecast": "Prognos",
    "cost": "Kostnad per deltagare",
    "total_outcome": "Utfall totalt",
    "participants_in_period": "Samtliga deltagare under perioden",
    "cost_per_participant": "Kostnad per deltagare (kr)",
    "partly_overlapping_lines": "Budgetposter som bara delvis ligger i perioden (inte medräknade)",
    "meetings": "Styrgrupp och möten",
    "meeting_kind": "Mötestyp",
    "count": "Antal",
    "total": "Totalt",
}
STAFF_COLUMNS = ("fte_at_start", "fte_at_end", "started", "ended")
AMOUNT_COLUMNS = ("decided", "outcome", "remaining", "forecast")


def organisation_tables(report: dict) -> list[Table]:
    tables = []
    if "staff" in report:
        tables.append(Table("staff", TEXT["staff"], [TEXT["party"], *[TEXT[c] for c in STAFF_COLUMNS]],
                            [[label, *[report["staff"][key][c] for c in STAFF_COLUMNS]]
                             for key, label in {**EMPLOYERS, "total": TEXT["total"]}.items()]))
    if "economy" in report:
        economy = report["economy"]
        tables.append(Table("economy", TEXT["economy"], [TEXT["budget_line"], *[TEXT[c] for c in AMOUNT_COLUMNS]],
                            [[label, *[economy[key][c] for c in AMOUNT_COLUMNS]]
                             for key, label in {**BUDGET_LINES, "total": TEXT["total"]}.items()]))
        tables.append(Table("cost", TEXT["cost"],
                            [TEXT["total_outcome"], TEXT["participants_in_period"], TEXT["cost_per_participant"],
                             TEXT["partly_overlapping_lines"]],
                            [[economy["total"]["outcome"], report["participants_in_period"],
                              economy["cost_per_participant"], economy["partly_overlapping_lines"]]]))
    if "meetings" in report:
        tables.append(Table("meetings", TEXT["meetings"], [TEXT["meeting_kind"], TEXT["count"]],
                            [[label, report["meetings"][key]]
                             for key, label in {**MEETING_KINDS, "total": TEXT["total"]}.items()]))
    return tables
