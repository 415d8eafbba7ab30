"""The programme report's matched comparison, read the narrow way, equals the first way.

The first implementation (kept here as it was) loaded every never-referred child of the referred
children's localities and all their events, then matched in Python. The report now narrows the
pool in the database; on a generated world the pairs and every figure must be the same.
"""

import datetime as dt
import random
import uuid

import pytest

from saferoptions.analytics import outcomes
from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Team
from saferoptions.events.models import Event, Involvement
from saferoptions.interventions import outcome_selectors
from saferoptions.interventions.models import Programme, ProgrammeArea, Referral
from saferoptions.people.models import Person
from tests.core.factories import UserFactory

TODAY = dt.date(2026, 3, 2)
KINDS = [("missing_episode", "missing"), ("school_incident", "exclusion"),
         ("school_incident", "attendance"), ("police_incident", "violence"),
         ("stop_search", "weapons"), ("ed_assault", "assault"), ("concern", "other")]


# --- the first implementation, as it was -----------------------------------------------------

def _old_pool(done):
    if not done:
        return []
    localities = {r.locality_id for r in done}
    earliest = min(r.started_on for r in done) - dt.timedelta(days=366 * 26)
    rows = Person.objects.filter(kind="child", merged_into__isnull=True,
                                 locality_id__in=localities, date_of_birth__gte=earliest) \
        .exclude(intervention_referrals__isnull=False) \
        .values_list("pk", "locality_id", "date_of_birth")
    return [outcomes.Candidate(*row) for row in rows]


def _old_index_for(person_ids, done):
    first = min(outcomes.before_window(r.started_on)[0] for r in done)
    last = max(outcomes.after_window(r.ended_on)[1] for r in done)
    involvements = Involvement.objects.filter(
        person_id__in=person_ids, event__occurred_at__date__gte=first - dt.timedelta(days=1),
        event__occurred_at__date__lte=last + dt.timedelta(days=1))
    return outcomes.EventIndex(outcome_selectors._occurrences(involvements))


def _old_figures(programme, measures):
    rows = Referral.objects.filter(programme=programme)
    done = outcome_selectors._complete(rows, clock.today())
    pool = _old_pool(done)
    index = _old_index_for({r.person_id for r in done} | {c.person_id for c in pool}, done)
    referred = outcomes.totals([(r.person_id, r.started_on, r.ended_on) for r in done],
                               index, measures)
    pairs = outcomes.match(done, pool, index, measures)
    by_id = {r.referral_id: r for r in done}
    matched = outcomes.totals([(person, by_id[rid].started_on, by_id[rid].ended_on)
                               for rid, person in pairs.items() if person is not None],
                              index, measures)
    return pairs, referred, matched


# --- a small generated world -----------------------------------------------------------------

def _world(rng, children=400):
    localities = list(Locality.objects.all()[:3])
    police = Agency.objects.get(slug="police")
    people = Person.objects.bulk_create([
        Person(public_id=uuid.UUID(int=rng.getrandbits(128)), given_name=f"G{n}",
               family_name=f"F{n}",
               date_of_birth=None if rng.random() < 0.05
               else dt.date(1998, 1, 1) + dt.timedelta(days=rng.randrange(365 * 26)),
               locality=rng.choice([*localities, None]) if rng.random() < 0.1
               else rng.choice(localities),
               kind="child" if rng.random() < 0.95 else "adult")
        for n in range(children)])
    people = list(Person.objects.order_by("pk"))
    merged = rng.sample(people[1:], 10)
    for p in merged:
        p.merged_into = people[0]
        p.save(update_fields=["merged_into"])
    start = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    events, links = [], []
    for p in people:
        # Most children have a few events; some many; times near midnight test local days.
        for _k in range(rng.choice([0, 0, 1, 2, 3, 5, 12])):
            kind, category = rng.choice(KINDS)
            at = start + dt.timedelta(days=rng.randrange(640),
                                      minutes=rng.choice([30, 690, 1410, 1439]))
            events.append(Event(event_type=kind, category=category, reporting_agency=police,
                                occurred_at=at, reported_at=at,
                                source_reference=f"EQ-{len(events)}"))
            links.append(p)
    made = Event.objects.bulk_create(events)
    made = list(Event.objects.filter(source_reference__startswith="EQ-").order_by("pk"))
    by_ref = {e.source_reference: e for e in made}
    Involvement.objects.bulk_create([
        Involvement(event=by_ref[f"EQ-{n}"], person=p, role="subject")
        for n, p in enumerate(links)])
    return people


def _referrals(rng, people, programme, others, share=0.25):
    worker = UserFactory(username="eq-worker")
    team = Team.objects.first()
    area = ProgrammeArea.objects.filter(programme=programme).first() or \
        ProgrammeArea.objects.create(programme=programme, locality=None, monthly_places=10)
    rows = []
    for n, person in enumerate(rng.sample(people, int(len(people) * share))):
        target = programme if rng.random() < 0.7 else rng.choice(others)
        target_area = ProgrammeArea.objects.filter(programme=target).first() or area
        day = dt.date(2024, 9, 1) + dt.timedelta(days=rng.randrange(400))
        started = day + dt.timedelta(days=rng.randint(0, 30)) if rng.random() < 0.85 else None
        ended = started + dt.timedelta(days=rng.randint(1, 150)) \
            if started and rng.random() < 0.9 else None
        rows.append(Referral(
            person=person, programme=target, team=team, area=target_area,
            status="ended" if ended else ("started" if started else "waiting"),
            referred_by=worker, referred_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
            reason=f"eq {n}", young_person_consent="given", started_on=started,
            ended_on=ended, end_reason="completed" if ended else ""))
    Referral.objects.bulk_create(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("measures", [["missing", "exclusions", "police", "ed"], ["police"],
                                      ["missing", "exclusions"]])
def test_the_report_shows_the_same_figures_as_the_first_implementation(db, seed, measures,
                                                                     monkeypatch):
    rng = random.Random(seed)
    # Small reads, so the lazy reading and the counted narrowing both run on a small world.
    monkeypatch.setattr(outcome_selectors, "CHUNK", 3 + seed)
    # Rare counts go to the database's count; common ones read on by id: both ways, and never.
    monkeypatch.setattr(outcome_selectors, "RARE_COUNT", {1: 1, 2: 3, 3: 10_000}[seed])
    with clock.frozen(dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.UTC)):
        people = _world(rng)
        programme = Programme.objects.get(name="Community mentoring")
        programme.outcome_measures = measures
        programme.save(update_fields=["outcome_measures"])
        others = list(Programme.objects.exclude(pk=programme.pk)[:3])
        _referrals(rng, people, programme, others)
        pairs, referred, matched = _old_figures(programme, measures)
        assert referred.children > 20 and sum(p is not None for p in pairs.values()) > 10

        done = outcome_selectors._complete(Referral.objects.filter(programme=programme),
                                           clock.today())
        assert outcome_selectors.matched_pairs(done, measures) == pairs
        report = outcome_selectors.programme_report(programme)
        assert report.referred == referred
        assert report.matched == matched
