"""The `surveys` and `post_exit_cohorts` keys of DOMAIN.md §3.

`surveys`, per instrument (`events.instruments`), over the surveys dated in the period: each
respondent's latest survey of the instrument in the period is theirs (one answer per person and
question, so every question's counts add up to `respondents`). Per question the count of each
answer step and of `not_answered`; ORS and SRS ratings (0.0–10.0) are counted by their whole
step (6.5 under 6), so the two highest steps are 9 and 10. `top_two_share` is the share of the
question's answers in the two highest steps (null when nobody answered it). For `ors` also
`compared` (respondents with two or more ORS in the period), `mean_first` and `mean_latest`
(their first and latest totals, 0–40) and `improved` (how many of them have a higher latest
total). Surveys recorded with a bare score before the instruments had questions are counted
apart as `legacy_scores`, under their instrument's new id.

The NNS answer scale and the process staircase are team settings (`TeamSettings.nns_scale`,
`process_steps`): their steps run 1..N of the team's scale, and an NNS answer is in the two
highest steps of its own team's scale (a federation whose teams set different scales counts
each answer on its team's; its steps run to the widest of them). A team cannot change the number
of NNS steps once it has answers (`events.team_scales`), so the scale read here is the one the
answers were given on.

`post_exit_cohorts`, over the exits in the period: where each stood at exit (its category:
`work` and `studies` are `in_work_or_studies`, every other category `other`) and at the 6- and
18-month follow-ups after that exit, whatever their date: status `work_studies_jobseeking` is
`in_work_or_studies` (the status does not tell job-seeking apart, DOMAIN.md §2 vocabulary),
`unreachable` and no follow-up recorded are `not_reached`, the other statuses `other`. Every
column adds up to the exits of the period.
"""

import datetime as dt

from casework.events.instruments import INSTRUMENTS, LEGACY_IDS
from casework.reports.numbers import mean, round_half_up, share
from casework.reports.paths import Episode, Path
from casework.reports.periods import Period
from casework.teams.settings import TeamSettings
from casework.vocab import POST_EXIT_MONTHS

NOT_ANSWERED = "not_answered"
COHORT_COLUMNS = ("at_exit", *(str(m) for m in POST_EXIT_MONTHS))
COHORT_STATES = ("in_work_or_studies", "other", "not_reached")
WORK_OR_STUDIES_CATEGORIES = frozenset({"work", "studies"})
POST_EXIT_STATE = {"work_studies_jobseeking": "in_work_or_studies", "unreachable": "not_reached"}
ORS = "ors"


def steps_of(instrument_id: str, settings: TeamSettings | None = None) -> list[str]:
    """The steps answers are counted by: the scale's, or as many as the team names."""
    instrument = INSTRUMENTS[instrument_id]
    scale = instrument.scale if settings is None else instrument.team_scale(settings)
    return [str(step) for step in range(scale.low, scale.high + 1)]


def _step(value) -> str:
    return str(int(value))


def survey_figures(paths: list[Path], period: Period, settings: TeamSettings | None = None,
                   settings_by_team: dict[str, TeamSettings] | None = None) -> dict:
    """`settings` is the report's, `settings_by_team` each team's (the scale its answers were given on)."""
    settings = settings or TeamSettings()
    by_team = settings_by_team or {}
    by_instrument = surveys_in_period(paths, period)
    return {"surveys": {key: _instrument_figures(key, by_instrument.get(key, []), settings, by_team)
                        for key in INSTRUMENTS}}


def surveys_in_period(paths: list[Path], period: Period) -> dict[str, list[tuple[str, list[tuple]]]]:
    """Per instrument (legacy ids under their new one), each respondent's team and surveys dated in
    the period, in log order: one pass over the paths for every instrument."""
    found: dict[str, list[tuple[str, list[tuple]]]] = {}
    for path in paths:
        if not path.surveys:
            continue
        mine: dict[str, list[tuple]] = {}
        for day, key, answers in path.surveys:
            if period.contains(day):
                mine.setdefault(LEGACY_IDS.get(key, key), []).append((day, answers))
        for instrument_id, surveys in mine.items():
            found.setdefault(instrument_id, []).append((path.person.team_id, surveys))
    return found


def _widest(instrument_id: str, settings: TeamSettings, by_team: dict[str, TeamSettings]) -> list[str]:
    return max((steps_of(instrument_id, s) for s in (by_team.values() or [settings])), key=len)


