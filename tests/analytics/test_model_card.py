"""Model cards: metrics with intervals, calibration, subgroups, and refusal when incomplete."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from saferoptions.analytics import model_card as mc
from saferoptions.analytics.errors import AnalyticsInputError


@pytest.fixture(scope="module")
def held_out():
    """Children with three indicators; the outcome depends on two of them."""
    rng = np.random.default_rng(7)
    n = 3000
    x = rng.poisson([0.5, 0.3, 0.2], size=(n, 3))
    sex = rng.choice(["F", "M"], n)
    truth = 1 / (1 + np.exp(-(-3 + 1.2 * x[:, 0] + 0.8 * x[:, 1])))
    y = (rng.random(n) < truth).astype(int)
    transparent = x @ np.array([2.0, 1.0, 1.0])  # a configured weighted sum
    train = slice(0, 2000)
    model = LogisticRegression().fit(x[train], y[train])
    held = slice(2000, n)
    return {"y": y[held], "p": model.predict_proba(x[held])[:, 1],
            "transparent": transparent[held], "sex": sex[held].tolist()}


def _card(held_out, **changes) -> mc.Card:
    y, p = held_out["y"], held_out["p"]
    parts = {"data": "synthetic city seed 7, 3,000 children, last 1,000 held out",
             "features": "missing episodes, exclusions, ED attendances",
             "outcome": "exploited (the city's truth)",
             "auc": mc.bootstrap(y, p, mc.METRICS["auc"], draws=200),
             "average_precision": mc.bootstrap(y, p, mc.METRICS["average_precision"], draws=200),
             **mc.calibration(y, p),
             "subgroups": mc.subgroups(y, p, {"sex": held_out["sex"]}),
             "comparison": mc.paired_auc_difference(y, p, held_out["transparent"], draws=200),
             "failure_modes": "ranks a child with few records low, whatever their harm"}
    parts.update(changes)
    return mc.Card("logistic regression", parts, approver="A. Named, strategic lead")


def test_the_metrics_have_intervals_around_their_estimate(held_out):
    auc = mc.bootstrap(held_out["y"], held_out["p"], mc.METRICS["auc"], draws=200)
    assert auc[1] <= auc[0] <= auc[2] and 0.6 < auc[0] < 1


def test_a_calibrated_model_has_a_small_calibration_error(held_out):
    got = mc.calibration(held_out["y"], held_out["p"])
    assert got["calibration_error"] < 0.05 and len(got["reliability"]) >= 5
    bad = mc.calibration(held_out["y"], np.clip(held_out["p"] * 3, 0, 1))
    assert bad["calibration_error"] > got["calibration_error"]


def test_subgroups_are_reported_with_their_gap(held_out):
    got = mc.subgroups(held_out["y"], held_out["p"], {"sex": held_out["sex"]})["sex"]
    assert set(got["by_group"]) == {"F", "M"}
    assert {"recall", "selection_rate", "auc", "children"} <= set(got["by_group"]["F"])
    assert got["largest_gap"]["recall"] >= 0


@pytest.mark.parametrize("missing", ["auc", "calibration_error", "subgroups", "failure_modes"])
def test_a_card_missing_a_metric_is_refused(held_out, missing):
    card = _card(held_out, **{missing: None})
    with pytest.raises(mc.CardRefused) as error:
        mc.switch_on(card)
    assert missing in error.value.reason


def test_a_card_without_a_named_approver_is_refused(held_out):
    card = _card(held_out)
    card.approver = " "
    with pytest.raises(mc.CardRefused, match="approver"):
        mc.switch_on(card)


def test_a_model_no_better_than_the_transparent_score_is_not_switched_on(held_out):
    # The same ranking as the transparent score: the AUC difference is zero.
    same = mc.paired_auc_difference(held_out["y"], held_out["transparent"],
                                    held_out["transparent"], draws=200)
    card = _card(held_out, comparison=same)
    with pytest.raises(mc.CardRefused) as error:
        mc.switch_on(card)
    assert "transparent score is kept" in error.value.reason
    better = [0.05, 0.02, 0.08]
    assert mc.switch_on(_card(held_out, comparison=better)).approver


def test_one_outcome_only_is_refused_naming_it():
    with pytest.raises(AnalyticsInputError) as error:
        mc.bootstrap([1, 1, 1], [0.2, 0.3, 0.4], mc.METRICS["auc"])
    assert error.value.field == "outcome"
