"""Predictions of a model's boosters on a feature frame, in the model's own units.

Classifiers give a probability per row. The LTV model gives (p10, p50, p90)
of 60-day revenue per row, from its two parts (``predictors.hurdle``): the
quantiles never cross and are never negative.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xgboost as xgb

from predictors import hurdle
from predictors.features.base import as_matrix
from predictors.features.ltv import QUANTILES


@dataclass
class LtvParts:
    """The LTV parts' outputs: P(any revenue) and the spend quantiles (USD) at ``hurdle.LEVELS``."""

    payer_probability: np.ndarray
    spend: np.ndarray

    def quantiles(self, alphas: tuple[float, ...] = QUANTILES) -> np.ndarray:
        return hurdle.quantiles(self.payer_probability, self.spend, alphas)

    def expected(self) -> np.ndarray:
        return hurdle.expected(self.payer_probability, self.spend)


def ltv_parts(boosters: Mapping[str, xgb.Booster], matrix: np.ndarray) -> LtvParts:
    probability = np.asarray(boosters["payer"].inplace_predict(matrix), dtype=np.float64).reshape(-1)
    return LtvParts(probability, hurdle.spend_quantiles(boosters["spend"].inplace_predict(matrix)))


def predict_matrix(boosters: Mapping[str, xgb.Booster], matrix: np.ndarray, kind: str) -> np.ndarray:
    if kind == "quantile":
        return ltv_parts(boosters, matrix).quantiles()
    return np.asarray(boosters["model"].inplace_predict(matrix), dtype=np.float64).reshape(-1)


def predict_frame(boosters: Mapping[str, xgb.Booster], frame: pd.DataFrame, features: tuple[str, ...],
                  kind: str) -> np.ndarray:
    if frame.empty:
        return np.zeros((0, len(QUANTILES))) if kind == "quantile" else np.zeros(0)
    return predict_matrix(boosters, as_matrix(frame, features), kind)


def fit_booster(params: dict, rounds: int, matrix: np.ndarray, labels: np.ndarray,
                features: tuple[str, ...]) -> xgb.Booster:
    data = xgb.DMatrix(matrix, label=labels, feature_names=list(features), nthread=params.get("nthread", 2))
    return xgb.train(params, data, num_boost_round=rounds)
