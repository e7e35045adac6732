"""The four models: what they predict, from which features, over which time splits.

Splits are fixed offsets before ``as_of`` (the demo holds six months): every
model trains on earlier cutoffs or cohorts and is evaluated on later ones,
and each dataset's features only see data before their own cutoff.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import ModuleType
from typing import Literal

from predictors import hurdle
from predictors.features import churn, conversion, fraud, ltv

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """Entities of one dataset: installs/users in [start, end), or active users at each cutoff."""

    start: dt.date | None = None
    end: dt.date | None = None
    cutoffs: tuple[dt.date, ...] = ()

    def describe(self) -> dict:
        if self.cutoffs:
            return {"cutoffs": [c.isoformat() for c in self.cutoffs]}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Part:
    """One XGBoost booster of a model: its parameters and boosting rounds."""

    params: dict
    rounds: int = 300


@dataclass(frozen=True)
class ModelSpec:
    """A model: one booster (``model``) for a classifier, two (``payer``, ``spend``) for LTV."""

    name: str
    kind: Literal["classifier", "quantile"]
    features_module: ModuleType
    parts: dict[str, Part] = field(default_factory=dict)
    target: str = ""
    calibrated: bool = False  # a sigmoid on the margin, fitted on the training window's last weeks


    @property
    def features(self) -> tuple[str, ...]:
        return self.features_module.FEATURES

    @property
    def entity(self) -> str:
        return self.features_module.ENTITY


def splits(name: str, as_of: dt.date) -> tuple[Window, Window]:
    """(train, test) windows of one model for data ending the day before ``as_of``."""
    if name == "fraud":  # first 24 h of every install must be complete at the cutoff
        return Window(as_of - 172 * DAY, as_of - 61 * DAY), Window(as_of - 60 * DAY, as_of - DAY)
    if name == "churn":  # label = 14 days after the cutoff; test cutoffs start after train labels end
        train = tuple(as_of - (122 - 14 * k) * DAY for k in range(5))
        return Window(cutoffs=train), Window(cutoffs=(as_of - 30 * DAY, as_of - 16 * DAY))
    if name == "ltv":  # 60 days of revenue after the last install of a cohort
        return Window(as_of - 174 * DAY, as_of - 113 * DAY), Window(as_of - 103 * DAY, as_of - 61 * DAY)
    if name == "conversion":  # 7 days of labels after each window; test labels end the day before as_of
        return Window(as_of - 172 * DAY, as_of - 67 * DAY), Window(as_of - 60 * DAY, as_of - 7 * DAY)
    raise KeyError(name)


CALIBRATION_DAYS = 21


def calibration_split(train: Window) -> tuple[dt.date, dt.date]:
    """(fit_end, calibration_start) within a calibrated model's training window: the booster learns
    from installs before ``fit_end``, whose labels end when the calibration installs start."""
    start = train.end - CALIBRATION_DAYS * DAY
    return start - 7 * DAY, start


_TREE = {"max_depth": 5, "eta": 0.05, "subsample": 0.9, "colsample_bytree": 0.9, "min_child_weight": 2,
         "nthread": 2, "seed": 7}

SPECS: dict[str, ModelSpec] = {
    "fraud": ModelSpec("fraud", "classifier", fraud,
                       {"model": Part({**_TREE, "objective": "binary:logistic"})},
                       "install is fraudulent"),
    "churn": ModelSpec("churn", "classifier", churn,
                       {"model": Part({**_TREE, "max_depth": 4, "objective": "binary:logistic"})},
                       "no session in the 14 days after the cutoff"),
    # two parts (predictors.hurdle): P(any revenue), and quantiles of log revenue among payers
    "ltv": ModelSpec("ltv", "quantile", ltv, {
        "payer": Part({**_TREE, "max_depth": 4, "objective": "binary:logistic"}),
        "spend": Part({**_TREE, "max_depth": 3, "min_child_weight": 5, "objective": "reg:quantileerror",
                       "quantile_alpha": list(hurdle.LEVELS)}, 200),
    }, "revenue in the first 60 days after install (USD)"),
    "conversion": ModelSpec("conversion", "classifier", conversion,
                            # shallow: the odds of paying are close to additive (docs/models.md)
                            {"model": Part({**_TREE, "max_depth": 3, "eta": 0.03, "min_child_weight": 5,
                                            "objective": "binary:logistic"}, 400)},
                            "first purchase after the observed hours and within 7 days of install",
                            calibrated=True),
}
