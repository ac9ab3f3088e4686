"""The new keys of DOMAIN.md §3 on a small log counted by hand (pure computation, no database)."""

import datetime as dt

from casework.reports.compute import compute_report
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.periods import Period
from casework.teams.settings import TeamSettings

SETTINGS = TeamSettings(trial_months=2)
YEAR = Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def log(pid: str, *steps) -> list[EventFact]:
    return [EventFact(f"{pid}-{n}", pid, kind, dt.date.fromisoformat(day), data, n)
            for n, (day, kind, data) in enumerate(steps, start=1)]


def small_log():
    """Four people in 2021 (A and C women, B and D men), counted by hand below.

    A: in since 2020 (FK; sickness benefit and social assistance), assessment and action plan,
       a cancelled follow-up, exits to wage-subsidised work with a closing document.
    B: study visit with referrer (digital), referral from SOC (social assistance), enrolled, exits
       to vocational rehab without subtype, then a second episode (enrolled again without a new referral).
    C: study visit without referrer, referral from AF (no income given), withdrawn.
    D: enrolled without any referral, half-year review, drops out.
    """
    people = [ParticipantFacts(p, "t", g, 1985, "unknown", 24) for p, g in
              (("A", "woman"), ("B", "man"), ("C", "woman"), ("D", "man"))]
    events = [
        *log("A", ("2020-03-02", "referral_received", {"referrer_org": "fk",
                                                       "income_sources": ["sickness_benefit", "social_assistance"]}),
             ("2020-04-01", "enrolled", {}), ("2020-06-15", "trial_completed", {}),
             ("2021-02-01", "assessment", {}), ("2021-02-10", "action_plan", {}),
             ("2021-03-01", "follow_up", {"status": "cancelled"}),
             ("2021-05-03", "exited", {"category": "work", "subtype": "wage_subsidy", "closing_document": True})),
        *log("B", ("2021-01-11", "study_visit", {"referrer_present": True, "mode": "digital"}),
             ("2021-01-20", "referral_received", {"referrer_org": "soc", "income_sources": ["social_assistance"]}),
             ("2021-02-01", "enrolled", {}), ("2021-04-20", "trial_completed", {}),
             ("2021-06-01", "exited", {"category": "vocational_rehab"}),
             ("2021-09-01", "enrolled", {})),
        *log("C", ("2021-03-01", "study_visit", {"referrer_present": False, "mode": "physical"}),
             ("2021-03-15", "referral_received", {"referrer_org": "af"}),
             ("2021-04-01", "referral_withdrawn", {})),
        *log("D", ("2021-05-01", "enrolled", {}), ("2021-06-01", "half_year_review", {}),
             ("2021-07-01", "exited", {"category": "dropout"})),
    ]
    return people, events


def report(period=YEAR, history=()):
    people, events = small_log()
    return compute_report(people, events, period, {"t": SETTINGS}, SETTINGS, {"team": "t"}, history=history)


def test_exits_by_subtype_and_by_category_and_gender():
    r = report()
    assert r["exits_by_subtype"]["work"] == {"unsubsidised": 0, "wage_subsidy": 1, "extra_job": 0, "samhall": 0,
                                             "other_subsidised": 0, "none": 0}
    assert r["exits_by_subtype"]["vocational_rehab"]["none"] == 1
    assert set(r["exits_by_subtype"]) == {"work", "vocational_rehab"}
    assert r["exits_by_category_gender"]["work"] == {"woman": 1, "man": 0, "other": 0}
    assert r["exits_by_category_gender"]["vocational_rehab"] == {"woman": 0, "man": 1, "other": 0}
    assert r["exits_by_category_gender"]["dropout"] == {"woman": 0, "man": 1, "other": 0}
    assert r["exits_by_category_gender"]["studies"] == {"woman": 0, "man": 0, "other": 0}


def test_gender_of_those_enrolled_at_start_and_of_counted_exits():
    r = report()
    assert r["enrolled_at_start_by_gender"] == {"woman": 1, "man": 0, "other": 0}
    assert r["counted_exits_by_gender"] == {"woman": 1, "man": 1, "other": 0}  # D's dropout is not counted


def test_intake_counts_events():
    assert report()["intake"] == {
        "study_visits": {"total": 2, "with_referrer": 1, "by_mode": {"physical": 1, "digital": 1, "outdoor": 0}},
        "referrals_received": {"soc": 1, "fk": 0, "af": 1, "region_psychiatry": 0, "region_primary_care": 0,
                               "region_other": 0, "self": 0, "guardian": 0, "other": 0},
        "referrals_withdrawn": 1, "new_enrolments": 3}


def test_all_participants_by_referrer_income_and_payer():
    r = report()
    # Episodes in the period: A (at start), B twice, D.
    assert r["participants_in_period"] == 4
    assert {k: v for k, v in r["participants_by_referrer"].items() if v} == {"fk": 1, "soc": 2, "outside": 1}
    assert {k: v for k, v in r["participants_by_income"].items() if v} == {
        "sickness_benefit": 1, "social_assistance": 3, "outside": 1}
    assert r["income_by_payer"] == {"municipality": 3, "fk": 1, "af": 0, "other": 0, "none": 0, "outside": 1,
                                    "several_sources": 1, "several_payers": 1, "extra_payer_counts": 1}


def test_unique_persons_count_episodes_of_one_person_once():
    assert report()["unique_persons"] == 3


def test_process_steps():
    assert report()["process"] == {
        "assessments": 1, "action_plans": 1, "half_year_reviews": 1, "closing_documents": 1,
        "follow_ups_cancelled": {"soc": 0, "fk": 1, "af": 0, "region_psychiatry": 0, "region_primary_care": 0,
                                 "region_other": 0, "self": 0, "guardian": 0, "other": 0, "outside": 0}}


def test_steps_outside_the_period_do_not_count():
    r = report(Period(dt.date(2021, 7, 1), dt.date(2021, 12, 31)))
    assert r["intake"]["study_visits"]["total"] == 0
    assert r["process"]["assessments"] == 0
    assert r["intake"]["new_enrolments"] == 1  # B's second episode
