"""Work that falls due ("Att göra", DOMAIN.md §2): per participant, what is due or overdue.

Everything is computed at query time from what the log derives (no task is stored): each
participant's kept state and episode marks (`casework.events.projection`, kept in the transaction of
every change to the log), or the log itself. A task is done by recording the event that does it,
and voiding that event brings the task back.
Only the participant's latest episode counts. The kinds, and what does each:

- `trial_end`: the trial period ends `trial_months` after enrolment; done by `trial_completed`
  (an exit ends the episode, and with it the task).
- `follow_up`: the next follow-up with the referrer, as the follow-up schedule computes it
  (`ParticipantState.next_follow_up_due`); done by a held `follow_up`.
- `half_year_review`: due 6, 12, 18… months after enrolment; a `half_year_review` recorded
  within 3 months of such a date answers it (a late or early review still counts), so the next
  one due is the first of those dates more than 3 months after the latest review.
- `nns_ongoing`: 3 months after enrolment, while enrolled; done by a `survey` with that
  instrument in the episode.
- `nns_exit`: due on the exit date. It cannot fall due earlier: until the exit is recorded nobody
  knows when it comes, so the questionnaire that DOMAIN.md §7 places "before exit" is asked for
  by the exit. A `survey` with instrument `nns_exit` anywhere in the episode (before the exit or
  after it) does it. It lapses once the 6-month call after the exit falls due.
- `post_exit_follow_up`: 6 and 18 months after the exit; done by a `post_exit_follow_up` with
  that `months_after`. The 6-month call lapses once the 18-month one falls due.
- `queue_wait`: a referral waiting longer than the team's `queue_limit_months`; done by the
  enrolment (or the withdrawal of the referral).

Nobody's coach is recorded in the model, so a coach's list is their teams' list.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from marshmallow import ValidationError, fields, validate

from casework.audit.access_log import log_access
from casework.auth.permissions import can_read_participant, staff_team_ids
from casework.errors import DomainError, NotFound, flatten_messages
from casework.events.instruments import INSTRUMENTS
from casework.events.ordering import effective, unvoided
from casework.events.projection import EpisodeMarks, Projected, episode_marks, kept_states
from casework.events.state import ParticipantState, add_months, replay
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import names_of
from casework.schemas import InputSchema
from casework.teams.models import Team
from casework.teams.settings import TeamSettings
from casework.vocab import POST_EXIT_MONTHS

# Kind -> the event type whose form on the participant page does it.
STEPS = {
    "trial_end": "trial_completed",
    "follow_up": "follow_up",
    "half_year_review": "half_year_review",
    "nns_ongoing": "survey",
    "nns_exit": "survey",
    "post_exit_follow_up": "post_exit_follow_up",
    "queue_wait": "enrolled",
}
KINDS = tuple(STEPS)
REVIEW_MONTHS = 6
REVIEW_ANSWERS_WITHIN_MONTHS = REVIEW_MONTHS // 2
NNS_ONGOING_MONTHS = 3
# The instrument ids that do an NNS task: `nns_3m` is the id logs used before DOMAIN.md §7 named it.
NNS_INSTRUMENTS = {"nns_ongoing": ("nns_ongoing", "nns_3m"), "nns_exit": ("nns_exit",)}
DEFAULT_WITHIN_DAYS = 30
MAX_WITHIN_DAYS = 731
PURPOSE = "task_list"
MAY_BE_EMPTY = ("kind", "team", "within_days")


class BadTaskQuery(DomainError):
    """A filter value the list cannot use: 400, with the field at fault."""

    status = 400
    default_code = "tasks.invalid_query"


@dataclass
class Task:
    participant: Participant
    kind: str
    due: dt.date
    today: dt.date
    months_after: int | None = None
    booked_for: dt.date | None = None
    name: str | None = None

    @property
    def step(self) -> str:
        return STEPS[self.kind]

    @property
    def prefill(self) -> dict[str, str]:
        """What the step's form is opened with: the instrument, or the months after the exit."""
        if self.kind in NNS_INSTRUMENTS:
            return {"instrument": next((i for i in NNS_INSTRUMENTS[self.kind] if i in INSTRUMENTS), self.kind)}
        if self.months_after is not None:
            return {"months_after": str(self.months_after)}
        return {}

    @property
    def overdue(self) -> bool:
        return self.due < self.today

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    def sort_key(self):
        return (self.due, KINDS.index(self.kind), self.participant.ref)


