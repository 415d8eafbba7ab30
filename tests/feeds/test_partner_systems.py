"""Partner systems' credentials: the system administrator issues, rotates and revokes tokens.

A token is shown once, in the response that made it: never on a later page, in the audit log
or in the logs. Everyone else meets a 404 on every page and every POST.
"""

import html
import io
import json
import logging
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from saferoptions.audit.models import AuditEntry
from saferoptions.core.models import Agency, Role, Team
from saferoptions.feeds import services
from saferoptions.feeds.models import InboxMessage, PartnerSystem, hash_token
from saferoptions.web import nav
from tests.core.factories import UserFactory

from .factories import message, partner, post

pytestmark = pytest.mark.django_db

LIST, NEW = "/feeds/partners/", "/feeds/partners/new/"
REASON = "Supplier changed the system that sends referrals."


def _client(user=None) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


@pytest.fixture
def admin():
    return _client(UserFactory(role=Role.SYSTEM_ADMINISTRATOR, is_staff=True, team=None))


def _hospital() -> Agency:
    return Agency.objects.get(slug="hospital-ed")


def _token_on(response) -> str:
    found = re.search(r'id="token" type="text" value="([^"]+)"', response.content.decode())
    assert found, "the page shows no token"
    return html.unescape(found.group(1))


def _create(admin, name="Hospital ED system", feed_types=("ed_assault",)):
    return admin.post(NEW, {"name": name, "agency": _hospital().pk,
                            "feed_types": list(feed_types)})


def _pages(pk: int) -> list[str]:
    base = f"/feeds/partners/{pk}/"
    return ["/", "/feeds/", LIST, NEW, base, base + "feed-types/", base + "rotate/",
            base + "revoke/", base + "reactivate/"]


def _errors(response, field: str) -> str:
    """The error message shown beside one field of the form."""
    found = re.search(rf'id="id_{field}-error" class="govuk-error-message">'
                      r'<span class="govuk-visually-hidden">Error:</span>(.*?)</p>',
                      response.content.decode(), re.S)
    return html.unescape(found.group(1)).strip() if found else ""


# --- issuing a token --------------------------------------------------------------------------


def test_the_administrator_adds_a_system_and_the_token_shown_works(admin):
    response = _create(admin)
    assert response.status_code == 200
    token = _token_on(response)
    page = response.content.decode()
    assert f"Authorization: Bearer {token}" in page
    assert 'href="/api/docs/"' in page and "/api/feeds/ed_assault/messages/" in page
    assert "no-store" in response["Cache-Control"]  # not kept for the Back button either
    system = PartnerSystem.objects.get()
    assert (system.name, system.agency, system.feed_types) == (
        "Hospital ED system", _hospital(), ["ed_assault"])
    assert system.token_hash == hash_token(token) and system.is_active
    assert post(Client(), token, "ed_assault", message("ed_assault")).status_code == 202
    assert InboxMessage.objects.get().partner == system


def test_the_token_is_on_no_page_after_the_first(admin):
    token = _token_on(_create(admin))
    system = PartnerSystem.objects.get()
    for url in _pages(system.pk):
        response = admin.get(url, follow=True)
        assert response.status_code == 200, url
        assert token not in response.content.decode(), url
    # Refreshing the token page sends the form again: it is refused and shows no token.
    again = _create(admin)
    assert token not in again.content.decode()
    assert "already exists" in _errors(again, "name")
    assert PartnerSystem.objects.count() == 1


def test_the_list_shows_each_system_and_its_last_message_but_no_token(admin):
    sending, token = partner(name="Hospital ED system")
    quiet, quiet_token = partner(agency="police", feeds=("police_incident", "stop_search"),
                                 name="Police records system")
    services.revoke_partner_system(actor=None, partner=quiet, reason=REASON)
    post(Client(), token, "ed_assault", message("ed_assault"))
    page = admin.get(LIST).content.decode()
    rows = dict(re.findall(r'<a class="govuk-link" href="/feeds/partners/\d+/">([^<]+)</a>'
                           r"(.*?)</tr>", page, re.S))
    assert set(rows) == {"Hospital ED system", "Police records system"}
    hospital, police = rows["Hospital ED system"], rows["Police records system"]
    assert "Emergency department assault attendance" in hospital and "Active" in hospital
    assert sending.token_hint in hospital and "Never" not in hospital
    assert "Police incident, Stop and search" in police
    assert "Revoked" in police and "Never" in police
    assert token not in page and quiet_token not in page


