"""The report as a Word document (python-docx): A4 portrait, the document model's sections,
texts, tables (already split to fit the page width) and charts as PNG.

The teams write their verksamhetsberättelse in Word: headings use Word's own heading styles, so
the document's outline and table of contents work as they expect.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, Twips

PAGE_WIDTH_MM, MARGIN_MM = 210, 20
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(PAGE_WIDTH_MM), Mm(297), Mm(MARGIN_MM)
TEXT_WIDTH = Mm(PAGE_WIDTH_MM - 2 * MARGIN_MM)
CHART_WIDTH = Mm(135)
TABLE_FONT = Pt(8.5)
# As on the page: a topic's description introduces its tables, analysis and reflection follow them.
TEXTS_BEFORE_TABLES = ("description",)


def to_docx(title: str, context: dict) -> bytes:
    document = Document()
    _a4_portrait(document)
    document.add_heading(title, level=0)
    if context["previous_note"]:
        document.add_paragraph(context["previous_note"])
    aspects = dict(context["aspects"])
    for part in context["sections"]:
        document.add_heading(part.section.title, level=1)
        for topic in part.topics:
            document.add_heading(topic.topic.title, level=2)
            _add_texts(document, topic, aspects, TEXTS_BEFORE_TABLES)
            for table in topic.tables:
                _add_table(document, table)
                if table.key == "results" and table.part == table.parts:
                    document.add_paragraph(context["denominator_rule"])
                if table.part == table.parts:
                    _add_charts(document, context, table.key)
            _add_texts(document, topic, aspects, [a for a in aspects if a not in TEXTS_BEFORE_TABLES])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_texts(document, topic, aspects: dict, which) -> None:
    for aspect in which:
        if topic.texts.get(aspect):
            document.add_heading(aspects[aspect], level=3)
            for paragraph in topic.texts[aspect].split("\n\n"):
                document.add_paragraph(paragraph)


def _a4_portrait(document) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _add_table(document, table) -> None:
    caption = document.add_paragraph(table.caption)
    caption.runs[0].bold = True
    caption.paragraph_format.keep_with_next = True
    rows = [row for row in table.rows if not row.zero_only]
    grid = document.add_table(rows=1 + len(rows), cols=len(table.headings))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    width = Twips(TEXT_WIDTH.twips // len(table.headings))  # Word keeps widths in twips
    for index, heading in enumerate(table.headings):
        _fill(grid.cell(0, index), heading, width, bold=True, right=table.numeric[index])
    for row_index, row in enumerate(rows, start=1):
        for index, value in enumerate(row.cells):
            _fill(grid.cell(row_index, index), value, width, right=index >= row.labels)
    if table.zero_rows:
        document.add_paragraph(f"Rader med bara nollor är utelämnade: {table.zero_rows}.")


def _fill(cell, text: str, width: int, bold: bool = False, right: bool = False) -> None:
    cell.width = width
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = TABLE_FONT
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _add_charts(document, context: dict, table_key: str) -> None:
    for name in context["chart_for"].get(table_key, ()):
        chart = context["charts"].get(name)
        if chart is None:
            continue
        picture = document.add_picture(io.BytesIO(chart["data"]), width=CHART_WIDTH)
        picture._inline.docPr.set("descr", chart["alt"])  # Word's alt text (python-docx has no setter)
        document.add_paragraph(chart["alt"]).runs[0].italic = True
