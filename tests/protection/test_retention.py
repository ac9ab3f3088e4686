import datetime as dt

import pytest

from casework.errors import Conflict, PermissionDenied
from casework.protection.retention import due_for_erasure, enforce_retention, release_legal_hold, set_legal_hold


@pytest.fixture
def people(make_participant, make_team, record):
    team = make_team(retention_years=5, queue_retention_months=6)
    exited = make_participant(team, "Ex Avslutad")
    record(exited, "referral_received", "2015-01-05", {"referrer_org": "fk"})
    record(exited, "enrolled", "2015-02-01")
    record(exited, "exited", "2016-03-01", {"category": "work", "subtype": "unsubsidised"})
    withdrawn = make_participant(team, "Wi Återtagen")
    record(withdrawn, "referral_received", "2020-01-05", {"referrer_org": "soc"})
    record(withdrawn, "referral_withdrawn", "2020-02-01")
    active = make_participant(team, "Ak Inskriven")
    record(active, "referral_received", "2010-01-05", {"referrer_org": "af"})
    record(active, "enrolled", "2010-02-01")
    queued = make_participant(team, "Kö Väntar")
    record(queued, "referral_received", "2010-01-05", {"referrer_org": "af"})
    return {"team": team, "exited": exited, "withdrawn": withdrawn, "active": active, "queued": queued}


def due_ids(today):
    return {d.participant_id: d.rule for d in due_for_erasure(today)}


def test_each_rule_falls_due_the_day_its_time_has_passed(people):
    exited, withdrawn = people["exited"].id, people["withdrawn"].id
    assert due_ids(dt.date(2020, 7, 31)).keys() & {exited, withdrawn} == set()
    assert due_ids(dt.date(2020, 8, 1)).get(withdrawn) == "queue"
    assert exited not in due_ids(dt.date(2021, 2, 28))
    assert due_ids(dt.date(2021, 3, 1)).get(exited) == "retention"
    assert people["active"].id not in due_ids(dt.date(2040, 1, 1))
    assert people["queued"].id not in due_ids(dt.date(2040, 1, 1))


def test_a_longer_team_retention_keeps_the_record(people, make_participant, make_team, record):
    team = make_team(retention_years=10)
    kept = make_participant(team, "Lång Tid")
    record(kept, "referral_received", "2015-01-05", {"referrer_org": "fk"})
    record(kept, "referral_withdrawn", "2015-02-01")
    assert due_ids(dt.date(2021, 3, 1)).get(kept.id) == "queue"
    record(kept, "referral_received", "2015-03-01", {"referrer_org": "fk"})
    record(kept, "enrolled", "2015-04-01")
    record(kept, "exited", "2016-03-01", {"category": "work", "subtype": "unsubsidised"})
    assert kept.id not in due_ids(dt.date(2021, 3, 1))
    assert due_ids(dt.date(2026, 3, 1)).get(kept.id) == "retention"


def test_enforcement_erases_once_and_a_hold_stops_it(people, make_user, app):
    lead = make_user("team_lead", [people["team"]])
    set_legal_hold(people["withdrawn"], "Pågående klagomål hos IMY", lead)
    with pytest.raises(Conflict):
        set_legal_hold(people["withdrawn"], "Igen", lead)
    done = enforce_retention(dt.date(2022, 1, 1))
    assert [d.participant_id for d in done] == [people["exited"].id]
    assert people["exited"].erased_at is not None and people["withdrawn"].erased_at is None
    assert enforce_retention(dt.date(2022, 1, 1)) == []
    release_legal_hold(people["withdrawn"], lead)
    assert [d.participant_id for d in enforce_retention(dt.date(2022, 1, 1), dry_run=True)] == [people["withdrawn"].id]
    assert people["withdrawn"].erased_at is None


def test_only_a_team_lead_sets_a_hold(people, coach):
    with pytest.raises(PermissionDenied):
        set_legal_hold(people["exited"], "Skäl", coach)


def test_the_dry_run_lists_ids_and_reasons_only(people, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["gdpr", "enforce-retention", "--dry-run", "--today", "2022-01-01"])
    assert result.exit_code == 0, result.output
    assert f"would erase {people['exited'].id}" in result.output and "retention" in result.output
    assert "Avslutad" not in result.output
    assert people["exited"].erased_at is None
