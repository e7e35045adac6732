"""Rows and narratives of the predictor tools, from a loaded model and live features."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from predictors.describe import format_value, label
from predictors.explain import OUTCOME, PredictionExplainer
from predictors.features.base import Cohort, FrameSource
from predictors.registry import ModelArtifact
from predictors.scoring import predictions
from predictors.specs import SPECS
from warehouse.base import Column


@dataclass
class LoadedModel:
    """A registered model with its SHAP explainer, built on first use and then reused."""

    artifact: ModelArtifact
    _explainer: PredictionExplainer | None = None

    @property
    def explainer(self) -> PredictionExplainer:
        if self._explainer is None:
            self._explainer = PredictionExplainer(self.artifact)
        return self._explainer


@dataclass
class ToolAnswer:
    columns: list[Column]
    rows: list[tuple]
    narrative: str
    extra: dict[str, Any] = field(default_factory=dict)


MAX_COHORT_ROWS = 50_000


def _features(loaded: LoadedModel, source: FrameSource, cohort: Cohort, as_of: dt.date) -> pd.DataFrame:
    module = SPECS[loaded.artifact.name].features_module
    page = getattr(source, "page", None)
    if page is None or cohort.ids:
        return source.frame(module.feature_query(as_of, cohort))
    return _paged_features(module, source, cohort, as_of, page)


def _paged_features(module, source: FrameSource, cohort: Cohort, as_of: dt.date, page: int) -> pd.DataFrame:
    """A connector caps rows per query: read the cohort in id order, one page of entities per query."""
    frames, after, total = [], None, 0
    while True:
        chunk = source.frame(module.feature_query(as_of, replace(cohort, after_id=after, page_size=page)))
        frames.append(chunk)
        total += len(chunk)
        if len(chunk) < page:
            return pd.concat(frames, ignore_index=True)
        if total >= MAX_COHORT_ROWS:
            raise ValueError(f"more than {MAX_COHORT_ROWS:,} rows match; narrow the filters")
        after = chunk[module.ENTITY].max()


def _missing(name: str, entity_id: str, as_of: dt.date) -> LookupError:
    if name == "churn":
        return LookupError(f"no user {entity_id} with a session in the 30 days before {as_of}: the churn "
                           "model scores active users only (check the id, or the user has already left)")
    kind = "install" if name == "fraud" else "user"
    return LookupError(f"no {kind} {entity_id} installed before {as_of}")


def _table(frame: pd.DataFrame) -> tuple[list[Column], list[tuple]]:
    types = {"float64": "DOUBLE", "object": "VARCHAR"}
    columns = [Column(c, types.get(str(frame[c].dtype), "VARCHAR")) for c in frame.columns]
    return columns, [tuple(_plain(v) for v in row) for row in frame.itertuples(index=False)]


def _plain(value):
    """Full precision in the rows (interfaces format for display; evals compare exactly)."""
    return float(value) if isinstance(value, float) else value


def score_answer(loaded: LoadedModel, source: FrameSource, cohort: Cohort, limit: int,
                 entity_id: str | None, as_of: dt.date) -> ToolAnswer:
    """Scores of one entity, or the ``limit`` highest of a cohort."""
    name, version = loaded.artifact.name, loaded.artifact.version
    features = _features(loaded, source, cohort, as_of)
    if features.empty and entity_id:
        raise _missing(name, entity_id, as_of)
    scored = predictions(loaded.artifact, features, dt.datetime.combine(as_of, dt.time()))
    scored = scored.drop(columns="scored_at")
    key = "ltv_expected" if name == "ltv" else f"{name}_probability"
    top = scored.sort_values(key, ascending=False, kind="stable").head(limit)
    columns, rows = _table(top)
    narrative = _score_narrative(name, scored, top, key, version)
    if name == "ltv" and entity_id and len(scored) == 1:
        narrative = _ltv_user_narrative(loaded, features.iloc[0], scored.iloc[0], entity_id)
    return ToolAnswer(columns, rows, narrative, {"matched": len(scored), "as_of": as_of.isoformat()})


def _ltv_user_narrative(loaded: LoadedModel, features: pd.Series, scored: pd.Series, entity_id: str) -> str:
    """One user's interval in words, and why they are (not) likely to pay, from the payer part's SHAP."""
    chance = float(scored["payer_probability"])
    why = loaded.explainer.explain(features, chance, entity_id).narrative(2)
    version = loaded.artifact.version
    return (f"User {entity_id}: predicted 60-day revenue p10 ${scored['ltv_p10']:,.2f}, "
            f"p50 ${scored['ltv_p50']:,.2f}, p90 ${scored['ltv_p90']:,.2f} "
            f"(mean ${scored['ltv_expected']:,.2f}); "
            f"{chance_phrase(chance)} chance of paying at all: {why}. "
            f"Prediction of the ltv model {version}.")


def chance_phrase(probability: float) -> str:
    """"a 37%"; "under a 1%" / "over a 99%" where rounding would claim certainty."""
    if probability < 0.005:
        return "under a 1%"
    if probability > 0.995:
        return "over a 99%"
    return f"a {probability:.0%}"


def _score_narrative(name: str, scored: pd.DataFrame, top: pd.DataFrame, key: str, version: str) -> str:
    stamp = f"Predictions of the {name} model {version}."
    if scored.empty:
        return f"No {'installs' if name == 'fraud' else 'users'} match these filters. {stamp}"
    if name == "ltv":
        likely = (scored["payer_probability"] >= 0.5).sum()
        head = (f"{len(scored):,} users matched; predicted 60-day revenue ${scored[key].sum():,.2f} in all "
                f"(${scored[key].mean():,.2f} per user); {likely:,} are likely payers (50% chance or more)")
    else:
        high = (scored[key] >= 0.7).sum()
        head = (f"{len(scored):,} {'installs' if name == 'fraud' else 'users'} matched; "
                f"{high:,} have {OUTCOME[name]} of 70% or more; average {scored[key].mean():.0%}")
    shown = f"; showing the top {len(top)}" if len(top) < len(scored) else ""
    return f"{head}{shown}. {stamp}"


def explain_answer(loaded: LoadedModel, source: FrameSource, cohort: Cohort, entity_id: str,
                   as_of: dt.date, top: int = 5) -> ToolAnswer:
    """The top SHAP contributions of one prediction, in plain words."""
    artifact = loaded.artifact
    features = _features(loaded, source, cohort, as_of)
    if features.empty:
        raise _missing(artifact.name, entity_id, as_of)
    scored = predictions(artifact, features, dt.datetime.now())
    probability = float(scored.iloc[0][f"{artifact.name}_probability"])
    explanation = loaded.explainer.explain(features.iloc[0], probability, entity_id)
    columns = [Column("feature", "VARCHAR"), Column("value", "VARCHAR"), Column("typical", "VARCHAR"),
               Column("shap_value", "DOUBLE"), Column("effect", "VARCHAR")]
    rows = [(label(c.feature), format_value(c.feature, c.value), c.typical,
             round(c.shap_value, 4), "raises" if c.shap_value > 0 else "lowers")
            for c in explanation.contributions[:top]]
    kind = "install" if artifact.name == "fraud" else "user"
    narrative = (f"The {kind} {entity_id} has a {probability:.0%} {OUTCOME[artifact.name]}: "
                 f"{explanation.narrative(3)}. Prediction of the {artifact.name} model {artifact.version}.")
    return ToolAnswer(columns, rows, narrative,
                      {"probability": probability, "base_value": explanation.base_value})