def _instrument_figures(instrument_id: str, respondents_surveys: list[tuple[str, list[tuple]]],
                        settings: TeamSettings, by_team: dict[str, TeamSettings]) -> dict:
    instrument = INSTRUMENTS[instrument_id]
    steps = _widest(instrument_id, settings, by_team)
    answers = {q: {**dict.fromkeys(steps, 0), NOT_ANSWERED: 0} for q in instrument.questions}
    in_top_two = dict.fromkeys(instrument.questions, 0)
    respondents = legacy = 0
    series: list[list[dict]] = []
    for team_id, mine in respondents_surveys:
        legacy += sum(1 for _, a in mine if a is None)
        answered = [a for _, a in mine if a is not None]
        if not answered:
            continue
        respondents += 1
        series.append(answered)
        top = instrument.team_scale(by_team.get(team_id, settings)).top_two()
        for question in instrument.questions:
            value = answered[-1].get(question)
            answers[question][NOT_ANSWERED if value is None else _step(value)] += 1
            in_top_two[question] += value is not None and int(value) in top
    figures = {"respondents": respondents, "legacy_scores": legacy, "answers": answers,
               "top_two_share": {q: share(in_top_two[q], sum(counts[s] for s in steps))
                                 for q, counts in answers.items()}}
    if instrument_id == ORS:
        figures.update(_first_and_latest(series))
    return figures


def _total(answers: dict) -> float:
    return round_half_up(sum(v for v in answers.values() if v is not None), 1)


def _first_and_latest(series: list[list[dict]]) -> dict:
    pairs = [(_total(s[0]), _total(s[-1])) for s in series if len(s) > 1]
    return {"compared": len(pairs),
            "mean_first": mean([first for first, _ in pairs]),
            "mean_latest": mean([latest for _, latest in pairs]),
            "improved": sum(1 for first, latest in pairs if latest > first)}


def post_exit_cohorts(paths: list[Path], period: Period) -> dict:
    table = {column: dict.fromkeys(COHORT_STATES, 0) for column in COHORT_COLUMNS}
    for path in paths:
        for index, episode in enumerate(path.episodes):
            if not period.contains(episode.exited_on):
                continue
            category = episode.exit.get("category")
            table["at_exit"]["in_work_or_studies" if category in WORK_OR_STUDIES_CATEGORIES else "other"] += 1
            following = path.episodes[index + 1].enrolled_on if index + 1 < len(path.episodes) else None
            statuses = _follow_ups_after(path, episode, following)
            for months in POST_EXIT_MONTHS:
                status = statuses.get(months)
                state = "not_reached" if status is None else POST_EXIT_STATE.get(status, "other")
                table[str(months)][state] += 1
    return table


def _follow_ups_after(path: Path, episode: Episode, until: dt.date | None) -> dict[int, str]:
    """The latest status of each post-exit follow-up recorded after this exit (and before a new enrolment)."""
    found: dict[int, str] = {}
    for day, months, status in path.post_exit:
        if day >= episode.exited_on and (until is None or day < until):
            found[months] = status
    return found


def survey_groups(report: dict) -> list[list[tuple]]:
    """Cells bound by a total shown beside them: each question's answers add up to the respondents,
    each cohort column to the exits of the period."""
    groups = [[("surveys", key, "respondents"), *[("surveys", key, "answers", q, s) for s in counts]]
              for key, figures in report.get("surveys", {}).items() for q, counts in figures["answers"].items()]
    groups += [[("exits_total",), *[("post_exit_cohorts", column, state) for state in COHORT_STATES]]
               for column in report.get("post_exit_cohorts", {})]
    return groups


def hide_survey_measures(result: dict, hidden: set, threshold: int, mark: str) -> None:
    """A top-two share over fewer than `threshold` answers, or over a hidden count, is not shown;
    nor are the ORS means over fewer than `threshold` compared people."""
    for key, figures in result.get("surveys", {}).items():
        for question, counts in figures["answers"].items():
            cells = {("surveys", key, "answers", question, s) for s in counts}
            answered = sum(v for s, v in counts.items() if s != NOT_ANSWERED and isinstance(v, int))
            if (cells & hidden or answered < threshold) and figures["top_two_share"].get(question) is not None:
                figures["top_two_share"][question] = mark
        compared = figures.get("compared")
        if compared is not None and (not isinstance(compared, int) or compared < threshold):
            for measure in ("mean_first", "mean_latest"):
                if figures.get(measure) is not None:
                    figures[measure] = mark
