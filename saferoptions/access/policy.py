"""The access policy: the one place that decides who sees which personal data, and why.

Every read of personal data goes through `restrict(user, action, queryset, purpose=...)`
(in the spirit of NetBox's `restrict`) or `get_or_404`. A record the user may not see and a
record that does not exist raise the same `Http404`. The rules themselves are pure functions
in `rules.py`; the role table is `settings.ACCESS_ROLE_RULES`; what agencies share is in
`InformationSharingAgreement` rows. Nothing is cached between calls, so an ended agreement,
a left team or a disabled account count on the very next request.

The policy imports no domain app: the apps that own personal data register their models, and
who works with a child, in `registry.py` from their `AppConfig.ready()` (each app's
`access_rules.py`). A model nobody registered raises TypeError: it is never shown.
"""

import functools
import operator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from saferoptions.core import clock
from saferoptions.events.models import Event, Involvement

from . import facts, registry, rules
from .categories import CASE_RECORD_CATEGORIES, DataCategory, Purpose
from .models import AgreementState, BreakGlassGrant, InformationSharingAgreement

__all__ = [
    "Purpose", "DataCategory", "restrict", "get_or_404", "visible_categories", "decision_for",
    "mask", "MaskedPerson", "READ_ACTIONS", "has_duty", "roles_with", "exact_counts",
]

READ_ACTIONS = frozenset({"view", "list", "search", "export"})
CHANGE_ACTIONS = frozenset({"change"})
# Reading for a subject access request or an audit never allows changing the record.
CHANGE_PURPOSES = frozenset({Purpose.DIRECT_WORK, Purpose.TRIAGE, Purpose.BREAK_GLASS})
NOTHING = Q(pk__in=[])
EVERYTHING = Q(pk__isnull=False)


