"""The `surveys` and `post_exit_cohorts` keys: from an imported log, counted by hand, and suppressed."""

import datetime as dt
import json

from casework.exchange.service import import_lines
from casework.reports.compute import compute_report
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.periods import Period
from casework.reports.service import build_report, team_scope
from casework.reports.suppress import HIDDEN, SUPPRESSED, suppress
from casework.teams.models import Team
from casework.teams.settings import TeamSettings

YEAR = Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
SETTINGS = TeamSettings(trial_months=2)


def nns_exit_answers(n: int) -> dict:
    """Person n's answers: q1 = 1..6 in turn, q5 high for most, q10 left empty by every fourth."""
    return {"q1": n % 6 + 1, "q2": 6, "q3": 5 if n < 14 else 4, "q4": 3, "q5": 6 if n % 10 else 2,
            "q6": 5 if n % 2 else 1, "q7": 4, "q8": 1, "q9": 2, "q10": None if n % 4 == 0 else 5}


def survey_log(people: int = 20) -> list[str]:
    lines = [{"record": "team", "slug": "nns-team", "name": "NNS Team", "federation": "Testförbundet"}]
    for n in range(people):
        ref = f"P{n}"
        lines += [
            {"record": "participant", "ref": ref, "team": "nns-team", "gender": "woman" if n % 2 else "man",
             "birth_year": 1980 + n},
            {"record": "event", "id": f"{ref}-1", "ref": ref, "type": "referral_received", "date": "2021-01-04",
             "data": {"referrer_org": "fk"}},
            {"record": "event", "id": f"{ref}-2", "ref": ref, "type": "enrolled", "date": "2021-02-01", "data": {}},
            {"record": "event", "id": f"{ref}-3", "ref": ref, "type": "survey", "date": "2021-09-01",
             "data": {"instrument": "nns_exit", "answers": nns_exit_answers(n)}},
            {"record": "event", "id": f"{ref}-4", "ref": ref, "type": "exited", "date": "2021-09-15",
             "data": {"category": "work" if n < 8 else "illness"}},
        ]
        if n < 15:
            status = "work_studies_jobseeking" if n < 10 else "unreachable" if n < 12 else "illness"
            lines.append({"record": "event", "id": f"{ref}-5", "ref": ref, "type": "post_exit_follow_up",
                          "date": "2022-03-20", "data": {"months_after": 6, "status": status}})
    return [json.dumps(line) for line in lines]


def test_the_top_two_shares_of_an_imported_log_are_those_counted_by_hand(session):
    import_lines(survey_log())
    team = session.query(Team).filter_by(slug="nns-team").one()
    figures = build_report(team_scope(team), YEAR)["surveys"]["nns_exit"]
    answers = [nns_exit_answers(n) for n in range(20)]
    for question in [f"q{k}" for k in range(1, 11)]:
        given = [a[question] for a in answers if a[question] is not None]
        by_hand = round(sum(1 for v in given if v >= 5) / len(given), 3)
        assert figures["top_two_share"][question] == by_hand, question
    assert figures["respondents"] == 20
    assert figures["top_two_share"]["q1"] == 0.3 and figures["top_two_share"]["q10"] == 1.0
    assert figures["answers"]["q10"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 15, "6": 0, "not_answered": 5}


def test_the_cohorts_of_the_periods_exits_at_exit_6_and_18_months(session):
    import_lines(survey_log())
    team = session.query(Team).filter_by(slug="nns-team").one()
    cohorts = build_report(team_scope(team), YEAR)["post_exit_cohorts"]
    assert cohorts == {"at_exit": {"in_work_or_studies": 8, "other": 12, "not_reached": 0},
                       "6": {"in_work_or_studies": 10, "other": 3, "not_reached": 7},
                       "18": {"in_work_or_studies": 0, "other": 0, "not_reached": 20}}


def log(pid: str, *steps) -> list[EventFact]:
    return [EventFact(f"{pid}-{n}", pid, kind, dt.date.fromisoformat(day), data, n)
            for n, (day, kind, data) in enumerate(steps, start=1)]


