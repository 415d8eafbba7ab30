"""Demand forecasts per locality: the next 4-12 weeks of a weekly count, with 80% intervals.

Method (statsmodels): a negative binomial regression of the weekly count on a level and a
linear trend, fitted by maximum likelihood (`statsmodels.discrete.NegativeBinomial`, which
estimates the over-dispersion too). The prediction interval for a coming week is the 10th
and 90th percentiles of counts drawn from it, with the model's own parameter uncertainty: each
of `draws` draws takes coefficients from their estimated sampling distribution, then a count
from the negative binomial with that mean. The draws come from a seeded generator, so the
same data and seed always give the same intervals.

Past accuracy is measured by rolling origin: from each of several past weeks, fit on the
weeks before it only and forecast the next `horizon` weeks; the coverage is the share of
those weeks' real counts that fell inside their 80% interval (it should be near 80%).
"""

import datetime as dt
import warnings
from dataclasses import dataclass

import numpy as np
import polars as pl
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    HessianInversionWarning,
    PerfectSeparationWarning,
)

from saferoptions.analytics._checks import require_columns, require_no_nulls
from saferoptions.analytics.errors import AnalyticsInputError

LEVEL = 0.8
MIN_WEEKS = 12
DRAWS = 2000
METHOD = ("Negative binomial regression of the weekly count on a level and a linear trend "
          "(statsmodels, maximum likelihood, over-dispersion estimated); 80% prediction "
          "intervals from 2,000 seeded draws that include the uncertainty of the fitted "
          "coefficients.")


@dataclass(frozen=True)
class WeekForecast:
    week: dt.date
    expected: float
    low: int  # 10th percentile
    high: int  # 90th percentile


def _design(t: np.ndarray, scale: float) -> np.ndarray:
    return np.column_stack([np.ones(len(t)), t / scale])


def forecast(history: list[int], *, first_week: dt.date, horizon: int, seed: int = 0,
             draws: int = DRAWS) -> list[WeekForecast]:
    """The next `horizon` weeks after `history` (oldest week first, whole weeks, zeros kept)."""
    y = np.asarray(history, dtype=float)
    if len(y) < MIN_WEEKS:
        raise AnalyticsInputError("history", f"needs at least {MIN_WEEKS} whole weeks")
    if (y < 0).any() or not np.isfinite(y).all():
        raise AnalyticsInputError("history", "counts must be whole numbers, zero or more")
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 26:
        raise AnalyticsInputError("horizon", "must be a whole number of weeks from 1 to 26")
    n = len(y)
    # A count that began recording lately (a new service, a new feed) is forecast from its
    # first record on: the weeks before it are not real zeros, and fitting a trend through
    # them would extrapolate a jump into an explosion.
    started = int(np.argmax(y > 0)) if y.any() else 0
    if y.any() and n - started < MIN_WEEKS:
        raise AnalyticsInputError("history", f"needs at least {MIN_WEEKS} whole weeks since "
                                  "the first record")
    y = y[started:]
    scale = 52.0
    future = np.arange(len(y), len(y) + horizon)
    rng = np.random.default_rng(seed)
    mu = _means(y, future, scale, rng, draws)
    counts = _counts(mu, rng)
    low = np.quantile(counts, (1 - LEVEL) / 2, axis=0, method="inverted_cdf")
    high = np.quantile(counts, 1 - (1 - LEVEL) / 2, axis=0, method="inverted_cdf")
    return [WeekForecast(first_week + dt.timedelta(weeks=n + h), float(np.mean(mu[0][:, h])),
                         int(low[h]), int(high[h])) for h in range(horizon)]


def _means(y, future, scale, rng, draws):
    """Draws of the mean for each future week, and the dispersion alpha of each draw."""
    if y.sum() == 0:
        return np.zeros((draws, len(future))), np.zeros(draws)
    x = _design(np.arange(len(y)), scale)
    with warnings.catch_warnings():
        for kind in (ConvergenceWarning, HessianInversionWarning, PerfectSeparationWarning,
                     RuntimeWarning):
            warnings.simplefilter("ignore", kind)
        try:
            fitted = sm.NegativeBinomial(y, x, loglike_method="nb2").fit(disp=0, maxiter=200)
            params, cov = np.asarray(fitted.params), np.asarray(fitted.cov_params())
        except (ValueError, np.linalg.LinAlgError):
            params = cov = np.array([np.nan])
        if not (np.isfinite(params).all() and np.isfinite(cov).all()):
            # No over-dispersion to estimate (the counts vary no more than Poisson counts):
            # the same regression with a Poisson count.
            fitted = sm.GLM(y, x, family=sm.families.Poisson()).fit()
            params = np.append(np.asarray(fitted.params), 0.0)
            cov = np.zeros((3, 3))
            cov[:2, :2] = np.asarray(fitted.cov_params())
    cov = (cov + cov.T) / 2
    drawn = rng.multivariate_normal(params, cov, size=draws, method="eigh")
    beta, alpha = drawn[:, :2], np.clip(drawn[:, 2], 0.0, None)
    eta = beta @ _design(future, scale).T
    return np.exp(np.clip(eta, -20, 20)), alpha


def _counts(mu: tuple, rng) -> np.ndarray:
    means, alpha = mu
    alpha = alpha[:, None]
    # Negative binomial as a gamma-Poisson mixture (alpha 0 is Poisson).
    rate = np.where(alpha > 1e-8, rng.gamma(1 / np.maximum(alpha, 1e-8),
                                            means * np.maximum(alpha, 1e-8)), means)
    return rng.poisson(rate)


def weekly_series(frame: pl.DataFrame, *, weeks: list[dt.date]) -> dict[object, list[int]]:
    """Counts per group and week from rows `group`, `week`, zeros for weeks with none."""
    require_columns(frame, "frame", ("group", "week"))
    require_no_nulls(frame, "frame", ("group", "week"))
    counts = frame.group_by("group", "week").agg(pl.len().alias("n"))
    found: dict[object, dict] = {}
    for group, week, n in counts.iter_rows():
        found.setdefault(group, {})[week] = n
    return {g: [by_week.get(w, 0) for w in weeks] for g, by_week in found.items()}


@dataclass(frozen=True)
class Coverage:
    outcomes: int
    inside: int

    @property
    def share(self) -> float:
        return self.inside / self.outcomes if self.outcomes else float("nan")


def past_coverage(history: list[int], *, first_week: dt.date, origins: int, horizon: int,
                  seed: int = 0, draws: int = 500) -> Coverage:
    """Rolling origin over the last `origins` start weeks: how many real counts fell inside."""
    inside = outcomes = 0
    n = len(history)
    for origin in range(n - origins - horizon + 1, n - horizon + 1):
        if origin < MIN_WEEKS:
            continue
        try:
            ahead = forecast(history[:origin], first_week=first_week, horizon=horizon,
                             seed=seed, draws=draws)
        except AnalyticsInputError:
            continue  # too little history yet from that origin
        for step, week in enumerate(ahead):
            actual = history[origin + step]
            outcomes += 1
            inside += week.low <= actual <= week.high
    return Coverage(outcomes, inside)
