"""SHAP explanations: per prediction (TreeExplainer) in plain words, and global importance.

SHAP values are in the model's margin (log-odds for classifiers): they sum,
with the explainer's base value, to the booster's raw output for the row. For a model calibrated
by a sigmoid on its margin (conversion: ``a * margin + b``) they are scaled by ``a`` and the base
becomes ``a * base + b``, so they sum to the calibrated log-odds.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shap
import xgboost as xgb

from predictors.describe import format_typical, format_value, label
from predictors.features.base import as_matrix
from predictors.registry import ModelArtifact

OUTCOME = {"fraud": "fraud risk", "churn": "churn risk", "ltv": "the chance of paying",
           "conversion": "the chance of a first purchase"}
EXPLAINED_PART = {"fraud": "model", "churn": "model", "ltv": "payer", "conversion": "model"}
"""The booster a prediction's explanation comes from: for LTV, whether the user pays at all
(the spend part only matters for the few who do)."""


@dataclass
class Contribution:
    feature: str
    value: float | None
    shap_value: float
    typical: str
    text: str


@dataclass
class Explanation:
    entity_id: str
    prediction: float
    base_value: float
    contributions: list[Contribution] = field(default_factory=list)

    def narrative(self, top: int = 3) -> str:
        return "; ".join(c.text for c in self.contributions[:top])


class PredictionExplainer:
    """One TreeExplainer per loaded model (building it walks every tree, so it is reused)."""

    def __init__(self, artifact: ModelArtifact):
        self.artifact = artifact
        self.tree = shap.TreeExplainer(artifact.boosters[EXPLAINED_PART[artifact.name]])
        self.outcome = OUTCOME[artifact.name]
        calibration = artifact.meta.get("calibration") or {}
        self.scale, self.shift = float(calibration.get("a", 1.0)), float(calibration.get("b", 0.0))

    def shap_row(self, matrix: np.ndarray) -> tuple[np.ndarray, float]:
        """SHAP values of a one-row matrix and the base value (margin space, calibrated when the model is)."""
        values = self.tree.shap_values(matrix, check_additivity=False)
        base = float(np.asarray(self.tree.expected_value).reshape(-1)[0])
        return self.scale * np.asarray(values).reshape(-1), self.scale * base + self.shift

    def explain(self, row: pd.Series, prediction: float, entity_id: str) -> Explanation:
        features = self.artifact.features
        values, base = self.shap_row(as_matrix(row.to_frame().T, features))
        order = np.argsort(-np.abs(values))
        contributions = [self._contribution(features[i], row[features[i]], float(values[i]), rank)
                         for rank, i in enumerate(order)]
        return Explanation(entity_id, prediction, base, contributions)

    def _contribution(self, feature: str, value, shap_value: float, rank: int) -> Contribution:
        value = None if value is None or pd.isna(value) else float(value)
        typical = format_typical(feature, self.artifact.meta.get("typical_values", {}).get(feature))
        direction = "raises" if shap_value > 0 else "lowers"
        strength = " the most" if rank == 0 else ""
        text = (f"{label(feature)} {format_value(feature, value)} (typical {typical}) "
                f"{direction} {self.outcome}{strength}")
        return Contribution(feature, value, shap_value, typical, text)


def global_importance(booster: xgb.Booster, matrix: np.ndarray, features: tuple[str, ...]) -> list[dict]:
    """Mean |SHAP| per feature over ``matrix`` (TreeSHAP in XGBoost, fast on batches), largest first.

    For the multi-quantile LTV spend part the median (p50) output is used.
    """
    contribs = booster.predict(xgb.DMatrix(matrix, feature_names=list(features)), pred_contribs=True)
    contribs = np.asarray(contribs)
    if contribs.ndim == 3:  # rows x outputs x (features + bias)
        contribs = contribs[:, contribs.shape[1] // 2, :]
    mean_abs = np.abs(contribs[:, :-1]).mean(axis=0)
    ranked = sorted(zip(features, mean_abs), key=lambda pair: -pair[1])
    return [{"feature": name, "label": label(name), "mean_abs_shap": round(float(v), 4)}
            for name, v in ranked]
