"""Print a schemathesis configuration whose path parameters take real ids from a running instance.

Usage: fuzz_values.py BASE_URL TOKEN > schemathesis.toml

Every path parameter of the OpenAPI document gets a dictionary of real values, chosen by its
name (and so does a body's `participant_id`), so that most generated requests reach a real
team, participant, event or booking, while schemathesis still generates other values (a NUL
byte, an unknown id) for the rest. The ids are read from the API itself with the token; a
parameter this script knows no values for is left to generation and named on standard error,
so a new route's parameter is noticed.
"""

import datetime as dt
import json
import sys
import urllib.request

USE_REAL_VALUE = 0.8  # the share of generated requests that take a real id


def api(base: str, token: str, path: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def real_values(base: str, token: str) -> dict[str, list[str]]:
    """Ids by path-parameter name: teams, participants (id and ref), events, group sessions, an open
    booking, the team's staff, budget and meeting records and its frozen snapshots (where there are any)."""
    slugs = [team["slug"] for team in api(base, token, "/api/v1/teams")]
    rows = api(base, token, f"/api/v1/teams/{slugs[0]}/participants")
    enrolled = [row for row in rows if row["phase"] == "enrolled"]
    participants = list(dict.fromkeys(value for row in (rows[:3] + enrolled[:3]) for value in (row["id"], row["ref"])))
    events = [event["id"] for row in enrolled[:3] for event in api(base, token, f"/api/v1/participants/{row['id']}/events")[:4]]
    sessions = [s["id"] for s in api(base, token, f"/api/v1/group-sessions?team={slugs[0]}")[:3]]
    records = [row["record_id"] for path in ("staff", "budget", "meetings")
               for row in api(base, token, f"/api/v1/teams/{slugs[0]}/{path}")[:2]]
    snapshots = [row["id"] for row in api(base, token, f"/api/v1/reports/teams/{slugs[0]}/snapshots")[:2]]
    values = {"slug": slugs, "ident": participants, "event_id": events, "session_id": sessions,
              "booking_id": [open_booking(base, token)], "participant_id": [row["id"] for row in enrolled[:3]],
              "record_id": records, "snapshot_id": snapshots}
    return {name: found for name, found in values.items() if found}  # none found: schemathesis generates them


def open_booking(base: str, token: str) -> str:
    """An open follow-up booking in the caller's schedule: an existing one, or a new one a month ahead."""
    entries = api(base, token, "/api/v1/schedule")["participants"]
    booked = [entry["booking"]["booking_id"] for entry in entries if entry["booking"]]
    if booked:
        return booked[0]
    ahead = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    return api(base, token, "/api/v1/schedule/bookings",
               {"participant_id": entries[0]["participant_id"], "scheduled_for": ahead,
                "scheduled_time": "10:00"})["booking_id"]


def path_parameters(base: str) -> set[str]:
    with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=30) as response:
        document = json.load(response)
    return {parameter["name"] for operation in _operations(document)
            for parameter in operation.get("parameters", []) if parameter.get("in") == "path"}


def _operations(document: dict):
    for item in document["paths"].values():
        yield from ({"parameters": item.get("parameters", [])}, *(v for v in item.values() if isinstance(v, dict)))


# Ids a request body names (a booking's participant), bound wherever a body has a field of that name.
BODY_FIELDS = ("participant_id",)


def toml(values: dict[str, list[str]], names: set[str]) -> str:
    bound = sorted(names & values.keys())
    lines = []
    for name in [*bound, *BODY_FIELDS]:
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values[name])}", ""]
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = {USE_REAL_VALUE} }}' for name in bound]
    lines += [f'"body.{name}" = {{ dictionary = "{name}", probability = {USE_REAL_VALUE} }}' for name in BODY_FIELDS]
    return "\n".join(lines) + "\n"


def main(base: str, token: str) -> None:
    names = path_parameters(base)
    values = real_values(base, token)
    for name in sorted(names - values.keys()):
        print(f"fuzz: no real values for path parameter {name!r}; schemathesis generates them", file=sys.stderr)
    sys.stdout.write(toml(values, names))


if __name__ == "__main__":
    main(*sys.argv[1:3])
