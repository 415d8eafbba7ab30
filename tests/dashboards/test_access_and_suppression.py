"""Who reaches the dashboards, drill-downs that never show a child to someone outside
need-to-know, suppression on every figure and export, and filters with bad values."""

import csv
import datetime as dt
import io

import pytest

from saferoptions.analytics.suppression import round_table, suppress_table
from saferoptions.audit.models import AuditEntry
from saferoptions.cases.models import Concern
from saferoptions.core.models import Role
from saferoptions.dashboards import pages
from saferoptions.dashboards.filters import parse
from saferoptions.events.models import Event
from tests.access.factories import AgreementFactory
from tests.events.factories import EventFactory, InvolvementFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db
VIEWERS = (Role.STRATEGIC_LEAD, Role.ANALYST, Role.LOCALITY_CHAIR, Role.HUB_PRACTITIONER)
APPS = ("safer-options", "violence-reduction", "exploitation")


@pytest.mark.parametrize("role", VIEWERS)
def test_each_dashboard_role_sees_every_app(client, city, role):
    client.force_login(city.users[role])
    for app in APPS:
        assert client.get(f"/dashboard/{app}/").status_code == 200
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.POLICE_OFFICER,
                                  Role.DATA_PROTECTION_OFFICER, Role.COMMUNITY_MEMBER])
def test_other_roles_get_the_common_404(client, city, role):
    client.force_login(city.users[role])
    for url in ("/dashboard/", "/dashboard/safer-options/",
                "/dashboard/exploitation/missing.csv",
                "/dashboard/exploitation/missing/people/"):
        assert client.get(url).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, city):
    assert client.get("/dashboard/safer-options/").status_code in (302, 404)


def test_unknown_app_or_figure_is_404(client, city):
    client.force_login(city.users[Role.ANALYST])
    assert client.get("/dashboard/nonsense/").status_code == 404
    assert client.get("/dashboard/exploitation/nonsense.csv").status_code == 404


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("exact", [True, False])
def test_every_figure_and_its_csv_are_suppressed(client, city, app, exact):
    """Every cell and total shown, on the page and in the CSV, is the suppressed table (a
    reader the policy gives exact counts) or the rounded one (the analyst)."""
    reader = city.users[Role.HUB_PRACTITIONER if exact else Role.ANALYST]
    if exact:  # every event its own agency's: the Hub may read them all
        Event.objects.update(reporting_agency=reader.agency)
    assert pages.exact_reader(reader) is exact
    client.force_login(reader)
    shown = client.get(f"/dashboard/{app}/").context["figures"]
    some_small = False
    for s in shown:
        table = (suppress_table if exact else round_table)(s.figure.counts)
        assert (s.cells, s.row_totals, s.column_totals) == (
            table.cells, table.row_totals, table.column_totals)
        flat = [v for row in s.figure.counts for v in row]
        some_small |= any(0 < v < 5 for v in flat)
        for row in s.cells:
            assert not any(isinstance(v, int) and 0 < v < 5 for v in row)
        rows = list(csv.reader(io.StringIO(
            client.get(f"/dashboard/{app}/{s.figure.key}.csv").content.decode())))
        body = [r[1 + len(s.plain_columns):] for r in rows[3:3 + len(s.figure.rows)]]
        assert body == [[str(v) for v in (*cells, total)]
                        for cells, total in zip(s.cells, s.row_totals, strict=True)]
    assert some_small  # the data set exercises primary suppression


def test_secondary_suppression_hides_a_second_cell():
    table = suppress_table([[2, 9, 7], [8, 6, 12]])
    assert table.cells[0][0] == "<5"
    hidden_in_row = [v for v in table.cells[0] if v in ("<5", "*")]
    assert len(hidden_in_row) >= 2  # the 2 cannot be worked out from the row total


def test_a_page_view_and_a_download_are_audited(client, city):
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    before = AuditEntry.objects.count()
    client.get("/dashboard/exploitation/", {"locality": city.here.slug})
    client.get("/dashboard/exploitation/missing.csv")
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "object_type")[before:])
    assert actions == [("view", "dashboard"), ("export", "dashboard")]


# --- drill-downs -----------------------------------------------------------------------------

def _decided_together(city):
    """One concern about each child, decided in the same week with the same outcome."""
    decided = ex_now() - dt.timedelta(days=1)
    for child in (city.known, city.hidden):
        Concern.objects.create(person=child, locality=child.locality, source="practitioner",
                               kind="other", reason="test", raised_at=decided,
                               due_at=decided, outcome="early_help", decided_at=decided)
    return "early_help", str(decided.date() - dt.timedelta(days=decided.weekday()))


@pytest.mark.parametrize("role", [Role.STRATEGIC_LEAD, Role.ANALYST])
def test_strategic_lead_and_analyst_get_no_drill_down(client, city, role):
    client.force_login(city.users[role])
    page = client.get("/dashboard/exploitation/", {"period": "4w"})
    assert b"/people/?" not in page.content
    assert client.get("/dashboard/exploitation/missing/people/",
                      {"row": str(city.here.pk), "col": "2026-08-10"}).status_code == 404


