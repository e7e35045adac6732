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
import xgboost as xgb

from predictors import calibration, evaluate
from predictors.datasets import build_dataset
from predictors.explain import EXPLAINED_PART, global_importance
from predictors.features.base import FeatureQuery, FrameSource, as_matrix
from predictors.features.ltv import QUANTILES
from predictors.predict import fit_booster, ltv_parts, predict_frame
from predictors.registry import ModelArtifact, ModelRegistry, library_versions
from predictors.specs import SPECS, ModelSpec, Window, calibration_split, splits

Progress = Callable[[str], None]


class NotEnoughData(ValueError):
    """The warehouse has too little of what a model learns from; the message says what is missing."""


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


def fit_parts(spec: ModelSpec, frame: pd.DataFrame) -> dict[str, xgb.Booster]:
    """Each part's booster: the classifier's ``model``, or LTV's ``payer`` and ``spend`` (payers only)."""
    matrix, labels = as_matrix(frame, spec.features), frame["label"].to_numpy(dtype=np.float64)
    if spec.kind == "classifier":
        part = spec.parts["model"]
        return {"model": fit_booster(part.params, part.rounds, matrix, labels, spec.features)}
    paid = labels > 0
    if paid.sum() < 50:
        raise NotEnoughData(f"only {int(paid.sum())} users paid in the LTV training window; the spend part "
                         "needs at least 50 (train on a larger or longer warehouse)")
    payer, spend = spec.parts["payer"], spec.parts["spend"]
    return {"payer": fit_booster(payer.params, payer.rounds, matrix, paid.astype(np.float64),
                                 spec.features),
            "spend": fit_booster(spend.params, spend.rounds, matrix[paid], np.log(labels[paid]),
                                 spec.features)}


def _evaluate(spec: ModelSpec, boosters, train: pd.DataFrame, test: pd.DataFrame) -> tuple[dict, dict, dict]:
    """(model metrics, baseline metrics, improvement) on the test window."""
    y_test = test["label"].to_numpy()
    if spec.kind == "quantile":
        parts = ltv_parts(boosters, as_matrix(test, spec.features))
        model = evaluate.ltv_metrics(y_test, parts)
        base_pred = evaluate.ltv_baseline(train["revenue_d3"].to_numpy() > 0, train["label"].to_numpy(),
                                          test["revenue_d3"].to_numpy() > 0, QUANTILES)
        base = evaluate.quantile_metrics(y_test, base_pred, QUANTILES)
        return model, base, {"pinball_mean": evaluate.improvement(model, base, "pinball_mean", False),
                             "mae_p50": evaluate.improvement(model, base, "mae_p50", False)}
    predicted = predict_frame(boosters, test, spec.features, spec.kind)
    model = evaluate.classifier_metrics(y_test, predicted)
    x_train, x_test = as_matrix(train, spec.features), as_matrix(test, spec.features)
    base = {"logistic_regression": evaluate.classifier_metrics(
        y_test, evaluate.logistic_baseline(x_train, train["label"].to_numpy(), x_test))}
    if spec.name == "churn":  # the rule a marketer would use: the longer away, the likelier gone
        rule = test["days_since_last_session"].to_numpy()
        base["recency_rule"] = evaluate.classifier_metrics(y_test, rule / (rule.max() or 1.0))
    return model, base, {k: evaluate.improvement(model, v, "roc_auc") for k, v in base.items()}


def _fit_calibrated(spec: ModelSpec, train: pd.DataFrame, window: Window) -> tuple[dict, dict]:
    """The booster on the training window's earlier installs, the sigmoid on its last weeks."""
    fit_end, calibration_start = calibration_split(window)
    days = train["install_time"].dt.floor("D")
    fit_rows = train[days < pd.Timestamp(fit_end)]
    calibration_rows = train[days >= pd.Timestamp(calibration_start)]
    if fit_rows["label"].sum() < 50 or calibration_rows["label"].sum() < 20:
        raise NotEnoughData(f"{int(fit_rows['label'].sum())} conversions to learn from and "
                            f"{int(calibration_rows['label'].sum())} to calibrate on; the {spec.name} model "
                            "needs at least 50 and 20 (train on a larger or longer warehouse)")
    boosters = fit_parts(spec, fit_rows)
    margins = calibration.margin(boosters["model"], as_matrix(calibration_rows, spec.features))
    fitted = calibration.fit_sigmoid(margins, calibration_rows["label"].to_numpy())
    fitted["window"] = {
        "fit": {"start": window.start.isoformat(), "end": fit_end.isoformat()},
        "calibration": {"start": calibration_start.isoformat(), "end": window.end.isoformat()}}
    return boosters, fitted


