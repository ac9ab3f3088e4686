"""The federation's view: every team once, its figures the team's own report's, one load of facts."""

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.errors import PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.organisation.service import load_input, save_record
from casework.reports.federation import (
    MEASURES,
    TOTAL_LABEL,
    federation_figures,
    federation_view,
    held_on_time_share,
)
from casework.reports.periods import Period, calendar_year
from casework.reports.permissions import can_view_federation
from casework.reports.service import build_report, team_scope

YEAR = calendar_year("2021")
COLUMN = {m.key: index + 1 for index, m in enumerate(MEASURES)}


@pytest.fixture
def enrol(make_participant, record):
    """A participant of `team` referred and enrolled on `day`, exited on `exit_day` when given."""

    def make(team, day="2021-03-01", gender="woman", exit_day=None, category="work", name="Pers Person"):
        person = make_participant(team, name, gender=gender)
        referred = dt.date.fromisoformat(day) - dt.timedelta(days=20)
        record(person, "referral_received", referred, {"referrer_org": "fk"})
        record(person, "enrolled", day)
        if exit_day:
            record(person, "exited", exit_day, {"category": category})
        return person

    return make


@pytest.fixture
def three_teams(make_team, enrol):
    teams = [make_team(f"fed-{n}", f"Team {name}", federation="Dalförbundet")
             for n, name in enumerate(("Cedern", "Asken", "Björken"))]
    for count, team in zip((5, 1, 4), teams, strict=True):
        for n in range(count):
            enrol(team, exit_day="2021-10-01" if n % 2 else None, gender="man" if n % 3 else "woman")
    enrol(teams[0], day="2020-09-01", exit_day="2020-11-02")  # in the previous year only
    return teams


def test_every_team_is_listed_once_in_name_order_with_the_total_last(three_teams):
    figures = federation_figures(three_teams[0].federation, YEAR, suppressed=False)
    names = [row[0] for row in figures.rows()]
    assert names == ["Team Asken", "Team Björken", "Team Cedern", TOTAL_LABEL]
    assert [row[0] for row in figures.rows(previous=True)] == names
    participants = [row[COLUMN["participants_in_period"]] for row in figures.rows()]
    assert participants == [1, 4, 5, 10]


def test_each_row_is_the_team_s_own_report(three_teams):
    figures = federation_figures(three_teams[0].federation, YEAR, suppressed=False)
    for team in three_teams:
        own = build_report(team_scope(team), YEAR)
        row = next(r for r in figures.rows() if r[0] == team.name)
        assert row[COLUMN["new_enrolments"]] == own["new_enrolments"]
        assert row[COLUMN["exits_total"]] == own["exits_total"]
        assert row[COLUMN["result_share"]] == own["result_share"]
        assert row[COLUMN["throughput_months"]] == own["throughput_months"]["all"]["all"]
        assert figures.reports[team.id]["previous_period"]["exits_total"] == own["previous_period"]["exits_total"]
    previous = {r[0]: r for r in figures.rows(previous=True)}
    assert previous["Team Cedern"][COLUMN["exits_total"]] == 1
    assert previous[TOTAL_LABEL][COLUMN["exits_total"]] == 1


def test_a_team_without_participants_is_listed_with_zeros(three_teams, make_team):
    empty = make_team("tom", "Team Tom", federation="Dalförbundet")
    rows = federation_figures(empty.federation, YEAR, suppressed=False).rows()
    assert [r[0] for r in rows].count("Team Tom") == 1
    assert next(r for r in rows if r[0] == "Team Tom")[COLUMN["participants_in_period"]] == 0


def test_the_facts_are_loaded_once_whatever_the_number_of_teams(three_teams, make_team, enrol):
    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            federation_figures(three_teams[0].federation, YEAR, suppressed=False)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    statements()
    with_three = statements()
    for n in range(4):
        enrol(make_team(f"extra-{n}", f"Team Extra {n}", federation="Dalförbundet"))
    db.session.expire_all()
    statements()  # reloads the expired federation and its teams
    assert statements() == with_three
    assert len(federation_figures(three_teams[0].federation, YEAR, suppressed=False).rows()) == 3 + 4 + 1


def test_readers_outside_the_teams_see_small_cells_suppressed(three_teams):
    figures = federation_figures(three_teams[0].federation, YEAR, suppressed=True)
    asken = next(r for r in figures.rows() if r[0] == "Team Asken")
    assert asken[COLUMN["participants_in_period"]] == "<3"
    assert asken[COLUMN["throughput_months"]] in ("..", None)
    assert figures.total["suppressed"] is True
    with pytest.raises(ValidationFailed):
        federation_figures(three_teams[0].federation, Period(dt.date(2021, 1, 1), dt.date(2021, 3, 3)),
                           suppressed=True)


def test_cost_per_participant_is_empty_until_the_report_has_an_economy():
    cost = next(m for m in MEASURES if m.key == "cost_per_participant")
    assert cost.value({"participants_in_period": 4}) is None
    assert cost.value({"economy": {"cost_per_participant": 1250.5}}) == 1250.5


@pytest.mark.parametrize(("follow_ups", "expected"), [
    ({"due": 8, "held_on_time": 6}, 0.75), ({"due": 0, "held_on_time": 0}, None),
    ({"due": 8, "held_on_time": "<3"}, ".."), ({"due": "..", "held_on_time": 5}, ".."), (None, None),
])
def test_follow_ups_on_time_are_a_share_of_those_due_never_revealing_a_hidden_count(follow_ups, expected):
    assert held_on_time_share({"follow_ups": follow_ups} if follow_ups else {}) == expected


def test_who_may_see_the_federation(three_teams, make_user, make_team):
    federation = three_teams[0].federation
    other = make_team("annan", federation="Annat förbund").federation
    analyst = make_user("analyst", federation=federation.name)
    assert can_view_federation(analyst, federation) and not can_view_federation(analyst, other)
    assert can_view_federation(make_user("admin"), federation)
    for user in (make_user("team_lead", [three_teams[0]]), make_user("coach", [three_teams[1]]),
                 make_user("auditor"), make_user("analyst", federation=other.name)):
        assert not can_view_federation(user, federation)
        with pytest.raises(PermissionDenied):
            federation_view(user, federation, YEAR)
    assert federation_view(analyst, federation, YEAR).suppressed is True


def test_cost_per_participant_is_the_team_s_outcome_over_its_participants(three_teams):
    cedern = three_teams[0]
    values = load_input("budget", {"line": "own_staff", "from": YEAR.start.isoformat(), "to": YEAR.end.isoformat(),
                                   "decided": 600_000, "outcome": 500_000, "forecast": None})
    save_record("budget", cedern, values, source="import")
    figures = federation_figures(cedern.federation, YEAR, suppressed=False)
    costs = {row[0]: row[COLUMN["cost_per_participant"]] for row in figures.rows()}
    assert costs["Team Cedern"] == 100_000.0  # 500 000 kr over its 5 participants
    assert costs["Team Asken"] is None  # no budget lines
    assert costs[TOTAL_LABEL] == 50_000.0  # over the federation's 10
    assert figures.reports[cedern.id]["economy"] == build_report(team_scope(cedern), YEAR)["economy"]
