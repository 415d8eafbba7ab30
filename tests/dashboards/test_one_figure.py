"""A Safer Options CSV, XLSX or drill-down builds only its own figure (the page's other
figures are not read), and each of its figures can still be downloaded."""

import pytest

from saferoptions.core.models import Role
from saferoptions.dashboards import disproportionality, safer_options
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db
KEYS = ("concerns", "concerns_by_ward", "referrals", "decisions", "timescales", "capacity",
        "outcomes", "by_sex", "by_ethnicity", "by_age", "by_locality")


def test_a_csv_reads_nothing_of_the_other_figures(client, monkeypatch):
    def not_read(*args, **kwargs):
        raise AssertionError("another figure's rows were read")
    monkeypatch.setattr(disproportionality, "items", not_read)
    monkeypatch.setattr(safer_options, "capacity", not_read)
    client.force_login(UserFactory(username="analyst", role=Role.ANALYST))
    response = client.get("/dashboard/safer-options/concerns.csv")
    assert response.status_code == 200 and b"Total" in response.content


@pytest.mark.parametrize("key", KEYS)
def test_every_figure_still_downloads(client, key):
    client.force_login(UserFactory(username="analyst", role=Role.ANALYST))
    assert client.get(f"/dashboard/safer-options/{key}.csv").status_code == 200


def test_an_unknown_figure_is_the_common_404(client):
    client.force_login(UserFactory(username="analyst", role=Role.ANALYST))
    assert client.get("/dashboard/safer-options/nothing.csv").status_code == 404
