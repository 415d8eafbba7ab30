"""The pure half of the access policy: decisions over plain facts, no database, no web.

`policy.py` is the only caller: it loads the facts (or turns the same rules into SQL). Keeping
the decision pure lets the tests compare it with an obviously-correct reference on thousands
of generated worlds.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings

from saferoptions.core import duties

from .categories import ALL_CATEGORIES, Purpose

INVOLVEMENT, TEAM, LOCALITY, ALL = "involvement", "team", "locality", "all"
SCOPES = {INVOLVEMENT, TEAM, LOCALITY, ALL}
# A break-glass opening is emergency direct work: agreements covering direct work cover it.
AGREEMENT_PURPOSE = {Purpose.BREAK_GLASS: Purpose.DIRECT_WORK}


@dataclass(frozen=True)
class Viewer:
    """The facts about a signed-in user that the policy reads."""

    id: int
    role: str
    agency_id: int | None
    team_id: int | None
    locality_id: int | None
    is_active: bool = True


@dataclass(frozen=True)
class PersonFacts:
    """What the decision needs to know about one person, as seen by one viewer, today."""

    locality_id: int | None
    involved: bool = False  # the viewer is in the team around the child or at its meeting
    team_involved: bool = False  # someone in the viewer's team is in the team around the child
    break_glass: bool = False  # the viewer holds an unexpired break-glass grant


@dataclass(frozen=True)
class Agreement:
    """An information sharing agreement, reduced to what the decision reads."""

    provider_id: int
    recipient_id: int
    categories: frozenset
    purposes: frozenset
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass(frozen=True)
class Grants:
    """Which data categories a viewer may see, by the agency the data came from."""

    every_source: frozenset = frozenset()
    by_source: Mapping[int, frozenset] = field(default_factory=dict)

    def allows(self, agency_id: int | None, category: str) -> bool:
        return category in self.every_source or category in self.by_source.get(agency_id, ())

    def categories(self) -> frozenset:
        return self.every_source.union(*self.by_source.values())

    def union(self, other: "Grants") -> "Grants":
        sources = set(self.by_source) | set(other.by_source)
        merged = {a: self.by_source.get(a, frozenset()) | other.by_source.get(a, frozenset())
                  for a in sources}
        return Grants(self.every_source | other.every_source, merged)


# What a role may do besides reading records: the only names a rule's "duties" may hold.
DUTIES = frozenset({
    "triage_concerns",  # decide concerns in the locality's triage queue
    "oversee_cases",  # the overdue and due-soon clocks
    "approve_assessments",  # approve or return a single assessment (never one's own)
    "allocate_within_team",  # add or end members of the team around the child from own team
    "review_break_glass",  # see and acknowledge break-glass grants
    "administer_partner_systems",  # partner systems' API credentials (configuration only)
    "review_linkage", "merge_people", "tune_linkage",  # record linkage (docs/linkage.md)
    "manage_context_cases", "view_context_cases", "refer_places",  # docs/contexts.md
    "analyse_contexts", "view_hotspots", "resolve_locations",
    "chair_meetings", "attend_meetings",  # docs/meetings.md
    "manage_catalogue", "review_consent_overrides",  # docs/interventions.md
    "write_case_formulation", "manage_workforce", "schedule_outreach",  # docs/interventions.md
    "view_dashboards", "drill_down_dashboards",  # docs/dashboards.md
    "grade_intelligence", "review_handling_changes",  # docs/intelligence.md
    "work_with_children",  # my work, my tasks, find a child, break-glass
    "view_task_rules",  # the timescales that create tasks
    "oversee_feeds", "resolve_quarantine", "import_agency_files",  # docs/feeds.md
    "propose_agreements", "approve_agreements",  # information sharing agreements
    "manage_accounts", "approve_account_changes",  # docs/accounts.md
    "place_children",  # give a child with no locality one by hand
    "review_retention", "search_audit",  # the data protection officer's screens
    "administer_reference_data", "read_api_docs",  # configuration, no personal data
    "report_worries",  # encoded worries about a young person (docs/intelligence.md)
})


def role_rule(role: str) -> dict | None:
    """The configured rule for a role (settings load at process start: changes need a restart)."""
    return settings.ACCESS_ROLE_RULES.get(role)


def roles_with(duty: str) -> tuple[str, ...]:
    """Every role whose rule lists `duty`; an unknown duty is a programming error."""
    if duty not in DUTIES:
        raise ValueError(f"unknown duty {duty!r}")
    return duties.holders(duty)


def has_duty(viewer: "Viewer | None", duty: str) -> bool:
    return viewer is not None and viewer.role in roles_with(duty)


def scopes(viewer: Viewer, purpose: str | None) -> dict[str, str]:
    """Purpose -> scope the viewer may use; one purpose if asked, all of the role's if not."""
    rule = role_rule(viewer.role) if viewer.is_active else None
    if rule is None:
        return {}
    if purpose == Purpose.DATA_QUALITY:
        # Linkage review is never implied: only a page asking for it by name gets it, so it
        # cannot widen which children's records a role opens (see docs/linkage.md).
        scope = rule.get("data_quality")
        return {purpose: scope} if scope else {}
    allowed = dict(rule["purposes"])
    if rule.get("break_glass"):
        allowed[Purpose.BREAK_GLASS.value] = "grant"
    if purpose is None:
        return allowed
    return {purpose: allowed[purpose]} if purpose in allowed else {}