def test_drill_down_lists_only_children_the_user_may_open(client, city):
    """The Hub practitioner triages its own locality and works with `known`: no child of
    the other locality is ever named."""
    hub = city.users[Role.HUB_PRACTITIONER]
    client.force_login(hub)
    row, col = _decided_together(city)
    asked = {"period": "4w", "row": row, "col": col}
    # The council holds no record of its own of `known`: without an agreement sharing the
    # other agency's identity the row is there, but not the name or date of birth.
    unnamed = client.get("/dashboard/safer-options/decisions/people/", asked)
    assert unnamed.status_code == 200
    assert city.known.family_name.encode() not in unnamed.content
    assert b"(name not known)" in unnamed.content
    provider = city.known.identities.first().agency
    AgreementFactory(provider=provider, recipient=hub.agency, categories=["identity"],
                     purposes=["direct_work", "triage"])
    response = client.get("/dashboard/safer-options/decisions/people/", asked)
    assert response.status_code == 200
    assert city.known.family_name.encode() in response.content
    for person in city.children:
        if person.locality_id == city.there.pk:
            assert person.family_name.encode() not in response.content
    # The figure is small, so suppressed: how many are withheld is not said either.
    assert response.context["found"].value == "fewer than 5"  # rounded: not exact (pages)
    assert response.context["found"].withheld is None
    assert b"how many is not said" in response.content
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.action, entry.object_type) == ("list", "person")
    assert str(city.known.pk) in entry.object_ids
    assert str(city.hidden.pk) not in entry.object_ids


def test_withheld_count_is_said_suppressed_where_the_figure_is_shown(client, city, settings):
    settings.SMALL_NUMBER_THRESHOLD = 1  # every figure shown: the withheld count may be said
    client.force_login(city.users[Role.HUB_PRACTITIONER])
    row, col = _decided_together(city)
    response = client.get("/dashboard/safer-options/decisions/people/",
                          {"period": "4w", "row": row, "col": col})
    found = response.context["found"]
    assert isinstance(found.value, int) and found.withheld >= 1
    assert b"Not listed because you do not work with them" in response.content


def test_drill_down_never_names_a_child_to_a_chair_outside_need_to_know(client, city):
    client.force_login(city.users[Role.LOCALITY_CHAIR])
    filters = parse({"period": "4w"})
    for app in APPS:
        for figure in pages.APPS[app].build(filters):
            if not figure.drillable:
                continue
            for row in figure.row_keys:
                for col in figure.column_keys:
                    r = client.get(f"/dashboard/{app}/{figure.key}/people/",
                                   {"period": "4w", "row": row, "col": col})
                    assert r.status_code in (200, 404)
                    for person in city.children:
                        assert person.family_name.encode() not in r.content


def test_drill_down_with_a_cell_that_does_not_exist_is_404(client, city):
    client.force_login(city.users[Role.HUB_PRACTITIONER])
    r = client.get("/dashboard/exploitation/missing/people/", {"row": "999999", "col": "x"})
    assert r.status_code == 404


# --- filters --------------------------------------------------------------------------------

def test_filters_narrow_the_figures(client, city):
    client.force_login(city.users[Role.ANALYST])
    every = client.get("/dashboard/safer-options/", {"period": "4w"}).context["figures"][0]
    here = client.get("/dashboard/safer-options/",
                      {"period": "4w", "locality": city.here.slug}).context["figures"][0]
    assert len(every.figure.rows) > 1 and here.figure.rows == [city.here.name]
    row = every.figure.row_keys.index(str(city.here.pk))
    assert here.figure.counts == [every.figure.counts[row]]
    aged = client.get("/dashboard/safer-options/", {"period": "4w", "age": "10-13"})
    aged_total = sum(map(sum, aged.context["figures"][0].figure.counts))
    assert aged_total < sum(map(sum, every.figure.counts))


@pytest.mark.parametrize("query, message", [
    ({"period": "3 years"}, "Period: “3 years” is not one of"),
    ({"locality": "atlantis"}, "Locality: “atlantis” is not a locality"),
    ({"ward": "E99"}, "Ward: “E99” is not a ward code"),
    ({"age": "old"}, "Age band: “old” is not one of"),
])
def test_bad_filter_values_fall_back_with_a_message(client, city, query, message):
    client.force_login(city.users[Role.ANALYST])
    response = client.get("/dashboard/violence-reduction/", query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["filters"].period in ("12w", query.get("period"))


def test_a_ward_outside_the_locality_is_dropped(client, city):
    client.force_login(city.users[Role.ANALYST])
    ward = city.there.wards.first()
    response = client.get("/dashboard/exploitation/",
                          {"locality": city.here.slug, "ward": ward.code})
    assert f"Ward: {ward.name} is not in {city.here.name}" in response.content.decode()
    assert response.context["filters"].ward is None


def test_a_new_event_counts_on_the_next_request(client, city):
    """Live: no overnight build; the next page view counts a new missing episode."""
    client.force_login(city.users[Role.ANALYST])
    params = {"period": "4w", "locality": city.here.slug}
    before = client.get("/dashboard/exploitation/", params).context["figures"][0].figure.counts
    event = EventFactory(event_type="missing_episode", category="missing",
                         occurred_at=ex_now(), reported_at=ex_now())
    InvolvementFactory(event=event, person=city.known, role="missing_person")
    after = client.get("/dashboard/exploitation/", params).context["figures"][0].figure.counts
    assert sum(after[0]) == sum(before[0]) + 1


def ex_now():
    return NOW - dt.timedelta(minutes=5)
