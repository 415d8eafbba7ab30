"""An obviously-correct reference of the access rules, written from docs/access-policy.md.

Deliberately naive: it loops over raw facts (team memberships with dates, meetings, grants,
agreements) for every question, with no shared code from the production policy except the
role table, which is configuration both must read.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from saferoptions.access.categories import DataCategory


@dataclass(frozen=True)
class U:
    id: int
    role: str
    agency: int
    team: int | None
    locality: int | None
    active: bool = True


@dataclass(frozen=True)
class P:
    id: int
    locality: int | None


@dataclass(frozen=True)
class Membership:
    user: int
    person: int
    started: dt.date
    ended: dt.date | None


@dataclass(frozen=True)
class Meeting:
    user: int
    person: int
    day: dt.date


@dataclass(frozen=True)
class Grant:
    user: int
    person: int
    granted: dt.datetime
    expires: dt.datetime


@dataclass(frozen=True)
class Isa:
    provider: int
    recipient: int
    categories: frozenset
    purposes: frozenset
    starts: dt.date
    ends: dt.date | None


@dataclass
class World:
    today: dt.date
    now: dt.datetime
    users: list = field(default_factory=list)
    people: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    grants: list = field(default_factory=list)
    agreements: list = field(default_factory=list)


def _user(world, uid):
    return next(u for u in world.users if u.id == uid)


def purposes_admitting(world: World, u: U, p: P, purpose) -> set:
    """Every purpose under which `u` may open `p`'s record."""
    rule = settings.ACCESS_ROLE_RULES.get(u.role)
    if not u.active or rule is None:
        return set()
    if purpose == "data_quality":  # never implied; only when asked for by name
        scope = rule.get("data_quality")
        return {purpose} if scope and _admits(world, u, p, scope) else set()
    found = set()
    candidates = dict(rule["purposes"])
    if rule["break_glass"]:
        candidates["break_glass"] = "grant"
    for pur, scope in candidates.items():
        if purpose is not None and pur != purpose:
            continue
        if _admits(world, u, p, scope):
            found.add(pur)
    return found


def _in_team(world, uid, p) -> bool:
    for m in world.memberships:
        current = m.started <= world.today and (m.ended is None or m.ended > world.today)
        if m.user == uid and m.person == p.id and current:
            return True
    return False


def _at_meeting(world, u, p) -> bool:
    before = dt.timedelta(days=settings.ACCESS_MEETING_DAYS_BEFORE)
    after = dt.timedelta(days=settings.ACCESS_MEETING_DAYS_AFTER)
    for a in world.meetings:
        if a.user == u.id and a.person == p.id and a.day - before <= world.today <= a.day + after:
            return True
    return False


def _admits(world, u, p, scope) -> bool:
    involved = _in_team(world, u.id, p) or _at_meeting(world, u, p)
    if scope == "all":
        return True
    if scope == "locality":
        return u.locality is None or u.locality == p.locality
    if scope == "involvement":
        return involved
    if scope == "team":
        if involved:
            return True
        colleagues = [o.id for o in world.users if u.team is not None and o.team == u.team]
        return any(_in_team(world, c, p) for c in colleagues)
    if scope == "grant":
        return any(g.user == u.id and g.person == p.id and g.granted <= world.now < g.expires
                   for g in world.grants)
    raise AssertionError(scope)


def categories_from(world: World, u: U, p: P, purpose, agency: int) -> set:
    """Every category `u` may see from `agency` about `p` (empty if the record is closed)."""
    seen = set()
    everything = {c for c, _ in DataCategory.choices}
    for pur in purposes_admitting(world, u, p, purpose):
        if settings.ACCESS_ROLE_RULES[u.role]["categories"] == "all" or agency == u.agency:
            return everything
        wanted = "direct_work" if pur == "break_glass" else pur
        for a in world.agreements:
            in_force = a.starts <= world.today and (a.ends is None or world.today < a.ends)
            if a.provider == agency and a.recipient == u.agency and wanted in a.purposes \
                    and in_force:
                seen |= set(a.categories)
    return seen
