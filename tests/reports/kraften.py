"""Kraften Hedemora's own result table (DOMAIN.md §5): seven exit columns, the categories its
report does not name folded into "Övrigt"."""

from casework.teams.service import save_team

KRAFTEN_REPORT_COLUMNS = {
    "Arbete": ["work"],
    "Studier": ["studies"],
    "Annan arbetslivsinriktad rehabilitering": ["vocational_rehab"],
    "Sjukersättning": ["sickness_compensation"],
    "Föräldraledighet": ["parental_leave"],
    "Övrigt": ["other", "job_seeking", "illness", "returned_to_referrer", "moved"],
    "Tidigt avhopp": ["dropout"],
}
KRAFTEN_COLUMNS = list(KRAFTEN_REPORT_COLUMNS)


def with_kraften_columns(team):
    """The example team with its own report columns set (the rest of its settings kept)."""
    settings = team.settings.to_dict() | {"report_columns": KRAFTEN_REPORT_COLUMNS}
    return save_team(team.slug, team.name, team.federation.name, settings)
