"""A semantic model from a dbt project's MetricFlow YAML (``asklytics model import-dbt``).

Reads every ``*.yml`` / ``*.yaml`` of the project (not ``target/``, ``dbt_packages/``, ``logs/`` or
hidden folders), collects its ``semantic_models:`` and ``metrics:`` (the dbt 1.6-1.11 spec), and
translates them into the Asklytics format (docs/semantic-layer.md): ``model: ref('orders')`` is the
table ``orders``, entities, categorical and time dimensions and measures keep their names, metrics
are translated by semantic_layer/dbt_metrics.py. What Asklytics cannot express (natural entities,
median and percentile measures, semi-additive measures, cumulative and conversion metrics, offsets,
filters it cannot hold) is listed in ``skipped``; renames and ignored options in ``notes``. A broken
project (invalid YAML, no semantic models, a metric naming an unknown measure) raises
:class:`DbtImportError` listing every problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from semantic_layer.dbt_filters import DimensionRef, ResolvedRef, Untranslatable
from semantic_layer.dbt_metrics import MeasureInfo, MetricContext, Reported, translate_metrics
from semantic_layer.dbt_semantic_models import DbtTable, translate_table
from semantic_layer.joins import join_edges, resolve_dimension
from semantic_layer.model import METRIC_TIME
from semantic_layer.query_options import COHORT_COLUMN
from semantic_layer.schema import SemanticTable

__all__ = ["DbtImport", "DbtImportError", "Reported", "import_dbt_project", "render_yaml"]

SKIPPED_FOLDERS = frozenset({"target", "dbt_packages", "dbt_modules", "logs"})


class DbtImportError(Exception):
    """The project cannot be imported; ``problems`` lists every reason."""

    def __init__(self, where: str, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"cannot import the dbt project at {where} ({len(problems)} problem(s)):\n{lines}")


@dataclass
class DbtImport:
    """The translated model (the YAML's content) and what was left out or changed."""

    model: dict[str, Any]
    files: list[str]
    skipped: list[Reported] = field(default_factory=list)
    notes: list[Reported] = field(default_factory=list)


def import_dbt_project(path: Path | str, dialect: str = "duckdb", exclude: Path | None = None) -> DbtImport:
    """Translate the project folder (or one YAML file) at ``path``; ``exclude`` is a file not to read
    (the output of an earlier import inside the project)."""
    root = Path(path)
    files = _yaml_files(root, exclude.resolve() if exclude else None)
    if not files:
        raise DbtImportError(str(root), ["no .yml or .yaml files found" if root.exists() else "no such file "
                                         "or folder"])
    raw_models, raw_metrics, problems, new_spec = [], [], [], False
    for file in files:
        source = file.name if root.is_file() else str(file.relative_to(root))
        data = _read(file, source, problems)
        if not isinstance(data, dict):
            continue
        new_spec |= any(isinstance(m, dict) and "semantic_model" in m for m in data.get("models") or [])
        for key, target in (("semantic_models", raw_models), ("metrics", raw_metrics)):
            items = data.get(key) or []
            if isinstance(items, dict):
                continue  # dbt_project.yml's configs of these resources, not definitions
            if not isinstance(items, list) or not all(isinstance(i, dict) and "name" in i for i in items):
                problems.append(f"{source}: {key} must be a list of mappings, each with a name")
                continue
            target += [(item, source) for item in items]
    if problems:
        raise DbtImportError(str(root), problems)
    if not raw_models:
        hint = ("it uses the dbt 1.12+ (Fusion) spec, semantic_model: inside models:; import-dbt reads the "
                "semantic_models: spec of dbt 1.6-1.11" if new_spec else
                "import-dbt reads MetricFlow semantic models (dbt 1.6+): point it at the project folder")
        raise DbtImportError(str(root), [f"no semantic_models: found in {len(files)} YAML file(s); {hint}"])
    problems += _duplicates(raw_models, "semantic model") + _duplicates(raw_metrics, "metric")
    result = DbtImport({}, [str(f) for f in files])
    tables = [translate_table(raw, source, dialect, result.skipped, result.notes, problems)
              for raw, source in raw_models]
    measures = _duplicates([(m, t.source) for t in tables for m in t.measures], "measure")
    if problems or measures:
        raise DbtImportError(str(root), problems + measures)
    metric_names = {m["name"] for m, _ in raw_metrics} | {
        m["name"] for t in tables for m in t.measures if m.get("create_metric")}
    _rename_dimensions(tables, metric_names, result)
    _drop_dangling_foreign_keys(tables, result)
    semantic_models = [_output(t) for t in tables]
    ctx = _metric_context(tables, semantic_models, dialect, result)
    metrics = translate_metrics(raw_metrics + _created_metrics(tables, raw_metrics), ctx)
    if ctx.errors:
        raise DbtImportError(str(root), ctx.errors)
    result.skipped += ctx.skipped
    result.notes += ctx.notes
    result.model = {"version": 1, "dialect": dialect, "semantic_models": semantic_models, "metrics": metrics}
    return result


def render_yaml(result: DbtImport, source: str) -> str:
    """The model as commented YAML: where it came from, then every skipped item and note."""
    lines = [
        f"# Semantic model imported by `asklytics model import-dbt` from the dbt project {source}",
        f"# ({len(result.files)} YAML file(s) read).",
        "# Tables are the dbt models' names (ref('orders') -> orders): edit `table:` where a model has",
        "# another alias or lives in another schema. Add units (USD, count, ...) and synonyms people use;",
        "# check with `asklytics metrics validate`. docs/semantic-layer.md has the format.",
    ]
    if result.skipped:
        lines += ["#", "# Not imported (Asklytics cannot express them):"]
        lines += [f"# skipped: {item}" for item in result.skipped]
    if result.notes:
        lines += ["#"] + [f"# note: {item}" for item in result.notes]
    body = yaml.dump(result.model, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body


class _NoAliases(yaml.SafeDumper):
    """Writes a shared value (a generated metric's type_params) in full, never as ``&id001``."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml_files(root: Path, exclude: Path | None) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        return []
    found = []
    for file in sorted(root.rglob("*")):
        parts = file.relative_to(root).parts
        if any(p in SKIPPED_FOLDERS or p.startswith(".") for p in parts[:-1]) or parts[-1].startswith("."):
            continue
        if file.suffix in (".yml", ".yaml") and file.is_file() and file.resolve() != exclude:
            found.append(file)
    return found


def _read(file: Path, source: str, problems: list[str]) -> Any:
    try:
        return yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{source}: cannot read it: {exc}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problems.append(f"{source}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}")
    return None


def _duplicates(items: list[tuple[dict, str]], kind: str) -> list[str]:
    seen: dict[str, str] = {}
    problems = []
    for item, source in items:
        if item["name"] in seen:
            problems.append(f"{kind} {item['name']!r} is defined twice ({seen[item['name']]}, {source})")
        seen.setdefault(item["name"], source)
    return problems


def _rename_dimensions(tables: list[DbtTable], metric_names: set[str], result: DbtImport) -> None:
    """One Asklytics name per meaning: a dimension named like a metric or a reserved word, or declared
    with another type elsewhere, becomes ``<semantic model>_<name>``; a name several semantic models
    declare with one type is one conformed dimension (each measure reads the nearest declaration)."""
    first_type: dict[str, str] = {}
    for table in tables:
        for dim in table.dims:
            seen = first_type.setdefault(dim.name, dim.type)
            reason = ("is also a metric name" if dim.name in metric_names else
                      "is reserved in Asklytics" if dim.name in (METRIC_TIME, COHORT_COLUMN) else
                      f"is {seen} in another semantic model" if seen != dim.type else None)
            if reason:
                dim.name = f"{table.name}_{dim.dbt_name}"
                result.notes.append(Reported(f"dimension {dim.dbt_name!r} of {table.name!r}", table.source,
                                             f"renamed {dim.name!r}: {dim.dbt_name!r} {reason}"))
    declared: dict[str, list[str]] = {}
    for table in tables:
        for dim in table.dims:
            declared.setdefault(dim.name, []).append(table.name)
    for name, owners in declared.items():
        if len(owners) > 1:
            result.notes.append(Reported(f"dimension {name!r}", ", ".join(owners), "declared by several "
                                         "semantic models: one conformed dimension in Asklytics; each "
                                         "measure reads the declaration nearest to its table"))


def _drop_dangling_foreign_keys(tables: list[DbtTable], result: DbtImport) -> None:
    homes = {key for t in tables for key in (e["name"] for e in t.entities if e["type"] != "foreign")}
    for table in tables:
        for entity in [e for e in table.entities if e["type"] == "foreign" and e["name"] not in homes]:
            table.entities.remove(entity)
            result.notes.append(Reported(f"entity {entity['name']!r} of {table.name!r}", table.source,
                                         "dropped: no semantic model has it as primary or unique, so nothing "
                                         "joins through it"))


def _output(table: DbtTable) -> dict[str, Any]:
    out = {k: v for k, v in table.fields.items() if v}
    if table.entities:
        out["entities"] = table.entities
    if table.dims:
        out["dimensions"] = [{"name": d.name, **d.fields} for d in table.dims]
    measures = []
    for measure in table.measures:
        if "_skipped" in measure:
            continue
        kept = {k: v for k, v in measure.items() if not k.startswith("_") and k != "create_metric"}
        if "_time" in measure:
            kept["agg_time_dimension"] = measure["_time"].name
        measures.append(kept)
    if measures:
        out["measures"] = measures
    return out


def _metric_context(tables: list[DbtTable], semantic_models: list[dict], dialect: str,
                    result: DbtImport) -> MetricContext:
    spec_tables = {d["name"]: SemanticTable.model_validate(d) for d in semantic_models}
    edges = join_edges(list(spec_tables.values()))
    declared = [(t, d) for t in tables for d in t.dims]

    def resolve(ref: DimensionRef, home: str) -> ResolvedRef:
        if ref.name == METRIC_TIME:
            raise Untranslatable(f"{{{{ {ref.text} }}}}: metric_time in a metric filter (Asklytics applies "
                                 "time as a query's time range only)")
        candidates = [(t, d) for t, d in declared if d.dbt_name == ref.name]
        if ref.entity_path:
            candidates = [(t, d) for t, d in candidates if ref.entity_path[-1] in t.keys]
        if len(candidates) != 1:
            found = "no imported dimension" if not candidates else "several dimensions"
            raise Untranslatable(f"{{{{ {ref.text} }}}}: {found} {ref.name!r} of entity "
                                 f"{'__'.join(ref.entity_path) or '(none)'}")
        table, dim = candidates[0]
        seen = resolve_dimension(spec_tables, edges, home, dim.name)
        if seen is None:
            raise Untranslatable(f"{{{{ {ref.text} }}}}: no join from {home!r} to {table.name!r}")
        if seen.table.name != table.name:
            raise Untranslatable(f"{{{{ {ref.text} }}}}: Asklytics reads {dim.name!r} of {seen.table.name!r} "
                                 f"(nearer to {home!r}) where dbt means the one of {table.name!r}")
        return ResolvedRef(dim.name, dim.type, dim.grain)

    measures = {m["name"]: MeasureInfo(t.name, m["_dbt_agg"], m.get("expr", m["name"]))
                for t in tables for m in t.measures if "_skipped" not in m}
    skipped = {m["name"]: m["_skipped"] for t in tables for m in t.measures if "_skipped" in m}
    return MetricContext(dialect, measures, skipped, resolve)


def _created_metrics(tables: list[DbtTable], raw_metrics: list[tuple[dict, str]]) -> list[tuple[dict, str]]:
    """``create_metric: true`` measures as simple metrics of the same name."""
    names = {m["name"] for m, _ in raw_metrics}
    return [({"name": m["name"], "type": "simple", "description": m.get("description"),
              "type_params": {"measure": m["name"]}}, t.source)
            for t in tables for m in t.measures if m.get("create_metric") and m["name"] not in names]
