"""Every route in the project declares its access rule; admin is staff-only by construction."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, path

from saferoptions.access.routes import KINDS
from tests.core.factories import UserFactory

# Models that hold personal data: never editable in the admin, which bypasses the policy.
PERSONAL_MODELS = {
    "people.person", "people.identity", "people.relationship", "events.event",
    "events.involvement", "events.eventobject", "contexts.groupmembership",
    "cases.teamaroundchildmember", "cases.meetingattendance", "access.breakglassgrant",
    "audit.auditentry", "cases.concern", "cases.assessment", "cases.assessmentdraft",
    "cases.revision", "cases.plan", "cases.planaction", "cases.planreview", "cases.casemeeting",
    "cases.nrmreferral", "cases.statutoryclock", "cases.casenotification", "tasks.task",
    "tasks.notification", "feeds.inboxmessage",
    "linkage.reviewpair", "linkage.unmatchedidentity", "linkage.identitymatch",
    "linkage.personmerge",
    "intelligence.intelligencereport", "intelligence.poleentity", "intelligence.addition",
    "intelligence.grading", "intelligence.sanitisedintelligence", "intelligence.sanitisedentity",
    "intelligence.intelligencelink",
}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p.callback


def routes():
    return list(_walk(get_resolver().url_patterns))


def _is_admin(namespace, callback) -> bool:
    # Admin views are bound to the admin site, which refuses anyone who is not active staff.
    return namespace == "admin"


def test_every_route_declares_an_access_rule():
    missing = [
        route for route, namespace, callback in routes()
        if not _is_admin(namespace, callback)
        and getattr(callback, "access_rule", None) not in KINDS
    ]
    assert missing == [], f"routes without an access rule (see access/routes.py): {missing}"


def test_the_inventory_sees_every_app_and_the_api():
    found = {route for route, _, _ in routes()}
    assert any(r.startswith("people/") for r in found)
    assert any(r.startswith("api/people/") for r in found)
    assert any(r.startswith("admin/") for r in found)


def test_admin_holds_no_personal_data_model():
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert registered & PERSONAL_MODELS == set()


@pytest.mark.django_db
def test_admin_refuses_a_signed_in_user_who_is_not_staff(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_walker_flags_a_route_without_a_rule():
    def undeclared(request):
        return None

    found = list(_walk([path("x/", undeclared)]))
    assert found == [("x/", "", undeclared)]
    assert getattr(found[0][2], "access_rule", None) not in KINDS