def viewer_of(user) -> rules.Viewer | None:
    """The policy's view of a user; None for anyone not signed in or disabled."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return rules.Viewer(
        id=user.pk, role=user.role, agency_id=user.agency_id, team_id=user.team_id,
        locality_id=user.locality_id, is_active=user.is_active,
    )


def _purposes(viewer, action: str, purpose) -> dict[str, str]:
    if action not in READ_ACTIONS | CHANGE_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    found = rules.scopes(viewer, purpose) if viewer else {}
    if action in CHANGE_ACTIONS:
        found = {p: s for p, s in found.items() if p in CHANGE_PURPOSES}
    return found


def agreements_for(viewer: rules.Viewer) -> list[rules.Agreement]:
    """Approved agreements naming the viewer's agency as recipient (few rows: read each call).

    A proposed or refused agreement shares nothing: only the data protection officer's
    approval puts one into force (docs/access-policy.md).
    """
    rows = InformationSharingAgreement.objects.filter(
        recipient_id=viewer.agency_id, state=AgreementState.APPROVED)
    return [
        rules.Agreement(a.provider_id, a.recipient_id, frozenset(a.categories),
                        frozenset(a.purposes), a.starts_on, a.ends_on)
        for a in rows
    ]


# --- who: people in scope, as SQL -----------------------------------------------------------

def _break_glass(viewer, now) -> QuerySet:
    grants = BreakGlassGrant.objects.filter(user_id=viewer.id)
    return grants.filter(granted_at__lte=now, expires_at__gt=now)


def _works_with_q(viewer, scope: str, today) -> Q:
    """People the viewer (INVOLVEMENT), or also their team (TEAM), works with (`registry`)."""
    found = [Q(pk__in=ids) for fact in registry.works_with(scope)
             if (ids := fact.people(viewer, today)) is not None]
    return functools.reduce(operator.or_, found) if found else NOTHING


def _scope_q(viewer, scope: str, today, now) -> Q:
    """SQL for one scope: the same decision as `rules.in_scope`, for a whole queryset."""
    if scope == rules.ALL:
        return EVERYTHING
    if scope == rules.LOCALITY:
        return EVERYTHING if viewer.locality_id is None else Q(locality_id=viewer.locality_id)
    if scope in (rules.INVOLVEMENT, rules.TEAM):
        return _works_with_q(viewer, scope, today)
    if scope == "grant":
        return Q(pk__in=_break_glass(viewer, now).values("person_id"))
    raise ValueError(f"unknown scope {scope!r}")


def _people(viewer, scope, today, now) -> QuerySet:
    return registry.person_model().objects.filter(_scope_q(viewer, scope, today, now)).values("pk")


# --- what: categories by source agency, as SQL ----------------------------------------------

def _source_q(grants: rules.Grants, category: str, field: str) -> Q:
    """Rows whose source agency (`field`) grants `category`."""
    if category in grants.every_source:
        return EVERYTHING
    sources = [a for a, cats in grants.by_source.items() if category in cats]
    return Q(**{f"{field}__in": sources}) if sources else NOTHING


def _event_category_q(categories) -> Q:
    """Events whose data category (see `categories.event_category`) is among `categories`."""
    type_map = settings.ACCESS_EVENT_TYPE_CATEGORIES
    overrides = settings.ACCESS_EVENT_CATEGORY_OVERRIDES
    q = Q(category__in=[k for k, v in overrides.items() if v in categories])
    by_type = [t for t, v in type_map.items() if v in categories]
    plain = Q(event_type__in=by_type)
    if DataCategory.COMMUNITY in categories:  # unmapped types default to community
        plain |= ~Q(event_type__in=list(type_map))
    return q | (plain & ~Q(category__in=list(overrides)))


def _event_grant_q(grants: rules.Grants) -> Q:
    q = _event_category_q(grants.every_source) if grants.every_source else NOTHING
    # Agencies granting the same categories share one clause: the same rows as a clause per
    # agency, but a fraction of the SQL to build and plan on every list of events.
    by_categories: dict[frozenset, list] = {}
    for agency_id, cats in grants.by_source.items():
        by_categories.setdefault(frozenset(cats), []).append(agency_id)
    for cats, agency_ids in by_categories.items():
        q |= Q(reporting_agency_id__in=sorted(agency_ids)) & _event_category_q(cats)
    return q


# --- restrict -------------------------------------------------------------------------------

def restrict(user, action: str, queryset: QuerySet, *, purpose=None) -> QuerySet:
    """Only the rows of `queryset` the user may see (or change) for `purpose` (None: any)."""
    viewer = viewer_of(user)
    model = queryset.model
    if viewer is None:
        return queryset.none()
    rule = registry.model_rule(model)  # e.g. places by role; intelligence by handling code
    if rule is not None:
        return rule(viewer, queryset)
    found = _purposes(viewer, action, purpose)
    today, now = clock.today(), clock.now()
    agreements = agreements_for(viewer) if found else []
    q = NOTHING
    for p, scope in found.items():
        grants = rules.grants_for(viewer, p, agreements, today)
        q |= _row_q(model, viewer, scope, grants, today, now)
    if model is Event:
        q |= _unattributed_events_q(viewer, agreements, today)
    return queryset.filter(q)


def _row_q(model, viewer, scope, grants, today, now) -> Q:
    if model is registry.person_model():
        return _scope_q(viewer, scope, today, now)
    rows = registry.person_rows(model)
    if model is not Event and rows is None:
        raise TypeError(f"the access policy has no rule for {model.__name__}")
    people = _people(viewer, scope, today, now)
    if model is Event:
        involved = Involvement.objects.filter(event=OuterRef("pk"), person__in=people)
        return Q(Exists(involved)) & _event_grant_q(grants)
    return Q(**{f"{rows.person}__in": people}) & _rows_granted_q(rows, grants)


def _rows_granted_q(rows: registry.PersonRows, grants) -> Q:
    """A person's rows of one model, as far as the category is granted from their source."""
    if rows.category is None:
        return Q()
    return _source_q(grants, rows.category, rows.source)


def _unattributed_events_q(viewer, agreements, today) -> Q:
    """Events with no known person (e.g. anonymised assaults) are not a person's record."""
    someone = Involvement.objects.filter(event=OuterRef("pk"), person__isnull=False)
    grants = rules.Grants(by_source={viewer.agency_id: rules.ALL_CATEGORIES})
    for p in rules.scopes(viewer, None):
        grants = grants.union(rules.grants_for(viewer, p, agreements, today))
    return ~Q(Exists(someone)) & _event_grant_q(grants)


def source_grants(user, *, purpose) -> rules.Grants:
    """Categories the user may see, by source agency, for a record not yet tied to a person.

    For raw partner messages (the feeds quarantine): own agency's in full, another agency's
    only as far as an agreement in force names the user's agency, the category and `purpose`.
    """
    viewer = viewer_of(user)
    if viewer is None or purpose not in rules.scopes(viewer, purpose):
        return rules.Grants()
    return rules.grants_for(viewer, purpose, agreements_for(viewer), clock.today())


