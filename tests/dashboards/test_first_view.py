"""Every figure of each app's first view (one locality, one period) against an independent
count, and the page shows exactly the suppressed form of that count."""

import collections

import pytest

from saferoptions.analytics.suppression import suppress_table
from saferoptions.cases.models import Concern, TriageOutcome
from saferoptions.core.models import Role
from saferoptions.dashboards.filters import parse
from saferoptions.interventions.models import CapacityMonth, ProgrammeArea

from . import expected as ex

pytestmark = pytest.mark.django_db


def _first_view(client, city, app):
    client.force_login(city.users[Role.STRATEGIC_LEAD])
    response = client.get(f"/dashboard/{app}/", {"locality": city.here.slug, "period": "4w"})
    assert response.status_code == 200
    filters = parse({"locality": city.here.slug, "period": "4w"})
    return {s.figure.key: s for s in response.context["figures"]}, filters, response


def _check(shown, counts):
    """The figure counted what the independent count says, and shows it suppressed."""
    assert shown.figure.counts == counts
    assert shown.cells == suppress_table(counts).cells
    assert shown.column_totals == suppress_table(counts).column_totals


def test_safer_options_first_view(client, city):
    figures, f, response = _first_view(client, city, "safer-options")
    _check(figures["concerns"], ex.concerns_weekly(city.here, f))
    _check(figures["decisions"], ex.decisions(city.here, f, TriageOutcome.values))
    _check(figures["timescales"], [ex.rapid_response_states(city.here, f),
                                   ex.clock_states(city.here, f, "return_home_interview"),
                                   ex.clock_states(city.here, f, "assessment")])
    assert sum(map(sum, figures["concerns"].figure.counts)) > 5  # the city is not empty
    assert b"Concerns raised" in response.content


def test_a_concern_withdrawn_as_raised_in_error_is_not_counted_as_demand(client, city):
    before, f, _ = _first_view(client, city, "safer-options")
    raised = Concern.objects.filter(locality=city.here, raised_at__gte=f.start,
                                    raised_at__lt=f.end, outcome="").first()
    Concern.objects.filter(pk=raised.pk).update(withdrawn_at=raised.raised_at,
                                                withdrawn_reason="Wrong child")
    after, _, _ = _first_view(client, city, "safer-options")
    total = sum(map(sum, before["concerns"].figure.counts))
    assert sum(map(sum, after["concerns"].figure.counts)) == total - 1
    _check(after["concerns"], ex.concerns_weekly(city.here, f))


def test_violence_reduction_first_view(client, city):
    figures, f, _ = _first_view(client, city, "violence-reduction")
    knives = ex.events(city.here, f, ex.is_knife)
    ed = ex.events(city.here, f, ex.is_ed_under_25)
    searches = ex.events(city.here, f, ex.of_type("stop_search"))
    _check(figures["knife"], [ex.weekly([ex.monday(e.occurred_at) for e, _ in knives], f.weeks)])
    _check(figures["ed_assaults"], [ex.weekly([ex.monday(e.occurred_at) for e, _ in ed],
                                              f.weeks)])
    _check(figures["stop_search"], [ex.weekly([ex.monday(e.occurred_at) for e, _ in searches],
                                              f.weeks)])
    violence = {e.pk: e for e, _ in knives + ed}.values()
    grid = [[0] * 6 for _ in range(7)]
    for e in violence:
        local = ex.clock.local(e.occurred_at)
        grid[local.weekday()][local.hour // 4] += 1
    _check(figures["time_of_week"], grid)
    by_place = collections.Counter()
    for kind, rows in (("knife", knives), ("ed", ed), ("search", searches)):
        for e, _ in rows:
            if e.place_id:
                by_place[(e.place_id, kind)] += 1
    places = figures["places"].figure
    assert places.counts == [[by_place[(int(k), c)] for c in ("knife", "ed", "search")]
                             for k in places.row_keys]
    _check(figures["needs_assessment"], [[
        len(knives), len(ed), len(searches),
        len(ex.events(city.here, f, ex.of_type("missing_episode"))),
        ex.Concern.objects.filter(locality=city.here, raised_at__gte=f.start,
                                  raised_at__lt=f.end,
                                  kind__in=["exploitation", "sexual_exploitation"]).count()]])
    assert sum(map(sum, figures["knife"].figure.counts)) > 0


def test_exploitation_first_view(client, city):
    figures, f, _ = _first_view(client, city, "exploitation")
    missing = ex.events(city.here, f, ex.of_type("missing_episode"))
    _check(figures["missing"], [ex.weekly([ex.monday(e.occurred_at) for e, _ in missing],
                                          f.weeks)])
    per_child = collections.Counter(s.pk for _, s in missing if s is not None)
    _check(figures["repeats"], [[len(missing), len(per_child),
                                 sum(1 for n in per_child.values() if n >= 2)]])
    _check(figures["return_interviews"],
           [ex.clock_states(city.here, f, "return_home_interview")])
    concerns = ex.Concern.objects.filter(locality=city.here, raised_at__gte=f.start,
                                         raised_at__lt=f.end)
    rows = [[c for c in concerns if c.kind == "exploitation"],
            [c for c in concerns if c.kind == "sexual_exploitation"]]
    expect = [ex.weekly([ex.monday(c.raised_at) for c in r], f.weeks) for r in rows]
    for category in ("exploitation", "sexual_exploitation"):
        found = ex.events(city.here, f, lambda e, _s, c=category: e.category == c)
        expect.append(ex.weekly([ex.monday(e.occurred_at) for e, _ in found], f.weeks))
    _check(figures["indicators"], expect)
    _check(figures["nrm"], [ex.nrm_counts(city.here, f)])
    _check(figures["under_review"], [ex.open_cases(city.here)])


def test_capacity_lists_each_areas_places_before_any_referral_this_month(client, city):
    CapacityMonth.objects.all().delete()  # a new month: no place taken yet anywhere
    area = ProgrammeArea.objects.filter(monthly_places__gt=0, locality=None).first()
    assert area is not None, "the catalogue is seeded"
    figures, _, _ = _first_view(client, city, "safer-options")
    shown = figures["capacity"].figure
    assert "No programme has places this month" not in shown.rows
    row = shown.rows.index(f"{area.programme.name} – whole city")
    places = dict(shown.plain_columns)["Places this month"]
    assert places[row] == area.monthly_places and shown.counts[row][0] == 0  # none taken
