"""The Hub's front door: raising, queueing, deciding and telling the referrer."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from saferoptions.audit.models import AuditEntry
from saferoptions.cases import services
from saferoptions.cases.models import CaseNotification, Concern, StatutoryClock
from saferoptions.contexts.models import ContextCase
from saferoptions.contexts.outcomes import people_of
from tests.contexts.factories import GroupFactory, PlaceFactory

from .conftest import police_event, same_page

pytestmark = pytest.mark.django_db


def _raise(w, **kwargs):
    kwargs.setdefault("person", w.child)
    kwargs.setdefault("source", "practitioner")
    kwargs.setdefault("reason", "Seen getting into cars with older men")
    kwargs.setdefault("raised_by", w.users["lead"])
    return services.raise_concern(**kwargs)


def test_a_concern_joins_its_localitys_queue_with_a_one_working_day_clock(world):
    concern = _raise(world)
    assert concern.locality == world.north
    clock_row = StatutoryClock.objects.get(key=f"triage:concern:{concern.pk}")
    assert clock_row.due_at == concern.due_at
    assert f"{concern.due_at:%Y-%m-%d}" == "2026-03-03"  # Monday -> end of Tuesday


def test_the_same_rule_and_event_raise_one_concern_only(world):
    event = police_event(world, world.child)
    first = _raise(world, source="feed_rule", event=event, raised_by=None)
    again = _raise(world, source="feed_rule", event=event, raised_by=None)
    assert first.pk == again.pk
    assert Concern.objects.filter(event=event).count() == 1


@pytest.mark.parametrize("field,kwargs", [
    ("reason", {"reason": "   "}),
    ("source", {"source": "gossip"}),
    ("kind", {"kind": "nonsense"}),
    ("locality", {"person": None}),
])
def test_bad_concerns_are_refused_naming_the_field(world, field, kwargs):
    with pytest.raises(services.Refused) as refused:
        _raise(world, **kwargs)
    assert refused.value.field == field


def test_the_hub_sees_its_locality_queue_and_others_get_the_common_404(client, world):
    concern = _raise(world)
    south = _raise(world, person=world.other)
    client.force_login(world.users["hub"])
    page = client.get(reverse("cases:triage"))
    assert page.status_code == 200
    assert reverse("cases:concern", args=[concern.pk]) in page.content.decode()
    assert reverse("cases:concern", args=[south.pk]) not in page.content.decode()
    forbidden = client.get(reverse("cases:concern", args=[south.pk]))
    absent = client.get(reverse("cases:concern", args=[999999]))
    assert forbidden.status_code == 404
    assert same_page(forbidden, absent)
    client.force_login(world.users["social_worker"])
    assert client.get(reverse("cases:triage")).status_code == 404
    assert client.get(reverse("cases:concern", args=[concern.pk])).status_code == 404


def test_the_triage_screen_shows_what_partners_know(client, world):
    police_event(world, world.child)
    concern = _raise(world)
    client.force_login(world.users["hub"])
    body = client.get(reverse("cases:concern", args=[concern.pk])).content.decode()
    assert "Stop and search" in body  # a police event, shared with social care for triage
    assert "lead" in body and "social_worker" in body


def test_a_decision_needs_reasons_and_the_referrer_is_told(client, world,
                                                          django_capture_on_commit_callbacks):
    concern = _raise(world)
    client.force_login(world.users["hub"])
    url = reverse("cases:concern", args=[concern.pk])
    bad = client.post(url, {"outcome": "early_help", "reasons": ""})
    assert bad.status_code == 400
    assert "Enter reasons for the decision." in bad.content.decode()
    assert "govuk-error-summary" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(url, {"outcome": "early_help", "reasons": "Family asked for support"})
    assert ok.status_code == 302
    concern.refresh_from_db()
    assert concern.outcome == "early_help" and concern.decided_by == world.users["hub"]
    assert StatutoryClock.objects.get(key=f"triage:concern:{concern.pk}").met_at is not None
    note = CaseNotification.objects.get(user=world.users["lead"])
    assert "Early help" in note.message and "Amara" not in note.message
    assert len(mail.outbox) == 1 and "Amara" not in mail.outbox[0].body
    again = client.post(url, {"outcome": "no_further_action", "reasons": "Changed my mind"})
    assert again.status_code == 400  # already decided


def test_a_malformed_decision_is_a_clear_400(client, world):
    concern = _raise(world)
    client.force_login(world.users["hub"])
    url = reverse("cases:concern", args=[concern.pk])
    response = client.post(url, {"outcome": "<script>", "reasons": "x", "group": "abc"})
    assert response.status_code == 400
    assert "Choose a decision from the list." in response.content.decode()


def test_contextual_pathway_needs_a_group_or_place(world):
    concern = _raise(world)
    with pytest.raises(services.Refused) as refused:
        services.decide_concern(actor=world.users["hub"], concern=concern,
                                outcome="contextual_pathway", reasons="Peer group harm")
    assert refused.value.field == "group"
    group = GroupFactory()
    decided = services.decide_concern(actor=world.users["hub"], concern=concern,
                                      outcome="contextual_pathway", reasons="Peer group harm",
                                      group=group)
    assert decided.group == group


def test_contextual_pathway_puts_the_child_on_the_group_case(world):
    group = GroupFactory()
    for _ in range(2):  # a second child joins the same open case, not a new one
        services.decide_concern(actor=world.users["hub"], concern=_raise(world),
                                outcome="contextual_pathway", reasons="Peer group harm",
                                group=group)
    case = ContextCase.objects.get(group=group)
    assert list(people_of(case)) == [world.child.pk]


def test_contextual_pathway_to_a_place_lists_the_child_on_the_place_case(world):
    place = PlaceFactory()
    services.decide_concern(actor=world.users["hub"], concern=_raise(world),
                            outcome="contextual_pathway", reasons="Exploited at this takeaway",
                            place=place)
    assert world.child.pk in people_of(ContextCase.objects.get(place=place))


def test_a_strategy_discussion_decision_starts_its_clock(world):
    concern = _raise(world)
    services.decide_concern(actor=world.users["hub"], concern=concern,
                            outcome="strategy_discussion", reasons="Significant harm")
    clock_row = StatutoryClock.objects.get(kind="strategy_discussion", person=world.child)
    assert (clock_row.due_at - clock_row.started_at).total_seconds() == 24 * 3600


def test_a_partner_refers_without_seeing_any_record(client, world):
    client.force_login(world.users["licensing"])
    form = reverse("cases:refer")
    bad = client.post(form, {"family_name": "", "locality": "x", "kind": "other",
                             "reason": "", "date_of_birth": "31/02/2012"})
    assert bad.status_code == 400
    body = html.unescape(bad.content.decode())
    for message in ["Enter the child's last name.", "Choose a locality from the list.",
                    "Enter what you are worried about.",
                    "Child's date of birth must be a real date"]:
        assert message in body
    ok = client.post(form, {"given_name": "Amara", "family_name": "Okafor",
                            "locality": world.north.pk, "kind": "exploitation",
                            "reason": "Free food and phones given to children"})
    assert ok.status_code == 302
    concern = Concern.objects.get(source="partner_referral")
    assert concern.person is None and concern.locality == world.north
    assert concern.referrer_agency == world.agencies["licensing"]
    entry = AuditEntry.objects.filter(object_type="concern").latest("sequence")
    assert "Okafor" not in str(entry.detail)
    client.force_login(world.users["hub"])
    assert "Not yet matched" in client.get(reverse("cases:triage")).content.decode()


def test_a_name_too_long_is_refused_in_plain_words_naming_the_box(client, world):
    # It read "Ensure this value has at most 100 characters (it has 6000)." (the tour).
    client.force_login(world.users["licensing"])
    bad = client.post(reverse("cases:refer"), {
        "given_name": "A" * 6000, "family_name": "Okafor", "locality": world.north.pk,
        "kind": "exploitation", "reason": "Free food and phones given to children"})
    body = html.unescape(bad.content.decode())
    assert bad.status_code == 400 and "Ensure this value" not in body
    assert "Child's first name: Enter 100 characters or fewer (you entered 6000)" in body
    assert 'value="Okafor"' in body  # what was typed stays


def test_the_kind_of_concern_is_chosen_never_assumed(client, world):
    # The list opened on 'Missing from home or care': a referrer who did not open it sent a
    # worry about exploitation as a missing child (seen on the tour as the community member).
    client.force_login(world.users["licensing"])
    page = client.get(reverse("cases:refer")).content.decode()
    kinds = page.split('name="kind"')[1].split("</select>")[0]
    assert kinds.index('<option value="" selected>Choose the kind of concern</option>') \
        < kinds.index("Missing from home or care")
    bad = client.post(reverse("cases:refer"), {
        "family_name": "Okafor", "locality": world.north.pk, "kind": "",
        "reason": "Older men giving phones"})
    body = html.unescape(bad.content.decode())
    assert bad.status_code == 400 and "Choose the kind of concern." in body
    assert "Older men giving phones" in body


def test_a_referrer_is_told_a_random_reference_never_the_concerns_number(client, world):
    """The row's id would let a community member follow how many concerns the city has."""
    for _ in range(3):  # some concerns before, so the id is not a small number by chance
        _raise(world)
    client.force_login(world.users["licensing"])
    ok = client.post(reverse("cases:refer"), {
        "given_name": "Amara", "family_name": "Okafor", "locality": world.north.pk,
        "kind": "exploitation", "reason": "Free food and phones given to children"},
        follow=True)
    concern = Concern.objects.get(source="partner_referral")
    told = re.search(r"Your concern (\S+) is with the Hub", html.unescape(ok.content.decode()))
    assert told and told.group(1) == concern.reference
    assert re.fullmatch(r"C-[A-Z0-9]{4}-[A-Z0-9]{4}", concern.reference)
    assert len({c.reference for c in Concern.objects.all()}) == Concern.objects.count()
    services.decide_concern(actor=world.users["hub"], concern=concern,
                            outcome="early_help", reasons="Family asked for support")
    note = CaseNotification.objects.get(user=world.users["licensing"])
    assert concern.reference in note.message
    assert not re.search(rf"concern {concern.pk}\b", note.message, re.IGNORECASE)
    client.force_login(world.users["hub"])  # the Hub sees the reference the referrer quotes
    page = client.get(reverse("cases:concern", args=[concern.pk])).content.decode()
    assert concern.reference in page


