"""Batch scoring: the prediction tables of the warehouse contract.

``churn_scores`` (users active in the 30 days before as_of), ``fraud_scores``
(every install), ``conversion_scores`` (every install, from its first 24 hours or the hours seen so
far; 1 for installs that already paid in them), ``ltv_predictions`` (every user) and ``user_segments`` (every
user's behavioural cluster and, for paying users, their RFM segment:
``predictors/segments.py`` and ``predictors/clusters.py``, computed, not trained;
with ``cluster_profiles``, what sets each cluster apart),
each row stamped with the model version and the scoring time, so ordinary
questions can be asked about predictions. For LTV, ``predictions`` also returns ``ltv_expected`` and
``payer_probability`` (the tools show them); the table keeps the contract's
columns.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from predictors import calibration
from predictors.clusters import FEATURES as CLUSTER_FEATURES
from predictors.features.base import Cohort, FrameSource, as_matrix
from predictors.predict import ltv_parts, predict_frame
from predictors.registry import ModelArtifact, ModelRegistry
from predictors.segments import user_segments
from predictors.specs import SPECS

TABLES = {"churn": "churn_scores", "fraud": "fraud_scores", "ltv": "ltv_predictions",
          "conversion": "conversion_scores", "rfm": "user_segments"}
COLUMNS = {
    "churn_scores": ("user_id", "churn_probability", "model_version", "scored_at"),
    "fraud_scores": ("install_id", "fraud_probability", "model_version", "scored_at"),
    "conversion_scores": ("install_id", "conversion_probability", "model_version", "scored_at"),
    "ltv_predictions": ("user_id", "ltv_p10", "ltv_p50", "ltv_p90", "model_version", "scored_at"),
    "user_segments": ("user_id", "rfm_segment", "cluster", "r_score", "f_score", "m_score", "model_version",
                      "scored_at"),
    "cluster_profiles": ("cluster", "users", "share", "description",
                         *(f"{stat}_{f}" for stat in ("z", "mean", "median") for f in CLUSTER_FEATURES),
                         "model_version", "scored_at"),
}
_DDL = {
    "churn_scores": "user_id VARCHAR, churn_probability DOUBLE, model_version VARCHAR, scored_at TIMESTAMP",
    "fraud_scores": ("install_id VARCHAR, fraud_probability DOUBLE, model_version VARCHAR, "
                     "scored_at TIMESTAMP"),
    "conversion_scores": ("install_id VARCHAR, conversion_probability DOUBLE, model_version VARCHAR, "
                          "scored_at TIMESTAMP"),
    "ltv_predictions": ("user_id VARCHAR, ltv_p10 DOUBLE, ltv_p50 DOUBLE, ltv_p90 DOUBLE, "
                        "model_version VARCHAR, scored_at TIMESTAMP"),
    "user_segments": ("user_id VARCHAR, rfm_segment VARCHAR, cluster INTEGER, r_score INTEGER, "
                      "f_score INTEGER, m_score INTEGER, model_version VARCHAR, scored_at TIMESTAMP"),
    "cluster_profiles": ("cluster INTEGER, users BIGINT, share DOUBLE, description VARCHAR, "
                         + "".join(f"{stat}_{f} DOUBLE, " for stat in ("z", "mean", "median")
                                   for f in CLUSTER_FEATURES)
                         + "model_version VARCHAR, scored_at TIMESTAMP"),
}


@dataclass
class ScoredTable:
    table: str
    frame: pd.DataFrame
    also: tuple[ScoredTable, ...] = ()  # tables written in the same run (segments: cluster_profiles)
    info: dict = field(default_factory=dict)  # what the run reports besides rows (clusters: k, silhouettes)


def predictions(artifact: ModelArtifact, features: pd.DataFrame, scored_at: dt.datetime) -> pd.DataFrame:
    """The prediction table's rows for a feature frame."""
    spec = SPECS[artifact.name]
    out = pd.DataFrame({spec.entity: features[spec.entity].to_numpy()})
    if spec.kind == "quantile":  # the table's quantiles, and for the tools the mean and P(pays)
        for name, values in _ltv_columns(artifact, features).items():
            out[name] = values
    elif spec.calibrated:  # already paid in the observed hours: converted, probability 1
        out[f"{artifact.name}_probability"] = np.where(
            features["paid_observed"].to_numpy() == 1, 1.0, _calibrated(artifact, features))
    else:
        predicted = predict_frame(artifact.boosters, features, artifact.features, spec.kind)
        out[f"{artifact.name}_probability"] = predicted.astype("float64")
    out["model_version"] = artifact.version
    out["scored_at"] = pd.Timestamp(scored_at)
    return out


def _calibrated(artifact: ModelArtifact, features: pd.DataFrame) -> np.ndarray:
    if features.empty:
        return np.zeros(0)
    margins = calibration.margin(artifact.booster, as_matrix(features, artifact.features))
    return calibration.apply(artifact.meta["calibration"], margins)


def _ltv_columns(artifact: ModelArtifact, features: pd.DataFrame) -> dict[str, np.ndarray]:
    names = ("ltv_p10", "ltv_p50", "ltv_p90", "ltv_expected", "payer_probability")
    if features.empty:
        return {name: np.zeros(0) for name in names}
    parts = ltv_parts(artifact.boosters, as_matrix(features, artifact.features))
    quantiles = parts.quantiles()
    return dict(zip(names, (*quantiles.T, parts.expected(), parts.payer_probability), strict=True))


def score_model(name: str, source: FrameSource, registry: ModelRegistry, as_of: dt.date,
                scored_at: dt.datetime | None = None) -> ScoredTable:
    scored_at = scored_at or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    if name == "rfm":  # RFM segments and behavioural clusters: computed from the events, nothing to load
        rows, profiles, clustering = user_segments(source, as_of, scored_at)
        return ScoredTable(TABLES[name], rows, (ScoredTable("cluster_profiles", profiles),),
                           {"k": clustering.k, "silhouettes": clustering.silhouettes})
    artifact = registry.load(name)
    features = source.frame(SPECS[name].features_module.feature_query(as_of, Cohort()))
    return ScoredTable(TABLES[name], predictions(artifact, features, scored_at))


def write_table(connection, scored: ScoredTable) -> int:
    """Replace the table in a writable DuckDB connection; returns the row count."""
    columns = ", ".join(COLUMNS[scored.table])
    connection.register("_asklytics_scores", scored.frame)
    try:
        connection.execute(f"CREATE OR REPLACE TABLE {scored.table} ({_DDL[scored.table]})")
        connection.execute(f"INSERT INTO {scored.table} SELECT {columns} FROM _asklytics_scores")
    finally:
        connection.unregister("_asklytics_scores")
    return len(scored.frame)


def score_all(names, source: FrameSource, registry: ModelRegistry, as_of: dt.date, connection,
              progress: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Score each model and write its table; returns rows written per table."""
    written = {}
    for name in names:
        progress(f"{name}: scoring")
        scored = score_model(name, source, registry, as_of)
        for table in (scored, *scored.also):
            written[table.table] = write_table(connection, table)
            progress(f"{name}: wrote {written[table.table]:,} rows to {table.table}")
        if "k" in scored.info:
            silhouettes = ", ".join(f"k={k}: {v}" for k, v in scored.info["silhouettes"].items())
            progress(f"{name}: {scored.info['k']} behavioural clusters (highest silhouette; {silhouettes})")
    return written
