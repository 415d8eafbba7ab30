"""The case formulation: written by the psychologist in the team, versioned, audited, read
only for direct work and as the agreements allow; forbidden looks like absent."""

import datetime as dt
import re
import uuid

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.cases.selectors.child import open_child
from saferoptions.core.models import Agency, Role
from saferoptions.interventions import services
from saferoptions.interventions.models import CaseFormulation
from tests.access.factories import AgreementFactory
from tests.cases.factories import TeamMemberFactory
from tests.people.factories import PersonFactory

from .conftest import _user

TEXT = {"predisposing": "Early loss of a parent", "precipitating": "School move in Year 8",
        "perpetuating": "Older peers offering status", "protective": "Her grandmother and boxing",
        "hypotheses": "Belonging is sought through the group",
        "recommendations": "Mentoring with a female mentor; boxing club place"}


@pytest.fixture
def psych(world):
    user = _user("psych", Role.CLINICAL_PSYCHOLOGIST, "health")
    TeamMemberFactory(person=world.child, user=user, started_on=dt.date(2026, 2, 1))
    # The direct-work agreement that shares case records with the child's social worker.
    AgreementFactory(provider=Agency.objects.get(slug="health"),
                     recipient=Agency.objects.get(slug="social-care"),
                     categories=["case_records"], purposes=["direct_work"])
    return user


def url(w, name="formulation", ref=None):
    return reverse(f"interventions:{name}", args=[ref or w.child.public_id])


def write(client, user, w, **extra):
    client.force_login(user)
    data = TEXT | {"based_on": 0} | extra
    return client.post(url(w, "formulation-write"), data)


def test_psychologist_writes_it_and_the_team_reads_it_beside_find_support(client, world, psych):
    sw = world.users["social_worker"]
    reply = write(client, psych, world, contributors=[str(sw.pk)],
                  other_contributors="Amara and her grandmother")
    assert reply.status_code == 302
    row = CaseFormulation.objects.get()
    assert row.version == 1 and set(row.contributors.all()) == {psych, sw}
    assert AuditEntry.objects.filter(action="write", object_type="case_formulation").exists()
    client.force_login(sw)
    support = client.get(reverse("interventions:find-support", args=[world.child.public_id]))
    assert "Mentoring with a female mentor" in support.content.decode()
    page = client.get(url(world)).content.decode()
    assert "Older peers offering status" in page and "Amara and her grandmother" in page
    assert AuditEntry.objects.filter(action="view", object_type="case_formulation",
                                     actor=sw).exists()
    child_page = client.get(reverse("cases:child", args=[world.child.public_id]))
    assert url(world).encode() in child_page.content


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(client, world, psych):
    write(client, psych, world)
    refused = write(client, psych, world, based_on=1, recommendations="Mentoring only")
    assert refused.status_code == 400 and "What this version corrects" in refused.content.decode()
    stale = write(client, psych, world, based_on=0, correction_reason="The school was wrong")
    assert stale.status_code == 400 and "newer version" in stale.content.decode()
    done = write(client, psych, world, based_on=1, precipitating="School move in Year 9",
                 correction_reason="The school move was in Year 9, not Year 8")
    assert done.status_code == 302
    assert list(CaseFormulation.objects.order_by("version")
                .values_list("version", "precipitating")) == [
        (1, "School move in Year 8"), (2, "School move in Year 9")]
    client.force_login(psych)
    page = client.get(url(world)).content.decode()
    current, earlier = page.split("Earlier versions")
    assert "Year 9" in current and "Year 8" in earlier


def test_an_empty_factor_or_a_contributor_outside_the_team_is_refused(client, world, psych):
    empty = write(client, psych, world, protective="  ")
    assert empty.status_code == 400 and "Enter protective factors" in empty.content.decode()
    outsider = world.users["outsider"]
    other = write(client, psych, world, contributors=[str(outsider.pk)])
    assert other.status_code == 400
    assert not CaseFormulation.objects.exists()


def test_only_the_psychologist_in_the_team_writes(client, world, psych):
    sw = world.users["social_worker"]
    assert write(client, sw, world).status_code == 404  # not the psychologist
    elsewhere = _user("psych2", Role.CLINICAL_PSYCHOLOGIST, "health")
    assert write(client, elsewhere, world).status_code == 404  # not working with the child
    with transaction.atomic():
        child = open_child(sw, world.child.public_id, what="case")
        with pytest.raises(services.Refused):
            services.write_formulation(actor=sw, child=child, values=TEXT, contributor_ids=[])
    assert not CaseFormulation.objects.exists()


def _strip(body: bytes) -> bytes:
    return re.sub(rb"[0-9a-f]{8}-[0-9a-f-]{27}|[A-Za-z0-9]{64}", b"", body)


def test_forbidden_looks_like_absent(client, world, psych):
    write(Client(), psych, world)  # its own client: the "saved" message stays there
    outsider = world.users["outsider"]
    client.force_login(outsider)
    forbidden = client.get(url(world))
    absent = client.get(url(world, ref=uuid.uuid4()))
    assert forbidden.status_code == absent.status_code == 404
    assert _strip(forbidden.content) == _strip(absent.content)
    # The Hub opens the child for triage only: it reads as a child with no formulation.
    other = PersonFactory(given_name="Amara", family_name="Okafor", sex="F",
                          date_of_birth=dt.date(2011, 9, 14), locality=world.east)
    client.force_login(world.users["hub"])
    with_one = client.get(url(world))
    without = client.get(url(world, ref=other.public_id))
    assert with_one.status_code == without.status_code == 200
    assert b"Older peers" not in with_one.content
    assert _strip(with_one.content) == _strip(without.content)


def test_another_agency_without_an_agreement_does_not_see_it(client, world, psych):
    write(client, psych, world)
    police = _user("pc", Role.POLICE_OFFICER, "police")
    TeamMemberFactory(person=world.child, user=police, started_on=dt.date(2026, 2, 1))
    client.force_login(police)
    page = client.get(url(world))
    assert page.status_code == 200 and b"Older peers" not in page.content
