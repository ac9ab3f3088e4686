"""The report as a document: the tables of `tables.py` formatted as Swedish readers expect, with a
previous-period column, zero-only rows marked for folding, wide tables split to fit an A4 page,
and the sections the teams write in (the page, DOCX and PDF all render this one model).

Sections are data (`SECTIONS`): Deltagare, Personal and Organisation, in the order the seeds write them.
"""

from dataclasses import dataclass, field

from babel.numbers import format_decimal, format_percent

from casework.reports.tables import Table, report_tables
from casework.teams.settings import TeamSettings
from casework.vocab import EXIT_CATEGORIES

# At most this many value columns side by side: more does not fit A4 portrait (or a phone).
MAX_VALUE_COLUMNS = 6
SHARE_HEADINGS = {"Resultat", "Resultat utan överflyttade", "Andel aktivt arbetssökande", "Andel i de två högsta stegen"}
# Tables that are themselves a comparison over time get no previous-period column: the trend, and
# the staff (at the period's start and end); nor does the budget, which the seeds print for its own
# period only (Beslut / Utfall / Återstår).
NO_PREVIOUS = {"trend", "staff", "economy", "cost"}
SUPPRESSION_MARKS = {"<3", ".."}
LOCALE = "sv"


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    tables: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    topics: tuple[Topic, ...]


# Swedish labels in dict literals: babel.cfg extracts them for the catalogue (casework.i18n).
ASPECTS = {"description": "Beskrivning", "analysis": "Analys", "reflection": "Reflektion"}
TITLES = {"participants": "Deltagare", "prerequisites": "Förutsättningar", "implementation": "Genomförande",
          "results": "Resultat", "staff": "Personal", "organisation": "Organisation"}
SECTIONS = (
    Section("participants", TITLES["participants"], (
        Topic("prerequisites", TITLES["prerequisites"], ("new", "gender", "age", "queue")),
        Topic("implementation", TITLES["implementation"], ("throughput", "follow_ups", "trend")),
        Topic("results", TITLES["results"], ("results", "income", "post_exit", "age_gender")),
    )),
    Section("staff", TITLES["staff"], (
        Topic("prerequisites", TITLES["prerequisites"], ("staff",)),
        Topic("implementation", TITLES["implementation"], ()),
        Topic("results", TITLES["results"], ()),
    )),
    Section("organisation", TITLES["organisation"], (
        Topic("prerequisites", TITLES["prerequisites"], ("economy",)),
        Topic("implementation", TITLES["implementation"], ("meetings",)),
        Topic("results", TITLES["results"], ("cost",)),
    )),
)
# Tables no topic names end the Deltagare section (they are all about participants).
REST_SECTION = "participants"
HEADINGS = {"measure": "Uppgift", "previous": "Föregående period"}


def text_fields() -> list[str]:
    """Every text field's key, e.g. `participants.prerequisites.description`, in writing order."""
    return [f"{s.key}.{t.key}.{a}" for s in SECTIONS for t in s.topics for a in ASPECTS]


def text_field_parts(key: str) -> tuple[str, str, str]:
    """A text field's name for people in its parts (Swedish source text), e.g. Deltagare, Förutsättningar, Beskrivning."""
    section_key, topic_key, aspect = key.split(".")
    section = next(s for s in SECTIONS if s.key == section_key)
    topic = next(t for t in section.topics if t.key == topic_key)
    return section.title, topic.title, ASPECTS[aspect]


@dataclass
class Row:
    cells: list[str]
    labels: int  # the first `labels` cells name the row (row headers)
    zero_only: bool = False


@dataclass
class DocTable:
    key: str
    title: str
    headings: list[str]
    numeric: list[bool]
    rows: list[Row]
    part: int = 1
    parts: int = 1

    @property
    def caption(self) -> str:
        return self.title if self.parts == 1 else f"{self.title} ({self.part}/{self.parts})"

    @property
    def zero_rows(self) -> int:
        return sum(row.zero_only for row in self.rows)


@dataclass
class TopicPart:
    topic: Topic
    tables: list[DocTable]
    texts: dict[str, str] = field(default_factory=dict)  # aspect -> text


@dataclass
class SectionPart:
    section: Section
    topics: list[TopicPart]


