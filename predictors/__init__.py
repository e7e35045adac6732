"""Predictors: fraud (per install), LTV (per user) and churn (per active user).

Features are DuckDB SQL parameterised by a cutoff (``features/``), models are
XGBoost boosters kept as JSON in a versioned folder (``registry``), predictions
are explained with SHAP in plain words (``explain``) and offered to the
planners as tools (``tools``).
"""
MODEL_NAMES: tuple[str, ...] = ("fraud", "ltv", "churn")

import os as _os

# OpenMP threads spin while waiting for work by default; on a shared machine
# that turns XGBoost's nthread=2 into a 10x slowdown. Set before xgboost loads.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
