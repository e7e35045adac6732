"""Train one model on its earlier window, evaluate it on the later one, save it with its metrics.

The saved model is the evaluated one (trained on the earlier window only), so
the metrics recorded next to it are the metrics of what scores.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import numpy as np
import pandas as pd

from predictors import evaluate
from predictors.datasets import build_dataset
from predictors.explain import global_importance
from predictors.features.base import FeatureQuery, FrameSource, as_matrix
from predictors.predict import fit_booster, predict_frame
from predictors.registry import ModelArtifact, ModelRegistry, library_versions
from predictors.specs import SPECS, ModelSpec, splits

Progress = Callable[[str], None]


def data_fingerprint(source: FrameSource) -> str:
    """Row counts and time ranges of the source tables: changes whenever the data does."""
    frame = source.frame(FeatureQuery(
        "SELECT (SELECT count(*) FROM installs), (SELECT max(install_time) FROM installs), "
        "(SELECT count(*) FROM events), (SELECT max(event_time) FROM events), "
        "(SELECT sum(revenue) FROM events), (SELECT count(*) FILTER (WHERE is_fraud) FROM installs)"))
    return hashlib.sha256(repr(frame.iloc[0].tolist()).encode()).hexdigest()[:16]


def typical_values(frame: pd.DataFrame, features: tuple[str, ...]) -> dict[str, dict[str, float | None]]:
    """p10/p50/p90 of each feature in the training rows: the "typical" range explanations quote."""
    stats = {}
    for name in features:
        values = frame[name].astype("float64").dropna()
        stats[name] = ({f"p{q}": round(float(values.quantile(q / 100)), 4) for q in (10, 50, 90)}
                       if len(values) else {"p10": None, "p50": None, "p90": None})
    return stats


def _evaluate(spec: ModelSpec, booster, train: pd.DataFrame, test: pd.DataFrame) -> tuple[dict, dict, dict]:
    """(model metrics, baseline metrics, improvement) on the test window."""
    y_test = test["label"].to_numpy()
    predicted = predict_frame(booster, test, spec.features, spec.kind)
    if spec.kind == "quantile":
        from predictors.features.ltv import QUANTILES
        model = evaluate.quantile_metrics(y_test, predicted, QUANTILES)
        base_pred = evaluate.ltv_baseline(train["revenue_d3"].to_numpy() > 0, train["label"].to_numpy(),
                                          test["revenue_d3"].to_numpy() > 0, QUANTILES)
        base = evaluate.quantile_metrics(y_test, base_pred, QUANTILES)
        return model, base, {"pinball_mean": evaluate.improvement(model, base, "pinball_mean", False),
                             "mae_p50": evaluate.improvement(model, base, "mae_p50", False)}
    model = evaluate.classifier_metrics(y_test, predicted)
    x_train, x_test = as_matrix(train, spec.features), as_matrix(test, spec.features)
    base = {"logistic_regression": evaluate.classifier_metrics(
        y_test, evaluate.logistic_baseline(x_train, train["label"].to_numpy(), x_test))}
    if spec.name == "churn":  # the rule a marketer would use: the longer away, the likelier gone
        rule = test["days_since_last_session"].to_numpy()
        base["recency_rule"] = evaluate.classifier_metrics(y_test, rule / (rule.max() or 1.0))
    return model, base, {k: evaluate.improvement(model, v, "roc_auc") for k, v in base.items()}


def _importance(booster, test: pd.DataFrame, spec: ModelSpec) -> list[dict]:
    sample = test.sample(min(len(test), 2000), random_state=0)
    return global_importance(booster, as_matrix(sample, spec.features), spec.features)


def train_model(name: str, source: FrameSource, registry: ModelRegistry, as_of: dt.date,
                progress: Progress = lambda message: None) -> ModelArtifact:
    spec = SPECS[name]
    train_window, test_window = splits(name, as_of)
    progress(f"{name}: building training features {train_window.describe()}")
    train = build_dataset(source, spec, train_window)
    progress(f"{name}: building held-out features {test_window.describe()}")
    test = build_dataset(source, spec, test_window)
    progress(f"{name}: fitting XGBoost on {len(train):,} rows")
    booster = fit_booster(spec.params, spec.rounds, as_matrix(train, spec.features),
                          train["label"].to_numpy(dtype=np.float64), spec.features)
    progress(f"{name}: evaluating on {len(test):,} held-out rows")
    metrics, baseline, gain = _evaluate(spec, booster, train, test)
    meta = {
        "kind": spec.kind, "entity": spec.entity, "target": spec.target, "features": list(spec.features),
        "training_window": {"train": train_window.describe(), "test": test_window.describe(),
                            "as_of": as_of.isoformat(), "train_rows": len(train), "test_rows": len(test)},
        "data_fingerprint": data_fingerprint(source), "metrics": metrics, "baseline": baseline,
        "improvement_over_baseline": gain, "typical_values": typical_values(train, spec.features),
        "global_importance": _importance(booster, test, spec),
        "params": spec.params, "rounds": spec.rounds, "library_versions": library_versions(),
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return registry.save(name, booster, meta)