# --- rotating, revoking, changing feed types -----------------------------------------------------


def test_a_rotated_tokens_predecessor_is_refused_at_once(admin):
    system, old = partner()
    url = f"/feeds/partners/{system.pk}/rotate/"
    assert admin.get(url).status_code == 200
    form = {"reason": REASON, "replacing": system.token_hint}
    response = admin.post(url, form)
    new = _token_on(response)
    assert new != old
    assert post(Client(), old, "ed_assault", message("ed_assault")).status_code == 401
    assert post(Client(), new, "ed_assault", message("ed_assault")).status_code == 202
    # The same form sent again (a refresh) makes no second token and shows none.
    again = admin.post(url, form)
    assert "already replaced" in again.content.decode() and new not in again.content.decode()
    system.refresh_from_db()
    assert system.token_hash == hash_token(new)


def test_a_revoked_system_is_refused_until_reactivated(admin):
    system, token = partner()
    revoke = admin.post(f"/feeds/partners/{system.pk}/revoke/", {"reason": REASON})
    assert revoke.status_code == 302
    assert post(Client(), token, "ed_assault", message("ed_assault")).status_code == 401
    assert "Revoked" in admin.get(revoke["Location"]).content.decode()
    admin.post(f"/feeds/partners/{system.pk}/reactivate/", {"reason": REASON})
    assert post(Client(), token, "ed_assault", message("ed_assault")).status_code == 202


def test_feed_types_change_with_a_reason_and_apply_to_the_next_message(admin):
    system, token = partner(agency="police", feeds=("police_incident",))
    assert post(Client(), token, "stop_search", message("stop_search")).status_code == 404
    url = f"/feeds/partners/{system.pk}/feed-types/"
    response = admin.post(url, {"feed_types": ["police_incident", "stop_search"],
                                "reason": REASON})
    assert response.status_code == 302
    assert post(Client(), token, "stop_search", message("stop_search")).status_code == 202
    assert "cannot be changed" in admin.get(url).content.decode()  # the agency, and why


def test_every_change_is_audited_without_the_token_or_its_hash(admin):
    first = _token_on(admin.post(NEW, {"name": "Police records system",
                                       "agency": Agency.objects.get(slug="police").pk,
                                       "feed_types": ["police_incident"]}))
    system = PartnerSystem.objects.get()
    base = f"/feeds/partners/{system.pk}/"
    second = _token_on(admin.post(base + "rotate/", {"reason": REASON,
                                                     "replacing": system.token_hint}))
    admin.post(base + "feed-types/", {"feed_types": ["police_incident", "stop_search"],
                                      "reason": REASON})
    admin.post(base + "revoke/", {"reason": REASON})
    admin.post(base + "reactivate/", {"reason": REASON})
    rows = list(AuditEntry.objects.filter(object_type="partner_system").order_by("sequence"))
    assert [r.action for r in rows] == ["create"] + ["update"] * 4
    assert [r.detail.get("change") for r in rows[1:]] == [
        "token_rotated", "feed_types", "revoked", "reactivated"]
    assert all(r.detail.get("reason") == REASON for r in rows[1:])
    assert {r.actor.role for r in rows} == {Role.SYSTEM_ADMINISTRATOR}
    stored = json.dumps([[r.detail, r.object_ids, r.purpose] for r in
                         AuditEntry.objects.all()])
    for secret in (first, second, hash_token(first), hash_token(second), first[:6],
                   second[:6]):
        assert secret not in stored


def test_the_token_never_reaches_the_logs(admin, caplog):
    caplog.set_level(logging.DEBUG)
    first = _token_on(_create(admin))
    system = PartnerSystem.objects.get()
    post(Client(), first, "ed_assault", message("ed_assault"))
    second = _token_on(admin.post(f"/feeds/partners/{system.pk}/rotate/",
                                  {"reason": REASON, "replacing": system.token_hint}))
    post(Client(), first, "ed_assault", message("ed_assault"))  # refused, and logged as such
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert caplog.records  # the requests were logged, just not the tokens
    assert first not in logged and second not in logged


def test_a_reason_holding_the_token_is_refused():
    system, token = partner()
    with pytest.raises(services.PartnerSystemRefused) as refused:
        services.revoke_partner_system(actor=None, partner=system, reason=f"leaked: {token}.")
    assert refused.value.field == "reason"
    system.refresh_from_db()
    assert system.is_active and not AuditEntry.objects.filter(
        object_type="partner_system", action="update").exists()


# --- who may, and bad input ------------------------------------------------------------------


