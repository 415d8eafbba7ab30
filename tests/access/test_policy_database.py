"""`restrict` on querysets, and the per-record decision, agree with the reference on DB worlds."""

import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferoptions.access import policy
from saferoptions.access.models import BreakGlassGrant, InformationSharingAgreement
from saferoptions.cases.models import MeetingAttendance, TeamAroundChildMember
from saferoptions.core import clock
from saferoptions.core.models import User
from saferoptions.events.models import Event, Involvement
from saferoptions.people.models import Identity, Person
from tests.core.factories import AgencyFactory, LocalityFactory, TeamFactory

from . import reference as ref
from .test_policy_differential import AGENCIES, NOW, PURPOSES, TODAY, build_world

pytestmark = pytest.mark.django_db(transaction=False)
_serial = itertools.count()


class Saved:
    """The database rows standing for one in-memory world, keyed by the world's small ids."""

    def __init__(self, world: ref.World):
        n = next(_serial)
        self.agencies = {a: AgencyFactory() for a in AGENCIES}
        self.localities = {i: LocalityFactory() for i in (1, 2)}
        self.teams = {i: TeamFactory(agency=self.agencies[1]) for i in (1, 2)}
        self.users = {u.id: User.objects.create(
            username=f"w{n}u{u.id}", role=u.role, agency=self.agencies[u.agency],
            team=self.teams.get(u.team), locality=self.localities.get(u.locality),
            is_active=u.active) for u in world.users}
        self.people = {p.id: Person.objects.create(locality=self.localities.get(p.locality))
                       for p in world.people}
        self._relations(world)
        self.identities = {}
        self.events = {}
        for p, a in itertools.product(world.people, AGENCIES):
            self._records(p, a, n)

    def _relations(self, world):
        for m in world.memberships:
            TeamAroundChildMember.objects.create(
                person=self.people[m.person], user=self.users[m.user], started_on=m.started,
                ended_on=m.ended)
        for m in world.meetings:
            MeetingAttendance.objects.create(person=self.people[m.person],
                                             user=self.users[m.user], meeting_on=m.day)
        for g in world.grants:
            BreakGlassGrant.objects.create(person=self.people[g.person], user=self.users[g.user],
                                           reason="x" * 20, granted_at=g.granted,
                                           expires_at=g.expires)
        for a in world.agreements:
            InformationSharingAgreement.objects.create(
                name="isa", provider=self.agencies[a.provider],
                recipient=self.agencies[a.recipient],
                categories=sorted(a.categories), purposes=sorted(a.purposes),
                lawful_basis="safeguarding", starts_on=a.starts, ends_on=a.ends,
                state="approved")

    def _records(self, p, a, n):
        person, agency = self.people[p.id], self.agencies[a]
        ident = Identity.objects.create(person=person, agency=agency, source_id=f"{n}-{p.id}")
        self.identities[ident.pk] = (p.id, a)
        for kind, category, data_category in [
            ("police_incident", "violence", "police_incidents"),
            ("ed_assault", "sexual_exploitation", "sexual_exploitation"),
            ("school_incident", "exclusion", "education"),
        ]:
            event = Event.objects.create(
                event_type=kind, category=category, occurred_at=NOW, reported_at=NOW,
                reporting_agency=agency, source_reference=f"{n}-{p.id}-{kind}")
            Involvement.objects.create(event=event, person=person, role="subject")
            self.events[event.pk] = (p.id, a, data_category)


def _check(world: ref.World, saved: Saved, purpose):
    by_pk = {v.pk: k for k, v in saved.people.items()}
    for u in world.users:
        user = saved.users[u.id]
        shown = {by_pk[pk] for pk in policy.restrict(user, "list", Person.objects.all(),
                                                     purpose=purpose).values_list("pk", flat=True)}
        assert shown == {p.id for p in world.people
                         if ref.purposes_admitting(world, u, p, purpose)}, (u, purpose)
        cats = {(p.id, a): ref.categories_from(world, u, p, purpose, a)
                for p in world.people for a in AGENCIES}
        idents = set(policy.restrict(user, "view", Identity.objects.all(), purpose=purpose)
                     .values_list("pk", flat=True))
        assert idents == {pk for pk, key in saved.identities.items() if "identity" in cats[key]}
        events = set(policy.restrict(user, "view", Event.objects.all(), purpose=purpose)
                     .values_list("pk", flat=True))
        assert events == {pk for pk, (p, a, c) in saved.events.items() if c in cats[(p, a)]}
        for p in world.people:
            decided = policy.decision_for(user, saved.people[p.id], purpose=purpose)
            assert (decided is not None) == (p.id in shown)
            if decided is not None:  # the child page's shortcut gives the same rows
                mine = {pk for pk, key in saved.identities.items() if key[0] == p.id}
                assert _pks(policy.record_rows(decided, Identity.objects.all())) == idents & mine
                mine = {pk for pk, key in saved.events.items() if key[0] == p.id}
                rows = policy.record_rows(decided, Event.objects.all())
                assert _pks(rows) == events & mine


def _pks(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(min_size=16, max_size=96).map(build_world), st.sampled_from(PURPOSES))
def test_restrict_on_querysets_matches_reference(db, world, purpose):
    with transaction.atomic(), clock.frozen(NOW):
        saved = Saved(world)
        assert clock.today() == TODAY
        _check(world, saved, purpose)
        transaction.set_rollback(True)
