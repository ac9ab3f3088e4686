"""Registering, finding and reading participants. Personal data is decrypted only here."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from marshmallow import ValidationError

from casework.audit.access_log import log_access
from casework.audit.security import security_event
from casework.auth.permissions import staff_team_ids
from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.db import new_id
from casework.errors import Conflict, KeyUnavailable, NotFound, PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.participants import personnummer as pnr
from casework.participants.models import Participant
from casework.participants.schemas import ParticipantInputSchema
from casework.teams.models import Team
from casework.text import is_identifier

CONTACT_FIELDS = ("phone", "email", "address")


@dataclass(frozen=True)
class PersonalData:
    name: str | None = None
    personnummer: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None

    def to_dict(self) -> dict:
        """The fields that have a value, in the order above (the exchange format's order)."""
        return {k: v for k, v in self.__dict__.items() if v}


def load_participant_input(raw: dict) -> dict:
    try:
        return ParticipantInputSchema().load(raw)
    except ValidationError as exc:
        raise ValidationFailed("participant.invalid", "Invalid participant.", errors=exc.messages) from None


def register_participant(team: Team, raw: dict, *, participant_id: str | None = None) -> Participant:
    """Create a participant from validated input; personal data encrypted before it is added."""
    data = load_participant_input(raw)
    ref = data.get("ref") or _generate_ref(team)
    if db.session.scalar(sa.select(Participant.id).where(Participant.team_id == team.id, Participant.ref == ref)):
        raise Conflict("participant.ref_taken", f"The team already has a participant {ref}.", "ref", ref=ref)
    personal = data["personal"]
    normalised = None
    if personal.get("personnummer"):
        normalised = pnr.normalise(personal["personnummer"])
        if int(normalised[:4]) != data["birth_year"]:
            raise ValidationFailed("participant.birth_year_mismatch",
                                   "The birth year does not match the personnummer.", "birth_year")
        if find_by_personnummer(normalised, [team.id]):
            raise Conflict("participant.personnummer_taken",
                           "A participant with this personnummer is already registered in the team.",
                           "personnummer")
    participant, key = build_participant(team, data, normalised, ref=ref, participant_id=participant_id)
    db.session.add(participant)
    db.session.flush()
    db.session.add(key)
    db.session.flush()
    return participant


def build_participant(team: Team, data: dict, normalised: str | None, *, ref: str,
                      participant_id: str | None = None) -> tuple[Participant, DataKey]:
    """A participant and its data key, personal data encrypted; neither is added to the session.

    `data` is validated input (`load_participant_input`), `normalised` its checked personnummer.
    """
    participant = Participant(
        id=participant_id or new_id(), team_id=team.id, ref=ref, anonymous=data["anonymous"],
        gender=data["gender"], birth_year=data["birth_year"], education=data["education"],
        support_months_before=data["support_months_before"],
    )
    key = crypto.new_data_key(participant.id)
    if not participant.anonymous:
        write_personal(participant, data["personal"], normalised)
    return participant, key


def write_personal(participant: Participant, personal: dict, normalised: str | None) -> None:
    participant.name = personal.get("name")
    participant.personnummer = normalised
    participant.pnr_index = crypto.blind_index(normalised) if normalised else None
    participant.contact = {k: personal[k] for k in CONTACT_FIELDS if personal.get(k)}


def _generate_ref(team: Team) -> str:
    prefix = "".join(part[:1] for part in team.slug.split("-")).upper()[:3] or "P"
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Participant).where(Participant.team_id == team.id))
    number = count + 1
    while db.session.scalar(sa.select(Participant.id).where(Participant.team_id == team.id,
                                                            Participant.ref == f"{prefix}{number:04d}")):
        number += 1
    return f"{prefix}{number:04d}"


