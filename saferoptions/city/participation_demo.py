"""The participation strands' past weeks in the demo (issue 14): activities to read.

A city generated to end today has no participation activity: nobody has recorded one. So, as
a last step of bringing the demo to life, the demo's Hub practitioner (the demo account with
the duty `schedule_outreach` that works across the city) records, for each locality and each
of the four participation strands, a few activities of the last eight weeks, through the
service itself (`interventions.services.record_activity`, so each is checked and audited like
a real one), each with the clock at the end of the day it was held. A peer influencers'
session or a piece of research links one or two of the locality's children, only among those
the Hub's access policy lets it see at that moment; nobody else is ever linked.

Nothing is hand-made; run again, it does nothing once activities exist. Without the demo
accounts (`create_demo_accounts`) there is nobody to record them, and nothing is recorded.
"""

import dataclasses
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from saferoptions.access import policy
from saferoptions.accounts.demo import is_demo_account, username_for
from saferoptions.core import clock
from saferoptions.core.models import Locality, Role
from saferoptions.interventions import services as interventions
from saferoptions.interventions.models import ParticipationActivity, Programme
from saferoptions.interventions.services.participation import RUNS_PARTICIPATION
from saferoptions.people.models import Person, PersonKind

WEEKS = 8
PER_STRAND = (1, 2)  # activities of each strand in each locality, at least and at most
# strand: (what happened, the young people's own words, young people, parents and carers,
# how many children to link at most). Words only: no names, as the form asks.
STRANDS = {
    "Peer influencers": (
        ("Peer influencers met to plan an assembly on knife carrying for Year 9, and practised "
         "answering the questions younger pupils ask.",
         "They listen to us more than to teachers, because we have been there.", (5, 9), (0, 0),
         2),
        ("Peer influencers ran a session at the youth club on how older people use social "
         "media to draw children in; two staff observed.",
         "Nobody tells you the free stuff is a debt until it is too late.", (4, 8), (0, 1), 2)),
    "\"It takes a village\" meetings": (
        ("Residents, parents and carers met at the community centre: worries about the "
         "underpass after dark and young people being sent on errands by older males.",
         "", (0, 2), (8, 15), 0),
        ("Parents and carers shared what they see on the estate at night; the partnership "
         "agreed to ask for lighting and an outreach session by the shops.",
         "", (0, 1), (6, 12), 0)),
    "Practice reviews with young people and families": (
        ("Young people and two families who had help told practitioners what worked and what "
         "did not: too many new workers, and meetings held in school time.",
         "I had to tell my story five times to five different people.", (2, 4), (1, 3), 0),),
    "Research with young people": (
        ("Young co-researchers tested the questions for the survey on feeling safe travelling "
         "to school, and changed the ones that sounded like the police.",
         "Ask where we feel safe, not just where we feel scared.", (3, 6), (0, 0), 1),
        ("Young researchers ran a mapping session: where they go after school, and the places "
         "they avoid.", "The park is fine in the day; it is the walk home that is the problem.",
         (4, 7), (0, 0), 1)),
}


@dataclasses.dataclass
class Participation:
    """What the participation strands' past weeks added to the demo."""

    activities: int = 0
    children_linked: int = 0

    def describe(self) -> str:
        return (f"Participation: {self.activities} activities of the last {WEEKS} weeks "
                f"({self.children_linked} children linked).")


def participation_history(*, seed: int = 0) -> Participation:
    """Record the strands' past activities once, as the demo's Hub practitioner."""
    done = Participation()
    recorder = get_user_model().objects.filter(
        username=username_for(Role.HUB_PRACTITIONER), is_active=True).first()
    if (recorder is None or not is_demo_account(recorder.username)
            or not policy.has_duty(recorder, RUNS_PARTICIPATION)
            or ParticipationActivity.objects.exists()):
        return done
    rng = random.Random(f"{seed}:participation")
    strands = {p.name: p for p in Programme.objects.filter(
        level="participation", is_active=True, name__in=STRANDS)}
    today = clock.today()
    for locality in Locality.objects.order_by("pk"):
        for name, choices in STRANDS.items():
            if name not in strands:
                continue
            for _ in range(rng.randint(*PER_STRAND)):
                held_on = today - dt.timedelta(days=rng.randint(1, WEEKS * 7))
                _record(rng, recorder, strands[name], locality, held_on, rng.choice(choices),
                        done)
    return done


def _record(rng, recorder, programme, locality, held_on, choice, done) -> None:
    what_happened, own_words, young, parents, at_most = choice
    young_people, parents_carers = rng.randint(*young), rng.randint(*parents)
    if young_people + parents_carers == 0:
        young_people = 1
    # The end of the day it was held (never after now): when it was written up.
    at = min(dt.datetime.combine(held_on, dt.time(18, 30), tzinfo=clock.local(
        clock.now()).tzinfo), clock.now() - dt.timedelta(minutes=5))
    with clock.frozen(at), transaction.atomic():
        linked = _children(rng, recorder, locality, min(at_most, young_people))
        interventions.record_activity(
            actor=recorder, programme=programme, held_on=held_on, locality=locality,
            what_happened=what_happened, young_people=young_people,
            parents_carers=parents_carers, own_words=own_words,
            children="\n".join(str(p.public_id) for p in linked))
    done.activities += 1
    done.children_linked += len(linked)


def _children(rng, recorder, locality, at_most: int) -> list[Person]:
    """Up to `at_most` of the locality's children the recorder may see now."""
    if at_most <= 0:
        return []
    seen = list(policy.restrict(recorder, "view", Person.objects.filter(
        kind=PersonKind.CHILD, locality=locality, merged_into__isnull=True)).order_by("pk")[:50])
    return rng.sample(seen, min(rng.randint(0, at_most), len(seen)))
