"""Domain errors shown on the coach's pages: Swedish text, attached to the form field at fault.

The services speak English (their messages also reach the API and the CLI); the pages translate
the ones a coach can meet into Swedish here (and the English catalogue translates them back when
the user has chosen English). A message not listed is shown as the service wrote it.
"""

import re

from flask_babel import gettext, lazy_gettext as _l

from casework.errors import DomainError, flatten_messages

# (pattern matched against the service's message, Swedish text). Patterns are anchored at the start.
KNOWN_MESSAGES = [
    (r"Not a valid personnummer", _l("Ogiltigt personnummer.")),
    (r"The birth year does not match the personnummer", _l("Födelseåret stämmer inte med personnumret.")),
    (r"A participant with this personnummer is already registered",
     _l("En deltagare med detta personnummer finns redan i teamet.")),
    (r"An anonymous participant has no name", _l("En anonym deltagare har inget namn, personnummer eller kontaktuppgifter.")),
    (r"Not a plausible birth year", _l("Orimligt födelseår.")),
    (r"The date is in the future", _l("Datumet ligger i framtiden.")),
    (r"The date is too far in the past", _l("Datumet ligger för långt bak i tiden.")),
    (r"Not a date|Not a valid date|A date is required", _l("Ange ett datum (ÅÅÅÅ-MM-DD).")),
    (r"Not a valid time", _l("Ange en tid (TT:MM).")),
    (r"Not a valid integer|Not a valid number", _l("Ange ett tal.")),
    (r"Not a valid email", _l("Ogiltig e-postadress.")),
    (r"Missing data for required field|Field may not be null", _l("Obligatoriskt fält.")),
    (r"Must be one of|Not a valid choice", _l("Ogiltigt val.")),
    (r"Shorter than minimum length 1", _l("Välj minst ett alternativ.")),
    (r"Length must be between|Longer than maximum length", _l("Fel längd.")),
    (r"Must be greater than or equal to", _l("Värdet ligger utanför det tillåtna intervallet.")),
    (r"String does not match expected pattern", _l("Ogiltigt format.")),
    (r"Each value may appear only once", _l("Varje värde får bara väljas en gång.")),
    (r"\w+ needs an enrolment on or before", _l("Steget kräver en inskrivning på eller före datumet.")),
    (r"Already enrolled", _l("Redan inskriven: ett avslut måste komma före en ny inskrivning.")),
    (r"A referral is already open", _l("Deltagaren har redan en öppen remiss.")),
    (r"Only a referral in the queue can be withdrawn", _l("Bara en remiss i kö kan återtas.")),
    (r"There is no referral whose referrer could change", _l("Det finns ingen remiss vars remittent kan bytas.")),
    (r"The trial period is already completed", _l("Prövotiden är redan genomförd.")),
    (r"There is no work training to end", _l("Det finns ingen pågående arbetsträning att avsluta.")),
    (r"A work training is already going on", _l("En arbetsträning pågår redan.")),
    (r"A follow-up after exit needs an exit", _l("En uppföljning efter avslut kräver ett avslut på eller före datumet.")),
    (r"A follow-up cannot be booked for a date before", _l("En uppföljning kan inte bokas till ett datum före bokningen.")),
    (r"A booked follow-up needs a date", _l("En bokad uppföljning behöver ett datum.")),
    (r"Only a booked follow-up has a scheduled date", _l("Bara en bokad uppföljning har ett bokat datum.")),
    (r"Not a subtype of this exit category", _l("Undertypen hör inte till avslutskategorin.")),
    (r"Give either answers or a score", _l("Ange en poäng.")),
    (r"No case notes are kept for an anonymous participant", _l("För en anonym deltagare sparas inga anteckningar.")),
    (r"Nothing identifying may be recorded", _l("Inget identifierande får sparas för en raderad deltagare.")),
    (r"This event type is recorded by the system only", _l("Den här händelsetypen registreras bara av systemet.")),
    (r"That event is already voided", _l("Händelsen är redan makulerad.")),
    (r"A correction cannot be dated before", _l("En rättelse kan inte dateras före händelsen den makulerar.")),
    (r"An erasure cannot be voided", _l("En radering kan inte makuleras.")),
    (r"No such event", _l("Händelsen finns inte i deltagarens logg.")),
    (r"Unknown event type", _l("Okänd händelsetyp.")),
]
_COMPILED = [(re.compile(pattern), text) for pattern, text in KNOWN_MESSAGES]
LATER_STEP = "This would break a later step: "


def swedish(message: str) -> str:
    """The user's-language text for one service message."""
    if message.startswith(LATER_STEP):
        return gettext("Det skulle göra ett senare steg ogiltigt: %(problem)s",
                       problem=swedish(message[len(LATER_STEP):]))
    for pattern, text in _COMPILED:
        if pattern.match(message):
            return str(text)
    return message


def apply_domain_error(form, exc: DomainError, field_for: dict[str, str] | None = None,
                       message_for: dict[str, str] | None = None) -> None:
    """Attach a service's error to the form's fields; what fits no field goes to `form.form_errors`.

    `field_for` maps an error path (e.g. "data.referrer_org" or "personal.name") to a form field
    name; a path that is itself a field name needs no entry. Numeric path parts (list items) are
    ignored. `message_for` replaces every message of a path with one text (any fault of a
    personnummer reads "Ogiltigt personnummer.").
    """
    field_for = field_for or {}
    errors = flatten_messages(exc.errors) if exc.errors else {exc.field or "": [exc.message]}
    for path, messages in errors.items():
        path = ".".join(part for part in path.split(".") if not part.isdigit())
        name = field_for.get(path) or _last_matching(form, path, field_for)
        texts = [str(message_for[path])] if path in (message_for or {}) else [swedish(m) for m in messages]
        field = form._fields.get(name) if name else None
        if field is None:
            form.form_errors.extend(texts)
        else:
            field.errors = [*list(field.errors or []), *texts]


def _last_matching(form, path: str, field_for: dict[str, str]) -> str | None:
    """The field for a path: the path itself, or the longest known prefix, or its last part."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in field_for:
            return field_for[candidate]
        if candidate in form._fields:
            return candidate
    return parts[-1] if parts[-1] in form._fields else None