def cell_text(value, share: bool = False) -> str:
    """Decimal comma; shares as "57 %" (an ordinary space, kept on one line by the renderer)."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if share:
        return format_percent(value, locale=LOCALE).replace("\xa0", " ")
    return format_decimal(value, locale=LOCALE)


def _label_count(table: Table) -> int:
    """Leading columns that name the rows: texts that are not suppression marks."""
    count = 0
    for index in range(len(table.headings)):
        values = [row[index] for row in table.rows]
        if values and all(isinstance(v, str) and v not in SUPPRESSION_MARKS for v in values):
            count += 1
        else:
            break
    return count


def _is_zero(value) -> bool:
    return value is None or value == 0


def _overlay(shape, figures):
    """`shape` (this period's report) with every leaf taken from `figures`, or None where
    `figures` lacks it: imported history holds only some figures, and a partial one stays partial."""
    if isinstance(shape, dict):
        given = figures if isinstance(figures, dict) else {}
        return {k: _overlay(v, given.get(k)) for k, v in shape.items()}
    if isinstance(shape, list):
        return figures if isinstance(figures, list) else []
    return None if isinstance(figures, (dict, list)) else figures


def previous_tables(report: dict, settings: TeamSettings) -> dict[str, Table]:
    """The previous period's tables (same shape as the report), or none when it is not given.

    A key the previous period lacks reads as no data ("–"), never as this period's figure."""
    previous = report.get("previous_period")
    if not previous:
        return {}
    source = _overlay({k: v for k, v in report.items() if k != "previous_period"}, previous)
    return {t.key: t for t in report_tables(source, settings)}


def _transposed(table: Table, previous: Table | None, period_label: str) -> tuple[list[str], list[list]]:
    """A one-row table (the results, the queue) read downwards: one figure a line, whatever the
    number of the team's own columns, so it fits a page and a phone and its names stay whole."""
    headings = [HEADINGS["measure"], period_label] + ([HEADINGS["previous"]] if previous is not None else [])
    rows = []
    for index, heading in enumerate(table.headings):
        rows.append([heading, table.rows[0][index]] + ([previous.rows[0][index]] if previous is not None else []))
    return headings, rows


def _paired(table: Table, previous: Table | None, labels: int) -> tuple[list[str], list[list]]:
    """Each value column followed by the same column of the previous period."""
    if previous is None:
        return list(table.headings), [list(r) for r in table.rows]
    headings = list(table.headings[:labels])
    for heading in table.headings[labels:]:
        headings += [heading, f"{heading}, {HEADINGS['previous'].lower()}"]
    rows = []
    for now, before in zip(table.rows, previous.rows, strict=True):
        row = list(now[:labels])
        for value, old in zip(now[labels:], before[labels:], strict=True):
            row += [value, old]
        rows.append(row)
    return headings, rows


def document_table(table: Table, previous: Table | None, period_label: str) -> list[DocTable]:
    if table.key in NO_PREVIOUS:
        previous = None
    if len(table.rows) == 1 and _label_count(table) == 0:
        headings, rows = _transposed(table, previous, period_label)
        doc_rows = [Row([row[0], *[cell_text(v, row[0] in SHARE_HEADINGS) for v in row[1:]]], 1) for row in rows]
        return [DocTable(table.key, table.title, headings, [False, *[True] * (len(headings) - 1)], doc_rows)]
    labels = _label_count(table)
    headings, rows = _paired(table, previous, labels)
    shares = [h in SHARE_HEADINGS for h in table.headings]
    if previous is not None:
        shares = shares[:labels] + [s for s in shares[labels:] for _ in (0, 1)]
    doc_rows = [Row([cell_text(v, share) for v, share in zip(row, shares, strict=True)], labels,
                    zero_only=all(_is_zero(v) for v in row[labels:]))
                for row in rows]
    numeric = [index >= labels for index in range(len(headings))]
    return split(DocTable(table.key, table.title, headings, numeric, doc_rows), labels, pairs=previous is not None)


def split(table: DocTable, labels: int, pairs: bool) -> list[DocTable]:
    """A table with more than `MAX_VALUE_COLUMNS` value columns becomes parts of nearly equal width,
    each repeating the row labels (a value and its previous-period value stay together)."""
    values = len(table.headings) - labels
    if values <= MAX_VALUE_COLUMNS:
        return [table]
    step = 2 if pairs else 1
    groups = -(-values // MAX_VALUE_COLUMNS)
    per_part = -(-(values // step) // groups) * step
    starts = list(range(labels, len(table.headings), per_part))
    parts = []
    for number, start in enumerate(starts, start=1):
        columns = [*range(labels), *range(start, min(start + per_part, len(table.headings)))]
        parts.append(DocTable(
            table.key, table.title, [table.headings[c] for c in columns], [table.numeric[c] for c in columns],
            [Row([r.cells[c] for c in columns], labels, r.zero_only) for r in table.rows], number, len(starts)))
    return parts


def denominator_rule(report: dict, settings: TeamSettings) -> str:
    """The result's fraction in words, with what the denominator leaves out and why."""
    goal = ", ".join(EXIT_CATEGORIES[c].lower() for c in settings.goal_categories)
    excluded = [EXIT_CATEGORIES[c].lower() for c in settings.exclude_from_result if c in EXIT_CATEGORIES]
    if settings.excludes_within_trial:
        excluded.append("avslut under prövotid")
    rule = (f"Resultat = antal i mål ({goal}) delat med antal avslut som räknas: "
            f"{cell_text(report['goal_reached'])} av {cell_text(report['result_denominator'])}.")
    if excluded:
        rule += (f" Avslut som inte räknas: {', '.join(excluded)}, eftersom deltagaren lämnade innan insatsen "
                 "hunnit ge resultat.")
    return rule


def build_document(report: dict, settings: TeamSettings, period_label: str,
                   texts: dict[str, str] | None = None) -> list[SectionPart]:
    """The sections in the order the teams write them; tables no topic names end `REST_SECTION`."""
    # The previous period is a column beside every table here, so its summary table (for CSV and XLSX) is left out.
    tables = [t for t in report_tables(report, settings) if t.key != "previous_period"]
    previous = previous_tables(report, settings)
    by_key = {t.key: document_table(t, previous.get(t.key), period_label) for t in tables}
    placed = {key for s in SECTIONS for t in s.topics for key in t.tables}
    rest = [t.key for t in tables if t.key not in placed]
    texts = texts or {}
    sections = []
    for section in SECTIONS:
        topics = []
        for index, topic in enumerate(section.topics):
            last = section.key == REST_SECTION and index == len(section.topics) - 1
            keys = [*topic.tables, *(rest if last else [])]
            topic_texts = {a: texts[f"{section.key}.{topic.key}.{a}"] for a in ASPECTS
                           if texts.get(f"{section.key}.{topic.key}.{a}")}
            topics.append(TopicPart(topic, [part for key in keys if key in by_key for part in by_key[key]],
                                    topic_texts))
        sections.append(SectionPart(section, topics))
    return sections
