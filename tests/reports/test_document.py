"""The report as a document: Swedish numbers, the team's own columns, previous period, folding, splitting."""

from casework.reports import periods
from casework.reports.document import MAX_VALUE_COLUMNS, NO_PREVIOUS, build_document, cell_text, denominator_rule
from casework.reports.render import previous_note
from casework.reports.service import build_report, team_scope
from tests.reports.kraften import KRAFTEN_COLUMNS, with_kraften_columns


def tables_of(document):
    return [t for s in document for topic in s.topics for t in topic.tables]


def test_numbers_read_as_swedish():
    assert cell_text(0.571, share=True) == "57 %"
    assert cell_text(10.7) == "10,7"
    assert cell_text(None) == "–"
    assert cell_text("<3", share=True) == "<3"


def test_kraften_result_table_in_its_own_seven_columns(kraften_example):
    team, expected = kraften_example
    team = with_kraften_columns(team)
    report = build_report(team_scope(team), periods.named("2020/21"))
    document = build_document(report, team.settings, "2020/21")
    [results] = [t for t in tables_of(document) if t.key == "results"]
    names = [row.cells[0] for row in results.rows]
    for column in KRAFTEN_COLUMNS:
        assert column in names
    assert ["Resultat", "57 %"] in [row.cells[:2] for row in results.rows]
    assert not any(row.zero_only for row in results.rows)


def test_a_wide_table_is_split_into_parts_that_repeat_the_row_labels(kraften_example):
    team, _ = kraften_example
    report = build_report(team_scope(team), periods.named("2020/21"))
    document = build_document({**report, "previous_period": report}, team.settings, "2020/21")
    parts = [t for t in tables_of(document) if t.key == "age_gender"]
    assert len(parts) > 1 and [p.part for p in parts] == list(range(1, len(parts) + 1))
    assert all(len(p.headings) - 1 <= MAX_VALUE_COLUMNS and p.headings[0] == "Ålder" for p in parts)
    assert sum(len(p.headings) - 1 for p in parts) == 2 * 6
    assert "12 av 21" in denominator_rule(report, team.settings)
    assert "tidigt avhopp" in denominator_rule(report, team.settings)


def test_previous_period_column_in_every_table_and_zero_rows_marked(kraften_example):
    team, _ = kraften_example
    report = build_report(team_scope(team), periods.named("2020/21"))
    previous = build_report(team_scope(team), periods.named("2019/20"))
    document = build_document({**report, "previous_period": previous}, team.settings, "2020/21")
    for table in tables_of(document):
        if table.key in NO_PREVIOUS:
            continue
        assert any("öregående period" in h or "öregående period" in c
                   for h in table.headings for c in [r.cells[0] for r in table.rows]), table.key
    new = next(t for t in tables_of(document) if t.key == "new")
    assert new.headings[-2:] == ["Antal", "Antal, föregående period"]
    zero = [r for r in new.rows if r.zero_only]
    assert zero and all(set(r.cells[r.labels:]) <= {"0", "–"} for r in zero)
    assert any(not r.zero_only for r in new.rows)


def test_without_previous_period_no_previous_column(kraften_example):
    team, _ = kraften_example
    report = build_report(team_scope(team), periods.named("2020/21"))
    report.pop("previous_period")
    for table in tables_of(build_document(report, team.settings, "2020/21")):
        assert not any("öregående" in h for h in table.headings)


def test_the_team_columns_keep_their_order(kraften_example):
    team, _ = kraften_example
    team = with_kraften_columns(team)
    report = build_report(team_scope(team), periods.named("2020/21"))
    [results] = [t for t in tables_of(build_document(report, team.settings, "2020/21")) if t.key == "results"]
    names = [row.cells[0] for row in results.rows]
    assert [n for n in names if n in KRAFTEN_COLUMNS] == KRAFTEN_COLUMNS
    assert {row.cells[0]: row.cells[1] for row in results.rows}["Andel aktivt arbetssökande"].endswith(" %")


def test_a_partial_previous_period_from_history_shows_what_it_has(kraften_example):
    team, _ = kraften_example
    report = build_report(team_scope(team), periods.named("2020/21"))
    history = {"from": "2019-07-01", "to": "2020-06-30", "exits_total": 30,
               "throughput_months": {"all": {"all": 28.5}}, "source": "Verksamhetsberättelse 2019"}
    tables = tables_of(build_document({**report, "previous_period": history}, team.settings, "2020/21"))
    [results] = [t for t in tables if t.key == "results"]
    assert {r.cells[0]: r.cells[2] for r in results.rows}["Antal avslut totalt"] == "30"
    assert {r.cells[0]: r.cells[2] for r in results.rows}["Antal i mål"] == "–"
    throughput = next(t for t in tables if t.key == "throughput")
    assert throughput.rows[0].cells[1:3] == ["10,7", "28,5"]
    assert previous_note({"previous_period": history}) == (
        "Föregående period: 2019-07-01 – 2020-06-30 (Verksamhetsberättelse 2019).")
