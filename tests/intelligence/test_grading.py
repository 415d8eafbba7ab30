"""Grading 3x5x2 by the Hub, versioned; loosening needs a reason the DPO sees; sanitising."""

import itertools

import pytest

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency
from saferoptions.intelligence import services
from saferoptions.intelligence.models import SanitisedEntity, Status

from .conftest import signed_in
from .helpers import graded, sanitised, submitted

pytestmark = pytest.mark.django_db


def test_each_grading_is_a_new_version_and_the_report_carries_the_latest(world):
    report = submitted(world)
    graded(world, report, code="C", shared_with=[Agency.objects.get(slug="police")])
    graded(world, report, code="C", assessment="A",
           shared_with=[Agency.objects.get(slug="police")])
    report.refresh_from_db()
    assert list(report.gradings.values_list("version", "intelligence_assessment")) == [
        (1, "B"), (2, "A")]
    assert report.grade == "2AC" and report.status == Status.BEING_LOOKED_AT


def test_loosening_needs_a_reason_and_the_dpo_sees_it(client, world):
    report = submitted(world)
    police, housing = Agency.objects.get(slug="police"), Agency.objects.get(slug="housing")
    graded(world, report, code="C", shared_with=[police])
    for wider in ({"code": "P"}, {"code": "C", "shared_with": [police, housing]}):
        with pytest.raises(services.Refused) as refused:
            graded(world, report, **wider)
        assert refused.value.field == "loosening_reason"
    graded(world, report, code="P", reason="Police asked; the source agreed to wider sharing.")
    assert report.gradings.count() == 2
    assert graded(world, report, code="C", shared_with=[police]).is_loosening is False
    signed_in(client, world.users["dpo"])
    page = client.get("/intelligence/handling-changes/").content.decode()
    assert "the source agreed to wider sharing" in page and report.reference in page
    for name in ("hub", "licensing", "social_worker"):
        signed_in(client, world.users[name])
        assert client.get("/intelligence/handling-changes/").status_code == 404


def test_conditions_and_source_risk_are_required_naming_the_field(world):
    report = submitted(world)
    cases = [({"handling_code": "C", "handling_conditions": "", "shared_with": []},
              "handling_conditions"),
             ({"handling_code": "C", "handling_conditions": "x", "shared_with": []},
              "shared_with"),
             ({"handling_code": "P", "source_risk": "  "}, "source_risk")]
    for change, field in cases:
        args = {"source_evaluation": "1", "intelligence_assessment": "A",
                "source_risk": "Low", **change}
        with pytest.raises(services.Refused) as refused:
            services.grade(actor=world.users["hub"], report=report, **args)
        assert refused.value.field == field
    assert not report.gradings.exists()


def test_only_an_analyst_grades(client, world):
    report = submitted(world)
    with pytest.raises(services.Refused):
        services.grade(actor=world.users["social_worker"], report=report,
                       source_evaluation="1", intelligence_assessment="A",
                       handling_code="P", source_risk="Low")
    signed_in(client, world.users["social_worker"])
    response = client.post(f"/intelligence/reports/{report.pk}/grade/", {
        "source_evaluation": "1", "intelligence_assessment": "A", "handling_code": "P",
        "source_risk": "Low"})
    assert response.status_code == 404 and not report.gradings.exists()


def test_grading_through_the_page(client, world):
    report = submitted(world)
    signed_in(client, world.users["hub"])
    bad = client.post(f"/intelligence/reports/{report.pk}/grade/", {
        "source_evaluation": "4", "intelligence_assessment": "A", "handling_code": "P",
        "source_risk": "Low"})
    assert bad.status_code == 400 and "Source evaluation" in bad.content.decode()
    ok = client.post(f"/intelligence/reports/{report.pk}/grade/", {
        "source_evaluation": "1", "intelligence_assessment": "A", "handling_code": "P",
        "source_risk": "Low"})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.grade == "1AP"


def test_a_tampered_agency_to_share_with_is_a_field_error(client, world):
    # One pk__in query checks the agencies, and a number past 2**63 - 1 overflowed SQLite.
    report = submitted(world)
    signed_in(client, world.users["hub"])
    response = client.post(f"/intelligence/reports/{report.pk}/grade/", {
        "source_evaluation": "1", "intelligence_assessment": "A", "handling_code": "C",
        "source_risk": "Low", "shared_with": ["99999999999999999999999"]})
    assert response.status_code == 400
    assert "Choose options from the list" in response.content.decode()
    assert not report.gradings.exists()


FIELDS = ("name", "identifier", "description")


@pytest.mark.parametrize("keep", [set(c) for n in range(4) for c in
                                  itertools.combinations(FIELDS, n)])
def test_a_sanitised_version_never_carries_a_removed_field(client, world, keep):
    report = submitted(world)
    graded(world, report)
    entities = list(report.entities.all())
    kept = {e.pk: keep for e in entities} if keep else {}
    item = sanitised(world, report, keep_place=False, keep_when=False, kept=kept)
    assert item.place is None and item.when_seen == ""
    copies = list(SanitisedEntity.objects.filter(sanitised=item))
    assert len(copies) == (len(entities) if keep else 0)
    for copy, entity in zip(copies, entities, strict=False):
        for f in FIELDS:
            assert getattr(copy, f) == (getattr(entity, f) if f in keep else "")
    signed_in(client, world.users["social_worker"])
    page = client.get(f"/intelligence/shared/{item.pk}/").content.decode()
    removed = [getattr(e, f) for e in entities for f in FIELDS if f not in keep]
    removed += [world.place.name, "Friday nights", "Licensing", report.account]
    assert not [v for v in removed if v and v in page]


@pytest.mark.parametrize("summary", [
    "A man called big mo hands out phones.",  # a removed name, whatever the case
    "Phones given out: 07700900123.",  # a removed number, written differently
    "Seen at Chicken Palace.",  # the place, not kept
    "Licensing Tester saw this.",  # who raised it
    "Reported by Licensing.",  # their agency
])
def test_a_summary_repeating_something_removed_is_refused(world, summary):
    report = submitted(world)
    graded(world, report)
    with pytest.raises(services.Refused) as refused:
        sanitised(world, report, summary=summary, keep_place=False)
    assert refused.value.field == "summary"


def test_the_original_and_the_sanitised_version_are_linked_and_audited(client, world):
    report = submitted(world)
    with pytest.raises(services.Refused):  # nothing is shared before it is graded
        sanitised(world, report)
    graded(world, report)
    item = sanitised(world, report)
    assert item.original == report and report.sanitised == item
    row = AuditEntry.objects.get(action="intelligence_sanitised")
    assert row.object_ids == [str(report.pk), str(item.pk)]
    signed_in(client, world.users["hub"])
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert "Licensing Tester" in page and f"/intelligence/shared/{item.pk}/" in page
    assert AuditEntry.objects.filter(action="intelligence_view").exists()