@dataclass(frozen=True)
class TaskFilter:
    kinds: frozenset[str] = frozenset(KINDS)
    within_days: int = DEFAULT_WITHIN_DAYS
    overdue_only: bool = False
    team: str | None = None

    def keeps(self, task: Task) -> bool:
        if task.kind not in self.kinds:
            return False
        if self.overdue_only:
            return task.overdue
        return task.days_left <= self.within_days


class TaskQuerySchema(InputSchema):
    """The list's filters, as the page's query string and `GET /api/v1/tasks` take them."""

    kind = fields.List(fields.String(validate=validate.OneOf((*KINDS, ""))), metadata={
        "description": "Only these kinds (repeat the parameter for several; empty: every kind): "
                       + ", ".join(KINDS) + "."})
    within_days = fields.Integer(validate=validate.Range(min=0, max=MAX_WITHIN_DAYS), metadata={
        "description": f"Tasks due within this many days from today, overdue ones included "
                       f"(default {DEFAULT_WITHIN_DAYS})."})
    overdue = fields.Boolean(metadata={"description": "Only overdue tasks (due before today)."})
    team = fields.String(validate=validate.Length(max=80), metadata={
        "description": "Only this team of the caller's (its slug; empty: every team of the caller's); "
                       "another team is a 404."})


def load_filter(args) -> TaskFilter:
    """The filter from a query string (a MultiDict: `kind` may repeat); BadTaskQuery names the field.

    An empty `kind`, `team` or `within_days` is no filter (what the page's form sends when left
    empty); an empty `overdue` (a checkbox on the page, a boolean in the API document) is refused."""
    raw = {key: [v for v in args.getlist(key) if v] if key == "kind" else args.get(key)
           for key in args if key not in MAY_BE_EMPTY or any(args.getlist(key))}
    try:
        data = TaskQuerySchema().load(raw)
    except ValidationError as exc:
        errors = flatten_messages(exc.messages)
        errors = {key.split(".")[0]: texts for key, texts in errors.items()}
        field = next(iter(errors))
        raise BadTaskQuery("tasks.invalid_query", f"Invalid value for {field}.", field, errors=errors,
                           name=field) from None
    return TaskFilter(kinds=frozenset(data.get("kind") or KINDS),
                      within_days=data.get("within_days", DEFAULT_WITHIN_DAYS),
                      overdue_only=data.get("overdue", False), team=data.get("team"))


def due_tasks(participant: Participant, log, settings: TeamSettings, today: dt.date,
              state: ParticipantState | None = None, marks: EpisodeMarks | None = None) -> list[Task]:
    """Every task of one participant that is not done, whatever its date (pure: the log is given,
    and the state derived from it if the caller has it). With both `state` and `marks` (the state
    projection's), the log is not read and may be empty."""
    if state is None:
        state, _ = replay(effective(log), follow_up_interval_months=settings.follow_up_interval_months)
    if marks is None:
        marks = episode_marks(unvoided(log), state)  # what reads them looks for dates and types, in any order
    if state.erased or participant.erased_at is not None:
        return []
    found: list[tuple] = []
    if state.phase == "queued":
        found.append(("queue_wait", add_months(state.referral_on, settings.queue_limit_months), {}))
    if state.episode is not None:
        found += _active_tasks(state, marks, settings) if state.is_active else _after_exit_tasks(state, marks, today)
    return [Task(participant, kind, due, today, **extra) for kind, due, extra in found]


def _active_tasks(state: ParticipantState, marks: EpisodeMarks, settings: TeamSettings) -> list[tuple]:
    enrolled_on = state.episode.enrolled_on
    found = []
    if state.episode.trial_completed_on is None:
        found.append(("trial_end", add_months(enrolled_on, settings.trial_months), {}))
    booking = state.next_booking
    found.append(("follow_up", state.next_follow_up_due, {"booked_for": booking[0] if booking else None}))
    found.append(("half_year_review", _next_review(enrolled_on, marks.last_review_on), {}))
    if not _surveyed(marks, "nns_ongoing"):
        found.append(("nns_ongoing", add_months(enrolled_on, NNS_ONGOING_MONTHS), {}))
    return found


