"""What the apps above the access policy tell it about their models, from `AppConfig.ready()`.

The policy is a foundation layer: it imports no domain app (docs/architecture.md), yet it
decides every read of their personal data. So each app that owns such data registers here,
once at start-up, how the policy reads it:

- people: the person model and the rows of a person's record (`PersonRows`), and who a
  child's siblings are;
- cases and interventions: who works with a child (`WorksWith`), the lead professional, and
  the case records (`CaseRecord`);
- contexts and intelligence: rules for whole models (`register_model`).

Each app's registrations are in its `access_rules.py`. Nothing is registered twice differently,
and a model nobody registered has no rule: the policy raises TypeError rather than show it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from . import rules


@dataclass(frozen=True)
class People:
    """The person model, and `siblings(person, today, where) -> set of person ids`: the child's
    siblings from their current family ties matching `where` (a Q on the tie)."""

    model: type
    siblings: Callable


@dataclass(frozen=True)
class PersonRows:
    """Rows of a person's record, read wherever the person is in scope.

    `person` is the lookup to the person. With a `category`, a row is the record of the agency
    at `source` and is seen as far as that agency's category is granted. `by_ids`: on the
    one-person path, take the person's row ids first (the person index; see `record_rows`).
    """

    person: str = "person"
    category: str | None = None
    source: str | None = None
    by_ids: bool = False


@dataclass(frozen=True)
class CaseRecord:
    """A case record: the record of its author's agency, read only through its child's page.

    `kind` names its category in `categories.CASE_RECORD_CATEGORIES`; `person` and
    `author_agency` are lookups; `purposes`, when given, are the only purposes it is read for.
    """

    kind: str
    person: str
    author_agency: str
    purposes: frozenset | None = None


@dataclass(frozen=True)
class WorksWith:
    """One way a viewer works with a child (e.g. a member of the team around the child).

    `people(viewer, today)`: the children's ids as a subquery, for lists. `exists(viewer,
    person_id, today)`: the same for one child as an SQL `EXISTS(...)` and its parameters,
    for the single query of `facts.load`. Both answer None when it cannot apply (a viewer
    with no team). `scope`: `rules.INVOLVEMENT` (it involves the viewer) or `rules.TEAM`
    (someone in the viewer's team: it counts for the scope `team` only).
    """

    name: str
    people: Callable[[rules.Viewer, object], QuerySet | None]
    exists: Callable[[rules.Viewer, int, object], tuple[str, list] | None]
    scope: str = rules.INVOLVEMENT


_people: list[People] = []
_person_rows: dict[type, PersonRows] = {}
_case_records: dict[type, CaseRecord] = {}
_models: dict[type, Callable] = {}
_works_with: dict[str, WorksWith] = {}
_lead: list[Callable] = []


def _put(table: dict, key, value) -> None:
    """Register once; the same again is harmless, a different rule for the same key is a bug."""
    if table.setdefault(key, value) != value:
        raise ValueError(f"{key!r} already has a different access rule")


def register_people(model: type, *, siblings: Callable) -> None:
    if _people and _people[0] != People(model, siblings):
        raise ValueError("the person model is already registered")
    _people[:] = [People(model, siblings)]


def register_person_rows(model: type, rows: PersonRows) -> None:
    _put(_person_rows, model, rows)


def register_case_record(model: type, record: CaseRecord) -> None:
    _put(_case_records, model, record)


def register_model(model: type, rule: Callable) -> None:
    """A rule for a whole model: `rule(viewer, queryset) -> queryset` (the viewer is signed in)."""
    _put(_models, model, rule)


def register_works_with(fact: WorksWith) -> None:
    if fact.scope not in (rules.INVOLVEMENT, rules.TEAM):
        raise ValueError(f"unknown scope {fact.scope!r} for {fact.name!r}")
    _put(_works_with, fact.name, fact)


def register_lead_professional(led_by: Callable) -> None:
    """`led_by(user, today)`: ids of the children the user is now lead professional for."""
    if _lead and _lead[0] is not led_by:
        raise ValueError("the lead professional is already registered")
    _lead[:] = [led_by]


# --- asked by the policy ---------------------------------------------------------------------

def people() -> People:
    if not _people:
        raise RuntimeError("no person model is registered with the access policy")
    return _people[0]


def person_model() -> type:
    return people().model


def person_rows(model: type) -> PersonRows | None:
    return _person_rows.get(model)


def case_record(model: type) -> CaseRecord | None:
    return _case_records.get(model)


def case_records() -> dict[type, CaseRecord]:
    """The case record models (read-only copy): a caller checks `model in case_records()`."""
    return dict(_case_records)


def model_rule(model: type) -> Callable | None:
    return _models.get(model)


def works_with(scope: str) -> list[WorksWith]:
    """The facts counting for `scope`: the viewer's own involvement first, then their team's."""
    own = [f for f in _works_with.values() if f.scope == rules.INVOLVEMENT]
    return own if scope == rules.INVOLVEMENT else own + [
        f for f in _works_with.values() if f.scope == rules.TEAM]


def led_by(user, today) -> QuerySet:
    if not _lead:
        raise RuntimeError("no lead professional rule is registered with the access policy")
    return _lead[0](user, today)
