"""The rules DSL: small JSON conditions a non-programmer can read on the rules page.

A condition is one of:
- {"all": [condition, ...]} / {"any": [condition, ...]} / {"not": condition}
- {"fact": NAME, OP: VALUE} with OP one of eq, in, lte, gte, contains_any (for lists)
- {"history": {"event_types": [...], "categories": [...], "within_days": N, "at_least": K}}:
  the child was involved in at least K such events in the N days up to this one (person rules).

Facts about the event: event_type, category, object_kinds, age (youngest person, or the
patient's age on an anonymised ED record), has_place, returned (a missing episode's return).
"""

from collections.abc import Callable

OPS = {
    "eq": lambda a, b: a == b,
    "in": lambda a, b: a in b,
    "lte": lambda a, b: a is not None and a <= b,
    "gte": lambda a, b: a is not None and a >= b,
    "contains_any": lambda a, b: bool(set(a or ()) & set(b)),
}
OP_WORDS = {"eq": "is", "in": "is one of", "lte": "is at most", "gte": "is at least",
            "contains_any": "includes any of"}
FACT_WORDS = {"event_type": "the event type", "category": "the category",
              "object_kinds": "the objects", "age": "the age", "has_place": "a place is named",
              "returned": "the child has returned"}

History = Callable[[dict], list[int]]


class RuleError(ValueError):
    """A condition the DSL does not understand."""


def holds(condition: dict, facts: dict, history: History | None = None,
          evidence: list | None = None) -> bool:
    """Whether the condition holds; event ids that satisfied history clauses go in `evidence`."""
    if "all" in condition:
        return all(holds(c, facts, history, evidence) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, facts, history, evidence) for c in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], facts, history, evidence)
    if "history" in condition:
        if history is None:
            return False
        ids = history(condition["history"])
        ok = len(ids) >= condition["history"].get("at_least", 1)
        if ok and evidence is not None:
            evidence.extend(ids)
        return ok
    if "fact" in condition:
        ops = [k for k in condition if k in OPS]
        if len(ops) != 1:
            raise RuleError(f"fact condition needs one operator of {sorted(OPS)}")
        return OPS[ops[0]](facts.get(condition["fact"]), condition[ops[0]])
    if not condition:
        return True
    raise RuleError(f"unknown condition {sorted(condition)}")


def describe(condition: dict) -> str:
    """The condition in plain English, for the rules page."""
    if not condition:
        return "always"
    if "all" in condition:
        return " and ".join(f"({describe(c)})" for c in condition["all"])
    if "any" in condition:
        return " or ".join(f"({describe(c)})" for c in condition["any"])
    if "not" in condition:
        return f"not ({describe(condition['not'])})"
    if "history" in condition:
        h = condition["history"]
        kinds = ", ".join(h.get("event_types", []) + h.get("categories", [])).replace("_", " ")
        return (f"the child has at least {h.get('at_least', 1)} {kinds} event(s) "
                f"in {h['within_days']} days")
    op = next(k for k in condition if k in OPS)
    value = condition[op]
    fact = FACT_WORDS.get(condition["fact"], condition["fact"])
    if op == "eq" and isinstance(value, bool):
        # A yes-or-no fact reads as what it says: "a place is named", not "... is True".
        return fact if value else f"not ({fact})"
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"{fact} {OP_WORDS[op]} {shown.replace('_', ' ')}"

