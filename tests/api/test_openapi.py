"""The OpenAPI 3 document at /api/v1/openapi.json: every route, every schema, every reference."""

import json

import pytest

API = "/api/v1"
OPERATIONS = {
    ("get", "/api/v1/me"), ("get", "/api/v1/teams"), ("get", "/api/v1/teams/{slug}"),
    ("get", "/api/v1/teams/{slug}/participants"), ("post", "/api/v1/teams/{slug}/participants"),
    ("get", "/api/v1/participants/{ident}"), ("get", "/api/v1/participants/{ident}/events"),
    ("post", "/api/v1/participants/{ident}/events"),
    ("post", "/api/v1/participants/{ident}/events/{event_id}/correction"),
}
SCHEMAS = {"ApiError", "Me", "TeamOut", "ParticipantRow", "Intake", "ParticipantOut", "ParticipantState",
           "EventInput", "EventOut", "CorrectionInput"}


@pytest.fixture
def document(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_document_is_served_without_signing_in(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Casework API"


def test_every_operation_is_documented_with_its_schemas(document, app):
    documented = {(method, path) for path, item in document["paths"].items() for method in item
                  if method in {"get", "post", "put", "patch", "delete"}}
    assert documented >= OPERATIONS
    assert set(document["components"]["schemas"]) >= SCHEMAS
    for method, path in OPERATIONS:
        operation = document["paths"][path][method]
        success = "201" if method == "post" else "200"
        assert "$ref" in json.dumps(operation["responses"][success]), (method, path)
        assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ApiError"}
        if method == "post":
            assert "requestBody" in operation and "422" in operation["responses"]


def test_every_api_route_of_the_app_is_in_the_document(document, app):
    ours = {rule.rule.replace("<", "{").replace(">", "}") for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(("api_teams.", "api_participants.", "api_events.", "api_session."))}
    assert ours and ours <= set(document["paths"])


def test_every_reference_resolves(document):
    for ref in set(_refs(document)):
        assert ref.startswith("#/components/"), ref
        _, _, kind, name = ref.split("/")
        assert name in document["components"][kind], ref


def test_security_schemes(document):
    assert set(document["components"]["securitySchemes"]) == {"bearerAuth", "sessionCookie"}
    assert document["security"] == [{"bearerAuth": []}, {"sessionCookie": []}]


def test_event_types_are_enumerated(document):
    types = document["components"]["schemas"]["EventInput"]["discriminator"]["mapping"]
    assert "exited" in types and "correction" not in types


def test_document_passes_the_openapi_validator_when_installed(document):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)
