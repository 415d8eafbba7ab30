"""The demo gives the DPO a month to review (journey 7): break-glass accesses made through the
real service, with reasons, most acknowledged by the lead professional; and old closed
records that reach their review date under the retention schedule."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferoptions.access.models import BreakGlassGrant
from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import TeamAroundChildMember
from saferoptions.core import clock
from saferoptions.core.models import User
from saferoptions.people.models import Person

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 12, 15, 30, tzinfo=ZoneInfo("Europe/London"))


def run(*args: str) -> str:
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings, tmp_path):
    """`make demo` on a small city: generated, accounts and caseloads, brought to life."""
    settings.EVALUATION_DIR = tmp_path / "evaluation"
    settings.ACCOUNTS_DEMO_FILE = tmp_path / "demo_accounts.json"
    run("generate_city", "--children", "600", "--seed", "2", "--ending-today")
    run("create_demo_accounts")
    run("assign_demo_caseloads")
    return run("bring_demo_to_life")


def test_the_demo_gives_the_dpo_break_glass_to_review_and_records_due(client, demo):
    assert "The DPO's month: 3 break-glass accesses (2 acknowledged" in demo
    grants = list(BreakGlassGrant.objects.select_related("person", "user"))
    assert len(grants) == 3
    for grant in grants:
        assert NOW - dt.timedelta(days=30) < grant.granted_at < NOW and len(grant.reason) > 20
        assert not TeamAroundChildMember.objects.filter(person=grant.person,
                                                        user=grant.user).exists()
        # Made through the service: audited as break-glass by the practitioner who asked.
        assert AuditEntry.objects.filter(action="break_glass", actor=grant.user,
                                         object_ids=[str(grant.person_id)]).exists()
    acknowledged = [g for g in grants if g.lead_acknowledged_at]
    assert len(acknowledged) == 2
    for grant in acknowledged:
        assert TeamAroundChildMember.objects.filter(
            person=grant.person, user=grant.lead_acknowledged_by, role="lead_professional"
        ).exists()

    dpo = User.objects.get(username="demo-data-protection-officer")
    client.force_login(dpo)
    with clock.frozen(NOW):
        queue = client.get(reverse("access:break-glass-queue"))
        assert len(queue.context["grants"]) == 3
        assert "Custody at 02:10" in queue.content.decode()
        review = client.get(reverse("governance:review"))
    due = list(review.context["page"])
    assert len(due) >= 3
    # The police's old records of adults stopped and searched years ago, and never again.
    old = Person.objects.filter(pk__in=[d.person_id for d in due])
    assert all(p.identities.get().source_id.startswith("PNC-") for p in old)
    # Adults of 27 to 41 when stopped, known as adults: the list read 'Child (under 18)'.
    assert {p.kind for p in old} == {d.category for d in due} == {"adult_of_concern"}
    assert all(d.last_contact < NOW.date() - dt.timedelta(days=5 * 365) for d in due)
    assert all(d.review_date <= NOW.date() + dt.timedelta(days=30) for d in due)

    again = run("bring_demo_to_life")
    assert BreakGlassGrant.objects.count() == 3
    assert Person.objects.filter(identities__source_id__startswith="PNC-").count() == len(due)
    assert "0 break-glass accesses (0 acknowledged by the lead professional), 0 old" in again
