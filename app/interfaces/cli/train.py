"""``asklytics train`` and ``asklytics score``: fit the predictors, write the prediction tables.

Training reads the DuckDB warehouse read-only; scoring writes it, also while ``serve`` runs:
DuckDB allows one writing process or many readers, so then the tables are written into a copy
that replaces the file atomically, and the server switches to it (warehouse/duckdb_writes.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from app.interfaces.cli.common import console, fail, load_settings

ModelChoice = Literal["fraud", "ltv", "churn", "conversion", "all"]
# rfm: the segments (RFM and behavioural clusters), computed (nothing to train)
ScoreChoice = Literal["fraud", "ltv", "churn", "conversion", "rfm", "all"]
ALL_MODELS = ("fraud", "churn", "ltv", "conversion")


def _names(model: str, computed: tuple[str, ...] = ()) -> tuple[str, ...]:
    return (*ALL_MODELS, *computed) if model == "all" else (model,)


def _duckdb_path(settings, path: Path | None) -> Path:
    if path is not None:
        target = path
    elif settings.warehouse == "duckdb":
        target = settings.resolved_warehouse_path()
    else:  # the models read DuckDB SQL; a chdb/ClickHouse demo has its DuckDB source next to it
        target = settings.data_dir / "demo.duckdb"
    if not target.is_file():
        fail(f"no DuckDB warehouse at {target}: build it with `asklytics demo build` or pass --path")
    return target


def _connect(path: Path, read_only: bool):
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        hint = ("another process has the file open (stop `asklytics serve` or any other writer, then retry)"
                if "lock" in str(exc).lower() else "is it a DuckDB file?")
        fail(f"cannot open {path} {'read-only' if read_only else 'for writing'}: {exc}; {hint}")


def _metrics_table(artifacts) -> Table:
    table = Table(title="Held-out metrics (later period than training)")
    for column in ("model", "version", "metric", "model value", "baseline", "gain"):
        table.add_column(column)
    for artifact in artifacts:
        meta = artifact.meta
        for key, base_key, base in _rows(meta):
            table.add_row(artifact.name, artifact.version, key, f"{meta['metrics'][key]}",
                          f"{base[key]} ({base_key})", f"{meta['improvement_over_baseline'][base_key]:+}")
    return table


def _rows(meta: dict):
    if meta["kind"] == "quantile":
        yield "pinball_mean", "pinball_mean", meta["baseline"]
        yield "mae_p50", "mae_p50", meta["baseline"]
        return
    for name, base in meta["baseline"].items():
        yield "roc_auc", name, base


def train(
    model: Annotated[ModelChoice, typer.Option("--model", "-m", help="Which model to train.")] = "all",
    path: Annotated[Path | None, typer.Option(help="DuckDB warehouse file (default: from settings).")] = None,
) -> None:
    """Train the predictors (time-split evaluation against baselines) and register them."""
    from predictors.features.base import ConnectionSource
    from predictors.registry import ModelRegistry
    from predictors.train import NotEnoughData, train_model

    settings = load_settings()
    connection = _connect(_duckdb_path(settings, path), read_only=True)
    registry = ModelRegistry(settings.data_dir / "models")
    artifacts = []
    try:
        for name in _names(model):
            artifact = train_model(name, ConnectionSource(connection), registry, settings.resolved_as_of(),
                                   progress=lambda message: console.print(f"[dim]{message}[/]"))
            console.print(f"saved {artifact.name} model {artifact.version} in {registry.root / name}")
            artifacts.append(artifact)
    except NotEnoughData as exc:
        fail(f"cannot train the {name} model: {exc}")
    finally:
        connection.close()
    console.print(_metrics_table(artifacts))
    for artifact in artifacts:
        top = ", ".join(item["label"] for item in artifact.meta["global_importance"][:3])
        what = " for whether a user pays" if artifact.meta["kind"] == "quantile" else ""
        console.print(f"{artifact.name}: most important features{what} (mean |SHAP|): {top}")
        if artifact.meta["kind"] == "quantile":
            m = artifact.meta["metrics"]
            console.print(f"ltv p10-p90 coverage {m['coverage_p10_p90_ties_split']:.1%} "
                          "with ties at $0 split "
                          f"(target 75-85%; {m['coverage_p10_p90']:.1%} counting every $0 as inside), "
                          f"payers' spend interval {m['spend_coverage_p10_p90_payers']:.1%}, "
                          f"payer ROC-AUC {m['payer']['roc_auc']:.3f}, payer share {m['payer_share']:.1%}")


def score(
    model: Annotated[ScoreChoice,
                     typer.Option("--model", "-m", help="Which model's table to write.")] = "all",
    path: Annotated[Path | None, typer.Option(help="DuckDB warehouse file (default: from settings).")] = None,
) -> None:
    """Write churn_scores, fraud_scores, ltv_predictions, conversion_scores, user_segments (RFM segments
    and behavioural clusters) and cluster_profiles into the DuckDB warehouse."""
    import duckdb

    from predictors.features.base import ConnectionSource
    from predictors.registry import ModelRegistry, ModelRegistryError
    from predictors.scoring import score_all
    from warehouse.duckdb_writes import open_for_writing

    settings = load_settings()
    target = _duckdb_path(settings, path)
    registry = ModelRegistry(settings.data_dir / "models")
    try:
        # while `serve` reads the file, the tables are written into a copy that then replaces it
        with open_for_writing(target) as connection:
            written = score_all(_names(model, computed=("rfm",)), ConnectionSource(connection), registry,
                                settings.resolved_as_of(), connection,
                                progress=lambda message: console.print(f"[dim]{message}[/]"))
    except ModelRegistryError as exc:
        fail(str(exc))
    except duckdb.Error as exc:
        fail(f"cannot write the scores into {target}: {exc}")
    for table, rows in written.items():
        console.print(f"{table}: {rows:,} rows")
