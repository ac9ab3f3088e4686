"""The `groups` key (DOMAIN.md §3): group sessions in the period by kind, from the attendees' logs.

A session counts when at least one of its attendances is effective (a voided session drops out);
its hours count once per session, not per attendee. Every kind is present, zeros included; a kind
outside the vocabulary (none is recorded today) is counted under `outside` rather than dropped.
"""

from casework.reports.paths import Path
from casework.reports.periods import Period
from casework.reports.table import Table
from casework.vocab import GROUP_SESSION_KINDS

OUTSIDE = "outside"
KEYS = ("sessions", "hours", "attendances", "distinct_participants")


def group_figures(paths: list[Path], period: Period) -> dict:
    sessions: dict[str, dict[str, float]] = {kind: {} for kind in (*GROUP_SESSION_KINDS, OUTSIDE)}
    attendances = dict.fromkeys(sessions, 0)
    people: dict[str, set[str]] = {kind: set() for kind in sessions}
    for path in paths:
        for day, kind, session_id, hours in path.group_attendances:
            if not period.contains(day):
                continue
            kind = kind if kind in GROUP_SESSION_KINDS else OUTSIDE
            sessions[kind][session_id] = max(hours, sessions[kind].get(session_id, 0))
            attendances[kind] += 1
            people[kind].add(path.person.id)
    by_kind = {kind: {"sessions": len(sessions[kind]), "hours": _hours(sum(sessions[kind].values())),
                      "attendances": attendances[kind], "distinct_participants": len(people[kind])}
               for kind in sessions}
    everyone = set().union(*people.values())
    by_kind["all"] = {"sessions": sum(len(s) for s in sessions.values()),
                      "hours": _hours(sum(sum(s.values()) for s in sessions.values())),
                      "attendances": sum(attendances.values()), "distinct_participants": len(everyone)}
    return by_kind


def _hours(value: float) -> float | int:
    """Whole hours as an integer, otherwise one decimal (as the report's other measures)."""
    value = round(value, 1)
    return int(value) if float(value).is_integer() else value


TEXT = {
    "groups": "Gruppverksamhet",
    "kind": "Slag",
    "sessions": "Träffar",
    "hours": "Timmar",
    "attendances": "Närvarotillfällen",
    "distinct_participants": "Unika deltagare",
    "all": "Alla slag",
    "outside": "Okänt slag",
}


def groups_table(report: dict) -> Table:
    labels = {**GROUP_SESSION_KINDS, OUTSIDE: TEXT["outside"], "all": TEXT["all"]}
    return Table("groups", TEXT["groups"], [TEXT["kind"], *[TEXT[k] for k in KEYS]],
                 [[labels[kind], *[row[k] for k in KEYS]] for kind, row in report["groups"].items()])
