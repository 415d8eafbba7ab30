"""The public page: no account, any text without a server error, floods refused, nothing leaks."""

import html
import logging

import pytest
from django.db import connection

from saferoptions.audit.models import AuditEntry
from saferoptions.intelligence.models import Addition, Channel, IntelligenceReport

from .conftest import signed_in
from .helpers import without_csrf

pytestmark = pytest.mark.django_db
URL = "/intelligence/tell-us/"


def _tell(client, account="Older men hand out free phones to kids at the chip shop.", **kw):
    return client.post(URL, {"account": account, "where": "", "when_seen": "", "contact": "",
                             "website": "", **kw})


def test_anyone_can_tell_the_partnership_without_an_account(client, world):
    assert client.get(URL).status_code == 200
    response = _tell(client, where="Stapleton Road", contact="")
    assert response.status_code == 200
    report = IntelligenceReport.objects.get()
    assert report.reference in response.content.decode()
    assert report.channel == Channel.COMMUNITY and report.submitted_by is None
    assert report.reporter_contact == "" and report.place_not_listed == "Stapleton Road"
    signed_in(client, world.users["hub"])  # it lands in the Hub's queue
    assert report.reference in client.get("/intelligence/queue/").content.decode()


@pytest.mark.parametrize("text", [
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "\u202eoverride\u202c \u200b zero width \U0001f52a\U0001f3fd Z\u0335\u0336a\u0337lgo",
    "ﷺ 𒐫 \ufeff BOM and \ud7ff edge",
    "x" * 5000,
])
def test_any_text_is_accepted_and_shown_inert(client, world, text):
    response = _tell(client, account=text, where=text[:300], contact=text[:300])
    assert response.status_code == 200
    report = IntelligenceReport.objects.get()
    assert report.account == text.strip()
    signed_in(client, world.users["hub"])
    page = client.get(f"/intelligence/reports/{report.pk}/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page


@pytest.mark.parametrize(("fields", "named"), [
    ({"account": "x" * 5001}, "What is worrying you?"),
    ({"account": "nul \x00 char"}, "What is worrying you?"),
    ({"account": "   "}, "What is worrying you?"),
    ({"where": "w" * 301}, "Where"),
    ({"contact": "c" * 301}, "How can we contact you?"),
])
def test_bad_input_is_refused_naming_the_field(client, world, fields, named):
    response = _tell(client, **fields)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def test_the_answer_never_says_whether_a_named_child_is_known(client, world):
    known = _tell(client, account="I am worried about Tyrese Campbell-Okoro, born 3/5/2011.")
    unknown = _tell(client, account="I am worried about Zebedee Quarrington, born 3/5/2011.")
    refs = list(IntelligenceReport.objects.order_by("pk").values_list("reference", flat=True))
    assert known.status_code == unknown.status_code == 200
    shown = [r.content.decode().replace(ref, "REF") for r, ref in zip((known, unknown), refs,
                                                                         strict=True)]
    assert without_csrf(shown[0]) == without_csrf(shown[1])


def test_a_honeypot_filled_in_gets_the_same_thanks_and_nothing_is_kept(client, world):
    response = _tell(client, website="http://spam.example")
    assert response.status_code == 200 and "Thank you for telling us" in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def test_adding_more_under_a_reference_never_says_if_it_exists(client, world):
    _tell(client)
    report = IntelligenceReport.objects.get()
    found = client.post("/intelligence/tell-us/more/", {
        "reference": report.reference.lower(), "text": "They came back on Saturday."})
    missing = client.post("/intelligence/tell-us/more/", {
        "reference": "SO-AAAA-AAAA", "text": "They came back on Saturday."})
    assert found.status_code == missing.status_code == 200
    assert Addition.objects.get().report == report
    assert IntelligenceReport.objects.count() == 2  # the unknown one is kept for the Hub
    assert (without_csrf(found.content.decode()).replace(report.reference, "R")
            == without_csrf(missing.content.decode()).replace("SO-AAAA-AAAA", "R"))


def test_a_bounded_flood_is_refused_and_other_clients_are_still_served(client, world, settings,
                                                                      caplog):
    settings.ACCOUNTS_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.INTELLIGENCE_COMMUNITY_LIMIT = 5
    flooder, neighbour = "203.0.113.77", "198.51.100.23"
    caplog.set_level(logging.DEBUG)
    answers = [client.post(URL, {"account": f"flood {i}", "website": ""},
                           HTTP_X_FORWARDED_FOR=f"10.0.0.1, {flooder}").status_code
               for i in range(40)]
    assert answers[:5] == [200] * 5 and set(answers[5:]) == {429}
    refused = client.post(URL, {"account": "once more"}, HTTP_X_FORWARDED_FOR=flooder)
    assert "Please try again later" in refused.content.decode()
    assert IntelligenceReport.objects.count() == 5
    served = client.post(URL, {"account": "a real worry", "website": ""},
                         HTTP_X_FORWARDED_FOR=neighbour)
    assert served.status_code == 200 and IntelligenceReport.objects.count() == 6
    # The address is never logged, nor stored anywhere but as a keyed hash in the cache.
    assert flooder not in caplog.text and neighbour not in caplog.text
    assert not AuditEntry.objects.filter(detail__icontains=flooder).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM saferoptions_throttle_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys and not [k for k in keys if flooder in k or neighbour in k]


@pytest.mark.parametrize(("fields", "message"), [
    ({"account": "   "}, "Tell us what is worrying you"),
    ({"account": "x" * 5001}, "What is worrying you must be 5,000 characters or fewer"),
    ({"where": "w" * 301}, "Where must be 300 characters or fewer"),
    ({"when_seen": "w" * 201}, "When must be 200 characters or fewer"),
    ({"contact": "c" * 301}, "How we can contact you must be 300 characters or fewer"),
])
def test_the_public_page_says_what_to_put_right_in_plain_words(client, world, fields, message):
    # It answered "This field is required" and Django's "Ensure this value has at most ...".
    page = html.unescape(_tell(client, **{"where": "Stapleton Road", **fields}).content.decode())
    assert message in page and f": {message}" not in page  # the message names the box, once
    assert "This field is required" not in page and "Ensure this value" not in page
    if "account" not in fields:
        assert "Older men hand out free phones" in page  # what was typed is kept


@pytest.mark.parametrize(("fields", "message"), [
    ({"reference": ""}, "Enter your reference number, like SO-AB3C-D4EF"),
    ({"reference": "SO-" + "A" * 30}, "Enter your reference number as we gave it"),
    ({"text": ""}, "Tell us what you would like to add"),
])
def test_adding_more_says_what_to_put_right_in_plain_words(client, world, fields, message):
    data = {"reference": "SO-AB3C-D4EF", "text": "They were back on Friday.", "website": "",
            **fields}
    response = client.post("/intelligence/tell-us/more/", data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and message in page
    assert "This field is required" not in page and "Ensure this value" not in page
