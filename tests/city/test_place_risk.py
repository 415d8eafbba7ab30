"""The city's place-and-time process: the true intensity matches the events it produced."""

from datetime import date

import numpy as np
import pytest

from saferoptions.city import place_risk
from saferoptions.city.generator import generate
from saferoptions.city.recording import LONDON
from saferoptions.city.truth import truth_frames
from saferoptions.events.models import EventCategory

START = date(2025, 1, 1)


@pytest.fixture(scope="module")
def city():
    return generate(children=3000, seed=11, months=12, start=START)


def _counted(city) -> np.ndarray:
    """What the Violence Reduction forecast counts: knife incidents and ED assaults, placed."""
    per_place = np.zeros(len(city.places))
    for e in city.events:
        knife = e.category == EventCategory.KNIFE or any(k == "knife" for k, _ in e.objects)
        if e.place is not None and (knife or e.event_type == "ed_assault"):
            per_place[e.place] += 1
    return per_place


def test_the_true_intensity_adds_up_to_the_events_it_produced(city):
    truth = place_risk.intensity(city)
    actual = _counted(city)
    expected = truth.expected.sum(axis=1)
    # A Poisson total: within four standard deviations of its mean.
    assert abs(actual.sum() - expected.sum()) < 4 * np.sqrt(expected.sum())
    assert np.corrcoef(expected, actual)[0, 1] > 0.9


def test_places_differ_and_some_flare_up(city):
    risks = sorted(p.risk for p in city.places if p.place_type != "school")
    # A skewed process: the busiest tenth of places carry far more than a tenth of the risk.
    top = risks[-len(risks) // 10:]
    assert sum(top) / sum(risks) > 0.3
    assert city.flares
    truth = place_risk.intensity(city)
    flare = city.flares[0]
    week = next(i for i, w in enumerate(truth.weeks) if flare.covers(w))
    before = truth.expected[flare.place, max(0, week - 6)]
    assert truth.expected[flare.place, week] > before or week < 6


def test_friday_and_saturday_evenings_are_busier_than_monday(city):
    by_day = np.zeros(7)
    for e in city.events:
        if e.event_type == "police_incident" and not e.involvements:
            by_day[e.occurred_at.astimezone(LONDON).weekday()] += 1
    assert by_day[4] > by_day[0] and by_day[5] > by_day[1]
    profile = place_risk.time_of_week([1] * 24)
    assert profile.sum() == pytest.approx(1)
    assert profile[5, 22] > profile[5, 10] > 0


def test_the_truth_is_in_the_evaluation_frames_only(city):
    frames = truth_frames(city)
    weeks = frames["place_weeks"]
    assert weeks.height == len(city.places) * len(place_risk.intensity(city).weeks)
    assert frames["place_risk"].height == len(city.places)
    assert frames["time_of_week"].height == 168
    stages = frames["escalation"]
    exploited = {p.key for p in city.people if p.is_exploited}
    assert set(stages.filter(stages["stage"] == "exploited")["true_person_key"]) == exploited


def test_the_same_seed_gives_the_same_truth():
    a = generate(children=300, seed=5, months=3, start=START)
    b = generate(children=300, seed=5, months=3, start=START)
    assert np.array_equal(place_risk.intensity(a).expected, place_risk.intensity(b).expected)
    assert [p.risk for p in a.places] == [p.risk for p in b.places]
