"""The survey scales a team sets (DOMAIN.md §7: the NNS answer scale, the process staircase's steps).

Two rules follow from a scale being a team's:
- an answer is refused beyond the team's scale (`check_team_scale`, applied by `append_event` and
  by the import to every survey, after the payload schema's check against the widest scale);
- a change of the settings may not leave recorded answers misread (`settings_change_problems`,
  registered with `teams.service` so the settings page, the API and an import's `team` line all
  apply it). The NNS scale keeps its number of steps once the team has NNS answers, since
  `top_two_share` counts the two highest steps of the scale an answer was given on: a 6 on a scale
  of 6 is in the top two, on a scale of 7 it is not. Its steps may be renamed. The staircase may
  grow, and shrink down to its highest step recorded: a step keeps its number and meaning.
Voided surveys do not count; legacy surveys with a bare score have no steps to misread.
"""

import sqlalchemy as sa

from casework.errors import Coded, ValidationFailed
from casework.events.instruments import INSTRUMENTS, NNS_IDS, STAIRCASE, team_problems
from casework.events.models import Event
from casework.extensions import db
from casework.teams.settings import TeamSettings


def check_team_scale(settings: TeamSettings, type_name: str, public: dict) -> None:
    """Refuse a survey whose answers lie beyond the team's scale, each message on its question.

    A code of its own: the API document states the widest scale a team may set, not this team's."""
    if type_name != "survey" or not isinstance(public.get("answers"), dict):
        return
    if problems := team_problems(settings, public["instrument"], public["answers"]):
        raise ValidationFailed("event.beyond_team_scale", "An answer lies beyond the team's scale.",
                               errors={f"data.answers.{q}": messages for q, messages in problems.items()})


def recorded_answers(team_id: str) -> list[tuple[str, dict]]:
    """(instrument, answers) of the team's surveys that are not voided."""
    surveys = db.session.execute(sa.select(Event.id, Event.data).where(Event.team_id == team_id,
                                                                         Event.type == "survey"))
    voided = set(db.session.scalars(sa.select(Event.voids_event_id).where(Event.team_id == team_id,
                                                                            Event.type == "correction")))
    return [(data["instrument"], data["answers"]) for event_id, data in surveys
            if event_id not in voided and isinstance(data.get("answers"), dict)]


def settings_change_problems(team, before: TeamSettings, after: TeamSettings) -> dict[str, list[Coded]]:
    """What a change of `team`'s settings from `before` to `after` would misread, by setting."""
    nns_changes = len(before.nns_scale) != len(after.nns_scale)
    staircase_shrinks = len(after.process_steps) < len(before.process_steps)
    if team.id is None or not (nns_changes or staircase_shrinks):
        return {}
    answers = recorded_answers(team.id)
    problems: dict[str, list[Coded]] = {}
    if nns_changes and any(instrument in NNS_IDS for instrument, _ in answers):
        steps = len(before.nns_scale)
        problems["nns_scale"] = [Coded("settings.nns_scale_in_use",
                                       f"The team has NNS answers on a scale of {steps} steps; the number of steps "
                                       "cannot change (the two highest steps would mean something else). "
                                       "Rename the steps instead.", steps=steps)]
    question = next(iter(INSTRUMENTS[STAIRCASE].questions))
    highest = max((a.get(question) or 0 for instrument, a in answers if instrument == STAIRCASE), default=0)
    if staircase_shrinks and highest > len(after.process_steps):
        problems["process_steps"] = [Coded("settings.process_step_in_use",
                                           f"The team has recorded step {highest} of the process staircase; "
                                           "the staircase cannot have fewer steps.", step=highest)]
    return problems


def register_rules() -> None:
    from casework.teams.service import register_settings_check

    register_settings_check(settings_change_problems)
