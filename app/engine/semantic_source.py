"""Which semantic model this process serves: ``ASKLYTICS_SEMANTIC_MODEL`` (a YAML file or a folder
of them), else the demo model -- unless ``ASKLYTICS_DEMO=false``, which needs the user's own."""
from __future__ import annotations

from pathlib import Path

from app.settings import Settings
from common.errors import ConfigurationError
from semantic_layer import DEMO_MODEL_PATH, SemanticModel, SemanticModelError, load_semantic_model


def semantic_model_path(settings: Settings) -> Path:
    if settings.semantic_model is not None:
        return settings.semantic_model
    if not settings.demo:
        raise ConfigurationError(
            "ASKLYTICS_DEMO=false needs your semantic model: set ASKLYTICS_SEMANTIC_MODEL to its YAML "
            "file or folder (docs/own-data.md)")
    return DEMO_MODEL_PATH


def load_configured_model(settings: Settings) -> SemanticModel:
    """The configured model; a ConfigurationError listing every problem when it does not load."""
    path = semantic_model_path(settings)
    try:
        return load_semantic_model(path)
    except SemanticModelError as exc:
        raise ConfigurationError(f"{exc}\nrun `asklytics metrics validate` for details",
                                 code="semantic_model_invalid") from None
