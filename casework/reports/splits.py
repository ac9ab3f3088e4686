"""The splits of DOMAIN.md §3 that complete the tables the teams publish.

Exits by subtype and by category × gender, the intake funnel, all participants by referrer,
income and payer, unique persons and the process steps. Each split has every id present (zeros
included); where a value can fall outside the vocabulary (no referral before an enrolment, no
income source given) an `outside` bucket keeps the split adding up to its population.
"""

from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from casework.reports.paths import Episode, Path
from casework.reports.periods import Period
from casework.vocab import (
    EXIT_CATEGORIES,
    EXIT_SUBTYPES,
    GENDERS,
    INCOME_PAYERS,
    INCOME_SOURCES,
    REFERRER_ORGS,
    STUDY_VISIT_MODES,
)

OUTSIDE = "outside"
NO_SUBTYPE = "none"
PAYER_OF = {source: payer for payer, sources in INCOME_PAYERS.items() for source in sources}


class Populations(NamedTuple):
    """The episodes a report counts, as `compute.report_from_paths` selects them."""

    at_start: list[Episode]
    new: list[Episode]
    exits: list[Episode]
    counted: list[Episode]
    in_period: list[Episode]


def gender_counts(episodes: Iterable[Episode]) -> dict:
    counts = dict.fromkeys(GENDERS, 0)
    for episode in episodes:
        counts[episode.gender] += 1
    return counts


def split_figures(paths: list[Path], period: Period, populations: Populations) -> dict:
    exits, in_period = populations.exits, populations.in_period
    intake, process = steps_in_period(paths, period, exits, len(populations.new))
    return {
        "exits_by_subtype": exits_by_subtype(exits),
        "exits_by_category_gender": {category: gender_counts(e for e in exits if e.exit.get("category") == category)
                                     for category in EXIT_CATEGORIES},
        "enrolled_at_start_by_gender": gender_counts(populations.at_start),
        "counted_exits_by_gender": gender_counts(populations.counted),
        "intake": intake,
        "participants_by_referrer": by_referrer(in_period),
        "participants_by_income": by_income(in_period),
        "income_by_payer": by_payer(in_period),
        "unique_persons": len({e.person.id for e in in_period}),
        "process": process,
    }


def exits_by_subtype(exits: list[Episode]) -> dict:
    """For each category with subtypes: its exits by subtype, `none` where none was given."""
    table = {category: {**dict.fromkeys(subtypes, 0), NO_SUBTYPE: 0} for category, subtypes in EXIT_SUBTYPES.items()}
    for episode in exits:
        counts = table.get(episode.exit.get("category"))
        if counts is not None:
            subtype = episode.exit.get("subtype")
            counts[subtype if subtype in counts else NO_SUBTYPE] += 1
    return table


def by_referrer(episodes: list[Episode]) -> dict:
    """Referrer organisation at enrolment; `outside` for an enrolment without a referral."""
    counts = {**dict.fromkeys(REFERRER_ORGS, 0), OUTSIDE: 0}
    for episode in episodes:
        counts[episode.referrer_org if episode.referrer_org in counts else OUTSIDE] += 1
    return counts


