"""Properties of the computation over random valid logs (pure, no database)."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.reports.compute import compute_report
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.periods import Period
from casework.teams.settings import TeamSettings
from casework.vocab import (
    EXIT_CATEGORIES,
    EXIT_SUBTYPES,
    GENDERS,
    INCOME_SOURCES,
    POST_EXIT_STATUSES,
    REFERRER_ORGS,
    STUDY_VISIT_MODES,
)

BASE = dt.date(2018, 1, 1)
SETTINGS = TeamSettings(trial_months=2, exclude_from_result=("dropout", "within_trial"))
TEAMS = {"t": SETTINGS}

gaps = st.integers(min_value=1, max_value=200)


@st.composite
def participant_log(draw, number: int):
    person = ParticipantFacts(f"p{number}", "t", draw(st.sampled_from(list(GENDERS))),
                              draw(st.integers(1955, 2002)), "unknown",
                              draw(st.one_of(st.none(), st.integers(0, 200))))
    events, day = [], BASE + dt.timedelta(days=draw(st.integers(0, 900)))

    def add(kind, data=None):
        nonlocal day
        events.append(EventFact(f"{person.id}e{len(events)}", person.id, kind, day, data or {}, len(events) + 1))
        day += dt.timedelta(days=draw(gaps))

    if draw(st.booleans()):
        add("study_visit", {"referrer_present": draw(st.booleans()), "mode": draw(st.sampled_from(list(STUDY_VISIT_MODES)))})
    for _ in range(draw(st.integers(1, 2))):
        add("referral_received", {"referrer_org": draw(st.sampled_from(list(REFERRER_ORGS))),
                                  "income_sources": draw(st.lists(st.sampled_from(list(INCOME_SOURCES)),
                                                                  max_size=2, unique=True))})
        if draw(st.booleans()) and draw(st.booleans()):
            add("referral_withdrawn")
            continue
        add("enrolled")
        if draw(st.booleans()):
            add("trial_completed")
        for _ in range(draw(st.integers(0, 3))):
            add("follow_up", {"status": draw(st.sampled_from(["held", "held", "cancelled"]))})
        for step in draw(st.lists(st.sampled_from(["assessment", "action_plan", "half_year_review"]), max_size=2)):
            add(step)
        if draw(st.booleans()):
            add("work_training_started", {"kind": "work_training", "extent_percent": 50})
            if draw(st.booleans()):
                add("work_training_ended")
        if not draw(st.booleans()):
            break
        category = draw(st.sampled_from(list(EXIT_CATEGORIES)))
        subtypes = list(EXIT_SUBTYPES.get(category, {}))
        subtype = draw(st.one_of(st.none(), st.sampled_from(subtypes))) if subtypes else None
        add("exited", {"category": category, **({"subtype": subtype} if subtype else {}),
                       "closing_document": draw(st.booleans()),
                       "active_jobseeker": draw(st.booleans()), "transfer": draw(st.booleans()),
                       "income_sources": draw(st.lists(st.sampled_from(list(INCOME_SOURCES)), max_size=2,
                                                       unique=True))})
        if draw(st.booleans()):
            add("post_exit_follow_up", {"months_after": 6, "status": draw(st.sampled_from(list(POST_EXIT_STATUSES)))})
    return person, events


@st.composite
def logs(draw):
    count = draw(st.integers(0, 12))
    pairs = [draw(participant_log(n)) for n in range(count)]
    return [p for p, _ in pairs], [e for _, es in pairs for e in es]


days = st.integers(min_value=0, max_value=2200).map(lambda n: BASE + dt.timedelta(days=n))
CHECK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def report(people, events, period):
    return compute_report(people, events, period, TEAMS, SETTINGS, {"team": "t"})


@CHECK
@given(logs(), days, st.integers(0, 800))
def test_stock_and_flow_balance(log, start, length):
    people, events = log
    r = report(people, events, Period(start, start + dt.timedelta(days=length)))
    assert r["enrolled_at_start"] + r["new_enrolments"] - r["exits_total"] == r["enrolled_at_end"]
    assert sum(r["exits_by_category"].values()) == r["exits_total"]
    assert sum(r["new_by_gender"].values()) == r["new_enrolments"]
    assert r["goal_reached"] <= r["result_denominator"] <= r["exits_total"]
    assert r["follow_ups"]["held_on_time"] <= r["follow_ups"]["held"] <= r["follow_ups"]["due"]


@CHECK
@given(logs(), days, st.integers(0, 400), st.integers(0, 400))
def test_adjacent_periods_add_up(log, a, first, second):
    people, events = log
    b = a + dt.timedelta(days=first)
    c = b + dt.timedelta(days=1 + second)
    whole = report(people, events, Period(a, c))
    left = report(people, events, Period(a, b))
    right = report(people, events, Period(b + dt.timedelta(days=1), c))
    for key in ("new_enrolments", "exits_total", "goal_reached", "result_denominator", "exits_within_trial"):
        assert whole[key] == left[key] + right[key], key
    for category, count in whole["exits_by_category"].items():
        assert count == left["exits_by_category"][category] + right["exits_by_category"][category]
    assert left["enrolled_at_end"] == right["enrolled_at_start"]


@CHECK
@given(logs(), days, st.integers(0, 800), st.randoms(use_true_random=False))
def test_order_of_rows_does_not_matter(log, start, length, rnd):
    people, events = log
    period = Period(start, start + dt.timedelta(days=length))
    shuffled_events, shuffled_people = list(events), list(people)
    rnd.shuffle(shuffled_events)
    rnd.shuffle(shuffled_people)
    assert report(shuffled_people, shuffled_events, period) == report(people, events, period)


@CHECK
@given(logs(), days, st.integers(0, 800), st.randoms(use_true_random=False))
def test_correction_then_its_reversal_changes_nothing(log, start, length, rnd):
    people, events = log
    period = Period(start, start + dt.timedelta(days=length))
    before = report(people, events, period)
    if not events:
        return
    target = rnd.choice(events)
    later = max(e.date for e in events) + dt.timedelta(days=1)
    correction = EventFact("c1", target.participant_id, "correction", later, {"voids": target.id}, 900,
                           voids_event_id=target.id)
    reversal = EventFact("c2", target.participant_id, "correction", later, {"voids": "c1"}, 901,
                         voids_event_id="c1")
    assert report(people, [*events, correction, reversal], period) == before


def test_a_voided_exit_does_not_count():
    person = ParticipantFacts("p", "t", "woman", 1990, "unknown", 24)
    events = [
        EventFact("e1", "p", "referral_received", dt.date(2020, 1, 2), {"referrer_org": "fk"}, 1),
        EventFact("e2", "p", "enrolled", dt.date(2020, 2, 1), {}, 2),
        EventFact("e3", "p", "exited", dt.date(2020, 3, 1), {"category": "work"}, 3),
    ]
    period = Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert report([person], events, period)["exits_total"] == 1
    voided = [*events, EventFact("c", "p", "correction", dt.date(2020, 3, 5), {}, 4, voids_event_id="e3")]
    r = report([person], voided, period)
    assert (r["exits_total"], r["enrolled_at_end"], r["exits_by_category"]["work"]) == (0, 1, 0)


def test_each_episode_counts_and_within_trial_is_excluded():
    person = ParticipantFacts("p", "t", "man", 1980, "unknown", None)
    dates = ["2020-01-02", "2020-01-10", "2020-02-01", "2020-03-01", "2020-05-01", "2020-06-01", "2020-07-20",
             "2020-09-01"]
    kinds = [("referral_received", {"referrer_org": "af"}), ("enrolled", {}), ("exited", {"category": "work"}),
             ("referral_received", {"referrer_org": "soc"}), ("enrolled", {}), ("trial_completed", {}),
             ("exited", {"category": "studies", "transfer": True}), ("post_exit_follow_up",
                                                                      {"months_after": 6, "status": "illness"})]
    events = [EventFact(f"e{i}", "p", kind, dt.date.fromisoformat(d), data, i)
              for i, (d, (kind, data)) in enumerate(zip(dates, kinds, strict=True))]
    r = report([person], events, Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert (r["new_enrolments"], r["exits_total"], r["exits_within_trial"]) == (2, 2, 1)
    assert (r["result_denominator"], r["goal_reached"], r["result_share"]) == (1, 1, 1.0)
    assert r["result_share_excluding_transfers"] is None
    assert r["new_by_referrer"]["af"] == 1 and r["new_by_referrer"]["soc"] == 1
    assert r["post_exit"]["6"]["illness"] == 1




@CHECK
@given(logs(), days, st.integers(0, 800))
def test_every_new_split_adds_up_to_its_population(log, start, length):
    people, events = log
    r = report(people, events, Period(start, start + dt.timedelta(days=length)))
    for category, count in r["exits_by_category"].items():
        assert sum(r["exits_by_category_gender"][category].values()) == count, category
        if category in r["exits_by_subtype"]:
            assert sum(r["exits_by_subtype"][category].values()) == count, category
    for gender, count in r["exits_by_gender"].items():
        assert sum(row[gender] for row in r["exits_by_category_gender"].values()) == count
    for split in ("new_by_age", "new_by_referrer"):
        assert sum(r[split].values()) == r["new_enrolments"], split
    cells = [c for row in r["results_by_age_gender"].values() for c in row.values()]
    assert sum(c["exits"] for c in cells) == r["result_denominator"]
    assert sum(c["goal_reached"] for c in cells) == r["goal_reached"]
    assert sum(r["enrolled_at_start_by_gender"].values()) == r["enrolled_at_start"]
    assert sum(r["counted_exits_by_gender"].values()) == r["result_denominator"]
    population = r["participants_in_period"]
    assert sum(r["participants_by_referrer"].values()) == population
    payers = r["income_by_payer"]
    groups = sum(payers[k] for k in ("municipality", "fk", "af", "other", "none"))
    assert groups + payers["outside"] - payers["extra_payer_counts"] == population
    assert payers["several_payers"] <= payers["several_sources"] <= population
    by_income = r["participants_by_income"]
    assert all(count <= population for count in by_income.values())
    assert sum(by_income.values()) >= population >= by_income["outside"]
    assert r["unique_persons"] <= population and (r["unique_persons"] > 0) == (population > 0)
    visits = r["intake"]["study_visits"]
    assert sum(visits["by_mode"].values()) == visits["total"] >= visits["with_referrer"]
    assert r["intake"]["new_enrolments"] == r["new_enrolments"]
    assert r["process"]["closing_documents"] <= r["exits_total"]


@CHECK
@given(logs(), days, st.integers(0, 800))
def test_previous_period_ends_where_the_report_starts(log, start, length):
    people, events = log
    r = report(people, events, Period(start, start + dt.timedelta(days=length)))
    previous = r["previous_period"]
    assert dt.date.fromisoformat(previous["to"]) == start - dt.timedelta(days=1)
    assert previous["enrolled_at_end"] == r["enrolled_at_start"]
    assert previous["enrolled_at_start"] + previous["new_enrolments"] - previous["exits_total"] == previous[
        "enrolled_at_end"]
