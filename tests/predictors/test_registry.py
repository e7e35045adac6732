"""The model registry: JSON artifacts, metadata, and refusal of a mismatching feature list."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from predictors.features import fraud
from predictors.features.base import Cohort, as_matrix
from predictors.registry import ModelRegistry, ModelRegistryError
from tests.predictors.conftest import AS_OF


def test_artifacts_are_xgboost_json_with_metadata(trained):
    parts = {"fraud": ["model"], "churn": ["model"], "ltv": ["payer", "spend"], "conversion": ["model"]}
    for name, artifact in trained["artifacts"].items():
        folder = trained["registry"].root / name / artifact.version
        expected = ["meta.json", *(f"{p}.json" for p in parts[name])]
        assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
        for part in parts[name]:  # XGBoost's own JSON schema
            assert "learner" in json.loads((folder / f"{part}.json").read_text())
        meta = json.loads((folder / "meta.json").read_text())
        assert meta["parts"] == parts[name] == list(artifact.boosters)
        assert meta["features"] == list(artifact.features)
        assert {"xgboost", "shap", "duckdb"} <= set(meta["library_versions"])
        assert len(meta["data_fingerprint"]) == 16
        assert meta["training_window"]["as_of"] == AS_OF.isoformat()
        assert meta["metrics"]["rows"] > 1000


def test_json_round_trip_gives_identical_predictions(trained, train_source):
    artifact = trained["artifacts"]["fraud"]
    frame = train_source.frame(fraud.feature_query(AS_OF, Cohort(install_from=dt.date(2026, 6, 20))))
    matrix = as_matrix(frame, fraud.FEATURES)
    assert len(matrix) > 1000
    loaded = ModelRegistry(trained["registry"].root).load("fraud", artifact.version)
    np.testing.assert_array_equal(loaded.booster.inplace_predict(matrix),
                                  artifact.booster.inplace_predict(matrix))


def test_load_refuses_a_different_feature_list(trained):
    registry = trained["registry"]
    with pytest.raises(ModelRegistryError, match="retrain it with `asklytics train --model fraud`"):
        registry.load("fraud", expected_features=fraud.FEATURES[:-1])
    with pytest.raises(ModelRegistryError, match="another order"):
        registry.load("fraud", expected_features=tuple(reversed(fraud.FEATURES)))


def test_load_refuses_an_artifact_whose_metadata_lists_other_features(trained, tmp_path):
    import shutil

    version = trained["artifacts"]["churn"].version
    shutil.copytree(trained["registry"].root / "churn", tmp_path / "churn")
    meta_path = tmp_path / "churn" / version / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["features"] = meta["features"][:-1] + ["renamed_feature"]
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelRegistryError, match="renamed_feature"):
        ModelRegistry(tmp_path).load("churn")


def test_newest_version_is_loaded_and_missing_models_say_how_to_train(trained, tmp_path):
    registry = ModelRegistry(tmp_path)
    with pytest.raises(ModelRegistryError, match="asklytics train --model ltv"):
        registry.load("ltv")
    artifact = trained["artifacts"]["ltv"]
    first = registry.save("ltv", artifact.boosters, artifact.meta)
    second = registry.save("ltv", artifact.boosters, artifact.meta)
    assert registry.versions("ltv") == sorted([first.version, second.version])
    assert registry.load("ltv").version == max(first.version, second.version)


def test_load_refuses_an_ltv_artifact_with_other_parts(trained, tmp_path):
    """An LTV model saved before the two-part model (one ``model.json``) must be retrained, not misread."""
    artifact = trained["artifacts"]["ltv"]
    old = ModelRegistry(tmp_path).save("ltv", {"model": artifact.boosters["spend"]}, artifact.meta)
    with pytest.raises(ModelRegistryError,
                       match=r"parts \['model'\].*retrain it with `asklytics train --model ltv`"):
        ModelRegistry(tmp_path).load("ltv", old.version)
    with pytest.raises(ValueError, match="use .boosters"):
        artifact.booster  # noqa: B018 - a two-part model has no single booster
