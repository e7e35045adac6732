"""Held-out metrics on a later period than training, against baselines, at the issue's targets."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from predictors import evaluate
from predictors.datasets import build_dataset
from predictors.predict import predict_frame
from predictors.specs import SPECS, splits
from tests.predictors.conftest import AS_OF


def _last_day(window) -> dt.date:
    return max(window.cutoffs) + dt.timedelta(days=14) if window.cutoffs else window.end


def _first_day(window) -> dt.date:
    return min(window.cutoffs) if window.cutoffs else window.start


def test_every_test_window_starts_after_training_labels_end():
    for name in SPECS:
        train, test = splits(name, AS_OF)
        assert _first_day(test) >= _last_day(train) or name == "ltv", name
    ltv_train, ltv_test = splits("ltv", AS_OF)  # cohorts: later installs, labels within the data
    assert ltv_test.start > ltv_train.end and ltv_test.end + dt.timedelta(days=60) <= AS_OF


def test_fraud_beats_its_target_and_baseline_without_being_trivial(trained):
    meta = trained["artifacts"]["fraud"].meta
    auc = meta["metrics"]["roc_auc"]
    assert 0.95 <= auc < 0.995
    assert auc > meta["baseline"]["logistic_regression"]["roc_auc"]
    assert {"pr_auc", "brier", "calibration"} <= set(meta["metrics"])


def test_churn_beats_its_target_and_both_baselines(trained):
    meta = trained["artifacts"]["churn"].meta
    assert 0.80 <= meta["metrics"]["roc_auc"] < 0.99
    assert all(gain > 0 for gain in meta["improvement_over_baseline"].values())
    assert set(meta["baseline"]) == {"logistic_regression", "recency_rule"}


def test_ltv_beats_the_grouped_quantile_baseline(trained):
    meta = trained["artifacts"]["ltv"].meta
    assert meta["improvement_over_baseline"]["pinball_mean"] > 0
    assert meta["improvement_over_baseline"]["mae_p50"] > 0
    assert 0.0 < meta["metrics"]["coverage_p10_p90_payers"] < 1.0
    assert meta["metrics"]["coverage_p10_p90"] >= meta["metrics"]["coverage_p10_p90_payers"]


def test_ltv_intervals_hold_the_truth_as_often_as_they_claim(trained):
    """The issue's 75-85% p10-p90 coverage, counted so that a point mass at $0 cannot inflate it.

    Counting every $0 user whose interval is [$0, $0] as inside gives ~98% for any honest model
    (docs/models.md); that plain figure is still recorded, and reported next to these.
    """
    m = trained["artifacts"]["ltv"].meta["metrics"]
    assert 0.75 <= m["coverage_p10_p90_ties_split"] <= 0.85
    assert 0.75 <= m["spend_coverage_p10_p90_payers"] <= 0.85  # payers: inside their spend interval
    assert m["coverage_p10_p90"] >= 1 - m["payer_share"]  # the plain count: every non-payer is "inside"
    assert len(m["pit_deciles"]) == 10 and all(0.08 <= d <= 0.12 for d in m["pit_deciles"])


def test_ltv_payer_part_is_a_calibrated_classifier_and_the_mean_tracks_revenue(trained):
    m = trained["artifacts"]["ltv"].meta["metrics"]
    assert 0.9 <= m["payer"]["roc_auc"] < 0.995
    assert m["payer"]["positive_rate"] == m["payer_share"]
    predicted = sum(b["mean_predicted"] * b["rows"] for b in m["payer"]["calibration"])
    observed = sum(b["observed_rate"] * b["rows"] for b in m["payer"]["calibration"])
    assert abs(predicted / observed - 1) < 0.15
    assert 0.85 <= m["expected_revenue_ratio"] <= 1.15


def test_recorded_fraud_auc_is_the_auc_on_the_later_period(trained, train_source):
    artifact = trained["artifacts"]["fraud"]
    test = build_dataset(train_source, SPECS["fraud"], splits("fraud", AS_OF)[1])
    assert test["install_time"].min() >= dt.datetime(2026, 5, 2)
    predicted = predict_frame(artifact.boosters, test, artifact.features, "classifier")
    assert round(roc_auc_score(test["label"], predicted), 4) == artifact.meta["metrics"]["roc_auc"]


def test_calibration_table_and_pinball_on_known_values():
    y = np.array([0, 0, 1, 1])
    p = np.array([0.02, 0.04, 0.95, 0.6])
    table = evaluate.calibration_table(y, p)
    assert table[0] == {"bin": "0.00-0.05", "rows": 2, "mean_predicted": 0.03, "observed_rate": 0.0}
    assert table[-1]["bin"] == "0.90-1.00" and table[-1]["observed_rate"] == 1.0
    assert evaluate.pinball(np.array([10.0]), np.array([0.0]), 0.9) == pytest.approx(9.0)
    assert evaluate.pinball(np.array([0.0]), np.array([10.0]), 0.9) == pytest.approx(1.0)