def get_participant(ident: str, team_ids: set[str] | None = None) -> Participant:
    """By id, or by external ref (unambiguous within the given teams); nothing else is looked up."""
    if not isinstance(ident, str) or not is_identifier(ident):
        raise NotFound("participant.not_found", "No such participant.", "participant")
    participant = db.session.get(Participant, ident)
    if participant is None:
        query = sa.select(Participant).where(Participant.ref == ident)
        if team_ids is not None:
            query = query.where(Participant.team_id.in_(team_ids))
        found = db.session.scalars(query.limit(2)).all()
        if len(found) > 1:
            raise ValidationFailed("participant.ref_ambiguous",
                                   f"The reference {ident!r} is used in several teams; name the team.", "team",
                                   ref=ident)
        participant = found[0] if found else None
    if participant is None or (team_ids is not None and participant.team_id not in team_ids):
        if participant is not None:  # another team's participant: answered as unknown, logged as refused
            security_event("permission_refused", participant_id=participant.id, status=404)
        raise NotFound("participant.not_found", "No such participant.", "participant")
    return participant


def participant_for(user, ident: str, allowed=None) -> Participant:
    """The one way a user's request finds a participant: by id or ref, within the user's own teams.

    Another team's participant is NotFound, like one that does not exist (its existence is not
    revealed); `allowed(user, participant)`, when given, is then checked (PermissionDenied). The
    page and API loaders translate these into their answers.
    """
    participant = get_participant(ident, staff_team_ids(user))
    if allowed is not None and not allowed(user, participant):
        raise PermissionDenied("participant.denied", "You may not do this with this participant.")
    return participant


def find_by_personnummer(normalised: str, team_ids) -> list[Participant]:
    """Through the blind index: no row is decrypted to search."""
    indexes = crypto.blind_indexes(normalised)
    return list(db.session.scalars(
        sa.select(Participant).where(Participant.pnr_index.in_(indexes), Participant.team_id.in_(list(team_ids)))
    ))


def display_name(participant: Participant) -> str:
    """The decrypted name, the pseudonym of an erased person, or a label for anonymous ones."""
    if participant.erased_at is not None:
        return participant.pseudonym
    if participant.anonymous or participant.name_enc is None:
        return f"Anonym {participant.ref}"
    try:
        return participant.name
    except KeyUnavailable:
        return participant.pseudonym


def names_of(participants: list[Participant]) -> dict[str, str]:
    crypto.preload_data_keys(p.id for p in participants if not p.anonymous and p.erased_at is None)
    return {p.id: display_name(p) for p in participants}


def search_participants(team_ids, text: str, user=None) -> list[Participant]:
    """Personnummer via the blind index; a name fragment by decrypting within the user's teams only."""
    text = (text or "").strip()
    if not text:
        return []
    if pnr.looks_like_personnummer(text):
        try:
            found = find_by_personnummer(pnr.normalise(text), team_ids)
        except ValidationFailed:
            found = []
    else:
        candidates = list(db.session.scalars(
            sa.select(Participant).where(Participant.team_id.in_(list(team_ids)), Participant.anonymous.is_(False),
                                         Participant.erased_at.is_(None))
        ))
        names = names_of(candidates)
        needle = text.casefold()
        found = [p for p in candidates if needle in names[p.id].casefold() or needle == p.ref.casefold()]
    return found


def personal_data(participant: Participant, user, purpose: str) -> PersonalData:
    """Decrypt one participant's personal data, and write the read to the access log."""
    if participant.anonymous:
        return PersonalData()
    if participant.erased_at is not None:
        raise KeyUnavailable("participant.erased", "This participant's personal data has been erased.")
    log_access(user, [participant.id], purpose)
    return decrypted_personal_data(participant)


def decrypted_personal_data(participant: Participant) -> PersonalData:
    """The personal data in clear, personnummer formatted for display; the caller logs the read."""
    number = participant.personnummer
    contact = participant.contact
    return PersonalData(name=participant.name, personnummer=pnr.display(number) if number else None,
                        **{k: contact.get(k) for k in CONTACT_FIELDS})


def age_on(participant: Participant, day: dt.date) -> int:
    return day.year - participant.birth_year
