"""The demo's workforce register and outreach sessions (journey 6): who is trained in what.

A city generated to end today has an empty workforce register: nobody has typed one in, so
the catalogue manager opened an empty page and no outreach session could be staffed. As a last
step of bringing the demo to life, the demo's catalogue manager (the demo account with the duty
`manage_workforce`) adds, for each locality and the city as a whole, a few youth workers and
outreach staff with their trainings (some about to expire, some expired, so the register shows
what it is for), then schedules the coming weeks' outreach sessions at the locality's places,
staffs them from the register, and writes up those already held. All through the services the
pages use, so each is checked and audited like a real one; generated from the seed, nothing is
hand-made. Run again, it does nothing once the register has anyone on it.
"""

import dataclasses
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from saferoptions.access import policy
from saferoptions.accounts.demo import is_demo_account, username_for
from saferoptions.contexts.models import Place, PlaceStatus
from saferoptions.core import clock
from saferoptions.core.models import Agency, Locality, Role
from saferoptions.interventions import services as interventions
from saferoptions.interventions.models import Programme, RegisteredPractitioner
from saferoptions.interventions.vocabulary import Training, WorksWith

from .names import ADULT_NAMES_FEMALE, ADULT_NAMES_MALE, SURNAMES

PER_LOCALITY = (5, 8)  # practitioners working in each locality, at least and at most
CITY_WIDE = (3, 5)  # and across the city
AGENCIES = ("youth-services", "barnardos", "voluntary", "early-help", "community-safety")
# How long each training lasts (None: it never expires).
LASTS = {
    Training.DETACHED_YOUTH_WORK: 2 * 365,
    Training.LATE_NIGHT_OUTREACH: 365,
    Training.CONFLICT_RESOLUTION: 3 * 365,
    Training.CONTEXTUAL_SAFEGUARDING: None,
}
SESSIONS = (3, 5)  # outreach sessions in each locality, from three weeks ago to two ahead
SEEN = (
    "Groups of four to six young people by the shops until about 22:00; two younger boys "
    "said older lads ask them to carry bags. Gave out youth club times.",
    "Quiet until 21:00, then a group of around ten arrived from the bus station. No adults "
    "with them; one girl asked about the drop-in. Staff from the takeaway were friendly.",
    "Met young people we know from the club; they said the underpass is where they feel "
    "least safe after dark. Lighting still broken at the far end.",
    "Few young people out in the rain. Two asked about boxing sessions; passed on details.",
)


@dataclasses.dataclass
class Workforce:
    """What the demo's workforce register and outreach added."""

    practitioners: int = 0
    trainings: int = 0
    sessions: int = 0
    held: int = 0

    def describe(self) -> str:
        return (f"Workforce: {self.practitioners} practitioners on the register "
                f"({self.trainings} trainings), {self.sessions} outreach sessions "
                f"({self.held} held).")


def workforce_register(*, seed: int = 0) -> Workforce:
    """Fill the register and the outreach sessions once, as the demo's catalogue manager."""
    done = Workforce()
    keeper = get_user_model().objects.filter(
        username=username_for(Role.CATALOGUE_MANAGER), is_active=True).first()
    if (keeper is None or not is_demo_account(keeper.username)
            or not policy.has_duty(keeper, "manage_workforce")
            or RegisteredPractitioner.objects.exists()):
        return done
    rng = random.Random(f"{seed}:workforce")
    agencies = list(Agency.objects.filter(slug__in=AGENCIES).order_by("slug"))
    if not agencies:
        return done
    with transaction.atomic():
        for locality in [*Locality.objects.order_by("pk"), None]:
            for _ in range(rng.randint(*(PER_LOCALITY if locality else CITY_WIDE))):
                _add_practitioner(rng, keeper, rng.choice(agencies), locality, done)
        if policy.has_duty(keeper, "schedule_outreach"):
            for locality in Locality.objects.order_by("pk"):
                _outreach(rng, keeper, locality, done)
    return done


def _add_practitioner(rng, keeper, agency, locality, done) -> None:
    forenames = rng.choice((ADULT_NAMES_FEMALE, ADULT_NAMES_MALE))
    name = f"{rng.choice(forenames)} {rng.choice(SURNAMES)}"
    person = interventions.save_practitioner(actor=keeper, name=name, agency=agency,
                                             locality=locality)
    done.practitioners += 1
    today = clock.today()
    for training in rng.sample(list(LASTS), rng.randint(1, 3)):
        lasts = LASTS[training]
        # Trained up to a little past its life ago: most current, a few expired or expiring.
        trained_on = today - dt.timedelta(days=rng.randint(30, (lasts or 3 * 365) + 60))
        expires_on = trained_on + dt.timedelta(days=lasts) if lasts else None
        interventions.record_training(actor=keeper, practitioner=person, training=training,
                                      trained_on=trained_on, expires_on=expires_on)
        done.trainings += 1


def _outreach(rng, keeper, locality, done) -> None:
    programmes = list(Programme.objects.filter(works_with=WorksWith.PLACE, is_active=True)
                      .exclude(trained_in="").order_by("pk"))
    places = list(Place.objects.filter(ward__locality=locality, status=PlaceStatus.CONFIRMED)
                  .order_by("pk")[:200])
    if not programmes or not places:
        return
    now = clock.now()
    for _ in range(rng.randint(*SESSIONS)):
        programme = rng.choice(programmes)
        day = clock.local(now).date() + dt.timedelta(days=rng.randint(-21, 14))
        starts = dt.datetime.combine(day, dt.time(rng.choice((18, 19, 20))),
                                     tzinfo=clock.local(now).tzinfo)
        session = interventions.schedule_session(
            actor=keeper, programme=programme, place=rng.choice(places), starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3))
        done.sessions += 1
        trained = [p for p in RegisteredPractitioner.objects.filter(
            Q(locality=locality) | Q(locality__isnull=True)).order_by("pk")
            if not interventions.why_not_trained(p, programme.trained_in, day)]
        for person in rng.sample(trained, min(2, len(trained))):
            interventions.staff_session(actor=keeper, session=session, practitioner=person)
        if session.ends_at < now:
            interventions.record_seen(actor=keeper, session=session, seen=rng.choice(SEEN),
                                      young_people_met=rng.randint(3, 25))
            done.held += 1
