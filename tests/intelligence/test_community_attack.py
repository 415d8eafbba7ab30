"""The public pages under attack: a forged post, a 5 MB field, bytes that are not UTF-8, a
reference written as markup. Each was tried on a demo clone and held; kept as regression tests.
"""

import pytest
from django.test import Client

from saferoptions.intelligence.models import Addition, IntelligenceReport

pytestmark = pytest.mark.django_db
TELL, MORE = "/intelligence/tell-us/", "/intelligence/tell-us/more/"
FORM = "application/x-www-form-urlencoded"


def test_a_post_from_another_site_without_the_token_is_refused_and_nothing_kept(world):
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(TELL).status_code == 200
    forged = browser.post(TELL, {"account": "Planted by another site"})
    assert forged.status_code == 403
    assert browser.post(MORE, {"reference": "SO-AAAA-AAAA", "text": "x"}).status_code == 403
    assert not IntelligenceReport.objects.exists()


def test_a_five_megabyte_field_is_a_plain_400_and_does_not_spend_the_limit(client, world,
                                                                          settings):
    settings.INTELLIGENCE_COMMUNITY_LIMIT = 1
    huge = client.post(TELL, {"account": "A" * 5_000_000})
    assert huge.status_code == 400
    assert b"Traceback" not in huge.content and b"AAAAAAAAAA" not in huge.content
    assert not IntelligenceReport.objects.exists()
    # refused before it was read, so the client's one report is still theirs to send
    assert client.post(TELL, {"account": "A real worry"}).status_code == 200


@pytest.mark.parametrize("body", [
    b"account=half+a+pair+%ED%A0%80+and+%FF%FE+not+UTF-8",
    b"account=%C0%AF+overlong+slash",
    b"account=fine&where=%ED%B2%BF",
])
def test_bytes_that_are_not_utf8_are_never_a_server_error(client, world, body):
    response = client.post(TELL, body, content_type=FORM)
    assert response.status_code == 200
    report = IntelligenceReport.objects.get()
    report.account.encode("utf-8")  # what is stored can be stored by any database
    report.place_not_listed.encode("utf-8")


def test_a_nul_anywhere_is_a_field_error_not_a_server_error(client, world):
    response = client.post(TELL, b"account=a%00b&contact=c%00", content_type=FORM)
    assert response.status_code == 400
    assert not IntelligenceReport.objects.exists()


def test_a_reference_written_as_markup_is_shown_as_text(client, world):
    response = client.post(MORE, {"reference": "<svg onload=x>", "text": "More to say"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" not in page.lower() and "&lt;SVG ONLOAD=X&gt;" in page
    assert not Addition.objects.exists()  # no such reference: a new report for the Hub


def test_the_thank_you_page_never_echoes_what_was_reported(client, world):
    response = client.post(TELL, {"account": "Sam Okafor, 12, is taken to a flat on Elm Road",
                                  "where": "Elm Road", "contact": "07700 900123"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Okafor" not in page and "Elm Road" not in page and "07700" not in page
