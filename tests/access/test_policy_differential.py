"""The production decision agrees with the naive reference on thousands of generated worlds."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferoptions.access import rules
from saferoptions.access.categories import DataCategory, Purpose
from saferoptions.core.models import Role

from . import reference as ref

TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
AGENCIES = [1, 2, 3]
PURPOSES = [None, *Purpose.values]

ROLES = Role.values
DAY_OFFSETS = [-29, -28, -8, -7, -1, 0, 1, 7, 8, 28, 29]
CATEGORIES = DataCategory.values


class Dice:
    """Reads a world out of Hypothesis-drawn bytes: one cheap draw, shrinking to simple worlds."""

    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def int(self, n: int) -> int:
        byte = self.data[self.at % len(self.data)] if self.data else 0
        self.at += 1
        return byte % n

    def pick(self, options):
        return options[self.int(len(options))]

    def day(self):
        # Boundary days: either side of today, and of the meeting window's edges (7 and 28).
        return TODAY + dt.timedelta(days=self.pick(DAY_OFFSETS))

    def maybe_day(self):
        return None if self.int(3) == 0 else self.day()

    def subset(self, options, most: int) -> frozenset:
        return frozenset(self.pick(options) for _ in range(self.int(most + 1)))


def build_world(data: bytes) -> ref.World:
    d = Dice(data)
    n_users, n_people = d.int(3) + 1, d.int(3) + 1
    users = [ref.U(i, d.pick(ROLES), d.pick(AGENCIES), d.pick([None, 1, 2]),
                   d.pick([None, 1, 2]), d.int(4) != 0) for i in range(n_users)]
    people = [ref.P(i, d.pick([None, 1, 2])) for i in range(n_people)]
    world = ref.World(TODAY, NOW, users, people)
    world.memberships = [ref.Membership(d.int(n_users), d.int(n_people), d.day(), d.maybe_day())
                         for _ in range(d.int(5))]
    world.meetings = [ref.Meeting(d.int(n_users), d.int(n_people), d.day())
                      for _ in range(d.int(3))]
    world.grants = []
    for _ in range(d.int(3)):
        granted = NOW + dt.timedelta(hours=d.pick([-25, -24, -1, 0, 1]))
        world.grants.append(ref.Grant(d.int(n_users), d.int(n_people), granted,
                                      granted + dt.timedelta(hours=d.pick([1, 24]))))
    world.agreements = [
        ref.Isa(d.pick(AGENCIES), d.pick(AGENCIES), d.subset(CATEGORIES, 4),
                d.subset(Purpose.values, 3), d.day(), d.maybe_day())
        for _ in range(d.int(5))
    ]
    return world


worlds = st.binary(min_size=16, max_size=96).map(build_world)


def production_facts(world, u, p) -> rules.PersonFacts:
    """The facts production loads from the database, taken here from the in-memory world."""
    involved = ref._in_team(world, u.id, p) or ref._at_meeting(world, u, p)
    colleagues = [o.id for o in world.users if u.team is not None and o.team == u.team]
    return rules.PersonFacts(
        locality_id=p.locality, involved=involved,
        team_involved=any(ref._in_team(world, c, p) for c in colleagues),
        break_glass=any(g.user == u.id and g.person == p.id and g.granted <= NOW < g.expires
                        for g in world.grants),
    )


def production_agreements(world):
    return [rules.Agreement(a.provider, a.recipient, a.categories, a.purposes, a.starts, a.ends)
            for a in world.agreements]


def viewer(u) -> rules.Viewer:
    return rules.Viewer(u.id, u.role, u.agency, u.team, u.locality, u.active)


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(worlds, st.sampled_from(PURPOSES))
def test_production_decision_matches_reference(world, purpose):
    agreements = production_agreements(world)
    for u in world.users:
        for p in world.people:
            grants = rules.decide(viewer(u), production_facts(world, u, p), purpose,
                                  agreements, TODAY)
            expected = ref.purposes_admitting(world, u, p, purpose)
            assert (grants is not None) == bool(expected), (u, p, purpose)
            if grants is None:
                continue
            for agency in AGENCIES:
                shown = {c for c in DataCategory.values if grants.allows(agency, c)}
                assert shown == ref.categories_from(world, u, p, purpose, agency), (u, p, agency)


def test_roles_without_record_access_never_open_a_record():
    """Licensing, community, analysts, strategic leads, administrators: no child's record."""
    world = ref.World(TODAY, NOW, people=[ref.P(1, None)])
    world.grants = [ref.Grant(0, 1, NOW - dt.timedelta(hours=1), NOW + dt.timedelta(hours=1))]
    world.memberships = [ref.Membership(0, 1, TODAY, None)]
    for role in [Role.LICENSING_OFFICER, Role.COMMUNITY_MEMBER, Role.ANALYST,
                 Role.STRATEGIC_LEAD, Role.SYSTEM_ADMINISTRATOR]:
        u = ref.U(0, role, 1, 1, None)
        world.users = [u]
        for purpose in PURPOSES:
            facts = production_facts(world, u, world.people[0])
            assert rules.decide(viewer(u), facts, purpose, [], TODAY) is None


def test_data_protection_officer_opens_only_for_subject_access_and_audit():
    u = ref.U(0, Role.DATA_PROTECTION_OFFICER, 1, None, None)
    facts = rules.PersonFacts(locality_id=None)
    for purpose in Purpose.values:
        opened = rules.decide(viewer(u), facts, purpose, [], TODAY) is not None
        assert opened == (purpose in {Purpose.SUBJECT_ACCESS, Purpose.AUDIT})


def test_hub_practitioner_triages_only_their_locality():
    u = ref.U(0, Role.HUB_PRACTITIONER, 1, None, 1)
    here, there = rules.PersonFacts(locality_id=1), rules.PersonFacts(locality_id=2)
    assert rules.decide(viewer(u), here, Purpose.TRIAGE, [], TODAY) is not None
    assert rules.decide(viewer(u), there, Purpose.TRIAGE, [], TODAY) is None
    assert rules.decide(viewer(u), here, Purpose.DIRECT_WORK, [], TODAY) is None
