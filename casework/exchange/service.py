"""Import of the JSON Lines exchange format (DOMAIN.md §6); export is in `exporting`.

Import checks every line against the file and the database before it writes anything: a file
with one bad line writes nothing, and each error names its line and field. Only then are teams,
participants and events written, events in bulk. Re-importing a file adds nothing: participants
are matched by (team, ref) and events by (participant, id).

The steps live in their own modules: `lines` (decoding a line), `parsing` (each line on its
own), `checking` and `logs` (across lines and against the database), `writing` (the bulk insert).
"""

from collections.abc import Iterable

from casework.errors import ValidationFailed
from casework.events.projection import refresh_states
from casework.exchange.checking import check_lines
from casework.exchange.group_sessions import write_group_sessions
from casework.exchange.records import ImportSummary
from casework.exchange.writing import write_plan
from casework.reports.projection import refresh_participants


class ImportRefused(ValidationFailed):
    """The file has bad lines; nothing was written. `line_errors` lists (line, field, message)."""

    def __init__(self, line_errors: list[tuple[int, str, str]]):
        self.line_errors = sorted(line_errors, key=lambda e: e[0])
        errors: dict[str, list[str]] = {}
        for number, field_name, message in self.line_errors:
            errors.setdefault(f"line {number}: {field_name}", []).append(message)
        count = len(self.line_errors)
        super().__init__("import.refused", f"{count} error(s) in the file; nothing was imported.", errors=errors,
                         count=count)


def import_lines(lines: Iterable[str | bytes]) -> ImportSummary:
    """Check every line, then write (only flushes; the caller commits, and rolls back on ImportRefused).

    Group sessions are checked against the logs as written, so after the other lines (see
    `group_sessions`): a refused session line raises ImportRefused after those flushes.
    """
    plan, findings = check_lines(lines)
    if findings.errors:
        raise ImportRefused(findings.errors)
    summary = write_plan(plan)
    refused = write_group_sessions(plan.group_sessions, summary)
    if refused.errors:
        raise ImportRefused(refused.errors)
    # Everything is written (flushed, not committed): what is kept from the participants' logs is
    # brought up to date here, once, in the same transaction (the bulk rows pass no ORM flush).
    refresh_states(summary.participant_ids)
    refresh_participants(summary.participant_ids)
    return summary
