"""The child's ethnicity on her page, with the other identity details, in words: the most
recently recorded of the agencies' records whose identity data the policy shares with the
viewer; nothing at all for a viewer it shares no identity data with."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from saferoptions.core.models import Role
from tests.cases.factories import TeamMemberFactory
from tests.core.factories import UserFactory
from tests.people.factories import IdentityFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _summary(client, user, child) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:child", args=[child.public_id]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    return page, page.split('id="child-summary"')[1].split("</dl>")[0]


@pytest.fixture
def recorded(world):
    """The police recorded her as Black Caribbean last month; Barnardo's, a year ago, as
    Mixed White and Black Caribbean; social care holds no group for her."""
    child, agencies = world.child, world.agencies
    IdentityFactory(person=child, agency=agencies["police"], ethnicity="black_caribbean",
                    ethnicity_recorded_at=NOW - dt.timedelta(days=30))
    IdentityFactory(person=child, agency=agencies["barnardos"],
                    ethnicity="mixed_white_black_caribbean",
                    ethnicity_recorded_at=NOW - dt.timedelta(days=365))
    IdentityFactory(person=child, agency=agencies["social_care"], ethnicity="not_recorded")
    return world


def _ethnicity(summary: str):
    found = re.search(r"Ethnicity</dt>\s*<dd[^>]*>([^<]*)<", summary)
    return found.group(1).strip() if found else None


def test_shown_in_words_from_the_records_the_agreements_share(client, recorded):
    """Social care is shared the police's identity data: the police's group, the latest."""
    _, summary = _summary(client, recorded.users["social_worker"], recorded.child)
    assert _ethnicity(summary) == "Black: Caribbean"
    assert "black_caribbean" not in summary  # words, never the code


def test_a_record_the_policy_does_not_share_is_not_used(client, recorded):
    """Barnardo's sees its own record only: its older group, never the police's."""
    page, summary = _summary(client, recorded.users["lead"], recorded.child)
    assert _ethnicity(summary) == "Mixed: White and Black Caribbean"
    assert "Black: Caribbean" not in page.replace("White and Black Caribbean", "")


def test_none_shared_shows_no_identity_at_all(client, recorded):
    """A team member of an agency with no record of her, and none shared, reads no identity
    at all: her own agency grants every category but holds nothing of her, so "Not recorded"
    (and her date of birth) came from agencies that share no identity with it."""
    viewer = UserFactory(username="licensing2", role=Role.HOUSING_OFFICER,
                         agency=recorded.agencies["licensing"])
    TeamMemberFactory(person=recorded.child, user=viewer)
    page, summary = _summary(client, viewer, recorded.child)
    assert _ethnicity(summary) is None and "Date of birth" not in summary
    assert "Caribbean" not in page and "Okafor" not in page


def test_a_viewer_with_no_identity_sharing_sees_no_ethnicity_at_all(client, recorded):
    """On the team but with no agency, so no identity data shared: no ethnicity, as no age
    or date of birth, and no group anywhere on the page."""
    viewer = UserFactory(username="volunteer", role=Role.LEAD_WORKER, agency=None)
    TeamMemberFactory(person=recorded.child, user=viewer)
    page, summary = _summary(client, viewer, recorded.child)
    assert "(name not known)" in summary and "Okafor" not in page  # she opened the page
    assert _ethnicity(summary) is None and "Ethnicity" not in page
    assert "Date of birth" not in summary
    for words in ("Black: Caribbean", "Mixed: White and Black Caribbean", "Not recorded"):
        assert words not in page
