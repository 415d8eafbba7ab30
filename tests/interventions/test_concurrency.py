"""Many people taking the last place at once: one gets it, the others wait in order (PostgreSQL).

SQLite serialises writers (IMMEDIATE transactions), so the race only exists on PostgreSQL,
where the capacity row's SELECT ... FOR UPDATE decides it. Skipped on SQLite; run in CI's
PostgreSQL pass (`DATABASE_URL=postgres://... pytest tests/interventions/test_concurrency.py`).
"""

import contextvars
import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from saferoptions.core.models import Locality, Role
from saferoptions.interventions import selectors, services
from saferoptions.interventions.facts import this_month
from saferoptions.interventions.models import CapacityMonth, Programme, Referral
from tests.people.factories import PersonFactory

from .conftest import _user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers, so there is no race to test: "
                              "the capacity row lock is tested on PostgreSQL only"),
]

PRACTITIONERS = 6


def _children_and_workers(east, n):
    """N practitioners, each with a different high-risk child in East Central."""
    pairs = []
    for i in range(n):
        worker = _user(f"racer{i}", Role.HUB_PRACTITIONER, "social-care", "hub", "east-central")
        child = PersonFactory(locality=east, date_of_birth=dt.date(2010, 1, 1))
        with transaction.atomic():
            services.record_risk_judgement(actor=worker, person=child, level="high",
                                           needs=["criminal_exploitation"])
        pairs.append((worker, child))
    return pairs


def _race(pairs, programme, team_id):
    """Every practitioner refers at the same moment, each on their own connection.

    `committed` records the order in which the referrals took the capacity row's lock: it is
    appended while the lock is held (the row stays locked until the transaction commits), so
    it is the order in which the referrals committed.
    """
    barrier, guard = threading.Barrier(len(pairs)), threading.Lock()
    committed, told, errors = [], {}, []

    def take(worker, child):
        try:
            barrier.wait()
            with transaction.atomic():
                referral = services.refer(
                    actor=worker, person=child, programme=programme, team_id=team_id,
                    route_in="direct", reason="Race for the last place",
                    young_person_consent="given", parent_consent="given")
                with guard:
                    committed.append(referral.pk)
            told[referral.pk] = (referral.status, selectors.position(referral))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    # Each thread runs in a copy of this context, so it sees the test's frozen clock.
    threads = [threading.Thread(target=contextvars.copy_context().run, args=(take, *pair))
               for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return committed, told, errors


@pytest.mark.parametrize("row_exists", [True, False], ids=["month-row-exists", "first-of-month"])
def test_the_last_place_goes_to_one_and_the_others_wait_in_commit_order(row_exists):
    east = Locality.objects.get(slug="east-central")
    mentoring = Programme.objects.get(name="Community mentoring")
    area = mentoring.areas.get(locality=east)
    area.monthly_places = 1
    area.save()
    if row_exists:  # else the racers also race to create this month's row
        CapacityMonth.objects.create(area=area, month=this_month(), places=1)
    pairs = _children_and_workers(east, PRACTITIONERS)
    team_id = mentoring.providers.first().team_id

    committed, told, errors = _race(pairs, mentoring, team_id)
    connections.close_all()

    assert errors == []
    assert len(committed) == PRACTITIONERS
    first, *rest = committed
    # Exactly one got the place: the first to commit, and it was told so.
    assert told[first] == ("sent", None)
    # The others joined the waiting list in the order they committed, each told its number.
    assert [told[pk] for pk in rest] == [("waiting", n) for n in range(1, PRACTITIONERS)]
    waiting = list(Referral.objects.filter(area=area, status="waiting")
                   .order_by("referred_at", "pk").values_list("pk", flat=True))
    assert waiting == rest
    assert CapacityMonth.objects.get(area=area).taken == 1
