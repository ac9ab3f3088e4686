"""`facts_corrected` and `identified` lines (DOMAIN.md §6): checked like the API's events, each
problem on its line, nothing written then; an export reads back to the same lines."""

import json

import pytest
import sqlalchemy as sa

from casework.events.facts import corrected_facts
from casework.events.service import log_of
from casework.exchange.exporting import export_team
from casework.exchange.service import ImportRefused, import_lines
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import search_participants
from casework.teams.models import Team
from casework.teams.service import get_team

TEAM = {"record": "team", "slug": "facts-team", "name": "Facts Team", "federation": "Testförbundet"}
KNOWN = {"record": "participant", "ref": "P1", "team": "facts-team", "gender": "man", "birth_year": 1990,
         "personal": {"name": "Kalle Känd", "personnummer": "19900101-0017"}}
ANONYMOUS = {"record": "participant", "ref": "P2", "team": "facts-team", "gender": "woman", "birth_year": 1990,
             "anonymous": True}


def event(ext_id, ref, type_name, day, data):
    return {"record": "event", "id": ext_id, "ref": ref, "type": type_name, "date": day, "data": data}


def lines(*records) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in [TEAM, KNOWN, ANONYMOUS, *records]]


def participant(ref) -> Participant:
    return db.session.scalar(sa.select(Participant).where(Participant.ref == ref))


def refused(file_lines) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as caught:
        import_lines(file_lines)
    return caught.value.line_errors


def test_a_fact_correction_and_an_identification_import_and_export_back(coach):
    import_lines(lines(
        event("E1", "P1", "referral_received", "2021-01-05", {"referrer_org": "fk"}),
        event("E2", "P1", "facts_corrected", "2021-02-01", {"education": "compulsory", "reason": "Fel nivå"}),
        event("E3", "P2", "referral_received", "2021-01-05", {"referrer_org": "af"}),
        event("E4", "P2", "identified", "2021-03-01", {"personal": {"name": "Ida Identifierad",
                                                                    "personnummer": "19900315-0423"},
                                                       "consents": ["statistics"]}),
    ))
    known, identified = participant("P1"), participant("P2")
    assert corrected_facts({"gender": "man", "birth_year": 1990, "education": "unknown",
                            "support_months_before": None}, log_of(known.id))["education"] == "compulsory"
    assert log_of(known.id)[-1].personal == {"reason": "Fel nivå"}
    assert not identified.anonymous and identified.name == "Ida Identifierad"
    team = get_team("facts-team")
    assert search_participants({team.id}, "19900315-0423") == [identified]

    exported = [json.loads(line) for line in export_team(team, coach)]
    p2 = next(r for r in exported if r.get("ref") == "P2" and r["record"] == "participant")
    assert p2.get("anonymous") is True and "personal" not in p2  # identified by its event, on import too
    e4 = next(r for r in exported if r.get("id") == "E4")
    assert e4["data"]["personal"]["name"] == "Ida Identifierad"
    assert import_lines(export_team(team, coach)).events_added == 0  # the same lines: nothing new


@pytest.mark.parametrize("bad, field", [
    (event("E9", "P1", "facts_corrected", "2021-02-01", {"gender": "man"}), "data.reason"),
    (event("E9", "P1", "facts_corrected", "2021-02-01", {"gender": "robot", "reason": "Fel"}), "data.gender"),
    (event("E9", "P2", "identified", "2021-03-01", {"personal": {"name": "Anna", "personnummer": "19900101-0017"}}),
     "data.personal.personnummer"),
    (event("E9", "P1", "identified", "2021-03-01", {"personal": {"name": "Kalle Igen"}}), "type"),
])
def test_a_bad_line_names_its_field_and_nothing_is_written(bad, field):
    errors = refused(lines(bad))
    assert [(line, name) for line, name, _ in errors] == [(4, field)]
    assert db.session.scalar(sa.select(Team).where(Team.slug == "facts-team")) is None
