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
    kind = "install" if name in ("fraud", "conversion") else "user"
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
    kind = "install" if artifact.name in ("fraud", "conversion") else "user"
    head = (f"{chance_phrase(probability)} chance of a first purchase within 7 days of install"
            if artifact.name == "conversion" else f"a {probability:.0%} {OUTCOME[artifact.name]}")
    narrative = (f"The {kind} {entity_id} has {head}: "
                 f"{explanation.narrative(3)}. Prediction of the {artifact.name} model {artifact.version}.")
    return ToolAnswer(columns, rows, narrative,
                      {"probability": probability, "base_value": explanation.base_value})


NEW_INSTALL_DAYS = 7  # "which installs are likely to convert?": the installs whose 7 days are not over


def conversion_cohort(cohort: Cohort, as_of: dt.date) -> tuple[Cohort, bool]:
    """A cohort listing without install dates covers the last 7 days' installs (True when so)."""
    if cohort.ids or cohort.install_from is not None or cohort.install_to is not None:
        return cohort, False
    return replace(cohort, install_from=as_of - dt.timedelta(days=NEW_INSTALL_DAYS)), True


def conversion_answer(loaded: LoadedModel, source: FrameSource, cohort: Cohort, limit: int,
                      entity_id: str | None, as_of: dt.date) -> ToolAnswer:
    """Conversion probability of one install, or the cohort's installs that have not paid yet, most
    likely first; installs that already paid in their observed hours are counted, not listed."""
    version = loaded.artifact.version
    cohort, defaulted = conversion_cohort(cohort, as_of)
    features = _features(loaded, source, cohort, as_of)
    if features.empty and entity_id:
        raise _missing("conversion", entity_id, as_of)
    scored = predictions(loaded.artifact, features, dt.datetime.combine(as_of, dt.time()))
    frame = pd.DataFrame({"install_id": scored["install_id"],
                          "install_time": features["install_time"].astype(str).to_numpy(),
                          "hours_observed": features["hours_observed"].astype("float64").round(2).to_numpy(),
                          "conversion_probability": scored["conversion_probability"],
                          "model_version": version})
    paid = features["paid_observed"].to_numpy() == 1
    stamp = f"Predictions of the conversion model {version}."
    if entity_id:
        columns, rows = _table(frame)
        row = frame.iloc[0]
        if paid[0]:
            narrative = (f"Install {entity_id} already made a purchase in its first "
                         f"{format_value('hours_observed', row['hours_observed'])}: it has converted "
                         f"(probability 1). {stamp}")
        else:
            chance = chance_phrase(row["conversion_probability"])
            narrative = (f"Install {entity_id} has {chance} chance of a first purchase within 7 days of "
                         f"install, from its first {format_value('hours_observed', row['hours_observed'])}. "
                         f"{stamp}")
        return ToolAnswer(columns, rows, narrative,
                          {"matched": 1, "already_paid": bool(paid[0]), "as_of": as_of.isoformat()})
    waiting = frame[~paid].sort_values("conversion_probability", ascending=False, kind="stable")
    top = waiting.head(limit)
    columns, rows = _table(top)
    which = f"installs of the {NEW_INSTALL_DAYS} days before {as_of}" if defaulted else "installs"
    if frame.empty:
        return ToolAnswer(columns, rows, f"No {which} match these filters. {stamp}",
                          {"matched": 0, "as_of": as_of.isoformat()})
    if waiting.empty:
        return ToolAnswer(columns, rows, f"All {len(frame):,} {which} already paid in their first hours: "
                          f"they have converted. {stamp}",
                          {"matched": len(frame), "already_paid": len(frame)})
    probability = waiting["conversion_probability"]
    likely = int((probability >= 0.5).sum())
    shown = f"; showing the {len(top)} most likely" if len(top) < len(waiting) else ""
    narrative = (f"{len(frame):,} {which} matched; {int(paid.sum()):,} already paid in their first hours. "
                 f"Of the {len(waiting):,} that have not, {likely:,} have a 50% or higher chance of a first "
                 f"purchase within 7 days of install; {probability.sum():,.0f} are expected to buy "
                 f"(average {probability.mean():.1%}){shown}. {stamp}")
    return ToolAnswer(columns, rows, narrative, {"matched": len(frame), "already_paid": int(paid.sum()),
                                                 "as_of": as_of.isoformat()})
