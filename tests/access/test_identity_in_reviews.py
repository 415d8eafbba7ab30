"""The break-glass review and a child's access log name the child only where the policy grants
identity: the scene's Barnardo's lead professional leads Ashanti's team, but no agency shares
identity with Barnardo's, so she reads neither Ashanti's name nor date of birth there (as on
the child's page). The data protection officer, who may see every category, still does."""

import datetime as dt

import pytest
from django.urls import reverse

from saferoptions.access import services
from saferoptions.core.models import Role

pytestmark = pytest.mark.django_db
REASON = "Child brought to ED at 2am with a stab wound; need known risks now"


def _pages(client, user, scene):
    client.force_login(user)
    yield client.get(reverse("access:break-glass-queue")).content.decode()
    yield client.get(reverse("access:access-log", args=[scene.mine.public_id])).content.decode()


def test_the_lead_professional_without_identity_reads_no_name(client, scene):
    scene.mine.date_of_birth = dt.date(2011, 3, 4)
    scene.mine.save()
    services.request_break_glass(actor=scene.users[Role.POLICE_OFFICER],
                                 person_reference=str(scene.mine.public_id), reason=REASON)
    for page in _pages(client, scene.users[Role.LEAD_WORKER], scene):
        assert REASON in page or "Who has looked" in page or "police_officer" in page
        assert "Ashanti" not in page and "Mbeki" not in page and "4 Mar" not in page
    for page in _pages(client, scene.users[Role.DATA_PROTECTION_OFFICER], scene):
        assert "Ashanti Mbeki" in page
