"""Eligibility as data: the evaluator against a plain reference on generated children and rules."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from saferoptions.interventions import eligibility, facts
from saferoptions.interventions.eligibility import ChildFacts, Rules, evaluate
from saferoptions.people.ages import age_on

LEVELS = ["low", "medium", "high"]
NEEDS = ["criminal_exploitation", "cannabis_use", "drug_dealing", "group_periphery"]
ROUTES = ["direct", "school", "deferred_charge", "out_of_court_disposal"]


def reference(rules: Rules, child: ChildFacts) -> set[str]:
    """The rules a child fails, written as plainly as possible."""
    failed = set()
    if rules.min_age is not None or rules.max_age is not None:
        too_young = child.age is not None and rules.min_age is not None \
            and child.age < rules.min_age
        too_old = child.age is not None and rules.max_age is not None \
            and child.age > rules.max_age
        if child.age is None or too_young or too_old:
            failed.add("age")
    if rules.sexes and child.sex not in rules.sexes:
        failed.add("sex")
    if rules.locality_ids is not None and child.locality_id not in rules.locality_ids:
        failed.add("locality")
    if rules.risk_levels:
        own = child.risk_level in rules.risk_levels
        sibling = rules.includes_siblings and any(
            s in rules.risk_levels for s in child.sibling_risk_levels)
        if not (own or sibling):
            failed.add("risk")
    if rules.needs and not any(n in child.needs for n in rules.needs):
        failed.add("needs")
    if rules.routes_in and child.route_in not in rules.routes_in:
        failed.add("route_in")
    return failed


def subset(items):
    return st.frozensets(st.sampled_from(items))


children = st.builds(
    ChildFacts, age=st.one_of(st.none(), st.integers(0, 25)), sex=st.sampled_from("FMU"),
    locality_id=st.one_of(st.none(), st.integers(1, 3)),
    risk_level=st.one_of(st.none(), st.sampled_from(LEVELS)), needs=subset(NEEDS),
    route_in=st.sampled_from(ROUTES), sibling_risk_levels=subset(LEVELS))
rule_sets = st.builds(
    Rules, min_age=st.one_of(st.none(), st.integers(0, 20)),
    max_age=st.one_of(st.none(), st.integers(5, 25)), sexes=subset(["F", "M"]),
    locality_ids=st.one_of(st.none(), st.frozensets(st.integers(1, 3), min_size=1)),
    risk_levels=subset(LEVELS), needs=subset(NEEDS), routes_in=subset(ROUTES),
    includes_siblings=st.booleans())


@settings(max_examples=1000)
@given(rules=rule_sets, child=children)
def test_the_evaluator_fails_exactly_the_rules_the_reference_fails(rules, child):
    verdict = evaluate(rules, child)
    assert {r.rule for r in verdict.failed} == reference(rules, child)
    assert verdict.eligible == (not reference(rules, child))
    # Every rule the programme sets is answered, matched or failed, with words.
    assert all(r.why for r in verdict.results)


@given(born=st.dates(dt.date(1990, 1, 1), dt.date(2020, 12, 31)), years=st.integers(1, 30))
def test_age_turns_over_on_the_birthday_and_not_the_day_before(born, years):
    if (born.month, born.day) == (2, 29):
        born = born.replace(day=28)  # leap-day birthdays are tested below
    birthday = born.replace(year=born.year + years)
    assert age_on(born, birthday) == years
    assert age_on(born, birthday - dt.timedelta(days=1)) == years - 1


def test_a_leap_day_birthday_turns_over_on_the_first_of_march():
    born = dt.date(2012, 2, 29)
    assert age_on(born, dt.date(2027, 2, 28)) == 14
    assert age_on(born, dt.date(2027, 3, 1)) == 15
    assert age_on(None, dt.date(2027, 3, 1)) is None


def test_eligibility_counts_age_by_the_one_rule_every_other_duty_uses():
    """A child is the same age for a programme's rules as for the law's duties to children."""
    assert facts.age_on is age_on
    assert not hasattr(eligibility, "age_on")


def test_call_in_names_the_rules_a_fourteen_year_old_fails():
    call_in = Rules(min_age=16, max_age=21, locality_ids=frozenset({2}),
                    needs=frozenset({"drug_dealing"}), routes_in=frozenset({"deferred_charge"}))
    child = ChildFacts(age=14, sex="M", locality_id=2, risk_level="medium",
                       needs=frozenset({"drug_dealing"}))
    verdict = evaluate(call_in, child)
    assert [r.rule for r in verdict.failed] == ["age", "route_in"]
    assert "the child is 14" in verdict.failed[0].why
    assert [r.rule for r in verdict.matched] == ["locality", "needs"]


def test_a_sibling_at_medium_risk_makes_a_low_risk_child_eligible_for_mentoring():
    mentoring = Rules(risk_levels=frozenset({"medium", "high"}), includes_siblings=True)
    child = ChildFacts(age=12, sex="F", locality_id=1, risk_level="low",
                       sibling_risk_levels=frozenset({"high"}))
    verdict = evaluate(mentoring, child)
    assert verdict.eligible
    assert "sibling" in verdict.matched[0].why


def test_no_risk_level_recorded_is_said_plainly():
    verdict = evaluate(Rules(risk_levels=frozenset({"high"})),
                       ChildFacts(age=15, sex="F", locality_id=1, risk_level=None))
    assert verdict.failed[0].why == "For high risk; no risk level recorded"
