"""Rounding of the report's figures: means with one decimal, shares with three (DOMAIN.md §3)."""

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float | None, places: int) -> float | None:
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def mean(values: list[float]) -> float | None:
    return round_half_up(sum(values) / len(values), 1) if values else None


def share(part: int, whole: int) -> float | None:
    return round_half_up(part / whole, 3) if whole else None
