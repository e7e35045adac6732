"""Versioned model folder: ``<root>/<model>/<version>/<part>.json + meta.json``.

Boosters are stored in XGBoost's own JSON format (never pickle), one file per
part (``model.json`` for a classifier; ``payer.json`` and ``spend.json`` for
LTV), next to metadata: features, parts, training window, data fingerprint,
metrics and library versions. Loading refuses an artifact whose feature list
or parts are not the ones the code builds today, so a stale model never
scores misaligned columns.
"""
from __future__ import annotations

import datetime as dt
import json
import platform
from dataclasses import dataclass
from pathlib import Path

import xgboost as xgb

from predictors.specs import SPECS


class ModelRegistryError(Exception):
    """A model that cannot be loaded; the message says what to do."""


@dataclass
class ModelArtifact:
    name: str
    version: str
    boosters: dict[str, xgb.Booster]
    meta: dict

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(self.meta["features"])

    @property
    def booster(self) -> xgb.Booster:
        """The booster of a one-part model (the classifiers)."""
        if set(self.boosters) != {"model"}:
            raise ValueError(f"the {self.name} model has parts {sorted(self.boosters)}; use .boosters")
        return self.boosters["model"]


def library_versions() -> dict[str, str]:
    import duckdb
    import shap
    import sklearn

    return {"xgboost": xgb.__version__, "shap": shap.__version__, "scikit-learn": sklearn.__version__,
            "duckdb": duckdb.__version__, "python": platform.python_version()}


class ModelRegistry:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def versions(self, name: str) -> list[str]:
        folder = self.root / name
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / "meta.json").is_file())

    def save(self, name: str, boosters: dict[str, xgb.Booster], meta: dict) -> ModelArtifact:
        version = self._new_version(name)
        folder = self.root / name / version
        folder.mkdir(parents=True)
        for part, booster in boosters.items():
            booster.save_model(folder / f"{part}.json")
        meta = {**meta, "model": name, "version": version, "parts": list(boosters)}
        # meta.json last: a folder without it is an unfinished save and is never listed
        (folder / "meta.json").write_text(json.dumps(meta, indent=2, default=str))
        return ModelArtifact(name, version, dict(boosters), meta)

    def _new_version(self, name: str) -> str:
        stamp = f"{name}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}"
        taken = set(self.versions(name)) | {p.name for p in (self.root / name).glob("*")}
        version, n = stamp, 1
        while version in taken:
            n += 1
            version = f"{stamp}-{n}"
        return version

    def load(self, name: str, version: str | None = None,
             expected_features: tuple[str, ...] | None = None) -> ModelArtifact:
        """The newest (or the given) version; refuses a feature list other than ``expected_features``."""
        version = version or self.latest_version(name)
        folder = self.root / name / version
        if not (folder / "meta.json").is_file():
            raise ModelRegistryError(f"no {name} model version {version} in {self.root}")
        meta = json.loads((folder / "meta.json").read_text())
        expected = expected_features if expected_features is not None else SPECS[name].features
        _check_features(name, version, tuple(meta["features"]), tuple(expected))
        parts = tuple(meta.get("parts", ("model",)))  # artifacts from before parts existed had one booster
        if parts != tuple(SPECS[name].parts):
            raise ModelRegistryError(
                f"the {name} model {version} has the parts {list(parts)}, this code needs "
                f"{list(SPECS[name].parts)}; retrain it with `asklytics train --model {name}`")
        boosters = {}
        for part in parts:
            booster = xgb.Booster()
            booster.load_model(folder / f"{part}.json")
            _check_features(name, version, tuple(booster.feature_names or ()), tuple(expected))
            # single rows and small batches: threads cost more than they save
            booster.set_param({"nthread": 1})
            boosters[part] = booster
        return ModelArtifact(name, version, boosters, meta)

    def latest_version(self, name: str) -> str:
        versions = self.versions(name)
        if not versions:
            raise ModelRegistryError(
                f"no trained {name} model in {self.root}: run `asklytics train --model {name}`")
        return versions[-1]


def _check_features(name: str, version: str, found: tuple[str, ...], expected: tuple[str, ...]) -> None:
    if found == expected:
        return
    missing = [f for f in expected if f not in found]
    extra = [f for f in found if f not in expected]
    detail = (f"missing {missing}, unexpected {extra}" if missing or extra
              else "same features in another order")
    raise ModelRegistryError(
        f"the {name} model {version} was trained on other features than this code builds ({detail}); "
        f"retrain it with `asklytics train --model {name}`")
