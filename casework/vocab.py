"""The domain's fixed vocabularies (DOMAIN.md §2), with their Swedish labels.

Identifiers are English and stable (they appear in the exchange format and in report keys);
the labels are what a Swedish user reads.
"""

GENDERS = {"woman": "Kvinna", "man": "Man", "other": "Annat"}

EDUCATION_LEVELS = {
    "compulsory": "Grundskola",
    "upper_secondary": "Gymnasium",
    "post_secondary_lt3": "Eftergymnasial < 3 år",
    "post_secondary_3plus": "Eftergymnasial 3 år eller mer",
    "unknown": "Okänd",
}

REFERRER_ORGS = {
    "soc": "Socialtjänsten",
    "fk": "Försäkringskassan",
    "af": "Arbetsförmedlingen",
    "region_psychiatry": "Region – psykiatri",
    "region_primary_care": "Region – primärvård",
    "region_other": "Region – övrigt",
    "self": "Egenremiss",
    "guardian": "God man",
    "other": "Annan",
}

INCOME_SOURCES = {
    "social_assistance": "Försörjningsstöd",
    "sickness_benefit": "Sjukpenning",
    "rehabilitation_benefit": "Rehabiliteringsersättning",
    "activity_compensation": "Aktivitetsersättning",
    "activity_support": "Aktivitetsstöd",
    "sickness_compensation": "Sjukersättning",
    "unemployment_insurance": "A-kassa",
    "student_aid": "Studiemedel",
    "salary": "Lön",
    "none": "Ingen offentlig försörjning",
}

# Who pays each income source (DOMAIN.md §3 `income_by_payer`), and the payers' labels.
INCOME_PAYERS = {
    "municipality": ("social_assistance",),
    "fk": ("sickness_benefit", "rehabilitation_benefit", "activity_compensation", "sickness_compensation"),
    "af": ("activity_support",),
    "other": ("unemployment_insurance", "student_aid"),
    "none": ("salary", "none"),
}
PAYER_LABELS = {
    "municipality": "Kommunen",
    "fk": "Försäkringskassan",
    "af": "Arbetsförmedlingen",
    "other": "Övriga",
    "none": "Ingen offentlig betalare",
}

EXIT_CATEGORIES = {
    "work": "Arbete",
    "studies": "Studier",
    "job_seeking": "Aktivt arbetssökande",
    "vocational_rehab": "Annan arbetslivsinriktad rehabilitering",
    "sickness_compensation": "Sjukersättning",
    "illness": "Sjukdom / medicinsk rehabilitering",
    "parental_leave": "Föräldraledighet",
    "returned_to_referrer": "Återremitterad",
    "moved": "Flyttat",
    "other": "Övrigt",
    "dropout": "Tidigt avhopp",
}

EXIT_SUBTYPES = {
    "work": {
        "unsubsidised": "Osubventionerat arbete",
        "wage_subsidy": "Lönebidrag / lönestöd",
        "extra_job": "Extratjänst",
        "samhall": "Samhall",
        "other_subsidised": "Annan subventionerad anställning",
    },
    "vocational_rehab": {
        "af_fk_reinforced": "Förstärkt samarbete AF/FK",
        "other_programme": "Annat program",
        "regular_af": "Ordinarie insatser AF",
    },
}

CONSENT_SCOPES = {
    "documentation": "Dokumentation",
    "information_sharing": "Informationsutbyte med remittent",
    "statistics": "Statistik",
}

STUDY_VISIT_MODES = {"physical": "Fysiskt", "digital": "Digitalt", "outdoor": "Utomhus"}

FOLLOW_UP_STATUSES = {"booked": "Bokad", "held": "Genomförd", "cancelled": "Inställd"}

WORK_TRAINING_KINDS = {
    "work_training": "Arbetsträning",
    "internship": "Praktik",
    "work_assessment": "Arbetsprövning",
}

POST_EXIT_MONTHS = (6, 18)

POST_EXIT_STATUSES = {
    "work_studies_jobseeking": "Arbete / studier / arbetssökande",
    "vocational_rehab": "Arbetslivsinriktad rehabilitering",
    "illness": "Sjukdom",
    "other": "Annat",
    "unreachable": "Ej nåbar",
}

ROLES = {
    "coach": "Coach",
    "team_lead": "Verksamhetsledare",
    "referrer": "Remittent",
    "analyst": "Analytiker (förbund)",
    "auditor": "Dataskyddsombud",
    "admin": "Systemförvaltare",
}

# The activities held as group sessions (DOMAIN.md §2 `group_session`), the report's `groups` rows.
GROUP_SESSION_KINDS = {
    "meeting_point": "Träffpunkt",
    "forest_group": "Skogsgrupp",
    "start_group": "Uppstartsgrupp",
    "introduction_group": "Introduktionsgrupp",
    "solution_focus_group": "Lösningsfokusgrupp",
    "gym": "Gym",
    "other": "Annan gruppaktivitet",
}
# The organisation side of a team (DOMAIN.md §6): who employs its staff, its budget lines, its meetings.
EMPLOYERS = {
    "municipality": "Kommunen",
    "fk": "Försäkringskassan",
    "af": "Arbetsförmedlingen",
    "region": "Regionen",
    "federation": "Samordningsförbundet",
    "other": "Annan",
}
BUDGET_LINES = {
    "own_staff": "Egen personal",
    "external_services": "Externa tjänster i teamet",
    "premises": "Lokaler",
    "other_costs": "Övriga kostnader",
}
MEETING_KINDS = {
    "steering_group": "Styrgrupp",
    "management_group": "Ledningsgrupp",
    "collaboration": "Samverkansmöte",
    "other": "Annat möte",
}
