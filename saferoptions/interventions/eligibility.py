"""Who a programme is for, as data, and a plain evaluator: which rule matched, which failed.

No database and no web here: `selectors.py` loads the child's facts and each programme's rules,
and this module answers. The risk level is the practitioner's recorded judgement, never a score.
"""

from dataclasses import dataclass

from .vocabulary import Need, RouteIn

RISK_ORDER = ("low", "medium", "high")
LABELS = {**dict(Need.choices), **dict(RouteIn.choices)}


def _words(codes) -> str:
    return ", ".join(sorted(LABELS.get(c, c).lower() for c in codes))


@dataclass(frozen=True)
class ChildFacts:
    """What eligibility reads about one child, today."""

    age: int | None
    sex: str
    locality_id: int | None
    risk_level: str | None
    needs: frozenset = frozenset()
    route_in: str = "direct"
    sibling_risk_levels: frozenset = frozenset()
    # Needs the records the viewer may see show: ((need, "3 police stops and searches, most
    # recent 2 November 2026"), ...). They count as recorded needs do; the risk level never.
    evidence: tuple = ()

    @property
    def all_needs(self) -> frozenset:
        return self.needs | {need for need, _ in self.evidence}


@dataclass(frozen=True)
class Rules:
    """A programme's rules; an empty set (or None) does not limit on that rule."""

    min_age: int | None = None
    max_age: int | None = None
    sexes: frozenset = frozenset()
    locality_ids: frozenset | None = None  # None: the whole city
    risk_levels: frozenset = frozenset()
    needs: frozenset = frozenset()
    routes_in: frozenset = frozenset()
    includes_siblings: bool = False


@dataclass(frozen=True)
class RuleResult:
    rule: str  # age, sex, locality, risk, needs, route_in
    passed: bool
    why: str


@dataclass(frozen=True)
class Verdict:
    results: tuple

    @property
    def eligible(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> tuple:
        return tuple(r for r in self.results if not r.passed)

    @property
    def matched(self) -> tuple:
        return tuple(r for r in self.results if r.passed)


def _age(rules: Rules, child: ChildFacts) -> RuleResult | None:
    if rules.min_age is None and rules.max_age is None:
        return None
    low = rules.min_age if rules.min_age is not None else 0
    high = rules.max_age if rules.max_age is not None else 200
    wanted = f"aged {low} to {high}" if rules.max_age is not None else f"aged {low} or over"
    if child.age is None:
        return RuleResult("age", False, f"For young people {wanted}; no date of birth recorded")
    ok = low <= child.age <= high
    return RuleResult("age", ok, f"For young people {wanted}; the child is {child.age}")


def _sex(rules: Rules, child: ChildFacts) -> RuleResult | None:
    if not rules.sexes:
        return None
    names = {"F": "girls and young women", "M": "boys and young men"}
    wanted = " and ".join(names.get(s, s) for s in sorted(rules.sexes))
    return RuleResult("sex", child.sex in rules.sexes, f"For {wanted}")


def _locality(rules: Rules, child: ChildFacts) -> RuleResult | None:
    if rules.locality_ids is None:
        return None
    ok = child.locality_id is not None and child.locality_id in rules.locality_ids
    why = "Offered in the child's locality" if ok else "Not offered in the child's locality"
    return RuleResult("locality", ok, why)


def _risk(rules: Rules, child: ChildFacts) -> RuleResult | None:
    if not rules.risk_levels:
        return None
    wanted = " or ".join(r for r in RISK_ORDER if r in rules.risk_levels)
    if child.risk_level in rules.risk_levels:
        return RuleResult("risk", True, f"For {wanted} risk; recorded as {child.risk_level}")
    if rules.includes_siblings and child.sibling_risk_levels & rules.risk_levels:
        return RuleResult("risk", True, f"A sibling is recorded at {wanted} risk")
    if child.risk_level is None:
        return RuleResult("risk", False, f"For {wanted} risk; no risk level recorded")
    return RuleResult("risk", False, f"For {wanted} risk; recorded as {child.risk_level}")


def _needs(rules: Rules, child: ChildFacts) -> RuleResult | None:
    if not rules.needs:
        return None
    if not rules.needs & child.all_needs:
        return RuleResult("needs", False, "None of the needs it is for is recorded or shown by "
                          "the records you may see: " + _words(rules.needs))
    said = []  # where each need came from: the practitioner, the records, or both
    recorded = sorted(rules.needs & child.needs)
    if recorded:
        said.append("Recorded need: " + _words(recorded))
    said += [f"{_words([need]).capitalize()}, from the records: {words}"
             for need, words in child.evidence if need in rules.needs]
    return RuleResult("needs", True, "; ".join(said))


def _route(rules: Rules, child: ChildFacts) -> RuleResult | None:
    if not rules.routes_in:
        return None
    ok = child.route_in in rules.routes_in
    return RuleResult("route_in", ok, "Takes referrals by: " + _words(rules.routes_in))


CHECKS = (_age, _sex, _locality, _risk, _needs, _route)


def evaluate(rules: Rules, child: ChildFacts) -> Verdict:
    """Every rule the programme sets, each with whether the child meets it and why."""
    return Verdict(tuple(r for check in CHECKS if (r := check(rules, child)) is not None))
