"""`link-file` on a large file keeps its scored pairs as columns (`file_scores`): a Python object
for each of tens of millions of pairs took 5.4 GB at 540,000 records. The thresholds, the
curve and the decisions are those the pair-by-pair code gave, to the last digit."""

import datetime as dt
import math

import duckdb
import numpy as np
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from saferoptions.linkage import file_linking, file_outputs, file_scores, synthetic

from .test_link_file_any import _who_model, _who_pair

TODAY = dt.date(2026, 6, 1)


def loop_thresholds(probabilities, threshold=None, review_threshold=None):
    """The pair-by-pair choice file_linking made before (its docstring's rule, as a loop)."""
    ordered = sorted(probabilities, reverse=True)
    total = sum(ordered) or 1.0
    best_f1, link_at, running, review_at = -1.0, 1.0, 0.0, None
    for k, p in enumerate(ordered, start=1):
        running += p
        if running / k >= file_linking.TARGET_PRECISION and p >= file_linking.LOWEST_LINK_THRESHOLD:
            f1 = 2 * running / (k + total)
            if f1 > best_f1:
                best_f1, link_at = f1, p
        if review_at is None and running >= file_linking.TARGET_RECALL_WITH_UNSURE * total:
            review_at = p
    link_at = threshold if threshold is not None else link_at
    review_at = review_threshold if review_threshold is not None else min(
        link_at, max(file_linking.LOWEST_REVIEW_THRESHOLD, review_at or 0.0))
    linked = [p for p in ordered if p >= link_at]
    unsure = [p for p in ordered if p >= review_at]
    return (link_at, review_at, round(sum(linked) / max(1, len(linked)), 5),
            round(sum(linked) / total, 5), round(sum(unsure) / total, 5))


probabilities = st.lists(st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.5, 0.95, 1.0]),
                                   st.floats(0.99, 1)), max_size=300)


@settings(max_examples=300, deadline=None)
@given(probabilities, st.sampled_from([None, 0.9, 0.5]), st.sampled_from([None, 0.3]))
def test_thresholds_over_columns_are_the_loop_s_to_the_last_digit(found, threshold, review):
    if threshold is not None and review is not None and review > threshold:
        return
    t = file_linking.choose_thresholds(np.array(found), threshold=threshold,
                                       review_threshold=review)
    assert (t.link, t.review, t.expected_precision, t.expected_recall,
            t.expected_recall_with_unsure) == loop_thresholds(found, threshold, review)


def test_probability_of_a_weight_is_the_formula_s():
    weights = np.array([-80.0, -60.0, -8.0, -1.5, 0.0, 3.25, 40.0])
    found = file_scores.probability(weights).tolist()
    assert found == pytest.approx([0.0, 0.0] + [1 / (1 + 2 ** -w) for w in weights[2:]],
                                  rel=1e-15, abs=0)
    assert math.isclose(found[4], 0.5)


@pytest.fixture(scope="module")
def city_result():
    rows = synthetic.generate(people=400, seed=5, today=TODAY)
    return rows, file_linking.link(rows, today=TODAY)


def test_pairs_are_made_only_at_or_above_the_review_threshold(city_result):
    _, result = city_result
    scored, review = result.scored, result.thresholds.review
    assert len(scored) > len(result.pairs)  # (at 540,000 records, most are far below it)
    assert len(result.pairs) == int(np.count_nonzero(scored.probability >= review))
    assert all(p.match_probability >= review for p in result.pairs)
    assert all(p.match_probability >= review for p in result.unsure)
    ids = {r["record_id"] for r in city_result[0]}
    assert {p.left for p in result.pairs} | {p.right for p in result.pairs} <= ids


def test_the_report_still_shows_the_curve_over_every_pair_and_pairs_each_side(city_result):
    _, result = city_result
    by_id = {r["record_id"]: {**r, "town": "", "email": ""} for r in city_result[0]}
    page = file_outputs.report_html(by_id, result)
    curve = file_linking.curve(result.scored.probability)
    assert curve[0]["pairs"] == int(np.count_nonzero(result.scored.probability >= 0.05))
    assert f"<td class='num'>0.05</td><td class='num'>{curve[0]['pairs']}</td>" in page
    link_at = result.thresholds.link
    near = result.scored.around(link_at, file_outputs.SAMPLE_EACH_SIDE)
    below = sorted(p.match_probability for p in near if p.match_probability < link_at)
    every_below = np.sort(result.scored.probability[result.scored.probability < link_at])
    assert below == every_below[-len(below):].tolist()
    assert f"The {len(below)} highest pairs below it" in page


def test_unsure_pairs_of_equal_probability_are_written_in_record_order():
    # The engine scores pairs in no fixed order: two runs on one 540,000-record file wrote
    # the same 1,351,494 unsure pairs in two orders, so an analyst comparing runs saw
    # 1,349,289 lines change.
    rows = [{"unique_id": i, "dob": "2010-01-02", "nhs_number": None} for i in "abcdef"]
    pairs = [_who_pair(*ids, 0.6, dob=2) for ids in (("e", "f"), ("a", "b"), ("c", "d"))]
    pairs.append(_who_pair("a", "e", 0.7, dob=2))
    result = file_linking.FileResult(
        {}, {}, pairs=pairs, model_json={"comparisons": []}, chosen=_who_model(),
        thresholds=file_linking.Thresholds(link=0.95, review=0.2, how="given / given"))
    file_linking._decide(result, rows, list("abcdef"), set(), link_unsure=False)
    assert [(p.left, p.right) for p in result.unsure] == [
        ("a", "e"), ("a", "b"), ("c", "d"), ("e", "f")]


def test_duckdb_is_capped_by_default_and_running_out_says_how_to_give_it_more(
        tmp_path, monkeypatch):
    # Uncapped, DuckDB took up to 80% of the machine: 5-7 GB at 540,000 records.
    path = tmp_path / "in.csv"
    path.write_text("record_id,first_name,last_name\n" + "".join(
        f"{n},Amy{n},Jones\n" for n in range(12)))
    asked = []

    def out_of_memory(rows, **options):
        asked.append(options["memory_limit"])
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(file_linking, "link", out_of_memory)
    with pytest.raises(CommandError) as stopped:
        call_command("link_file", str(path), str(tmp_path / "out.csv"))
    assert asked == ["2GB"]
    assert str(stopped.value) == (
        "linking in.csv failed in the engine (Out of Memory Error: could not allocate block); "
        "--memory-limit gives it more (now 2GB)")
