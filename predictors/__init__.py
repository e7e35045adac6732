"""Predictors: fraud (per install), LTV (per user) and churn (per active user).

Features are DuckDB SQL parameterised by a cutoff (``features/``), models are
XGBoost boosters kept as JSON in a versioned folder (``registry``), predictions
are explained with SHAP in plain words (``explain``) and offered to the
planners as tools (``tools``).
"""
MODEL_NAMES: tuple[str, ...] = ("fraud", "ltv", "churn")
