"""The survey instruments of DOMAIN.md §7: their questions (fixed wording) and answer scales.

The one definition used by the event rule (`registry.Survey`), the API document, the import,
the survey forms and the reports. Answers are numbers on the instrument's scale: NNS steps 1–N
or null (not answered), ORS and SRS 0.0–10.0 with one decimal, the process staircase's step 1–N.

The NNS scale and the staircase are team settings (`TeamSettings.nns_scale`, `process_steps`):
the instruments below carry the widest scale any team may set, which the payload schema checks,
and `team_scale` / `team_problems` narrow it to one team's, which every way in checks next.

Survey events recorded before the instruments had questions carry a bare `score` and may name
an instrument by its old id (`LEGACY_IDS`); they are read and reported as legacy, never refused.
"""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, partial

from marshmallow import Schema, ValidationError, fields, validate

from casework.errors import Coded
from casework.schemas import InputSchema, WholeNumber
from casework.teams.settings import NNS_SCALE_STEPS, PROCESS_STEPS_RANGE, TeamSettings


@dataclass(frozen=True)
class Scale:
    """The numbers an answer may take: whole steps `low`..`high`, or ratings with one decimal."""

    low: int
    high: int
    whole_steps: bool
    may_be_empty: bool

    def problem(self, value) -> Coded | None:
        """Why `value` is not an answer on this scale, or None."""
        if value is None:
            return None if self.may_be_empty else Coded("survey.answer_required", "An answer is required.")
        if self.whole_steps and not float(value).is_integer():
            return Coded("survey.whole_step", "Must be a whole step.", low=self.low, high=self.high)
        if not self.whole_steps and not math.isclose(value * 10, round(value * 10), abs_tol=1e-6):
            return Coded("survey.one_decimal", "At most one decimal.")
        if not self.low <= value <= self.high:
            return Coded("survey.off_scale", f"Must be between {self.low} and {self.high}.",
                         low=self.low, high=self.high)
        return None

    def top_two(self) -> tuple[int, int]:
        """The two highest steps (`top_two_share` in the reports)."""
        return self.high - 1, self.high


NNS_SCALE = Scale(1, NNS_SCALE_STEPS[1], whole_steps=True, may_be_empty=True)
RATING_SCALE = Scale(0, 10, whole_steps=False, may_be_empty=False)
PROCESS_STEPS = PROCESS_STEPS_RANGE[1]
NNS_IDS = ("nns_ongoing", "nns_exit")
STAIRCASE = "process_staircase"

# The default step names (`TeamSettings`), as literals for the catalogue: a team's own names are
# shown as typed, the defaults in the reader's language.
NNS_STEPS = {1: "inte alls", 2: "till liten del", 3: "till viss del", 4: "till stor del",
             5: "till mycket stor del", 6: "helt och hållet"}
PROCESS_STEP_NAMES = {1: "Steg 1", 2: "Steg 2", 3: "Steg 3", 4: "Steg 4", 5: "Steg 5", 6: "Steg 6", 7: "Steg 7"}

_NNS_COMMON = {
    "q5": "Har det stöd du fått hjälpt dig att utveckla sätt att hantera din situation?",
    "q6": "Känner du dig mer redo att kunna arbeta eller studera jämfört med innan du fick kontakt med oss?",
}


# Names and the question each instrument puts (Swedish source strings, translated in the UI).
LABELS = {
    "nns_ongoing": "NNS under insatsen",
    "nns_exit": "NNS vid avslut",
    "ors": "ORS (skattning av mående)",
    "srs": "SRS (skattning av samtalet)",
    "process_staircase": "Processtrappan",
}
HEADINGS = {
    "nns_ongoing": "Hur upplever du stödet du får i verksamheten?",
    "nns_exit": "Hur upplever du stödet du har fått i verksamheten?",
    "ors": "Hur har du haft det den senaste veckan? (0–10 per område)",
    "srs": "Hur var dagens samtal? (0–10 per område)",
    "process_staircase": "Var på processtrappan står deltagaren?",
}


@dataclass(frozen=True)
class Instrument:
    id: str
    questions: dict[str, str]
    scale: Scale

    @property
    def label(self) -> str:
        return LABELS[self.id]

    @property
    def heading(self) -> str:
        return HEADINGS[self.id]

    def step_names(self, settings: TeamSettings) -> tuple[str, ...] | None:
        """The team's names of this instrument's steps, lowest first (None: its steps are numbers)."""
        if self.id in NNS_IDS:
            return settings.nns_scale
        if self.id == STAIRCASE:
            return settings.process_steps
        return None

    def team_scale(self, settings: TeamSettings) -> Scale:
        """The scale as the team has set it: as many steps as the team names."""
        names = self.step_names(settings)
        if names is None:
            return self.scale
        return Scale(self.scale.low, len(names), self.scale.whole_steps, self.scale.may_be_empty)

    def problems(self, answers: dict, scale: Scale | None = None) -> dict[str, list[Coded]]:
        """The answers at fault, keyed by question; empty when every answer fits."""
        scale = scale or self.scale
        found: dict[str, list[Coded]] = {}
        for question, value in answers.items():
            if question not in self.questions:
                found[question] = [Coded("survey.unknown_question", "Not a question of this instrument.")]
            elif problem := scale.problem(value):
                found[question] = [problem]
        for question in self.questions:
            if question not in answers and not self.scale.may_be_empty:
                found[question] = [Coded("survey.answer_required", "An answer is required.")]
        return found


