"""Predictions of a booster on a feature frame, in the model's own units.

Classifiers give a probability per row; the LTV model gives (p10, p50, p90)
per row, sorted so the quantiles never cross and clipped at zero (revenue is
never negative).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xgboost as xgb

from predictors.features.base import as_matrix


def predict_matrix(booster: xgb.Booster, matrix: np.ndarray, kind: str) -> np.ndarray:
    raw = booster.inplace_predict(matrix)
    if kind == "quantile":
        return np.clip(np.sort(np.asarray(raw).reshape(len(matrix), -1), axis=1), 0.0, None)
    return np.asarray(raw, dtype=np.float64).reshape(-1)


def predict_frame(booster: xgb.Booster, frame: pd.DataFrame, features: tuple[str, ...], kind: str) -> np.ndarray:
    if frame.empty:
        return np.zeros((0, 3)) if kind == "quantile" else np.zeros(0)
    return predict_matrix(booster, as_matrix(frame, features), kind)


def fit_booster(params: dict, rounds: int, matrix: np.ndarray, labels: np.ndarray,
                features: tuple[str, ...]) -> xgb.Booster:
    data = xgb.DMatrix(matrix, label=labels, feature_names=list(features), nthread=params.get("nthread", 2))
    return xgb.train(params, data, num_boost_round=rounds)