def _after_exit_tasks(state: ParticipantState, marks: EpisodeMarks, today: dt.date) -> list[tuple]:
    exited_on = state.episode.exited_on
    calls = {months: add_months(exited_on, months) for months in POST_EXIT_MONTHS}
    found = []
    if not _surveyed(marks, "nns_exit") and calls[min(calls)] > today:
        found.append(("nns_exit", exited_on, {}))
    for months, due in sorted(calls.items()):
        later = [d for m, d in calls.items() if m > months]
        if months not in marks.post_exit_months and not (later and min(later) <= today):
            found.append(("post_exit_follow_up", due, {"months_after": months}))
    return found


def _next_review(enrolled_on: dt.date, answered_until: dt.date | None) -> dt.date:
    """The first review date (every 6 months after enrolment) not answered by the latest recorded review."""
    step = 1
    while True:
        due = add_months(enrolled_on, REVIEW_MONTHS * step)
        if answered_until is None or due > add_months(answered_until, REVIEW_ANSWERS_WITHIN_MONTHS):
            return due
        step += 1


def _surveyed(marks: EpisodeMarks, kind: str) -> bool:
    return not marks.instruments.isdisjoint(NNS_INSTRUMENTS[kind])


def task_teams(user, slug: str | None = None) -> list[Team]:
    """The caller's teams whose tasks are listed: all of them, or the one named (NotFound otherwise)."""
    teams = sorted((t for t in getattr(user, "teams", []) if t.id in staff_team_ids(user)), key=lambda t: t.name)
    if slug is None:
        return teams
    chosen = [t for t in teams if t.slug == slug]
    if not chosen:
        raise NotFound("tasks.team_not_found", "No such team among yours.", "team")
    return chosen


def all_tasks(user, teams: list[Team], today: dt.date, *, logs: dict | None = None,
              states: dict[str, ParticipantState] | None = None,
              participants: list[Participant] | None = None,
              kept: dict[str, Projected] | None = None) -> list[Task]:
    """Every open task of the teams' participants the user may read, by date (no names yet).

    Read from the state projection (`kept`, when the caller has read it for the teams already), or,
    when the caller passes the teams' logs (and perhaps their derived `states`), derived from those.
    `participants`: the teams' participants, when the caller has loaded every one of them.
    """
    if not teams:
        return []
    settings = {t.id: t.settings for t in teams}
    if participants is None:
        participants = db.session.scalars(sa.select(Participant).where(Participant.team_id.in_(list(settings))))
    participants = [p for p in participants if p.erased_at is None and p.team_id in settings
                    and can_read_participant(user, p)]
    if logs is None:
        if kept is None or any(kept.get(p.id) is None for p in participants):
            kept = kept_states(participants, {tid: s.follow_up_interval_months for tid, s in settings.items()})
        tasks = [task for p in participants
                 for task in due_tasks(p, (), settings[p.team_id], today, kept[p.id].state, kept[p.id].marks)]
    else:
        states = states or {}
        tasks = [task for p in participants
                 for task in due_tasks(p, logs.get(p.id, []), settings[p.team_id], today, states.get(p.id))]
    return sorted(tasks, key=Task.sort_key)


def tasks_for(user, task_filter: TaskFilter, today: dt.date | None = None) -> list[Task]:
    """The caller's task list, filtered, with names; the names shown are written to the access log."""
    today = today or dt.date.today()
    tasks = [t for t in all_tasks(user, task_teams(user, task_filter.team), today) if task_filter.keeps(t)]
    shown = {t.participant.id: t.participant for t in tasks}
    names = names_of(list(shown.values()))
    for task in tasks:
        task.name = names[task.participant.id]
    log_access(user, [pid for pid, p in shown.items() if not p.anonymous], PURPOSE)
    return tasks


def task_counts(user, team: Team, today: dt.date | None = None, within_days: int = DEFAULT_WITHIN_DAYS, *,
                logs: dict | None = None, states: dict[str, ParticipantState] | None = None,
                participants: list[Participant] | None = None,
                kept: dict[str, Projected] | None = None) -> dict[str, int]:
    """How many of the team's tasks are overdue and due within `within_days` (no names read)."""
    today = today or dt.date.today()
    tasks = all_tasks(user, task_teams(user, team.slug), today, logs=logs, states=states, participants=participants,
                      kept=kept)
    return {"overdue": sum(t.overdue for t in tasks),
            "due_soon": sum(not t.overdue and t.days_left <= within_days for t in tasks),
            "within_days": within_days}