INSTRUMENTS: dict[str, Instrument] = {i.id: i for i in [
    Instrument("nns_ongoing", {
        "q1": "Får du stöd på ett sätt som är till stor nytta för dig?",
        "q2": "Är du med och bestämmer vilket stöd du skall få?",
        "q3": "Får stödet ta den tid du behöver?",
        "q4": "Stödjer insatsen dig i kontakterna med myndigheterna och vården?",
        **_NNS_COMMON,
        "q7": "Upplever du att personalen tar tillvara dina erfarenheter, kunskaper och synpunkter?",
    }, NNS_SCALE),
    Instrument("nns_exit", {
        "q1": "Har du fått stöd på ett sätt som är till stor nytta för dig?",
        "q2": "Har du fått vara med och bestämma vilket stöd du får/har fått?",
        "q3": "Har stödet fått ta den tid du behövt?",
        "q4": "Har insatsen stöttat dig i kontakterna med myndigheterna och vården?",
        **_NNS_COMMON,
        "q7": "Upplever du att personalen har tagit tillvara dina erfarenheter, kunskaper och synpunkter?",
        "q8": "Har ni påbörjat en planering för vad som ska hända efter att nuvarande stöd har upphört?",
        "q9": "Finns det en tillräcklig planering för vad som ska hända efter att detta stöd upphört?",
        "q10": "Kommer det som är planerat att påbörjas inom rimlig tid?",
    }, NNS_SCALE),
    Instrument("ors", {
        "individually": "Individuellt (personligt välbefinnande)",
        "interpersonally": "Mellanmänskligt (familj, nära relationer)",
        "socially": "Socialt (arbete, skola, vänner)",
        "overall": "Övergripande (allmänt välbefinnande)",
    }, RATING_SCALE),
    Instrument("srs", {
        "relationship": "Relation",
        "goals_topics": "Mål och ämnen",
        "approach_method": "Metod eller tillvägagångssätt",
        "overall": "Övergripande",
    }, RATING_SCALE),
    Instrument("process_staircase", {
        "step": "Steg",
    }, Scale(1, PROCESS_STEPS, whole_steps=True, may_be_empty=False)),
]}

# Old instrument ids, found in logs recorded before the instruments had questions (score only).
LEGACY_IDS = {"nns_3m": "nns_ongoing", "process_step": "process_staircase"}

ALL_IDS = {**{key: i.label for key, i in INSTRUMENTS.items()},
           **{old: INSTRUMENTS[new].label for old, new in LEGACY_IDS.items()}}


def instrument_of(instrument_id: str) -> Instrument:
    """The instrument named by a current or a legacy id."""
    return INSTRUMENTS[LEGACY_IDS.get(instrument_id, instrument_id)]


# The settings of the team whose survey is being validated, when the caller knows it
# (`append_event`): the payload schema then checks the team's own scale, and its messages name
# the team's bounds. Without it (the import's per-payload check) the widest scale applies and
# `team_problems` narrows it afterwards.
_team_settings: ContextVar[TeamSettings | None] = ContextVar("survey_team_settings", default=None)


@contextmanager
def on_team_scale(settings: TeamSettings) -> Iterator[None]:
    token = _team_settings.set(settings)
    try:
        yield
    finally:
        _team_settings.reset(token)


def check_answers(instrument_id: str, answers: dict) -> None:
    """Raise a ValidationError keyed by question when an answer does not fit the instrument."""
    if instrument_id not in INSTRUMENTS:
        raise ValidationError({"instrument": [Coded("survey.legacy_instrument",
                                                    "This instrument id takes only a score; use its new id.")]})
    instrument = INSTRUMENTS[instrument_id]
    settings = _team_settings.get()
    if problems := instrument.problems(answers, None if settings is None else instrument.team_scale(settings)):
        raise ValidationError(problems)


def team_problems(settings: TeamSettings, instrument_id: str, answers: dict) -> dict[str, list[Coded]]:
    """The answers beyond the team's own scale (an NNS step or a staircase step it does not have),
    keyed by question; the payload schema has checked them against the widest scale already."""
    instrument = INSTRUMENTS.get(instrument_id)
    if instrument is None or instrument.step_names(settings) is None:
        return {}
    scale = instrument.team_scale(settings)
    return {question: [Coded("survey.beyond_team_scale",
                             f"Must be between {scale.low} and {scale.high}: the team's scale has {scale.high} steps.",
                             low=scale.low, high=scale.high)]
            for question, value in answers.items()
            if isinstance(value, int | float) and question in instrument.questions and value > scale.high}


def normalised(instrument_id: str, answers: dict) -> dict:
    """Ratings kept with their one decimal (0.30000000000000004, as a client may send 0.3, is 0.3)."""
    if INSTRUMENTS[instrument_id].scale.whole_steps:
        return answers
    return {question: None if value is None else round(value, 1) for question, value in answers.items()}


@cache
def answers_schema(instrument_id: str) -> type[Schema]:
    """The answers of one instrument as a schema, for the API document (one property per question)."""
    instrument = INSTRUMENTS[instrument_id]
    scale = instrument.scale
    attrs: dict = {}
    for question, text in instrument.questions.items():
        kind = WholeNumber if scale.whole_steps else partial(fields.Float, allow_nan=False)
        metadata = {"description": text} if scale.whole_steps else {"description": text, "multipleOf": 0.1}
        attrs[question] = kind(required=not scale.may_be_empty, allow_none=scale.may_be_empty,
                               validate=validate.Range(min=scale.low, max=scale.high), metadata=metadata)
    name = "".join(part.title() for part in instrument_id.split("_")) + "Answers"
    return type(name, (InputSchema,), attrs)
