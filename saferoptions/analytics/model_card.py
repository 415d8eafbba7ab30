"""Model cards: how a learned individual model is evaluated, and when it may be switched on.

A learned model is judged beside the transparent "what is known" score on the same held-out
children (the synthetic city's truth says who was really harmed or exploited):

- discrimination: AUC and average precision, each with a percentile bootstrap interval;
- calibration: the reliability curve (mean predicted against observed, in bins) and the
  expected calibration error;
- subgroups (fairlearn `MetricFrame`): recall and selection rate at the flagging threshold,
  and AUC, per sex, ethnicity and locality, with the largest gap between groups;
- the comparison: the paired bootstrap difference in AUC (model minus transparent score). A
  model is better only if the whole 95% interval of that difference is above `MARGIN`.

`switch_on` refuses a card that lacks any required part or a named approver, and refuses a
model that is not better than the transparent score: the app then keeps the transparent one.
"""

from dataclasses import dataclass, field

import numpy as np
from fairlearn.metrics import MetricFrame, selection_rate
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, recall_score, roc_auc_score

from saferoptions.analytics.errors import AnalyticsInputError

REQUIRED = ("data", "features", "outcome", "auc", "average_precision", "reliability",
            "calibration_error", "subgroups", "comparison", "failure_modes")
METRICS = {"auc": roc_auc_score, "average_precision": average_precision_score}
MARGIN = 0.0  # the AUC difference's whole interval must be above this
BINS = 10


@dataclass
class Card:
    name: str
    parts: dict = field(default_factory=dict)
    approver: str = ""

    def missing(self) -> list[str]:
        absent = [key for key in REQUIRED if self.parts.get(key) in (None, "", [], {})]
        return absent + ([] if self.approver.strip() else ["approver"])


class CardRefused(AnalyticsInputError):
    """A model may not be switched on: the card names what is missing or why."""


def _check(y, scores) -> tuple[np.ndarray, np.ndarray]:
    y, scores = np.asarray(y), np.asarray(scores, dtype=float)
    if y.shape != scores.shape or y.ndim != 1:
        raise AnalyticsInputError("scores", "one score per outcome is needed")
    if not set(np.unique(y)) <= {0, 1} or len(np.unique(y)) < 2:
        raise AnalyticsInputError("outcome", "needs both outcomes (0 and 1) among the held out")
    if not np.isfinite(scores).all():
        raise AnalyticsInputError("scores", "must be numbers")
    return y.astype(int), scores


def bootstrap(y, scores, metric, *, draws: int = 1000, seed: int = 0) -> list[float]:
    """[estimate, 2.5%, 97.5%] of `metric(y, scores)` by resampling children."""
    y, scores = _check(y, scores)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(draws):
        index = rng.integers(0, len(y), len(y))
        if y[index].min() != y[index].max():
            values.append(metric(y[index], scores[index]))
    low, high = np.percentile(values, [2.5, 97.5])
    return [round(float(metric(y, scores)), 4), round(float(low), 4), round(float(high), 4)]


def paired_auc_difference(y, model, transparent, *, draws: int = 1000,
                          seed: int = 0) -> list[float]:
    """[AUC(model) - AUC(transparent), 2.5%, 97.5%], resampling the same children for both."""
    y, model = _check(y, model)
    _, transparent = _check(y, transparent)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(draws):
        i = rng.integers(0, len(y), len(y))
        if y[i].min() != y[i].max():
            values.append(roc_auc_score(y[i], model[i]) - roc_auc_score(y[i], transparent[i]))
    low, high = np.percentile(values, [2.5, 97.5])
    point = roc_auc_score(y, model) - roc_auc_score(y, transparent)
    return [round(float(point), 4), round(float(low), 4), round(float(high), 4)]


def calibration(y, probability) -> dict:
    """Reliability curve (quantile bins) and expected calibration error of probabilities."""
    y, p = _check(y, probability)
    if (p < 0).any() or (p > 1).any():
        raise AnalyticsInputError("probability", "must be between 0 and 1")
    observed, predicted = calibration_curve(y, p, n_bins=BINS, strategy="quantile")
    edges = np.unique(np.quantile(p, np.linspace(0, 1, BINS + 1)))
    which = np.clip(np.searchsorted(edges[1:-1], p, side="right"), 0, len(edges) - 2)
    error = sum(abs(y[which == b].mean() - p[which == b].mean()) * (which == b).mean()
                for b in np.unique(which))
    return {"reliability": [(round(float(a), 4), round(float(b), 4))
                            for a, b in zip(predicted, observed, strict=True)],
            "calibration_error": round(float(error), 4)}


def subgroups(y, scores, groups: dict[str, list], *, flagged_share: float = 0.1) -> dict:
    """Per group (fairlearn MetricFrame): recall and selection rate when the top
    `flagged_share` are flagged, and AUC; with the largest gap between groups of each."""
    y, scores = _check(y, scores)
    flagged = (scores >= np.quantile(scores, 1 - flagged_share)).astype(int)
    out = {}
    for name, values in groups.items():
        if len(values) != len(y):
            raise AnalyticsInputError(f"groups.{name}", "one value per child is needed")
        frame = MetricFrame(metrics={"recall": lambda t, f: recall_score(t, f, zero_division=0),
                                     "selection_rate": selection_rate},
                            y_true=y, y_pred=flagged, sensitive_features=np.asarray(values))
        by_group = frame.by_group.to_dict(orient="index")
        for group in by_group:
            mask = np.asarray(values) == group
            both = len(np.unique(y[mask])) == 2
            by_group[group] = {k: round(float(v), 4) for k, v in by_group[group].items()}
            by_group[group]["auc"] = round(float(roc_auc_score(y[mask], scores[mask])), 4) \
                if both else None
            by_group[group]["children"] = int(mask.sum())
            # how many in the group really had the outcome: recall rests on these alone, so
            # the page can say when there are too few for it to mean anything
            by_group[group]["outcomes"] = int(y[mask].sum())
        gaps = frame.difference(method="between_groups").to_dict()
        out[name] = {"by_group": by_group,
                     "largest_gap": {k: round(float(v), 4) for k, v in gaps.items()}}
    return out


def verdict(comparison: list[float]) -> str:
    """In words, for the page: better only if the whole interval is above the margin."""
    point, low, high = comparison
    if low > MARGIN:
        return (f"The model ranks children better than the transparent score (AUC "
                f"{point:+.3f}, 95% interval {low:+.3f} to {high:+.3f}).")
    return (f"No model beats the transparent score by a margin outside its confidence "
            f"interval (AUC difference {point:+.3f}, 95% interval {low:+.3f} to {high:+.3f}): "
            f"the transparent score is kept.")


def switch_on(card: Card) -> Card:
    """Refuse an incomplete card, an unnamed approver, or a model no better than the score."""
    missing = card.missing()
    if missing:
        raise CardRefused("card", f"the card lacks {', '.join(missing)}")
    if card.parts["comparison"][1] <= MARGIN:
        raise CardRefused("comparison", verdict(card.parts["comparison"]))
    return card
