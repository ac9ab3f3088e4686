import pytest

from casework.exchange.demo import DEFAULT_EXAMPLE
from casework.exchange.service import import_lines
from casework.teams.service import get_team

# Kraften's own result table (DOMAIN.md §5): work 5, studies 2, other vocational rehabilitation 5,
# sickness compensation 3, parental leave 1, other 5, dropouts 4; the rarer categories are "Övrigt".
KRAFTEN_COLUMNS = {
    "Arbete": ["work"],
    "Studier": ["studies"],
    "Annan arbetslivsinriktad rehabilitering": ["vocational_rehab"],
    "Sjukersättning": ["sickness_compensation"],
    "Föräldraledighet": ["parental_leave"],
    "Övrigt": ["other", "job_seeking", "illness", "returned_to_referrer", "moved"],
    "Tidigt avhopp": ["dropout"],
}


@pytest.fixture
def kraften_columns() -> dict:
    return {name: list(categories) for name, categories in KRAFTEN_COLUMNS.items()}


@pytest.fixture
def kraften():
    """The worked example's team with its log (the demo data shipped with the package)."""
    with DEFAULT_EXAMPLE.open(encoding="utf-8") as lines:
        import_lines(lines)
    return get_team("kraften-hedemora")
