"""Thresholds, vetoes, cautious clustering and who has too little to match."""

import pytest

from saferoptions.linkage import model, records
from saferoptions.linkage.comparisons import COMPARISONS, vetoed_gammas

EXACT = {c.name: c.gamma_of("exact") for c in COMPARISONS if c.name != "home"}


def test_thresholds_link_review_or_nothing():
    limits = model.Thresholds(auto_link=0.99, review=0.5)
    assert limits.decide(0.995, EXACT) == "link"
    assert limits.decide(0.7, EXACT) == "review"
    assert limits.decide(0.2, EXACT) is None


@pytest.mark.parametrize("vetoed", ["given_name", "nhs_number"])
def test_a_vetoed_pair_is_only_ever_reviewed(vetoed):
    gammas = {**EXACT, vetoed: vetoed_gammas()[vetoed]}
    assert model.Thresholds().decide(0.999999, gammas) == "review"


def test_a_nickname_or_missing_forename_is_no_veto():
    nickname = {**EXACT, "given_name": COMPARISONS[0].gamma_of("same usual name (nickname)")}
    assert model.Thresholds().decide(0.999, nickname) == "link"
    assert model.Thresholds().decide(0.999, {**EXACT, "given_name": -1}) == "link"


def test_clusters_join_chains():
    cluster_of, held = model.clusters(["a", "b", "c", "d"], [("a", "b"), ("b", "c")])
    assert cluster_of == {"a": "a", "b": "a", "c": "a", "d": "d"} and held == []


def test_two_nhs_numbers_are_never_chained_into_one_person():
    facts = {"a": ("9434765919", None), "b": (None, None), "c": ("4010232137", None)}
    cluster_of, held = model.clusters(["a", "b", "c"], [("a", "b"), ("b", "c")], facts=facts)
    assert cluster_of["a"] == cluster_of["b"] != cluster_of["c"]
    assert held == [("b", "c")]


def test_siblings_birthdays_are_never_chained_into_one_person():
    facts = {"older": (None, "2008-05-25"), "bridge": (None, None),
             "younger": (None, "2012-06-27")}
    cluster_of, held = model.clusters(["older", "bridge", "younger"],
                                      [("older", "bridge"), ("bridge", "younger")], facts=facts)
    assert cluster_of["older"] != cluster_of["younger"] and held == [("bridge", "younger")]


@pytest.mark.parametrize(("a", "b", "compatible"), [
    ("2009-04-03", "2009-04-03", True),
    ("2009-04-03", "2009-03-04", True),   # day and month transposed
    ("2009-04-03", "2009-04-08", True),   # one character
    ("2009-04-03", "2010-04-03", True),   # a year out
    ("2009-12-31", "2010-12-31", True),
    ("2009-04-03", "2011-04-03", False),
    ("2008-05-25", "2012-06-27", False),
])
def test_dates_a_slip_could_explain(a, b, compatible):
    assert model.dates_compatible(a, b) is compatible


@pytest.mark.parametrize(("raw", "reason"), [
    ({"first_name": "Jay"}, "too few details"),
    ({"first_name": "Jay", "postcode": "BS1 4DJ"}, None),  # linkable, but only ever reviewed
    ({"dob": "2010-01-02", "postcode": "BS1 4DJ", "phone": "07700900123"}, "no name"),
    ({"first_name": "Jay", "nhs_number": "9434765918"}, "too few details"),  # fails its check
    ({"nhs_number": "9434765919"}, None),
    ({"first_name": "Jay", "postcode": "BS1 4DJ", "dob": "2010-01-02"}, None),
])
def test_records_with_too_little_to_match(raw, reason):
    found = records.why_unlinkable(records.prepare("r1", raw))
    assert (found is None) if reason is None else (reason in found)


def test_reasons_name_fields_never_values():
    reason = records.why_unlinkable(records.prepare("r1", {"first_name": "Jayden"}))
    assert "jayden" not in reason.lower() and "given_name" in reason
