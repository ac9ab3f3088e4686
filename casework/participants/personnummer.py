"""Personnummer (and samordningsnummer) validation and normalisation, via python-stdnum."""

import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import personnummer

from casework.errors import ValidationFailed


def normalise(number: str) -> str:
    """The 12 digits YYYYMMDDNNNN; raises ValidationFailed (without echoing the number)."""
    try:
        valid = personnummer.validate(number.strip())
        born = personnummer.get_birth_date(valid)
    except (StdnumError, ValueError):
        raise ValidationFailed("personnummer.invalid", "Not a valid personnummer.", "personnummer") from None
    digits = "".join(c for c in valid if c.isdigit())[-10:]
    return f"{born.year // 100:02d}{digits}"


def display(normalised: str) -> str:
    return f"{normalised[:8]}-{normalised[8:]}"


def looks_like_personnummer(text: str) -> bool:
    """Whether a search text is meant as a personnummer rather than a name fragment."""
    return re.fullmatch(r"(\d{2})?\d{6}[-+]?\d{4}", text.strip()) is not None