def test_the_hub_finds_a_concern_in_its_queue_by_the_referrers_reference(client, world):
    """A referrer rings quoting C-XXXX-XXXX: the Hub finds it as read out, in any state;
    another locality's concern and no concern at all look the same."""
    waiting_one = _raise(world)
    decided = _raise(world, reason="Older boys collecting him from school")
    services.decide_concern(actor=world.users["hub"], concern=decided,
                            outcome="early_help", reasons="Family asked for support")
    south = _raise(world, person=world.other)
    client.force_login(world.users["hub"])
    queue = reverse("cases:triage")
    page = client.get(queue).content.decode()
    assert 'name="ref"' in page and waiting_one.reference in page
    for concern, typed in ((waiting_one, waiting_one.reference),
                           (decided, decided.reference.lower().replace("-", " "))):
        found = client.get(queue, {"ref": typed})
        assert found.status_code == 200
        assert [r.concern.pk for r in found.context["paged"].rows] == [concern.pk]
        assert f'value="{concern.reference}"' in found.content.decode()
    assert "Decided: Early help" in html.unescape(
        client.get(queue, {"ref": decided.reference}).content.decode())
    entry = AuditEntry.objects.filter(object_type="concern", action="list").latest("sequence")
    assert entry.detail["reference"] == decided.reference
    assert entry.object_ids == [str(decided.pk)]
    elsewhere = client.get(queue, {"ref": south.reference})
    absent = client.get(queue, {"ref": "C-AAAA-AAAA"})
    assert list(elsewhere.context["paged"].rows) == list(absent.context["paged"].rows) == []
    assert "No concern in your queue has that reference" in absent.content.decode()
    bad = client.get(queue, {"ref": "C-12"})
    assert bad.status_code == 400
    assert "<title>Error: " in bad.content.decode()  # the title says so first
    assert "Referrer&#x27;s reference: enter it as the referrer was told it" in (
        bad.content.decode())
    assert 'value="C-12"' in bad.content.decode()


def test_the_hub_links_a_referral_to_a_known_child_it_may_triage(client, world):
    concern = services.raise_concern(person=None, source="partner_referral",
                                     reason="Older men and free phones", locality=world.north,
                                     subject={"family_name": "Okafor"},
                                     raised_by=world.users["licensing"])
    client.force_login(world.users["hub"])
    url = reverse("cases:match", args=[concern.pk])
    south = client.post(url, {"reference": str(world.other.public_id)})
    absent = client.post(url, {"reference": "5d0c3b54-56a4-4d5e-9a43-000000000000"})
    assert south.status_code == absent.status_code == 400
    assert "No child you may triage" in html.unescape(south.content.decode())
    assert "Enter the reference exactly" in html.unescape(
        client.post(url, {"reference": "nope"}).content.decode())
    assert client.post(url, {"reference": str(world.child.public_id)}).status_code == 302
    concern.refresh_from_db()
    assert concern.person == world.child