def in_scope(scope: str, viewer: Viewer, facts: PersonFacts) -> bool:
    """Whether one scope admits the person."""
    if scope == ALL:
        return True
    if scope == LOCALITY:
        return viewer.locality_id is None or facts.locality_id == viewer.locality_id
    if scope == TEAM:
        return facts.involved or (viewer.team_id is not None and facts.team_involved)
    if scope == INVOLVEMENT:
        return facts.involved
    if scope == "grant":
        return facts.break_glass
    raise ValueError(f"unknown scope {scope!r}")


def admitting_purposes(viewer: Viewer, facts: PersonFacts, purpose: str | None) -> frozenset:
    """The purposes under which the viewer may open this person's record (empty: none)."""
    return frozenset(p for p, s in scopes(viewer, purpose).items() if in_scope(s, viewer, facts))


def in_force(agreement: Agreement, today: dt.date) -> bool:
    return agreement.starts_on <= today and (agreement.ends_on is None or today < agreement.ends_on)


def grants_for(viewer: Viewer, purpose: str, agreements: Iterable[Agreement], today) -> Grants:
    """Categories the viewer may see for one purpose: own agency's data, and what is shared."""
    rule = role_rule(viewer.role) if viewer.is_active else None
    if rule is None:
        return Grants()
    if rule.get("categories") == "all":
        return Grants(every_source=ALL_CATEGORIES)
    wanted = AGREEMENT_PURPOSE.get(purpose, purpose)
    by_source: dict[int, frozenset] = {}
    for a in agreements:
        if a.recipient_id == viewer.agency_id and wanted in a.purposes and in_force(a, today):
            by_source[a.provider_id] = by_source.get(a.provider_id, frozenset()) | a.categories
    if viewer.agency_id is not None:
        by_source[viewer.agency_id] = ALL_CATEGORIES
    return Grants(by_source=by_source)


def decide(viewer: Viewer, facts: PersonFacts, purpose, agreements, today) -> Grants | None:
    """What the viewer may see about one person: None if nothing, else the category grants."""
    agreements = list(agreements)
    admitted = admitting_purposes(viewer, facts, purpose)
    if not admitted:
        return None
    grants = Grants()
    for p in sorted(admitted):
        grants = grants.union(grants_for(viewer, p, agreements, today))
    return grants
