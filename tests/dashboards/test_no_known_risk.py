"""What is known about a child stays on the child's page: the strategic apps never show it."""

import pathlib

import pytest

from saferoptions.core.models import Role

pytestmark = pytest.mark.django_db
APPS = ("safer-options", "violence-reduction", "exploitation")
DASHBOARDS = pathlib.Path(__file__).resolve().parents[2] / "saferoptions" / "dashboards"


@pytest.mark.parametrize("role", [Role.STRATEGIC_LEAD, Role.HUB_PRACTITIONER])
def test_no_dashboard_page_shows_what_is_known(client, city, role):
    client.force_login(city.users[role])
    for url in [*(f"/dashboard/{app}/" for app in APPS), "/dashboard/violence-reduction/forecast/"]:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200
        assert "What is known" not in body and "what you may see" not in body
        assert "weights adding up to" not in body and "weight 3 each" not in body


def test_no_dashboards_module_reads_the_known_risk_indicators():
    for path in DASHBOARDS.rglob("*.py"):
        if "tests" not in path.parts:
            text = path.read_text()
            assert "known_risk" not in text and "KNOWN_RISK" not in text, path.name