@pytest.fixture(params=["hub", "police", "dpo"])
def someone_else(request):
    users = {
        "hub": lambda: UserFactory(hub=True),
        "police": lambda: UserFactory(role=Role.POLICE_OFFICER,
                                      team=Team.objects.get(slug="police-missing")),
        "dpo": lambda: UserFactory(role=Role.DATA_PROTECTION_OFFICER, team=None),
    }
    return users[request.param]()


def test_every_other_role_finds_nothing_there(someone_else):
    system, token = partner()
    client = _client(someone_else)
    for url in _pages(system.pk)[2:]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Mine", "agency": _hospital().pk,
                                 "feed_types": ["ed_assault"], "reason": REASON,
                                 "replacing": system.token_hint}).status_code == 404, url
    same = PartnerSystem.objects.get()
    assert (same.token_hash, same.is_active, same.feed_types) == (
        hash_token(token), True, ["ed_assault"])
    assert "/feeds/partners/" not in {link["url"] for link in nav.entries_for(someone_else)}


def test_the_home_page_offers_partner_systems_to_the_administrator(admin):
    assert 'href="/feeds/partners/"' in admin.get("/").content.decode()


def test_a_system_that_does_not_exist_is_not_found(admin):
    for suffix in ("", "feed-types/", "rotate/", "revoke/", "reactivate/"):
        assert admin.get(f"/feeds/partners/999999/{suffix}").status_code == 404


@pytest.mark.parametrize("change, field, reason", [
    ({"feed_types": []}, "feed_types", "Choose at least one feed type."),
    ({"feed_types": ["ed_assault", "nonsense"]}, "feed_types",
     "Choose only feed types listed here."),
    ({"name": "  "}, "name", "Enter a name for the partner system."),
    ({"name": "hospital ed SYSTEM"}, "name", "already exists"),
    ({"agency": "999999"}, "agency", "Choose an agency from the list."),
    ({"agency": "not-a-number"}, "agency", "Choose an agency from the list."),
    ({"agency": ""}, "agency", "Choose the agency this system sends for."),
])
def test_bad_input_names_the_field_and_adds_nothing(admin, change, field, reason):
    partner(name="Hospital ED system")
    form = {"name": "Another system", "agency": _hospital().pk, "feed_types": ["ed_assault"],
            **change}
    response = admin.post(NEW, form)
    assert response.status_code == 200
    assert reason in _errors(response, field)
    assert "govuk-error-summary" in response.content.decode()
    assert PartnerSystem.objects.count() == 1


@pytest.mark.parametrize("action", ["rotate", "revoke", "feed-types"])
def test_a_change_without_a_reason_is_refused_and_changes_nothing(admin, action):
    system, token = partner()
    response = admin.post(f"/feeds/partners/{system.pk}/{action}/", {
        "reason": "  ", "replacing": system.token_hint, "feed_types": ["housing_report"]})
    assert response.status_code == 200
    assert _errors(response, "reason") == "Enter the reason for this change."
    same = PartnerSystem.objects.get()
    assert (same.token_hash, same.is_active, same.feed_types) == (
        hash_token(token), True, ["ed_assault"])


def test_feed_types_unchanged_are_refused_with_a_reason(admin):
    system, _ = partner()
    response = admin.post(f"/feeds/partners/{system.pk}/feed-types/",
                          {"feed_types": ["ed_assault"], "reason": REASON})
    assert "change at least one" in _errors(response, "feed_types")
    assert not AuditEntry.objects.filter(object_type="partner_system",
                                         action="update").exists()


def test_a_system_with_no_feed_types_yet_can_still_be_given_a_new_token(admin):
    # The command line could once make one; the page must not fail on it.
    system, _ = partner()
    PartnerSystem.objects.filter(pk=system.pk).update(feed_types=[])
    response = admin.post(f"/feeds/partners/{system.pk}/rotate/",
                          {"reason": REASON, "replacing": system.token_hint})
    assert response.status_code == 200 and "choose its feed types" in response.content.decode()
    assert PartnerSystem.objects.get().token_hash == hash_token(_token_on(response))


@pytest.mark.django_db
def test_the_command_refuses_a_name_already_taken_in_one_line():
    call_command("create_partner_system", "Avon Police RMS", agency="police",
                 feeds="police_incident", stdout=io.StringIO())
    with pytest.raises(CommandError, match="^name: "):
        call_command("create_partner_system", "avon police rms", agency="police",
                     feeds="police_incident", stdout=io.StringIO())
