"""The OpenAPI document states what the API does: every error answer, and the validation of every
input, so that an independent client (schemathesis, `.ci/fuzz`) can trust it. Each bug the fuzz
step found has a test here; the structural checks catch a new route or field that breaks the rules."""

import json
import re

import pytest

from casework.events.schemas import RECORDABLE_TYPES
from casework.text import text_problem

API = "/api/v1"
METHODS = {"get", "post", "put", "patch", "delete"}
ERROR_SHAPE = {"$ref": "#/components/schemas/ApiError"}


@pytest.fixture
def document(client):
    return json.loads(client.get(f"{API}/openapi.json").get_data(as_text=True))


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def _resolve(document, node):
    while "$ref" in node:
        _, _, kind, name = node["$ref"].split("/")
        node = document["components"][kind][name]
    return node


def _schemas_in(document, node, seen=None):
    """Every schema object reachable from `node`, references followed once."""
    seen = set() if seen is None else seen
    if isinstance(node, dict):
        if "$ref" in node:
            if node["$ref"] in seen:
                return
            seen.add(node["$ref"])
            yield from _schemas_in(document, _resolve(document, node), seen)
            return
        if "type" in node or "oneOf" in node:
            yield node
        for value in node.values():
            yield from _schemas_in(document, value, seen)
    elif isinstance(node, list):
        for item in node:
            yield from _schemas_in(document, item, seen)


def _input_schemas(document):
    for _, _, operation in _operations(document):
        yield from _schemas_in(document, operation.get("requestBody", {}))
        yield from _schemas_in(document, [p for p in operation.get("parameters", []) if p.get("in") == "query"])


def test_every_operation_documents_the_errors_it_can_answer(document):
    for method, path, operation in _operations(document):
        expected = {"401", "429"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"400", "413", "422"}
        assert expected <= set(operation["responses"]), (method, path, sorted(operation["responses"]))
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) or status == "default":
                schema = _resolve(document, response)["content"]["application/json"]["schema"]
                assert schema == ERROR_SHAPE, (method, path, status)