def ors(total_quarter: float) -> dict:
    return {"instrument": "ors", "answers": dict.fromkeys(("individually", "interpersonally", "socially", "overall"),
                                                          total_quarter)}


def ors_report(firsts_and_latests: list[tuple[float, float]], legacy: int = 0) -> tuple[dict, dict]:
    people, events = [], []
    for n, (first, latest) in enumerate(firsts_and_latests):
        pid = f"O{n}"
        people.append(ParticipantFacts(pid, "t", "woman", 1985, "unknown", 24))
        events += log(pid, ("2021-01-10", "enrolled", {}), ("2021-02-01", "survey", ors(first)),
                      ("2021-03-01", "survey", ors(5.0)), ("2021-05-01", "survey", ors(latest)),
                      *[("2021-05-02", "survey", {"instrument": "ors", "score": 20.0})] * (n < legacy))
    sizes: dict = {}
    return compute_report(people, events, YEAR, {"t": SETTINGS}, SETTINGS, sizes=sizes), sizes


def test_ors_first_versus_latest_and_legacy_scores_apart():
    report, _ = ors_report([(2.0, 5.5), (6.0, 4.0), (1.0, 1.0), (3.0, 8.0)], legacy=2)
    figures = report["surveys"]["ors"]
    assert (figures["respondents"], figures["compared"], figures["improved"], figures["legacy_scores"]) == (4, 4, 2, 2)
    assert figures["mean_first"] == 12.0 and figures["mean_latest"] == 18.5  # totals (8+24+4+12)/4, (22+16+4+32)/4
    assert figures["answers"]["overall"]["5"] == 1 and figures["answers"]["overall"]["8"] == 1


def test_small_survey_cells_and_the_shares_on_them_are_suppressed():
    report, sizes = ors_report([(2.0, 5.5), (6.0, 9.5)])
    shown = suppress(report, sizes, SETTINGS)["surveys"]["ors"]
    assert shown["respondents"] == SUPPRESSED and shown["compared"] == SUPPRESSED
    assert shown["answers"]["overall"]["9"] == SUPPRESSED and shown["answers"]["overall"]["0"] == 0
    assert shown["top_two_share"]["overall"] == HIDDEN
    assert shown["mean_first"] == HIDDEN and shown["mean_latest"] == HIDDEN
    bigger, sizes = ors_report([(2.0, 9.5), (6.0, 9.5), (3.0, 9.0), (1.0, 4.0)])
    shown = suppress(bigger, sizes, SETTINGS)["surveys"]["ors"]
    # the lone "<3" would follow from the respondents shown: its neighbour of three goes along as ".."
    assert shown["answers"]["overall"]["4"] == SUPPRESSED and shown["answers"]["overall"]["9"] == HIDDEN
    assert shown["answers"]["overall"]["0"] == 0 and shown["respondents"] == 4
    assert shown["top_two_share"]["overall"] == HIDDEN and (shown["mean_first"], shown["mean_latest"]) == (12.0, 32.0)


def test_every_format_gets_the_survey_tables_and_charts(session):
    from casework.reports.charts import chart_specs
    from casework.reports.tables import report_tables

    import_lines(survey_log())
    team = session.query(Team).filter_by(slug="nns-team").one()
    report = build_report(team_scope(team), YEAR)
    tables = {t.key: t for t in report_tables(report, team.settings)}
    nns_exit = tables["survey_nns_exit"]
    assert nns_exit.headings[-1] == "Andel i de två högsta stegen" and len(nns_exit.rows) == 10
    assert nns_exit.rows[0][0] == "Har du fått stöd på ett sätt som är till stor nytta för dig?"
    assert nns_exit.rows[0][-1] == report["surveys"]["nns_exit"]["top_two_share"]["q1"]
    assert tables["post_exit_cohorts"].rows[0] == ["I arbete eller studier", 8, 10, 0]
    specs = chart_specs(report, team.settings)
    assert specs["survey_nns_exit"]["series"]["Andel"] == list(report["surveys"]["nns_exit"]["top_two_share"].values())
    assert set(specs) >= {"survey_nns_ongoing", "survey_ors_comparison"}
