"""One table of a report, as every format (page, CSV, XLSX) reads it."""

from dataclasses import dataclass


@dataclass
class Table:
    key: str
    title: str
    headings: list[str]
    rows: list[list]
