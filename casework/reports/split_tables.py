"""The tables of the splits in `splits.py` and of the previous period, read by every format.

Every Swedish text is a value of `TEXT` (or a vocabulary label), so that `babel.cfg` extracts it
for the English catalogue; the page translates titles and headings when it shows them.
"""

from casework.reports.splits import NO_SUBTYPE, OUTSIDE
from casework.reports.table import Table
from casework.vocab import (
    EXIT_CATEGORIES,
    EXIT_SUBTYPES,
    GENDERS,
    INCOME_SOURCES,
    PAYER_LABELS,
    REFERRER_ORGS,
    STUDY_VISIT_MODES,
)

TEXT = {
    "exits_by_subtype": "Avslut per undertyp",
    "exits_by_category_gender": "Avslut per kategori och kön",
    "intake": "Inflöde",
    "participants_by": "Samtliga deltagare per remittent och försörjning",
    "income_by_payer": "Försörjning per betalare",
    "unique_persons": "Unika individer",
    "process": "Genomförda steg",
    "previous_period": "Föregående period",
    "category": "Avslutskategori",
    "subtype": "Undertyp",
    "count": "Antal",
    "total": "Totalt",
    "step": "Steg",
    "split": "Fördelning",
    "group": "Grupp",
    "payer": "Betalare",
    "figure": "Mått",
    "value": "Värde",
    "no_subtype": "Ingen undertyp angiven",
    "no_referral": "Utan remiss",
    "no_income": "Ingen försörjning angiven",
    "referrer": "Remittent",
    "income": "Försörjning vid remiss",
    "study_visits": "Studiebesök",
    "with_referrer": "Studiebesök med remittent",
    "study_visits_by_mode": "Studiebesök –",
    "referrals_received": "Mottagna remisser –",
    "referrals_withdrawn": "Återtagna remisser",
    "new_enrolments": "Nyinskrivna",
    "several_sources": "Personer med flera försörjningskällor",
    "several_payers": "Personer med flera betalare",
    "extra_payer_counts": "Räknade under mer än en betalare (extra)",
    "participants_in_period": "Samtliga deltagare under perioden",
    "assessments": "Kartläggningar",
    "action_plans": "Handlingsplaner",
    "half_year_reviews": "Halvårsavstämningar",
    "closing_documents": "Avslut med slutdokumentation",
    "follow_ups_cancelled": "Inställda uppföljningar med remittent –",
    "period": "Period",
    "source": "Källa",
    "from_log": "Händelseloggen",
    "from_history": "Importerad historik:",
    "enrolled_at_start": "Antal inskrivna vid periodens början",
    "exits_total": "Antal avslut totalt",
    "enrolled_at_end": "Antal inskrivna vid periodens slut",
    "goal_reached": "Antal i mål",
    "result_denominator": "Räknade avslut",
    "result_share": "Resultat",
    "throughput_months": "Genomströmningstid (månader), alla räknade avslut",
}
# The `outside` buckets' labels, by what falls outside.
OUTSIDE_LABELS = {"age": "Utanför åldersintervallen", "referrer": TEXT["no_referral"], "income": TEXT["no_income"]}
GENDER_COLUMNS = list(GENDERS)
# The figures of the previous period shown in its table, in order (history may hold only some).
PREVIOUS_FIGURES = ("enrolled_at_start", "new_enrolments", "exits_total", "enrolled_at_end", "goal_reached",
                    "result_denominator", "result_share", "participants_in_period", "unique_persons")


def split_tables(report: dict) -> list[Table]:
    tables = [
        Table("exits_by_subtype", TEXT["exits_by_subtype"], [TEXT["category"], TEXT["subtype"], TEXT["count"]],
              [[EXIT_CATEGORIES[c], EXIT_SUBTYPES[c].get(k, TEXT["no_subtype"]) if k != NO_SUBTYPE
                else TEXT["no_subtype"], n] for c, counts in report["exits_by_subtype"].items()
               for k, n in counts.items()]),
        Table("exits_by_category_gender", TEXT["exits_by_category_gender"],
              [TEXT["category"], *[GENDERS[g] for g in GENDER_COLUMNS], TEXT["total"]],
              [[EXIT_CATEGORIES[c], *[row[g] for g in GENDER_COLUMNS], report["exits_by_category"][c]]
               for c, row in report["exits_by_category_gender"].items()]),
        Table("intake", TEXT["intake"], [TEXT["step"], TEXT["count"]], _intake_rows(report["intake"])),
        Table("participants_by", TEXT["participants_by"], [TEXT["split"], TEXT["group"], TEXT["count"]],
              _participant_rows(report)),
        Table("income_by_payer", TEXT["income_by_payer"], [TEXT["payer"], TEXT["count"]],
              [[{**PAYER_LABELS, OUTSIDE: TEXT["no_income"]}.get(k) or TEXT[k], n]
               for k, n in report["income_by_payer"].items()]),
        Table("unique_persons", TEXT["unique_persons"], [TEXT["participants_in_period"], TEXT["unique_persons"]],
              [[report["participants_in_period"], report["unique_persons"]]]),
        Table("process", TEXT["process"], [TEXT["step"], TEXT["count"]], _process_rows(report["process"])),
    ]
    if "previous_period" in report:
        tables.append(previous_table(report["previous_period"]))
    return tables


def _intake_rows(intake: dict) -> list[list]:
    visits = intake["study_visits"]
    rows = [[TEXT["study_visits"], visits["total"]], [TEXT["with_referrer"], visits["with_referrer"]]]
    rows += [[f"{TEXT['study_visits_by_mode']} {STUDY_VISIT_MODES[m]}", n] for m, n in visits["by_mode"].items()]
    rows += [[f"{TEXT['referrals_received']} {REFERRER_ORGS[o]}", n] for o, n in intake["referrals_received"].items()]
    return [*rows, [TEXT["referrals_withdrawn"], intake["referrals_withdrawn"]],
            [TEXT["new_enrolments"], intake["new_enrolments"]]]


def _participant_rows(report: dict) -> list[list]:
    referrers = {**REFERRER_ORGS, OUTSIDE: TEXT["no_referral"]}
    incomes = {**INCOME_SOURCES, OUTSIDE: TEXT["no_income"]}
    return ([[TEXT["referrer"], referrers[k], n] for k, n in report["participants_by_referrer"].items()]
            + [[TEXT["income"], incomes[k], n] for k, n in report["participants_by_income"].items()])


def _process_rows(process: dict) -> list[list]:
    rows = [[TEXT[k], process[k]] for k in ("assessments", "action_plans", "half_year_reviews", "closing_documents")]
    orgs = {**REFERRER_ORGS, OUTSIDE: TEXT["no_referral"]}
    return rows + [[f"{TEXT['follow_ups_cancelled']} {orgs[o]}", n] for o, n in process["follow_ups_cancelled"].items()]


def previous_table(previous: dict) -> Table:
    """The previous period's main figures, with where they come from: the log, or imported history."""
    history = previous.get("source") == "history"
    source = f"{TEXT['from_history']} {previous.get('history_source', '')}" if history else TEXT["from_log"]
    rows = [[TEXT["period"], f"{previous['from']} – {previous['to']}"], [TEXT["source"], source]]
    rows += [[TEXT[k], previous[k]] for k in PREVIOUS_FIGURES if k in previous]
    throughput = previous.get("throughput_months", {}).get("all", {}).get("all")
    if throughput is not None:
        rows.append([TEXT["throughput_months"], throughput])
    return Table("previous_period", TEXT["previous_period"], [TEXT["figure"], TEXT["value"]], rows)
