"""The individual truth's known process (city/visibility.py): being exploited is not being
recorded. Hidden children leave a low-risk child's records; some raised-risk children who are
not exploited are recorded like the exploited; a child drawn in is groomed before it shows."""

from collections import Counter
from datetime import date, timedelta

from saferoptions.city import visibility
from saferoptions.city.model_eval import under_review
from saferoptions.city.records import TruePerson

START, END = date(2025, 1, 1), date(2026, 1, 1)


def _person(**kwargs) -> TruePerson:
    return TruePerson("TP0000001", "child", "A", "B", "F", date(2011, 5, 1), 0, "E05010886",
                      "", "", **kwargs)


def test_a_hidden_child_is_recorded_as_a_low_risk_child_all_year():
    child = _person(risk="exploited", is_exploited=True, exploited_from=START,
                    visibility="hidden", recording=1.5)
    assert visibility.periods(child, START, END) == [visibility.Period("low", 1.5, START, END)]
    assert visibility.seen_as(child) == "low" and not visibility.seen_with_group(child)


def test_the_exploitation_shows_only_after_the_grooming():
    onset = START + timedelta(days=100)
    child = _person(risk="exploited", is_exploited=True, exploited_from=onset)
    shows = onset + timedelta(days=visibility.GROOMING_DAYS)
    assert visibility.periods(child, START, END) == [
        visibility.Period("raised", 1.0, START, shows),
        visibility.Period("exploited", 1.0, shows, END)]
    drawn_in_late = _person(risk="exploited", is_exploited=True,
                            exploited_from=END - timedelta(days=10))
    assert [p.risk for p in visibility.periods(drawn_in_late, START, END)] == ["raised"]


def test_a_past_crisis_is_heavily_recorded_in_the_first_half_only():
    child = _person(risk="raised", visibility="heavy_past")
    first, second = visibility.periods(child, START, END)
    assert first.factor == visibility.HEAVY_FACTOR and second.factor == 1.0
    assert first.last == second.first and first.first == START and second.last == END
    assert visibility.seen_as(child) == "exploited"


def test_the_city_has_hidden_and_heavily_recorded_children_and_the_police_never_see_the_hidden(
        city):
    kinds = Counter(p.visibility for p in city.people if p.kind in ("child", "young_adult"))
    assert kinds["hidden"] and kinds["heavy"] + kinds["heavy_past"]
    assert all(not p.is_exploited for p in city.people if p.visibility.startswith("heavy"))
    person_of = {i.index: i.person_key for i in city.identities}
    hidden = {p.key for p in city.people if p.visibility == "hidden"}
    tied = {person_of[end] for t in city.relationships if t.kind == "associate"
            for end in (t.identity, t.other_identity)}
    assert tied and not tied & hidden
    # a group under review is found from records alone, so no hidden child is in one
    reviewed = under_review(city, person_of)
    assert reviewed and reviewed <= tied and not reviewed & hidden