def _evaluate_calibrated(spec: ModelSpec, boosters, fitted: dict, train: pd.DataFrame, test: pd.DataFrame,
                         window: Window) -> tuple[dict, dict, dict]:
    """Metrics at 24 hours (the definition) and at the drawn shorter horizons; the logistic baseline
    on the same rows; Brier before calibration, with the sigmoid and with isotonic regression."""
    _, calibration_start = calibration_split(window)
    full = test["hours_observed"].to_numpy() >= 24.0
    y = test["label"].to_numpy()
    margins = calibration.margin(boosters["model"], as_matrix(test, spec.features))
    predicted = calibration.apply(fitted, margins)
    x_train, x_test = as_matrix(train, spec.features), as_matrix(test, spec.features)
    base = evaluate.logistic_baseline(x_train, train["label"].to_numpy(), x_test)
    def metrics(p: np.ndarray) -> dict:
        return {**evaluate.classifier_metrics(y[full], p[full]),
                "shorter_horizons": evaluate.classifier_metrics(y[~full], p[~full])}

    model, baseline = metrics(predicted), {"logistic_regression": metrics(base)}
    days = train["install_time"].dt.floor("D")
    rows = train[days >= pd.Timestamp(calibration_start)]
    iso = calibration.isotonic(calibration.margin(boosters["model"], as_matrix(rows, spec.features)),
                               rows["label"].to_numpy())
    model["brier_by_calibration"] = {
        "none": round(float(np.mean((calibration.apply(None, margins[full]) - y[full]) ** 2)), 5),
        "sigmoid": round(float(np.mean((predicted[full] - y[full]) ** 2)), 5),
        "isotonic": round(float(np.mean((iso.predict(margins[full]) - y[full]) ** 2)), 5),
    }
    gain = {k: evaluate.improvement(model, v, "roc_auc") for k, v in baseline.items()}
    return model, baseline, gain


def _importance(boosters, test: pd.DataFrame, spec: ModelSpec) -> dict:
    """Mean |SHAP| per feature: ``global_importance`` of the part predictions are explained by
    (LTV: the payer part), and for LTV also ``global_importance_spend`` (the spend part's median)."""
    sample = as_matrix(test.sample(min(len(test), 2000), random_state=0), spec.features)
    out = {"global_importance": global_importance(boosters[EXPLAINED_PART[spec.name]], sample, spec.features)}
    if "spend" in boosters:
        out["global_importance_spend"] = global_importance(boosters["spend"], sample, spec.features)
    return out


def train_model(name: str, source: FrameSource, registry: ModelRegistry, as_of: dt.date,
                progress: Progress = lambda message: None) -> ModelArtifact:
    spec = SPECS[name]
    train_window, test_window = splits(name, as_of)
    progress(f"{name}: building training features {train_window.describe()}")
    train = build_dataset(source, spec, train_window)
    progress(f"{name}: building held-out features {test_window.describe()}")
    test = build_dataset(source, spec, test_window)
    progress(f"{name}: fitting XGBoost ({', '.join(spec.parts)}) on {len(train):,} rows")
    extra: dict = {}
    if spec.calibrated:
        boosters, fitted = _fit_calibrated(spec, train, train_window)
        progress(f"{name}: evaluating on {len(test):,} held-out rows")
        metrics, baseline, gain = _evaluate_calibrated(spec, boosters, fitted, train, test, train_window)
        extra["calibration"] = fitted
    else:
        boosters = fit_parts(spec, train)
        progress(f"{name}: evaluating on {len(test):,} held-out rows")
        metrics, baseline, gain = _evaluate(spec, boosters, train, test)
    meta = {
        "kind": spec.kind, "entity": spec.entity, "target": spec.target, "features": list(spec.features),
        "training_window": {"train": train_window.describe(), "test": test_window.describe(),
                            "as_of": as_of.isoformat(), "train_rows": len(train), "test_rows": len(test)},
        "data_fingerprint": data_fingerprint(source), "metrics": metrics, "baseline": baseline,
        "improvement_over_baseline": gain, "typical_values": typical_values(train, spec.features),
        **_importance(boosters, test, spec),
        "params": {part: p.params for part, p in spec.parts.items()},
        "rounds": {part: p.rounds for part, p in spec.parts.items()}, "library_versions": library_versions(),
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **extra,
    }
    return registry.save(name, boosters, meta)