@cache
def sources_and_payers(income: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The known income sources of a referral and their payers (a few combinations recur endlessly)."""
    sources = frozenset(income) & INCOME_SOURCES.keys()
    return sources, frozenset(PAYER_OF[s] for s in sources)


def by_income(episodes: list[Episode]) -> dict:
    """Income sources at referral (a person counts under each of theirs); `outside` for none given."""
    counts = {**dict.fromkeys(INCOME_SOURCES, 0), OUTSIDE: 0}
    for episode in episodes:
        sources, _ = sources_and_payers(episode.income_before)
        for source in sources:
            counts[source] += 1
        counts[OUTSIDE] += not sources
    return counts


def by_payer(episodes: list[Episode]) -> dict:
    """Income sources at referral grouped by payer, a person once per payer; `outside` for none given.

    Also `several_sources` (people with more than one source), `several_payers` (people under more
    than one payer) and `extra_payer_counts` (the counts beyond each person's first payer), so that
    the payer groups and `outside`, less `extra_payer_counts`, add up to the population.
    """
    counts = {**dict.fromkeys(INCOME_PAYERS, 0), OUTSIDE: 0, "several_sources": 0, "several_payers": 0,
              "extra_payer_counts": 0}
    for episode in episodes:
        sources, payers = sources_and_payers(episode.income_before)
        for payer in payers:
            counts[payer] += 1
        counts[OUTSIDE] += not payers
        counts["several_sources"] += len(sources) > 1
        counts["several_payers"] += len(payers) > 1
        counts["extra_payer_counts"] += max(len(payers) - 1, 0)
    return counts


def steps_in_period(paths: list[Path], period: Period, exits: list[Episode], new_enrolments: int) -> tuple[dict, dict]:
    """`intake` and `process`, counted in one pass over the logs' steps.

    Intake counts events, not people: study visits, referrals received and withdrawn, enrolments.
    Process counts assessments, action plans, half-year reviews, closing documents (exits with
    slutdokumentation) and follow-ups cancelled, by the referrer organisation of the time.
    """
    visits = {"total": 0, "with_referrer": 0, "by_mode": dict.fromkeys(STUDY_VISIT_MODES, 0)}
    referrals = dict.fromkeys(REFERRER_ORGS, 0)
    steps = {"referral_withdrawn": 0, "assessment": 0, "action_plan": 0, "half_year_review": 0}
    cancelled = {**dict.fromkeys(REFERRER_ORGS, 0), OUTSIDE: 0}
    start, end = period.start, period.end
    for path in paths:
        for day, kind, detail in path.steps:
            if day < start or day > end:
                continue
            if kind == "study_visit":
                visits["total"] += 1
                visits["with_referrer"] += bool(detail.get("referrer_present"))
                mode = detail.get("mode", "physical")
                if mode in visits["by_mode"]:
                    visits["by_mode"][mode] += 1
            elif kind == "follow_up_cancelled":
                cancelled[detail if detail in cancelled else OUTSIDE] += 1
            else:
                steps[kind] += 1
        for referral in path.referrals:
            if start <= referral.received_on <= end and referral.org in referrals:
                referrals[referral.org] += 1
    intake = {"study_visits": visits, "referrals_received": referrals,
              "referrals_withdrawn": steps["referral_withdrawn"], "new_enrolments": new_enrolments}
    process = {"assessments": steps["assessment"], "action_plans": steps["action_plan"],
               "half_year_reviews": steps["half_year_review"],
               "closing_documents": sum(1 for e in exits if e.exit.get("closing_document")),
               "follow_ups_cancelled": cancelled}
    return intake, process


def split_groups(report: dict) -> list[list[tuple]]:
    """Cells of these splits bound by a sum shown beside them (one hidden cell alone would be derivable)."""
    by_gender = report["exits_by_category_gender"]
    groups = [[("exits_by_category", c), *[("exits_by_category_gender", c, g) for g in by_gender[c]]]
              for c in by_gender]
    groups += [[("exits_by_gender", g), *[("exits_by_category_gender", c, g) for c in by_gender]] for g in GENDERS]
    groups += [[("exits_by_category", c), *[("exits_by_subtype", c, k) for k in subtypes]]
               for c, subtypes in report["exits_by_subtype"].items()]
    groups += [[(total,), *[(split, g) for g in report[split]]] for split, total in (
        ("enrolled_at_start_by_gender", "enrolled_at_start"), ("counted_exits_by_gender", "result_denominator"))]
    groups.append([("participants_in_period",), *[("participants_by_referrer", k)
                                                  for k in report["participants_by_referrer"]]])
    groups.append([("participants_in_period",), *[("income_by_payer", k) for k in (*INCOME_PAYERS, OUTSIDE,
                                                                                   "extra_payer_counts")]])
    groups.append([("intake", "study_visits", "total"),
                   *[("intake", "study_visits", "by_mode", k) for k in report["intake"]["study_visits"]["by_mode"]]])
    groups.append([("new_enrolments",), ("intake", "new_enrolments")])
    return groups