def sharing_sources_q(user, category: str, *, purpose, field: str = "reporting_agency_id") -> Q:
    """Rows from agencies that let the user see `category` for `purpose`, whoever they are about.

    For text read apart from any one person's record (e.g. hospitals' free-text locations, on
    the location resolver's page): the user's own agency, and those whose agreement in force
    names the user's agency, the category and the purpose.
    """
    viewer = viewer_of(user)
    if viewer is None:
        return NOTHING
    grants = rules.grants_for(viewer, purpose, agreements_for(viewer), clock.today())
    return _source_q(grants, category, field)


def exact_counts(user, *, event_types) -> bool:
    """Whether the user may read counts of these events exactly, not rounded.

    Only where the policy would let them read the events themselves: a role that opens
    records (break-glass alone is an emergency, not a reason to count), granted the category
    of every such event from the agency that reported it (own agency, or an agreement in
    force). Anyone else reads aggregates only (community, licensing, strategic lead, analyst,
    a partner whose agency is not shared the incidents): rounded, so that two filtered views
    cannot be subtracted to learn a small count (analytics.suppression.round_count).
    """
    viewer = viewer_of(user)
    if viewer is None:
        return False
    purposes = [p for p in rules.scopes(viewer, None) if p != Purpose.BREAK_GLASS]
    if not purposes:
        return False
    agreements, today = agreements_for(viewer), clock.today()
    grants = functools.reduce(
        rules.Grants.union, (rules.grants_for(viewer, p, agreements, today) for p in purposes))
    counted = Event.objects.filter(event_type__in=list(event_types))
    return not counted.exclude(_event_grant_q(grants)).exists()


def raw_message_categories(event_type: str, raw_text: str) -> frozenset:
    """The categories a raw partner message may hold: identity, its type's, and any override.

    The message may be malformed (that is why it is quarantined), so its concern category
    cannot be trusted to parse: an override category named anywhere in the text counts.
    """
    overrides = settings.ACCESS_EVENT_CATEGORY_OVERRIDES
    found = {category for key, category in overrides.items() if key in raw_text}
    main = settings.ACCESS_EVENT_TYPE_CATEGORIES.get(event_type, DataCategory.COMMUNITY)
    return frozenset({DataCategory.IDENTITY.value, str(main), *found})


def may_see_raw(grants: rules.Grants, agency_id, categories) -> bool:
    return all(grants.allows(agency_id, c) for c in categories)


def has_duty(user, duty: str) -> bool:
    """Whether an active user's role lists `duty` in the role table (`rules.DUTIES`)."""
    return rules.has_duty(viewer_of(user), duty)


def roles_with(duty: str) -> tuple[str, ...]:
    """The roles whose rule lists `duty` (for navigation and route declarations)."""
    return rules.roles_with(duty)


def get_or_404(user, action: str, queryset: QuerySet, *, purpose=None, **lookup):
    """One row the user may see, or the same Http404 as for a row that does not exist."""
    try:
        return restrict(user, action, queryset, purpose=purpose).get(**lookup)
    except (queryset.model.DoesNotExist, queryset.model.MultipleObjectsReturned, ValueError):
        raise Http404 from None


# --- one person: the pure decision on loaded facts ------------------------------------------

def person_facts(viewer: rules.Viewer, person) -> rules.PersonFacts:
    """Load what the decision needs about one person, in one query (see `facts.py`)."""
    return facts.load(viewer, person.pk, person.locality_id, clock.today(), clock.now())


def decision_for(user, person, *, purpose=None) -> "Decision | None":
    """Why and how much the user may see of this person (None: nothing at all)."""
    viewer = viewer_of(user)
    if viewer is None or not rules.scopes(viewer, purpose):
        return None
    facts = person_facts(viewer, person)
    admitted = rules.admitting_purposes(viewer, facts, purpose)
    if not admitted:
        return None
    grants = rules.decide(viewer, facts, purpose, agreements_for(viewer), clock.today())
    return Decision(person=person, purpose=_main_purpose(admitted), purposes=admitted,
                    grants=grants)


