"""Correcting a Hub decision and withdrawing a concern: audited, kept on file, no dead ends."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.cases import services
from saferoptions.cases.models import CaseNotification, Concern, Revision, StatutoryClock
from saferoptions.cases.selectors.accumulation import tally_for
from saferoptions.core import clock
from tests.contexts.factories import GroupFactory

from .conftest import same_page

pytestmark = pytest.mark.django_db


def _raise(w, **kwargs):
    kwargs.setdefault("person", w.child)
    kwargs.setdefault("source", "practitioner")
    kwargs.setdefault("reason", "Seen getting into cars with older men")
    kwargs.setdefault("raised_by", w.users["lead"])
    return services.raise_concern(**kwargs)


def _decided(w, outcome="early_help"):
    concern = _raise(w)
    return services.decide_concern(actor=w.users["hub"], concern=concern, outcome=outcome,
                                   reasons="Family asked for support")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_hub_corrects_a_decision_kept_audited_shown_and_told(
        client, world, django_capture_on_commit_callbacks):
    concern = _decided(world)
    mail.outbox.clear()
    client.force_login(world.users["hub"])
    page = client.get(reverse("cases:concern", args=[concern.pk]))
    url = reverse("cases:concern-correct", args=[concern.pk])
    assert url in page.content.decode() and "Correct this decision" in _text(page)
    form = client.get(url)
    assert form.status_code == 200
    assert "What a correction does not undo" in _text(form)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"outcome": "social_care_referral",
                                 "reasons": "Older men: needs social care",
                                 "reason": "Police intelligence arrived after the decision"})
    assert done.status_code == 302
    concern.refresh_from_db()
    assert concern.outcome == "social_care_referral"
    assert concern.decided_by == world.users["hub"]  # the first decision's time stays
    revision = Revision.objects.get(object_type="concern", object_id=concern.pk)
    assert revision.changed["outcome"] == ["early_help", "social_care_referral"]
    assert revision.reason == "Police intelligence arrived after the decision"
    assert revision.saved_by == world.users["hub"]
    entry = AuditEntry.objects.filter(object_type="concern", action="correct").get()
    assert entry.object_ids == [str(concern.pk)] and "Police" not in str(entry.detail)
    note = CaseNotification.objects.filter(user=world.users["lead"]).order_by("-pk").first()
    assert "corrected" in note.message and "Referral to children's social care" in note.message
    assert "Amara" not in note.message
    assert len(mail.outbox) == 1 and "Amara" not in mail.outbox[0].body
    body = _text(client.get(reverse("cases:concern", args=[concern.pk])))
    assert "The decision's history" in body
    assert 'Decision: was "Early help", now "Referral to children\'s social care"' in body
    assert "Police intelligence arrived after the decision" in body


def test_a_correction_needs_a_reason_and_a_change_and_returns_to_the_form(client, world):
    concern = _decided(world)
    client.force_login(world.users["hub"])
    url = reverse("cases:concern-correct", args=[concern.pk])
    blank = client.post(url, {"outcome": "no_further_action", "reasons": "No risk", "reason": ""})
    assert blank.status_code == 400
    body = _text(blank)
    assert "govuk-error-summary" in body and "#id_reason" in body
    assert "Enter why you are correcting the decision." in body
    same = client.post(url, {"outcome": "early_help", "reasons": "Family asked for support",
                             "reason": "Checking"})
    assert same.status_code == 400 and "Nothing has changed" in _text(same)
    with pytest.raises(services.Refused) as refused:
        services.triage.correct_decision(actor=world.users["hub"], concern=concern,
                                         outcome="no_further_action", reasons="x", reason=" ")
    assert refused.value.field == "reason"
    assert not Revision.objects.filter(object_type="concern").exists()


def test_an_open_concern_is_decided_not_corrected(client, world):
    concern = _raise(world)
    client.force_login(world.users["hub"])
    page = _text(client.get(reverse("cases:concern-correct", args=[concern.pk])))
    assert "has not been decided yet" in page and "Correct the decision</button>" not in page
    assert "Correct this decision" not in _text(
        client.get(reverse("cases:concern", args=[concern.pk])))
    with pytest.raises(services.Refused) as refused:
        services.triage.correct_decision(actor=world.users["hub"], concern=concern,
                                         outcome="early_help", reasons="x", reason="y")
    assert refused.value.field == "outcome" and "record the decision" in refused.value.message


def test_correcting_to_a_strategy_discussion_starts_its_clock_and_a_group_joins(world):
    concern = _decided(world)
    services.triage.correct_decision(actor=world.users["hub"], concern=concern,
                                     outcome="strategy_discussion", reasons="Significant harm",
                                     reason="Harm was worse than first thought")
    assert StatutoryClock.objects.filter(key=f"strategy:concern:{concern.pk}",
                                         met_at__isnull=True).exists()
    group = GroupFactory()
    services.triage.correct_decision(actor=world.users["hub"], concern=concern,
                                     outcome="contextual_pathway", reasons="Peer group",
                                     group=group, reason="The harm is the group's")
    versions = list(Revision.objects.filter(object_type="concern", object_id=concern.pk)
                    .values_list("version", flat=True))
    assert versions == [1, 2]
    assert group.memberships.filter(person=world.child).exists()
    ended = StatutoryClock.objects.get(key=f"strategy:concern:{concern.pk}")
    assert ended.met_at is not None and ended.late_reason.startswith(
        "Not needed: the Hub corrected its decision to Contextual pathway")
    services.triage.correct_decision(actor=world.users["hub"], concern=concern,
                                     outcome="strategy_discussion", reasons="Harm after all",
                                     reason="The group case showed significant harm")
    ended.refresh_from_db()
    assert ended.met_at is None and ended.reopened_reason.startswith("The group case")


def test_only_the_hub_that_may_decide_may_correct(client, world):
    concern = _decided(world)
    south = services.decide_concern(actor=world.users["hub"], concern=_raise(
        world, person=world.other), outcome="early_help", reasons="x")
    client.force_login(world.users["lead"])  # the referrer: told, but not the Hub
    assert client.get(reverse("cases:concern-correct", args=[concern.pk])).status_code == 404
    client.force_login(world.users["hub"])
    forbidden = client.post(reverse("cases:concern-correct", args=[south.pk]),
                            {"outcome": "no_further_action", "reasons": "x", "reason": "y"})
    absent = client.post(reverse("cases:concern-correct", args=[999999]),
                         {"outcome": "no_further_action", "reasons": "x", "reason": "y"})
    assert forbidden.status_code == absent.status_code == 404
    assert same_page(forbidden, absent)
    south.refresh_from_db()
    assert south.outcome == "early_help"


def test_the_referrer_withdraws_a_concern_it_leaves_the_queue_counts_and_clock(client, world):
    concern = _raise(world)
    other = _raise(world, reason="A second, real concern")
    hub = world.users["hub"]
    client.force_login(hub)
    home = _text(client.get("/"))
    assert "2 concerns waiting in the triage queue" in home
    client.force_login(world.users["lead"])
    listed = _text(client.get(reverse("cases:notifications")))
    url = reverse("cases:my-concern-withdraw", args=[concern.reference])
    assert url in listed and "Withdraw this concern" in listed
    assert "Amara" not in listed and "Okafor" not in listed
    assert reverse("cases:concern-withdraw", args=[concern.pk]) not in listed
    done = client.post(url, {"reason": "Raised about the wrong child"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("cases:notifications")
    told = _text(done)
    assert f"Concern {concern.reference} is withdrawn" in told
    assert f"Concern {concern.pk} " not in told
    concern.refresh_from_db()
    assert concern.is_withdrawn and not concern.is_open
    assert concern.withdrawn_by == world.users["lead"]
    assert concern.withdrawn_reason == "Raised about the wrong child"
    clock_row = StatutoryClock.objects.get(key=f"triage:concern:{concern.pk}")
    assert clock_row.met_at == clock.now()
    assert clock_row.late_reason == "Not needed: concern withdrawn. Raised about the wrong child"
    assert AuditEntry.objects.filter(object_type="concern", action="withdraw",
                                     object_ids=[str(concern.pk)]).exists()
    client.force_login(hub)
    queue = client.get(reverse("cases:triage")).content.decode()
    assert reverse("cases:concern", args=[other.pk]) in queue
    assert reverse("cases:concern", args=[concern.pk]) not in queue
    assert "1 concern waiting in the triage queue" in _text(client.get("/"))
    kept = _text(client.get(reverse("cases:triage") + "?show=withdrawn"))
    assert reverse("cases:concern", args=[concern.pk]) in kept
    assert "Raised about the wrong child" in kept
    page = _text(client.get(reverse("cases:concern", args=[concern.pk])))
    assert "Withdrawn" in page and "Raised about the wrong child" in page
    assert "Record the decision" not in page
    assert Concern.objects.filter(pk=concern.pk).exists()
    client.force_login(world.users["social_worker"])  # on the child's team
    child = _text(client.get(reverse("cases:child", args=[world.child.public_id])))
    assert "Ended: concern withdrawn" in child and "withdrawn 2 Mar 2026" in child


def test_the_child_page_links_the_practitioner_who_raised_it_by_its_reference(client, world):
    concern = _raise(world)
    client.force_login(world.users["lead"])
    page = client.get(reverse("cases:child", args=[world.child.public_id])).content.decode()
    assert reverse("cases:my-concern-withdraw", args=[concern.reference]) in page
    assert reverse("cases:concern-withdraw", args=[concern.pk]) not in page


def test_a_withdrawn_concern_does_not_add_up(world):
    before = tally_for(world.child, today=clock.today())
    concern = _raise(world, kind="exploitation")
    with_it = tally_for(world.child, today=clock.today())
    assert with_it.score > before.score
    services.triage.withdraw_concern(actor=world.users["hub"], concern=concern,
                                     reason="Duplicate of concern 1", by_hub=True)
    assert tally_for(world.child, today=clock.today()).score == before.score


def test_the_hub_withdraws_and_the_referrer_is_told_without_the_reason(world):
    concern = _raise(world)
    services.triage.withdraw_concern(actor=world.users["hub"], concern=concern,
                                     reason="Amara is not the child meant", by_hub=True)
    note = CaseNotification.objects.get(user=world.users["lead"], concern=concern)
    assert "withdrawn" in note.message and "Amara" not in note.message


def test_a_blank_withdrawal_reason_returns_to_the_form_naming_the_field(client, world):
    concern = _raise(world)
    client.force_login(world.users["lead"])
    url = reverse("cases:my-concern-withdraw", args=[concern.reference])
    bad = client.post(url, {"reason": "  "})
    assert bad.status_code == 400
    body = _text(bad)
    assert "govuk-error-summary" in body and "#id_reason" in body
    assert "Enter why you are withdrawing the concern." in body
    with pytest.raises(services.Refused) as refused:
        services.triage.withdraw_concern(actor=world.users["lead"], concern=concern,
                                         reason="")
    assert refused.value.field == "reason"
    concern.refresh_from_db()
    assert concern.is_open


def test_a_decided_concern_cannot_be_withdrawn_correct_it_instead(client, world):
    concern = _decided(world)
    client.force_login(world.users["lead"])
    url = reverse("cases:my-concern-withdraw", args=[concern.reference])
    shown = _text(client.get(url))
    assert "already decided" in shown and "Ask the Hub to correct its decision" in shown
    refused = client.post(url, {"reason": "Raised in error"})
    assert refused.status_code == 400
    assert "Ask the Hub to correct its decision instead." in _text(refused)
    client.force_login(world.users["hub"])
    hub = client.post(reverse("cases:concern-withdraw", args=[concern.pk]),
                      {"reason": "Raised in error"})
    assert hub.status_code == 400
    assert "Correct the decision instead" in _text(hub)
    assert reverse("cases:concern-correct", args=[concern.pk]) in hub.content.decode()
    concern.refresh_from_db()
    assert not concern.is_withdrawn and concern.outcome == "early_help"


@pytest.mark.parametrize("by", ["number", "reference"])
def test_someone_else_may_not_withdraw_and_gets_the_common_404(client, world, by):
    concern = _raise(world)
    url, absent_url = (
        (reverse("cases:concern-withdraw", args=[concern.pk]),
         reverse("cases:concern-withdraw", args=[999999])) if by == "number" else
        (reverse("cases:my-concern-withdraw", args=[concern.reference]),
         reverse("cases:my-concern-withdraw", args=["C-AAAA-AAAA"])))
    for name in ("police", "social_worker", "licensing"):
        client.force_login(world.users[name])
        forbidden = client.post(url, {"reason": "Not mine"})
        absent = client.post(absent_url, {"reason": "Not mine"})
        assert forbidden.status_code == absent.status_code == 404, name
        assert same_page(forbidden, absent)
    concern.refresh_from_db()
    assert concern.is_open


def test_the_referrer_withdraws_by_reference_and_the_hubs_number_tells_them_nothing(
    client, world
):
    """The concern's number is the Hub's: probing it shows the referrer the common 404, even
    for their own concern, so it cannot be used to count the city's concerns."""
    concern = _raise(world)
    client.force_login(world.users["lead"])
    by_number = client.get(reverse("cases:concern-withdraw", args=[concern.pk]))
    absent = client.get(reverse("cases:concern-withdraw", args=[999999]))
    assert by_number.status_code == absent.status_code == 404
    assert same_page(by_number, absent)
    # However the reference is typed or read out, it finds the same concern.
    typed = concern.reference.lower().replace("-", " ")
    page = client.get(reverse("cases:my-concern-withdraw", args=[typed]))
    assert page.status_code == 200 and concern.reference in _text(page)
    assert f"/concerns/{concern.pk}/" not in _text(page)
    assert f"Concern {concern.pk}" not in _text(page)
    for bad in ("C-AAAA", "%00", "C-OOOO-OOOO", str(concern.pk)):
        assert client.get(f"/cases/concerns/{bad}/withdraw/").status_code == 404
    denied = AuditEntry.objects.filter(object_type="concern", action="deny")
    assert denied.filter(detail__reference=str(concern.pk)).exists()
    client.force_login(world.users["hub"])  # the Hub withdraws from its queue by the number
    assert client.get(reverse("cases:concern-withdraw", args=[concern.pk])).status_code == 200


def test_a_colleague_at_the_referring_agency_may_withdraw_a_referral(client, world):
    concern = services.raise_concern(person=None, source="partner_referral",
                                     reason="Free phones given to children",
                                     locality=world.north, subject={"family_name": "Okafor"},
                                     raised_by=world.users["licensing"])
    rule = _raise(world, source="feed_rule", raised_by=None,
                  referrer_agency=world.agencies["barnardos"])
    colleague = type(world.users["lead"]).objects.create_user(
        username="lead2", role=world.users["lead"].role, agency=world.agencies["barnardos"])
    client.force_login(colleague)
    # A rule raised it: nobody at the agency chose to, so it is the Hub's to withdraw.
    assert client.get(reverse("cases:my-concern-withdraw",
                              args=[rule.reference])).status_code == 404
    client.force_login(world.users["licensing"])
    assert client.post(reverse("cases:my-concern-withdraw", args=[concern.reference]),
                       {"reason": "Duplicate referral"}).status_code == 302
