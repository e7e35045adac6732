"""Sigmoid (Platt) calibration of a booster's margin, fitted on a later window than the booster.

``p = 1 / (1 + exp(-(a * margin + b)))``: two numbers stored in the model's ``meta.json``
(``calibration``), so scoring needs nothing but the booster and them. Being linear in the margin,
it keeps SHAP additive: ``a`` times each SHAP value (and ``a * base + b``) are the contributions
to the calibrated log-odds (``predictors.explain``). Isotonic regression is fitted too, on the same
rows, only to compare (docs/models.md, "Conversion").
"""
from __future__ import annotations

import numpy as np
import xgboost as xgb
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression


def margin(booster: xgb.Booster, matrix: np.ndarray) -> np.ndarray:
    """The booster's raw output (log-odds) per row."""
    return np.asarray(booster.inplace_predict(matrix, predict_type="margin"), dtype=np.float64).reshape(-1)


def fit_sigmoid(margins: np.ndarray, labels: np.ndarray) -> dict:
    """``{"method": "sigmoid", "a": ..., "b": ...}`` by an (almost) unregularised logistic regression."""
    if len(np.unique(labels)) < 2:
        raise ValueError("the calibration window needs both outcomes")
    model = LogisticRegression(C=1e6, max_iter=1000).fit(margins.reshape(-1, 1), labels)
    return {"method": "sigmoid", "a": float(model.coef_[0, 0]), "b": float(model.intercept_[0]),
            "rows": len(labels), "positives": int(labels.sum())}


def apply(calibration: dict | None, margins: np.ndarray) -> np.ndarray:
    """Calibrated probabilities (the plain logistic of the margin when there is no calibration)."""
    a, b = (calibration["a"], calibration["b"]) if calibration else (1.0, 0.0)
    return 1.0 / (1.0 + np.exp(-(a * margins + b)))


def isotonic(margins: np.ndarray, labels: np.ndarray) -> IsotonicRegression:
    """The alternative, for the comparison only: a monotone step function of the margin."""
    return IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(margins, labels)
