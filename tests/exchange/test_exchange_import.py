import copy
import datetime as dt

import pytest
import sqlalchemy as sa

from casework.events.models import Event
from casework.events.service import append_event, effective, log_of
from casework.exchange.service import ImportRefused, import_lines
from casework.extensions import db
from casework.participants.models import Participant
from casework.teams.models import Team
from tests.exchange.conftest import EXAMPLE_TEAM, first_line, with_line


def count(model, **where) -> int:
    query = sa.select(sa.func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def team_counts(slug: str) -> tuple[int, int]:
    team = db.session.scalar(sa.select(Team).where(Team.slug == slug))
    if team is None:
        return 0, 0
    return count(Participant, team_id=team.id), count(Event, team_id=team.id)


def refused(lines) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as caught:
        import_lines(lines)
    return caught.value.line_errors


def test_the_example_imports_every_participant_and_event(example_lines, example_records):
    participants = sum(r["record"] == "participant" for r in example_records)
    events = sum(r["record"] == "event" for r in example_records)
    summary = import_lines(example_lines)
    assert (summary.teams_added, summary.participants_added, summary.events_added) == (1, participants, events)
    assert team_counts(EXAMPLE_TEAM) == (participants, events)


def test_imported_refs_ids_and_personal_data_are_kept(example_lines, example_records, coach):
    from casework.participants.service import get_participant, personal_data

    import_lines(example_lines)
    record = next(r for r in example_records if r["record"] == "participant")
    participant = get_participant(record["ref"])
    assert participant.name_enc and record["personal"]["name"].encode() not in participant.name_enc
    assert personal_data(participant, coach, "test").name == record["personal"]["name"]
    first_event = next(r for r in example_records if r["record"] == "event" and r["ref"] == record["ref"])
    assert log_of(participant.id)[0].ext_id == first_event["id"]


def test_a_second_import_adds_nothing(example_lines):
    import_lines(example_lines)
    before = team_counts(EXAMPLE_TEAM)
    summary = import_lines(example_lines)
    assert (summary.teams_added, summary.participants_added, summary.events_added) == (0, 0, 0)
    assert summary.participants_skipped == before[0] and summary.events_skipped == before[1]
    assert team_counts(EXAMPLE_TEAM) == before


def test_one_bad_line_refuses_the_whole_file(example_lines, example_records):
    number = first_line(example_records, record="event", type="exited")
    bad = copy.deepcopy(example_records[number - 1])
    bad["data"]["category"] = "lottery_win"
    errors = refused(with_line(example_lines, number, bad))
    assert [(line, field) for line, field, _ in errors] == [(number, "data.category")]
    assert team_counts(EXAMPLE_TEAM) == (0, 0)
    assert count(Team, slug=EXAMPLE_TEAM) == 0


def test_every_bad_line_is_reported_with_its_number_and_field(example_lines, example_records):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    participant = first_line(example_records, record="participant")
    visit = first_line(example_records, record="event", type="study_visit")
    referral = first_line(example_records, record="event", type="referral_received")
    follow_up = first_line(example_records, record="event", type="follow_up")
    exited = first_line(example_records, record="event", type="exited")
    activity = first_line(example_records, record="event", type="activity")
    lines = list(example_lines)
    other_participant = {**example_records[participant - 1], "ref": "NEW1", "team": "no-such-team"}
    lines = with_line(lines, visit, {**example_records[visit - 1], "type": "teleportation"})
    lines = with_line(lines, referral, {**example_records[referral - 1], "ref": "NOBODY"})
    lines = with_line(lines, follow_up, {**example_records[follow_up - 1], "date": tomorrow})
    lines = with_line(lines, exited, {**example_records[exited - 1], "data": {"category": "work", "mood": "good"}})
    lines = with_line(lines, activity, "{not json")
    lines.append(json_line(other_participant))
    lines.append(json_line({"record": "invoice", "amount": 3}))
    errors = refused(lines)
    assert [(line, field) for line, field, _ in errors] == sorted([
        (visit, "type"), (referral, "ref"), (follow_up, "date"), (exited, "data.mood"), (activity, "line"),
        (len(lines) - 1, "team"), (len(lines), "record")])
    assert team_counts(EXAMPLE_TEAM) == (0, 0)


def json_line(record: dict) -> str:
    import json

    return json.dumps(record, ensure_ascii=False)


def small_file(team_slug="exch-team", **participant_facts) -> list[str]:
    return [
        json_line({"record": "team", "slug": team_slug, "name": "Exchange Team", "federation": "Testförbundet"}),
        json_line({"record": "participant", "ref": "X1", "team": team_slug, "gender": "woman", "birth_year": 1990,
                   "personal": {"name": "Greta Gran", "personnummer": "19900101-0017"}, **participant_facts}),
        json_line({"record": "event", "id": "A1", "ref": "X1", "type": "referral_received", "date": "2021-01-05",
                   "data": {"referrer_org": "fk", "income_sources": ["sickness_benefit"]}}),
        json_line({"record": "event", "id": "A2", "ref": "X1", "type": "enrolled", "date": "2021-02-01",
                   "data": {"consents": ["statistics"]}, "note": "Inskriven."}),
    ]


def test_log_order_is_checked_against_the_whole_log():
    lines = small_file()
    lines.append(json_line({"record": "event", "id": "A3", "ref": "X1", "type": "exited", "date": "2021-01-20",
                            "data": {"category": "work"}}))
    lines.append(json_line({"record": "event", "id": "A4", "ref": "X1", "type": "enrolled", "date": "2021-03-01",
                            "data": {}}))
    errors = refused(lines)
    assert [(line, field) for line, field, _ in errors] == [(5, "date"), (6, "type")]


def test_new_events_are_checked_against_the_log_in_the_database(make_participant, team, record):
    participant = make_participant(team, "Rut Ring")
    record(participant, "referral_received", "2021-01-05", {"referrer_org": "af"})
    lines = [json_line({"record": "event", "id": "N1", "ref": participant.ref, "type": "referral_received",
                        "date": "2021-02-01", "data": {"referrer_org": "fk"}}),
             json_line({"record": "event", "id": "N2", "ref": participant.ref, "type": "enrolled",
                        "date": "2021-02-10", "data": {}})]
    assert [(line, field) for line, field, _ in refused(lines)] == [(1, "type")]
    summary = import_lines(lines[1:])
    assert summary.events_added == 1
    assert [e.type for e in log_of(participant.id)] == ["referral_received", "enrolled"]


def test_a_correction_line_voids_an_earlier_event():
    lines = small_file()
    lines.append(json_line({"record": "event", "id": "C1", "ref": "X1", "type": "correction", "date": "2021-02-02",
                            "data": {"voids": "A2", "reason": "Fel datum."}}))
    import_lines(lines)
    participant = db.session.scalar(sa.select(Participant).where(Participant.ref == "X1"))
    log = log_of(participant.id)
    correction = next(e for e in log if e.type == "correction")
    assert correction.voids_event_id == next(e.id for e in log if e.ext_id == "A2")
    assert correction.data == {"voids": "A2"} and b"Fel datum" not in correction.personal_enc
    assert [e.ext_id for e in effective(log) if e.type != "correction"] == ["A1"]
    assert import_lines(lines).events_added == 0


def test_bad_corrections_are_refused():
    lines = small_file()
    lines.append(json_line({"record": "event", "id": "C1", "ref": "X1", "type": "correction", "date": "2021-02-02",
                            "data": {"voids": "NOPE", "reason": "x"}}))
    lines.append(json_line({"record": "event", "id": "C2", "ref": "X1", "type": "correction", "date": "2021-01-01",
                            "data": {"voids": "A2", "reason": "x"}}))
    lines.append(json_line({"record": "event", "id": "C3", "ref": "X1", "type": "correction", "date": "2021-02-02",
                            "data": {"voids": "A2"}}))
    errors = refused(lines)
    assert [(line, field) for line, field, _ in errors] == [(5, "data.voids"), (6, "date"), (7, "data.reason")]


def test_an_existing_id_with_other_content_is_an_error():
    import_lines(small_file())
    changed = small_file()
    changed[3] = changed[3].replace("Inskriven.", "Något annat.")
    errors = refused(changed)
    assert [(line, field) for line, field, _ in errors] == [(4, "id")]


def test_unknown_team_ref_and_participant_problems():
    lines = small_file()
    lines[1] = lines[1].replace('"gender": "woman"', '"gender": "robot"')
    lines.append(json_line({"record": "participant", "ref": "X2", "team": "exch-team", "gender": "man",
                            "birth_year": 1985, "personal": {"personnummer": "19900101-0018"}}))
    lines.append(json_line({"record": "participant", "ref": "X3", "team": "exch-team", "gender": "man",
                            "birth_year": 1985, "education": "doctorate"}))
    errors = refused(lines)
    assert [(line, field) for line, field, _ in errors] == [(2, "gender"), (5, "personal.personnummer"),
                                                            (6, "education")]


def test_a_note_for_an_anonymous_participant_is_refused():
    lines = small_file()
    lines[1] = json_line({"record": "participant", "ref": "X1", "team": "exch-team", "gender": "woman",
                          "birth_year": 1990})
    assert [(line, field) for line, field, _ in refused(lines)] == [(4, "note")]
    lines[3] = lines[3].replace(', "note": "Inskriven."', "")
    summary = import_lines(lines)
    assert summary.events_added == 2
    assert db.session.scalar(sa.select(Participant.anonymous).where(Participant.ref == "X1")) is True


def test_a_personnummer_already_in_the_team_is_refused(make_participant, team):
    make_participant(team, "Redan Här", "19900101-0017")
    lines = small_file(team_slug=team.slug)[1:]
    assert (1, "personal.personnummer") in {(line, field) for line, field, _ in refused(lines)}


def test_events_of_an_existing_participant_can_be_appended(make_participant, team):
    participant = make_participant(team, "Sara Sol")
    append_event(participant, "referral_received", "2021-01-05", {"referrer_org": "soc"})
    summary = import_lines([json_line({"record": "event", "id": "Z9", "ref": participant.ref, "type": "enrolled",
                                       "date": "2021-01-20", "data": {}, "note": "Välkommen."})])
    assert summary.events_added == 1
    log = log_of(participant.id)
    assert [e.seq for e in log] == [1, 2] and log[-1].ext_id == "Z9"


def test_bytes_blank_lines_and_a_byte_order_mark_are_read():
    lines = [line.encode() for line in small_file()]
    lines[0] = b"\xef\xbb\xbf" + lines[0]
    lines.insert(2, b"\n")
    summary = import_lines(lines)
    assert (summary.participants_added, summary.events_added) == (1, 2)


def test_text_that_is_not_utf8_is_an_error_on_its_line():
    lines = [line.encode() for line in small_file()]
    lines[3] = lines[3].replace(b"Inskriven", "Inskriven ÅÄÖ".encode("latin-1"))
    assert [(line, field) for line, field, _ in refused(lines)] == [(4, "line")]


def test_team_settings_are_validated_and_updated_by_a_later_file():
    lines = small_file()
    bad = json_line({"record": "team", "slug": "exch-team", "name": "Exchange Team", "federation": "Testförbundet",
                     "settings": {"trial_months": 99, "colour": "blue"}})
    errors = refused([bad, *lines[1:]])
    assert sorted((line, field) for line, field, _ in errors) == [(1, "settings.colour"), (1, "settings.trial_months")]
    assert import_lines(lines).teams_added == 1
    changed = bad.replace('"trial_months": 99, "colour": "blue"', '"trial_months": 3')
    summary = import_lines([changed, *lines[1:]])
    assert (summary.teams_updated, summary.events_added) == (1, 0)
    assert db.session.scalar(sa.select(Team).where(Team.slug == "exch-team")).settings.trial_months == 3


def test_event_ids_are_unique_within_a_team():
    lines = small_file()
    lines.append(lines[3].replace('"type": "enrolled"', '"type": "assessment"')
                 .replace('"data": {"consents": ["statistics"]}', '"data": {}'))
    assert [(line, field) for line, field, _ in refused(lines)] == [(5, "id")]
    import_lines(small_file())
    other = json_line({"record": "participant", "ref": "X2", "team": "exch-team", "gender": "man", "birth_year": 1980})
    reused = json_line({"record": "event", "id": "A1", "ref": "X2", "type": "study_visit", "date": "2021-01-01"})
    assert [(line, field) for line, field, _ in refused([other, reused])] == [(2, "id")]


def test_the_summary_names_the_participants_whose_logs_the_import_wrote(example_lines, example_records):
    """What the import hands on once it has written (a projection of the logs is updated for these)."""
    last = max(i for i, r in enumerate(example_records) if r["record"] == "event")
    summary = import_lines(example_lines[:last] + example_lines[last + 1:])
    team = db.session.scalar(sa.select(Team).where(Team.slug == EXAMPLE_TEAM))
    assert summary.participant_ids == set(db.session.scalars(sa.select(Participant.id).where(
        Participant.team_id == team.id)))
    again = import_lines(example_lines)  # only the line left out is new
    assert again.events_added == 1
    assert again.participant_ids == {db.session.scalar(sa.select(Participant.id).where(
        Participant.team_id == team.id, Participant.ref == example_records[last]["ref"]))}
    assert import_lines(example_lines).participant_ids == set()
