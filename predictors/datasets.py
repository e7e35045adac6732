"""Feature frames joined with their labels, per model and window.

Features come from each builder at the window's cutoff; labels come from
later data (the label queries), which is exactly why they are kept apart.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from predictors.features.base import Cohort, FrameSource
from predictors.specs import DAY, ModelSpec, Window


def _with_labels(features: pd.DataFrame, labels: pd.DataFrame, entity: str) -> pd.DataFrame:
    by_id = labels.set_index(entity)["label"]
    out = features.copy()
    out["label"] = by_id.reindex(out[entity]).to_numpy()
    return out.dropna(subset=["label"])


def _install_window(source: FrameSource, spec: ModelSpec, window: Window, cutoff: dt.date) -> pd.DataFrame:
    module = spec.features_module
    cohort = Cohort(install_from=window.start, install_to=window.end - DAY)
    features = source.frame(module.feature_query(cutoff, cohort))
    return _with_labels(features, source.frame(module.label_query(window.start, window.end)), spec.entity)


def _churn_cutoffs(source: FrameSource, spec: ModelSpec, window: Window) -> pd.DataFrame:
    module = spec.features_module
    frames = []
    for cutoff in window.cutoffs:
        features = source.frame(module.feature_query(cutoff))
        frame = _with_labels(features, source.frame(module.label_query(cutoff)), spec.entity)
        frames.append(frame.assign(cutoff=pd.Timestamp(cutoff)))
    return pd.concat(frames, ignore_index=True)


def _conversion_window(source: FrameSource, spec: ModelSpec, window: Window) -> pd.DataFrame:
    """Two rows per install (24 h and a drawn horizon), without those that paid in their observed
    hours; label 1 when the first revenue came within 7 days of install (and so after them)."""
    module = spec.features_module
    cohort = Cohort(install_from=window.start, install_to=window.end - DAY)
    features = source.frame(module.training_query(window.end + DAY, cohort))
    labels = source.frame(module.label_query(window.start, window.end))
    first_paid = labels.set_index(spec.entity)["first_paid_hours"].reindex(features[spec.entity])
    out = features.assign(label=first_paid.notna().astype("float64").to_numpy())
    return out[out["paid_observed"] == 0].reset_index(drop=True)


def build_dataset(source: FrameSource, spec: ModelSpec, window: Window) -> pd.DataFrame:
    """Features and ``label`` for one window (train or test) of one model."""
    if spec.name == "churn":
        return _churn_cutoffs(source, spec, window)
    if spec.name == "conversion":
        return _conversion_window(source, spec, window)
    if spec.name == "fraud":  # the first 24 h of the window's last installs
        return _install_window(source, spec, window, window.end + DAY)
    return _install_window(source, spec, window, window.end + spec.features_module.EARLY_DAYS * DAY)
