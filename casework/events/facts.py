"""The statistical facts of a participant as corrected by `facts_corrected` events, and the
warnings a personnummer gives about them.

Pure functions: the participant page, the API and every report apply corrections the same way.
A participant row keeps the facts as registered; the log holds the corrections, so a wrong value
is never overwritten and a voided correction restores what it replaced.
"""

from collections.abc import Iterable, Mapping

from casework.errors import Coded
from casework.events.ordering import sort_key, voided_ids

FACT_NAMES = ("gender", "birth_year", "education", "support_months_before")


def corrected_facts(registered: Mapping, events: Iterable) -> dict:
    """`registered` facts with the log's effective `facts_corrected` events applied in log order.

    `events` may hold the whole log or only fact corrections and corrections (anything with `id`,
    `type`, `date`, `seq`, `data` and `voids_event_id`); only the facts a correction names change.
    """
    events = list(events)
    voided = voided_ids((e.id, e.voids_event_id) for e in events if e.type == "correction")
    facts = {name: registered[name] for name in FACT_NAMES}
    for event in sorted((e for e in events if e.type == "facts_corrected" and e.id not in voided), key=sort_key):
        facts.update({name: event.data[name] for name in FACT_NAMES if name in event.data})
    return facts


def personnummer_warnings(normalised: str | None, facts: Mapping) -> dict[str, Coded]:
    """Facts that contradict a personnummer (12 digits YYYYMMDDNNNC), by fact name.

    The second-to-last digit is odd for a man and even for a woman; the first four are the birth
    year. These are warnings, not errors: the coach may know better (a changed legal gender, a
    samordningsnummer) and confirms them.
    """
    if not normalised:
        return {}
    warnings = {}
    gender = facts.get("gender")
    expected = "man" if int(normalised[-2]) % 2 else "woman"
    if gender in ("man", "woman") and gender != expected:
        warnings["gender"] = Coded("facts.gender_contradicts_personnummer",
                                   "The gender contradicts the personnummer's gender digit.")
    year = facts.get("birth_year")
    if year is not None and year != int(normalised[:4]):
        warnings["birth_year"] = Coded("facts.birth_year_contradicts_personnummer",
                                       "The birth year contradicts the personnummer.")
    return warnings