def test_the_error_shape_is_the_one_answered(document, client):
    """flask-smorest documented its 422 with its own schema, without `error` and with no other keys allowed."""
    shape = document["components"]["schemas"]["ApiError"]
    assert {"code", "status", "error", "message"} <= set(shape["required"])
    assert shape["properties"]["errors"]["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_every_input_string_has_a_maximum_length_and_the_text_rule(document):
    for schema in _input_schemas(document):
        if schema.get("type") != "string" or "enum" in schema or schema.get("format") in {"date", "date-time"}:
            continue
        assert "maxLength" in schema, schema
        if schema.get("format") != "email":
            assert "pattern" in schema, schema


def test_every_input_object_refuses_unknown_fields(document):
    for schema in _input_schemas(document):
        if schema.get("type") == "object" and "properties" in schema:
            assert schema.get("additionalProperties") is False, schema


def test_an_event_is_one_alternative_per_type_with_its_payload_schema(document):
    """The document allowed an exit without a category: `data` was any object."""
    event = document["components"]["schemas"]["EventInput"]
    assert event["discriminator"]["propertyName"] == "type"
    assert set(event["discriminator"]["mapping"]) == set(RECORDABLE_TYPES)
    assert len(event["oneOf"]) == len(RECORDABLE_TYPES)
    exited = _resolve(document, {"$ref": event["discriminator"]["mapping"]["exited"]})
    assert exited["properties"]["type"]["enum"] == ["exited"] and "data" in exited["required"]
    categories = _resolve(document, exited["properties"]["data"])
    for alternative in categories["oneOf"]:
        assert "category" in _resolve(document, alternative)["required"]


def test_the_birth_year_range_is_stated(document, client, coach, bearer):
    """`birth_year: 0` was allowed by the document and refused by the API."""
    intake = document["components"]["schemas"]["Intake"]
    for alternative in intake["oneOf"]:
        birth_year = _resolve(document, alternative)["properties"]["birth_year"]
        assert birth_year["minimum"] == 1900 and 1990 < birth_year["maximum"] < 2100
    body = {"gender": "man", "birth_year": birth_year["maximum"] + 1,
            "first_step": {"type": "study_visit", "date": "2021-01-05"}}
    response = client.post(f"{API}/teams/kraften-test/participants", json=body, headers=bearer(coach))
    assert response.status_code == 422 and "birth_year" in response.get_json()["errors"]


def test_a_booking_change_is_either_a_move_or_a_close(document):
    change = document["components"]["schemas"]["BookingChange"]
    alternatives = [_resolve(document, a) for a in change["oneOf"]]
    assert sorted(tuple(a["required"]) for a in alternatives) == [("scheduled_for",), ("status",)]
    assert all(not {"status", "scheduled_for"} <= set(a["properties"]) for a in alternatives)


def test_list_items_that_must_be_unique_say_so(document):
    referral = document["components"]["schemas"]["ReferralReceived"]
    assert referral["properties"]["income_sources"]["uniqueItems"] is True


def test_the_text_pattern_refuses_what_the_text_rule_refuses():
    from casework.text import json_schema_pattern

    for multiline in (False, True):
        pattern = re.compile(json_schema_pattern(multiline).replace("$", r"\Z"))
        for char in ["\x00", "\x07", "\t", "\n", "\x85", "\u202e", "\u2066", "a", "å", "\U0001f600"]:
            assert (pattern.match(f"x{char}y") is not None) == (text_problem(f"x{char}y", multiline) is None), char


def test_recorded_at_carries_its_offset(client, coach, bearer, enrolled):
    """SQLite hands back naive time stamps, which were answered without an offset (not an RFC 3339 date-time)."""
    events = client.get(f"{API}/participants/{enrolled.id}/events", headers=bearer(coach)).get_json()
    assert events and all(re.search(r"(\+00:00|Z)$", event["recorded_at"]) for event in events)


@pytest.mark.parametrize("value", [0, 1, "true", "yes"])
def test_a_boolean_is_true_or_false_only(client, coach, bearer, enrolled, counts, value):
    """0 was taken for false although the document says boolean."""
    before = counts()
    body = {"type": "activity", "date": "2021-03-01", "data": {"kind": "individual", "attended": value}}
    response = client.post(f"{API}/participants/{enrolled.id}/events", json=body, headers=bearer(coach))
    assert response.status_code == 422 and "data.attended" in response.get_json()["errors"]
    assert counts() == before


@pytest.mark.parametrize("value", [2.5e-42, 1990.5, True])
def test_an_integer_has_no_fraction(client, coach, bearer, counts, value):
    """2.5e-42 was truncated to 0 and stored although the document says integer."""
    before = counts()
    body = {"gender": "man", "birth_year": 1990, "support_months_before": value,
            "first_step": {"type": "study_visit", "date": "2021-01-05"}}
    response = client.post(f"{API}/teams/kraften-test/participants", json=body, headers=bearer(coach))
    assert response.status_code == 422 and "support_months_before" in response.get_json()["errors"]
    assert counts() == before


@pytest.mark.parametrize("answer", ["six", [6], {"a": 6}])
def test_survey_answers_are_numbers(client, coach, bearer, enrolled, counts, answer):
    """DOMAIN.md §7: answers are numbers (null: not answered); any JSON value was stored."""
    before = counts()
    body = {"type": "survey", "date": "2021-03-01", "data": {"instrument": "nns_ongoing", "answers": {"q1": answer}}}
    response = client.post(f"{API}/participants/{enrolled.id}/events", json=body, headers=bearer(coach))
    assert response.status_code == 422 and "data.answers.q1.value" in response.get_json()["errors"]
    assert counts() == before


def test_survey_answers_may_be_numbers_or_null(client, coach, bearer, enrolled):
    answers = {"individually": 6, "interpersonally": 0, "socially": 2.5, "overall": 10.0}
    body = {"type": "survey", "date": "2021-03-01", "data": {"instrument": "ors", "answers": answers}}
    response = client.post(f"{API}/participants/{enrolled.id}/events", json=body, headers=bearer(coach))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["answers"] == answers
    nns = {"type": "survey", "date": "2021-03-01", "data": {"instrument": "nns_ongoing", "answers": {"q1": 6, "q2": None}}}
    response = client.post(f"{API}/participants/{enrolled.id}/events", json=nns, headers=bearer(coach))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["answers"] == {"q1": 6, "q2": None}


def test_an_anonymous_participant_with_empty_contact_fields_is_registered(document, client, coach, bearer):
    """The anonymous alternative allows the personal fields that may be empty, empty, as the API does."""
    anonymous = _resolve(document, document["components"]["schemas"]["Intake"]["discriminator"]["mapping"]["anonymous"]
                         if "discriminator" in document["components"]["schemas"]["Intake"]
                         else document["components"]["schemas"]["Intake"]["oneOf"][0])
    empty = _resolve(document, anonymous["properties"]["personal"])
    body = {"gender": "man", "birth_year": 1990, "anonymous": True, "personal": dict.fromkeys(empty["properties"], ""),
            "first_step": {"type": "study_visit", "date": "2021-01-05"}}
    response = client.post(f"{API}/teams/kraften-test/participants", json=body, headers=bearer(coach))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["anonymous"] is True


def test_nested_error_messages_are_dotted(app):
    from casework.errors import ValidationFailed
    from casework.web.api import error_body

    error = ValidationFailed("participant.registration_invalid", "Invalid registration.",
                             errors={"first_step": {"data": {"category": ["Missing data for required field."]}}})
    assert error_body(error)["errors"] == {"first_step.data.category": ["Missing data for required field."]}


def test_a_registration_without_anonymous_states_that_it_needs_a_name(document, client, coach, bearer, counts):
    """`anonymous: false` without a name was allowed by the document and refused by the API."""
    named = _resolve(document, document["components"]["schemas"]["IntakeNamed"])
    assert "personal" in named["required"]
    assert "name" in _resolve(document, named["properties"]["personal"])["required"]
    before = counts()
    body = {"gender": "man", "birth_year": 1990, "anonymous": False, "personal": {"phone": "070-1234567"},
            "first_step": {"type": "study_visit", "date": "2021-01-05"}}
    response = client.post(f"{API}/teams/kraften-test/participants", json=body, headers=bearer(coach))
    assert response.status_code == 422 and "personal" in response.get_json()["errors"]
    assert counts() == before


def test_a_fact_correction_states_that_it_names_a_fact(document, client, coach, bearer, enrolled, counts):
    """A correction with only its reason was allowed by the document and refused by the API."""
    assert document["components"]["schemas"]["FactsCorrected"]["minProperties"] == 2
    before = counts()
    body = {"type": "facts_corrected", "date": "2021-03-01", "data": {"reason": "Fel"}}
    response = client.post(f"{API}/participants/{enrolled.id}/events", json=body, headers=bearer(coach))
    assert response.status_code == 422 and counts() == before


@pytest.mark.parametrize("value", [0, "true"])
def test_confirm_warnings_is_true_or_false_only(client, coach, bearer, counts, value):
    """`confirm_warnings: 0` was accepted although the document says boolean."""
    before = counts()
    body = {"gender": "man", "birth_year": 1990, "anonymous": True, "confirm_warnings": value,
            "first_step": {"type": "study_visit", "date": "2021-01-05"}}
    response = client.post(f"{API}/teams/kraften-test/participants", json=body, headers=bearer(coach))
    assert response.status_code == 422 and "confirm_warnings" in response.get_json()["errors"]
    assert counts() == before


@pytest.mark.parametrize("period", ["0000H1", "0000", "0000/01"])
def test_a_named_period_outside_the_years_is_a_422_not_a_500(client, coach, bearer, period):
    """`period=0000H1` made a date of year 0 and answered 500."""
    response = client.get(f"{API}/reports/teams/kraften-test", query_string={"period": period}, headers=bearer(coach))
    assert response.status_code == 422 and response.get_json()["error"] == "period.out_of_range"


def test_group_hours_state_their_exclusive_minimum_and_an_activity_names_no_session(document):
    """Hours of 0 were allowed by the document and refused; an activity naming a session likewise."""
    session = _resolve(document, document["components"]["schemas"]["GroupSessionInput"])
    assert session["properties"]["hours"]["exclusiveMinimum"] is True
    activity = document["components"]["schemas"]["Activity"]
    [step] = [_resolve(document, alternative) for alternative in activity["oneOf"]]
    assert not {"group_session_id", "hours"} & set(step["properties"])


def test_an_empty_task_kind_is_every_kind(client, coach, bearer):
    response = client.get(f"{API}/tasks", query_string={"kind": ""}, headers=bearer(coach))
    assert response.status_code == 200


def test_an_empty_overdue_filter_is_refused(client, coach, bearer):
    """The document states a boolean: an empty value is none (found by schemathesis)."""
    response = client.get(f"{API}/tasks", query_string={"overdue": ""}, headers=bearer(coach))
    assert response.status_code == 400
    assert "overdue" in str(response.get_json())
