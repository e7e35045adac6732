"""Read a semantic model YAML file into a validated :class:`SemanticModel`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from semantic_layer.model import SemanticModel
from semantic_layer.rules import run_rules
from semantic_layer.schema import SemanticModelFile

DEMO_MODEL_PATH = Path(__file__).resolve().parent / "models" / "demo.yaml"


@dataclass(frozen=True)
class Violation:
    """One problem in a model file: where it is and how to fix it."""

    file: str
    path: str
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message} (fix: {self.hint})"


class SemanticModelError(Exception):
    """A model file that cannot be used; ``violations`` lists every problem."""

    code = "semantic_model_invalid"

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        lines = "\n".join(f"  - {v}" for v in violations)
        super().__init__(f"the semantic model has {len(violations)} problem(s):\n{lines}")


def validate_model_file(path: Path | str) -> tuple[SemanticModelFile | None, list[Violation]]:
    """Parse and check a file, or a folder of YAML files that together make one model; returns the
    parsed model (when it parsed) and every violation."""
    path = Path(path)
    if path.is_dir():
        return _validate_folder(path)
    spec, violations = _parse_file(path)
    if spec is None:
        return None, violations
    return spec, [Violation(str(path), p.path, p.message, p.hint) for p in run_rules(spec)]


def _validate_folder(folder: Path) -> tuple[SemanticModelFile | None, list[Violation]]:
    """Every ``*.yaml`` / ``*.yml`` under ``folder``: their semantic_models and metrics together;
    version, dialect and cohort may be set in one file only (or the same everywhere)."""
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        return None, [Violation(str(folder), "", "the folder has no .yaml or .yml files",
                                "point ASKLYTICS_SEMANTIC_MODEL at a model file or a folder of them")]
    parts, violations = [], []
    for file in files:
        spec, problems = _parse_file(file)
        violations += problems
        if spec is not None:
            parts.append((file, spec))
    if violations:
        return None, violations
    merged: dict = {"semantic_models": [], "metrics": []}
    for file, spec in parts:
        data = spec.model_dump(exclude_unset=True)
        merged["semantic_models"] += data.pop("semantic_models", [])
        merged["metrics"] += data.pop("metrics", [])
        for key, value in data.items():
            if key in merged and merged[key] != value:
                violations.append(Violation(str(file), key, f"{key} is set differently in another file",
                                            f"set {key} once, in one file of {folder}"))
            merged[key] = value
    if violations:
        return None, violations
    spec = SemanticModelFile.model_validate(merged)
    return spec, [Violation(str(folder), p.path, p.message, p.hint) for p in run_rules(spec)]


def _parse_file(path: Path) -> tuple[SemanticModelFile | None, list[Violation]]:
    name = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [Violation(name, "", f"cannot read the file: {exc.strerror}", "check the path")]
    except yaml.YAMLError as exc:
        return None, [Violation(name, "", f"not valid YAML: {exc}", "fix the YAML syntax")]
    try:
        return SemanticModelFile.model_validate(raw if raw is not None else {}), []
    except ValidationError as exc:
        return None, [_pydantic_violation(name, error) for error in exc.errors()]


def _pydantic_violation(name: str, error: dict) -> Violation:
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]).lstrip(".")
    hint = "remove or rename the key" if error["type"] == "extra_forbidden" else "see docs/semantic-layer.md"
    return Violation(name, path, error["msg"], hint)


def load_semantic_model(path: Path | str = DEMO_MODEL_PATH) -> SemanticModel:
    """The validated model; raises :class:`SemanticModelError` listing every violation."""
    spec, violations = validate_model_file(path)
    if violations or spec is None:
        raise SemanticModelError(violations)
    return SemanticModel(spec, Path(path))
