"""A linkage model for the real-time matcher without training one (training takes a minute).

The Bayes factors are of the size a model trained on the synthetic city gives, set by hand so
the tests know where a pair falls: a child's name, date of birth and postcode all agreeing is
above the auto-link probability (0.99); the same with the surname misspelt is between the
review and auto-link probabilities. Levels come from `linkage.comparisons`, so they follow it.
"""

import math

from saferoptions.core import clock
from saferoptions.linkage import matching
from saferoptions.linkage.comparisons import COMPARISONS
from saferoptions.linkage.models import LinkageModel

# Comparison -> level label -> Bayes factor (a null level is always 1: no evidence).
FACTORS = {
    "given_name": {"exact": 40, "same usual name (nickname)": 15, "Jaro-Winkler >= 0.92": 8,
                   "Jaro-Winkler >= 0.80": 2, "different": 0.05},
    "family_name": {"exact": 60, "Jaro-Winkler >= 0.92": 4, "Jaro-Winkler >= 0.80": 1.5,
                    "different": 0.03},
    "dob": {"exact": 150, "day and month transposed": 20, "one character different": 10,
            "same day and month, year +-1": 4, "different": 0.02},
    "home": {"same postcode and address": 60, "same postcode, address missing": 25,
             "same postcode, address differs": 8, "same address, postcode missing": 20,
             "same postcode sector": 2, "same outward code": 1.3, "different": 0.4},
    "phone": {"exact": 30, "different": 0.8},
    "nhs_number": {"exact": 2000, "different": 0.001},
    "sex": {"exact": 1.6, "different": 0.05},
}
PRIOR = 1 / 8000  # two records chosen at random are the same child


def _levels(comparison) -> dict:
    return {str(gamma): {"label": level.label,
                         "bayes_factor": 1.0 if level.is_null_level
                         else float(FACTORS[comparison.name][level.label])}
            for gamma, level in zip(comparison.gammas(), comparison.levels, strict=True)}


def linkage_model() -> LinkageModel:
    """The model in force, made once; the real-time index is rebuilt for it."""
    matching._index.clear()
    return LinkageModel.objects.create(
        version=1, created_at=clock.now(), splink_model={}, trained_on=1000,
        level_weights={"prior_match_weight": math.log2(PRIOR / (1 - PRIOR)),
                       "comparisons": {c.name: _levels(c) for c in COMPARISONS}},
        thresholds={"auto_link": 0.99, "review": 0.3})
