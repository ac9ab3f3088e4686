"""A schemathesis check for the fuzz step (.ci/fuzz loads it through SCHEMATHESIS_HOOKS).

Schemathesis' own `positive_data_acceptance` fails a request the document allows that is
answered 4xx. Some of the API's rules cannot be stated in an OpenAPI document: they depend on
the participant's log (an enrolment after an enrolment), on today's date (a follow-up at most a
year ahead), on the team's settings (its survey scales) or on a checksum (a personnummer), and
they are answered 422 with their own code.
.ci/schemathesis.toml therefore lets that check accept 422, and this check takes its place for
what the document can state: a request it allows must never be refused as a body or query that
fits no schema, i.e. with one of the codes below. One rule of the schemas is out of reach of an
OpenAPI 3.0 document: the text rule for the keys of a free-form object (survey answers), which
needs `propertyNames`; a refusal that names only such keys is left alone.
"""

import schemathesis

# The codes of an answer whose request fits no schema (casework.web.api `_unprocessable`, and the
# services that load a body with marshmallow and wrap its messages).
SCHEMA_REFUSALS = frozenset({"validation_failed", "event.invalid", "participant.invalid",
                             "participant.registration_invalid", "date.invalid", "time.invalid"})

# casework.schemas: the text rule applied to an object's keys.
KEY_REFUSALS = ("Invalid key:", "Invalid field name:")


@schemathesis.check
def document_states_schema_rules(ctx, response, case):
    """A request generated as valid is not refused by a rule of a marshmallow schema."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code not in (400, 422):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    messages = [m for texts in (body.get("errors") or {}).values() for m in texts]
    if error in SCHEMA_REFUSALS and not all(m.startswith(KEY_REFUSALS) for m in messages):
        raise AssertionError(f"A request the document allows was refused as {error}: {body.get('errors') or {}}; "
                             "the document should state this rule.")
    return None
