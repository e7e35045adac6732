"""Honest metrics on a held-out later period, and the baselines a model must beat.

Classifiers: ROC-AUC, PR-AUC, Brier score and a calibration table, against a
logistic regression on the same features (and, for churn, the recency rule).
LTV: MAE of p50, pinball loss per quantile and p10-p90 interval coverage,
against quantiles of the training labels split by "paid in the first 3 days";
plus the coverage with ties at 0 USD split by probability, the randomized PIT
histogram, the payer part's classifier metrics and the spend part's coverage
among payers (docs/models.md explains why each is there).
"""
from __future__ import annotations

import itertools

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from predictors import hurdle
from predictors.features.ltv import QUANTILES

CALIBRATION_BINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0)


def classifier_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    return {
        "roc_auc": round(float(roc_auc_score(y, p)), 4),
        "pr_auc": round(float(average_precision_score(y, p)), 4),
        "brier": round(float(brier_score_loss(y, p)), 4),
        "positive_rate": round(float(np.mean(y)), 4),
        "rows": len(y),
        "calibration": calibration_table(y, p),
    }


def calibration_table(y: np.ndarray, p: np.ndarray) -> list[dict]:
    """Predicted vs observed rate per probability bin (bins with no rows are left out)."""
    rows = []
    for low, high in itertools.pairwise(CALIBRATION_BINS):
        inside = (p >= low) & ((p < high) if high < 1.0 else (p <= high))
        if inside.any():
            rows.append({"bin": f"{low:.2f}-{high:.2f}", "rows": int(inside.sum()),
                         "mean_predicted": round(float(p[inside].mean()), 4),
                         "observed_rate": round(float(y[inside].mean()), 4)})
    return rows


def logistic_baseline(x_train, y_train, x_test) -> np.ndarray:
    """Probabilities of a standardised logistic regression with median imputation."""
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                          LogisticRegression(max_iter=500))
    model.fit(x_train, y_train)
    return model.predict_proba(x_test)[:, 1]


def pinball(y: np.ndarray, q_pred: np.ndarray, q: float) -> float:
    diff = y - q_pred
    return float(np.mean(np.maximum(q * diff, (q - 1) * diff)))


def quantile_metrics(y: np.ndarray, pred: np.ndarray, quantiles: tuple[float, ...]) -> dict:
    """``pred`` has one column per quantile (p10, p50, p90)."""
    covered = (y >= pred[:, 0]) & (y <= pred[:, -1])
    payers = y > 0
    losses = {f"pinball_p{round(q * 100)}": round(pinball(y, pred[:, i], q), 4)
              for i, q in enumerate(quantiles)}
    return {
        "mae_p50": round(float(np.mean(np.abs(y - pred[:, 1]))), 4),
        **losses,
        "pinball_mean": round(float(np.mean(list(losses.values()))), 4),
        "coverage_p10_p90": round(float(covered.mean()), 4),
        "coverage_p10_p90_payers": round(float(covered[payers].mean()), 4) if payers.any() else None,
        "payer_share": round(float(payers.mean()), 4),
        "rows": len(y),
    }


def ltv_metrics(y: np.ndarray, parts, seed: int = 0) -> dict:
    """Metrics of the two-part LTV model (``parts``: a ``predictors.predict.LtvParts``)."""
    paid = y > 0
    low, high = parts.spend[:, hurdle.LEVELS.index(0.1)], parts.spend[:, hurdle.LEVELS.index(0.9)]
    spend_covered = (y >= low) & (y <= high)
    pit = hurdle.randomized_pit(y, parts.payer_probability, parts.spend, np.random.default_rng(seed))
    expected_total = float(parts.expected().sum())
    return {
        **quantile_metrics(y, parts.quantiles(QUANTILES), QUANTILES),
        "coverage_p10_p90_ties_split": round(
            hurdle.interval_coverage(y, parts.payer_probability, parts.spend), 4),
        "pit_deciles": [round(float(v), 4) for v in np.histogram(pit, bins=10, range=(0.0, 1.0))[0] / len(y)],
        "payer": {k: v
                  for k, v in classifier_metrics(paid.astype(np.float64), parts.payer_probability).items()
                  if k != "rows"},
        "spend_coverage_p10_p90_payers": round(float(spend_covered[paid].mean()), 4) if paid.any() else None,
        "expected_revenue_ratio": round(expected_total / float(y.sum()), 4) if y.sum() > 0 else None,
    }


def ltv_baseline(train_paid_early, y_train, test_paid_early, quantiles) -> np.ndarray:
    """Training-label quantiles within two groups: paid in the first 3 days or not."""
    pred = np.zeros((len(test_paid_early), len(quantiles)))
    for group in (False, True):
        labels = y_train[train_paid_early == group]
        if len(labels):
            pred[test_paid_early == group] = np.quantile(labels, quantiles)
    return pred


def improvement(model: dict, baseline: dict, key: str, higher_is_better: bool = True) -> float:
    """Signed gain of the model over the baseline on ``key`` (positive = model better)."""
    gain = model[key] - baseline[key]
    return round(gain if higher_is_better else -gain, 4)
