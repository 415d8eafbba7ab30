"""Two people taking the last place at once: one gets it, the other is waitlisted (PostgreSQL).

SQLite serialises writers (IMMEDIATE transactions), so the race only exists on PostgreSQL,
where the capacity row's SELECT ... FOR UPDATE decides it. Skipped on SQLite.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from saferoptions.core.models import Locality, Role
from saferoptions.interventions import services
from saferoptions.interventions.models import Programme, Referral
from tests.people.factories import PersonFactory

from .conftest import _user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL"),
]


def test_the_last_place_goes_to_one_referral_and_the_other_waits():
    east = Locality.objects.get(slug="east-central")
    worker = _user("racer", Role.HUB_PRACTITIONER, "social-care", "hub", "east-central")
    mentoring = Programme.objects.get(name="Community mentoring")
    area = mentoring.areas.get(locality=east)
    area.monthly_places = 1
    area.save()
    children = [PersonFactory(locality=east, date_of_birth=dt.date(2010, 1, 1))
                for _ in range(2)]
    for child in children:
        with transaction.atomic():
            services.record_risk_judgement(actor=worker, person=child, level="high",
                                           needs=["criminal_exploitation"])
    team_id = mentoring.providers.first().team_id
    barrier, errors = threading.Barrier(2), []

    def take(child):
        try:
            barrier.wait()
            with transaction.atomic():
                services.refer(actor=worker, person=child, programme=mentoring,
                               team_id=team_id, route_in="direct", reason="Race",
                               young_person_consent="given", parent_consent="given")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(c,)) for c in children]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Referral.objects.values_list("status", flat=True)) == ["sent", "waiting"]
