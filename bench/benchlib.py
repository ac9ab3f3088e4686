"""What the benchmark scripts share: synthetic personnummer and an emptied PostgreSQL schema."""

import datetime as dt

import sqlalchemy as sa
from stdnum import luhn


def synthetic_personnummer(birth: dt.date, serial: int) -> str:
    """A valid personnummer (Luhn check digit) for a synthetic person born on `birth`."""
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(body)}"


def empty_public_schema(engine) -> None:
    """Drop and recreate PostgreSQL's public schema, so the migrations start from nothing."""
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