def record_rows(decision: "Decision", queryset: QuerySet) -> QuerySet:
    """Rows of the decided person's own record the decision lets the user see.

    The same answer as `restrict` for this one person, without re-deciding who they may see:
    it keeps a child's page to a handful of indexed queries.
    """
    model, person, grants = queryset.model, decision.person, decision.grants
    # The person's row ids come first, by the person index; filtering the categories on them
    # after keeps SQLite's planner from scanning by agency instead.
    if model is Event:
        return queryset.filter(_event_grant_q(grants), pk__in=_event_ids(person))
    rows = registry.person_rows(model)
    if rows is not None and rows.by_ids:
        ids = _ids(model.objects.filter(**{rows.person: person}))
        return queryset.filter(_rows_granted_q(rows, grants), pk__in=ids)
    if rows is not None:
        return queryset.filter(_rows_granted_q(rows, grants), **{rows.person: person})
    record = registry.case_record(model)
    if record is not None and record.purposes is not None \
            and not decision.purposes & record.purposes:
        return queryset.none()  # e.g. triage decides what to do; it never reads a formulation
    if record is not None:
        category = CASE_RECORD_CATEGORIES[record.kind]
        return queryset.filter(_source_q(grants, category, record.author_agency),
                               **{record.person: person})
    raise TypeError(f"the access policy has no rule for {model.__name__}")


def sibling_ids(decision: "Decision") -> set:
    """The decided child's siblings, from current family ties the decision lets the user see.

    A tie is recorded once, from either side, by the agency that holds both records; it is
    seen where that agency's identity records are (as `record_rows` does for Relationship).
    """
    seen = _source_q(decision.grants, DataCategory.IDENTITY, "source_id")
    return registry.people().siblings(decision.person, clock.today(), seen)


def sibling_event_rows(decision: "Decision", queryset: QuerySet) -> QuerySet:
    """A sibling's events shown on the decided child's record: only those the same decision's
    agreements cover (by the reporting agency and the event's category), never the child's own.

    The sibling is not opened by this: callers show "a sibling", never who.
    """
    siblings = sibling_ids(decision)
    if not siblings:
        return queryset.none()
    theirs = _ids(Involvement.objects.filter(person_id__in=siblings), "event_id")
    own = Involvement.objects.filter(person=decision.person).values("event_id")
    return queryset.filter(_event_grant_q(decision.grants), pk__in=theirs).exclude(pk__in=own)


def case_records() -> dict:
    """The case record models, as registered by their apps (see `registry.CaseRecord`)."""
    return registry.case_records()


def _ids(queryset: QuerySet, column: str = "pk") -> list:
    return list(queryset.values_list(column, flat=True))


def _event_ids(person):
    """The person's events: a list on SQLite, whose planner otherwise scans by agency; a
    subquery on PostgreSQL, which joins it by the person index, where a list of a busy
    child's 600 ids cost more to build, send and plan than the read itself."""
    involved = Involvement.objects.filter(person=person)
    if connection.vendor == "postgresql":
        return involved.values("event_id")
    return _ids(involved, "event_id")


PURPOSE_ORDER = [Purpose.DIRECT_WORK, Purpose.TRIAGE, Purpose.SUBJECT_ACCESS, Purpose.AUDIT,
                 Purpose.DATA_QUALITY, Purpose.BREAK_GLASS]


def _main_purpose(admitted) -> str:
    """The purpose recorded in the audit: break-glass only when nothing else applies."""
    return next(p.value for p in PURPOSE_ORDER if p in admitted)


@dataclass(frozen=True)
class Decision:
    """The policy's answer for one person: the audited purpose, and the category grants."""

    person: object  # the registered person model's row
    purpose: str
    purposes: frozenset
    grants: rules.Grants

    @property
    def is_break_glass(self) -> bool:
        return self.purpose == Purpose.BREAK_GLASS


def visible_categories(user, person, *, purpose=None) -> frozenset:
    """Every data category the user may see about this person from any source (empty: none)."""
    decision = decision_for(user, person, purpose=purpose)
    return decision.grants.categories() if decision else frozenset()


# --- masking --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MaskedPerson:
    """A person the user may not see, as shown in group and place views: nothing identifying."""

    label: str = "Someone you do not have access to"
    is_masked: bool = True


def mask(person=None) -> MaskedPerson:
    """The stub shown instead of a person: no name, date of birth, address, flags or id."""
    return MaskedPerson()
