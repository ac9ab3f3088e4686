"""The rules of `facts_corrected` and `identified` that read more than the log.

Registered with the event service at start-up (`register_rules`), so the step forms, the API and
`append_event` callers all apply them: a fact that contradicts the personnummer is a warning the
user confirms; an identification needs an anonymous participant and a personnummer not already
registered in the team, and writes the personal data (encrypted, blind-indexed) on the participant.
"""

from casework.audit.access_log import log_access
from casework.errors import Conflict, NeedsConfirmation, ValidationFailed
from casework.events.facts import corrected_facts, personnummer_warnings
from casework.events.service import log_of, register_participant_rule
from casework.participants import personnummer as pnr
from casework.participants.models import Participant
from casework.participants.service import find_by_personnummer, write_personal

PURPOSE_FACT_CHECK = "fact_check"


def current_facts(participant: Participant, events=None) -> dict:
    """The participant's statistical facts with the log's fact corrections applied."""
    return corrected_facts({name: getattr(participant, name) for name in
                            ("gender", "birth_year", "education", "support_months_before")},
                           log_of(participant.id) if events is None else events)


def check_facts_corrected(participant: Participant, public: dict, personal: dict, *, user=None,
                          confirm_warnings: bool = False) -> None:
    """The corrected facts against the participant's personnummer (read, and the read logged)."""
    if confirm_warnings or participant.anonymous or participant.erased_at is not None \
            or participant.personnummer_enc is None:
        return
    log_access(user, [participant.id], PURPOSE_FACT_CHECK)
    warnings = personnummer_warnings(participant.personnummer, {**current_facts(participant), **public})
    named = {name: w for name, w in warnings.items() if name in public}
    if named:
        raise NeedsConfirmation.of(named, "data.")


def identify(participant: Participant, public: dict, personal: dict, *, user=None,
             confirm_warnings: bool = False) -> None:
    """Turn an anonymous participant into an identified one; refuses and writes nothing on a problem."""
    if not participant.anonymous:
        raise ValidationFailed("participant.not_anonymous", "The participant is already identified.", "type")
    details = dict(personal.get("personal") or {})
    if not details.get("name"):
        raise ValidationFailed("identified.name_required", "Give the person's name.", "data.personal.name")
    normalised = None
    if details.get("personnummer"):
        try:
            normalised = pnr.normalise(details["personnummer"])
        except ValidationFailed as exc:
            raise ValidationFailed(exc.code, str(exc.message), "data.personal.personnummer") from None
        if find_by_personnummer(normalised, [participant.team_id]):
            raise Conflict("participant.personnummer_taken",
                           "A participant with this personnummer is already registered in the team.",
                           "data.personal.personnummer")
        warnings = personnummer_warnings(normalised, current_facts(participant))
        if warnings and not confirm_warnings:
            first = next(iter(warnings.values()))
            raise NeedsConfirmation(first.code, str(first), errors={"data.personal.personnummer": list(warnings.values())})
    participant.anonymous = False
    write_personal(participant, details, normalised)


def register_rules() -> None:
    register_participant_rule("facts_corrected", check_facts_corrected)
    register_participant_rule("identified", identify)
