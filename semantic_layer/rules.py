"""Validation rules of a semantic model file, as an ordered tuple of small checks.

Each rule takes the parsed file and yields ``Problem``s (path, message, fix
hint); the loader adds the file name. Every problem is reported, not only the
first, so one ``asklytics metrics validate`` run shows all that needs fixing.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from semantic_layer.generated import COUNT_DISTINCT_PREFIX, SUM_SQUARES_PREFIX
from semantic_layer.joins import join_edges, reachable_tables, resolve_dimension
from semantic_layer.model import _METRIC_TIME, METRIC_TIME
from semantic_layer.pushdown import COHORT_RANGE, placeholder_parts, placeholders
from semantic_layer.query_options import COHORT_COLUMN
from semantic_layer.schema import Metric, SemanticModelFile
from semantic_layer.vocabulary import CONTEXT_CONCEPTS, vocabulary_references


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    hint: str


Rule = Callable[[SemanticModelFile], Iterator[Problem]]


def _tables(spec: SemanticModelFile):
    return enumerate(spec.semantic_models)


def check_table_or_sql(spec: SemanticModelFile) -> Iterator[Problem]:
    for i, table in _tables(spec):
        if (table.table is None) == (table.sql is None):
            yield Problem(f"semantic_models[{i}]", f"semantic model {table.name!r} needs exactly one of "
                          "'table' or 'sql'", "give the warehouse table name, or a SELECT in 'sql'")


def check_unique_names(spec: SemanticModelFile) -> Iterator[Problem]:
    yield from _duplicates("semantic_models", [t.name for t in spec.semantic_models], "semantic model")
    yield from _duplicates("metrics", [m.name for m in spec.metrics], "metric")
    measures = [m.name for t in spec.semantic_models for m in t.measures]
    yield from _duplicates("semantic_models[*].measures", measures, "measure")
    for i, table in _tables(spec):
        yield from _duplicates(f"semantic_models[{i}].dimensions", [d.name for d in table.dimensions],
                               "dimension")
        yield from _duplicates(f"semantic_models[{i}].entities", [e.name for e in table.entities], "entity")
    dimensions = {d.name for t in spec.semantic_models for d in t.dimensions} | {METRIC_TIME}
    for j, metric in enumerate(spec.metrics):
        if metric.name in dimensions:
            yield Problem(f"metrics[{j}].name", f"metric {metric.name!r} has the name of a dimension",
                          "rename the metric or the dimension: a name must mean one thing")
    for i, table in _tables(spec):
        for k, dim in enumerate(table.dimensions):
            if dim.name in (METRIC_TIME, COHORT_COLUMN):
                yield Problem(f"semantic_models[{i}].dimensions[{k}].name", f"{dim.name!r} is reserved",
                              "rename the dimension; metric_time is the built-in time axis and cohort the "
                              "install-cohort column")
    for j, metric in enumerate(spec.metrics):
        if metric.name.startswith(COUNT_DISTINCT_PREFIX):
            yield Problem(f"metrics[{j}].name", f"metric names starting with {COUNT_DISTINCT_PREFIX!r} are "
                          "generated for every categorical dimension", "rename the metric")
        if metric.name.startswith(SUM_SQUARES_PREFIX):
            yield Problem(f"metrics[{j}].name", f"metric names starting with {SUM_SQUARES_PREFIX!r} are "
                          "generated for every sum metric", "rename the metric")


def _duplicates(path: str, names: list[str], kind: str) -> Iterator[Problem]:
    for name, count in Counter(names).items():
        if count > 1:
            yield Problem(path, f"{kind} name {name!r} is used {count} times",
                          f"give each {kind} a unique name")


def check_conformed_dimensions(spec: SemanticModelFile) -> Iterator[Problem]:
    first_type: dict[str, tuple[str, str]] = {}
    for i, table in _tables(spec):
        for k, dim in enumerate(table.dimensions):
            seen = first_type.setdefault(dim.name, (dim.type, table.name))
            if seen[0] != dim.type:
                yield Problem(f"semantic_models[{i}].dimensions[{k}].type",
                              f"dimension {dim.name!r} is {dim.type} here but {seen[0]} in {seen[1]!r}",
                              "a dimension declared by several semantic models must have one type; "
                              "rename one")


def check_time_dimension_grain(spec: SemanticModelFile) -> Iterator[Problem]:
    for i, table in _tables(spec):
        for k, dim in enumerate(table.dimensions):
            if dim.type == "time" and dim.type_params is None:
                yield Problem(f"semantic_models[{i}].dimensions[{k}]",
                              f"time dimension {dim.name!r} has no grain",
                              "add 'type_params: {time_granularity: day}'")
            if dim.type != "time" and dim.type_params is not None:
                yield Problem(f"semantic_models[{i}].dimensions[{k}].type_params",
                              f"{dim.type} dimension {dim.name!r} has a time grain",
                              "drop 'type_params' or make it a time dimension")


def check_measure_time_dimension(spec: SemanticModelFile) -> Iterator[Problem]:
    for i, table in _tables(spec):
        for k, measure in enumerate(table.measures):
            path = f"semantic_models[{i}].measures[{k}]"
            name = measure.agg_time_dimension
            dim = table.dimension(name) if name else None
            if name and (dim is None or dim.type != "time"):
                yield Problem(f"{path}.agg_time_dimension",
                              f"measure {measure.name!r} names {name!r}, which is not a time dimension "
                              f"of {table.name!r}", "name a time dimension of the same model")
            if measure.rollup and not name:
                yield Problem(f"{path}.rollup",
                              f"measure {measure.name!r} has a rollup but no agg_time_dimension",
                              "a rollup aggregates per day first: give the measure its time dimension")


def check_cohort(spec: SemanticModelFile) -> Iterator[Problem]:
    """The cohort table exists, is one row per member (a primary or unique entity) and has the date."""
    cohort = spec.cohort
    if cohort is None:
        return
    table = next((t for t in spec.semantic_models if t.name == cohort.semantic_model), None)
    if table is None:
        yield Problem("cohort.semantic_model", f"unknown semantic model {cohort.semantic_model!r}",
                      "name the semantic model with one row per member (installs, users)")
        return
    dim = table.dimension(cohort.time_dimension)
    if dim is None or dim.type != "time":
        yield Problem("cohort.time_dimension", f"{cohort.time_dimension!r} is not a time dimension of "
                      f"{table.name!r}", "name the date that puts a member in a cohort (the install date)")
    if not any(e.type in ("primary", "unique") for e in table.entities):
        yield Problem("cohort.semantic_model", f"{table.name!r} has no primary or unique entity",
                      "a cohort table has one row per member: declare its key as primary")


def check_privacy(spec: SemanticModelFile) -> Iterator[Problem]:
    """The privacy threshold counts members of an entity some table declares."""
    if spec.privacy is None:
        return
    entities = {e.name for t in spec.semantic_models for e in t.entities}
    if spec.privacy.user_entity not in entities:
        yield Problem("privacy.user_entity", f"unknown entity {spec.privacy.user_entity!r}",
                      f"name the entity of the people counted (one of: {', '.join(sorted(entities))})")


def check_metric_params(spec: SemanticModelFile) -> Iterator[Problem]:
    measures = {m.name for t in spec.semantic_models for m in t.measures}
    metrics = {m.name for m in spec.metrics}
    for j, metric in enumerate(spec.metrics):
        yield from _metric_params_problems(f"metrics[{j}].type_params", metric, measures, metrics)


def _metric_params_problems(path: str, metric: Metric, measures: set[str],
                            metrics: set[str]) -> Iterator[Problem]:
    params = metric.type_params
    if metric.type == "simple" and params.measure not in measures:
        yield Problem(f"{path}.measure", f"metric {metric.name!r} uses unknown measure {params.measure!r}",
                      f"use one of: {', '.join(sorted(measures))}")
    if metric.type == "ratio" and not (params.numerator and params.denominator):
        yield Problem(path, f"ratio metric {metric.name!r} needs a numerator and a denominator",
                      "give 'numerator' and 'denominator' as metric names")
    if metric.type == "derived" and not (params.expr and params.metrics):
        yield Problem(path, f"derived metric {metric.name!r} needs 'expr' and 'metrics'",
                      "list the input metrics and an expression over their names")
    for name in metric.inputs():
        if name not in metrics:
            yield Problem(path, f"metric {metric.name!r} refers to unknown metric {name!r}",
                          "define that metric first, or fix the name")
    if metric.type != "simple" and metric.filter:
        yield Problem(f"{path}", f"{metric.type} metric {metric.name!r} has a filter",
                      "put filters on the simple metrics it is computed from")


def check_metric_cycles(spec: SemanticModelFile) -> Iterator[Problem]:
    inputs = {m.name: m.inputs() for m in spec.metrics}
    for j, metric in enumerate(spec.metrics):
        if _reaches(inputs, metric.name, metric.name, set()):
            yield Problem(f"metrics[{j}]", f"metric {metric.name!r} depends on itself",
                          "break the cycle between ratio/derived metrics")


def _reaches(inputs: dict[str, tuple[str, ...]], start: str, goal: str, seen: set[str]) -> bool:
    for name in inputs.get(start, ()):
        if name == goal or (name not in seen and not seen.add(name) and _reaches(inputs, name, goal, seen)):
            return True
    return False


def check_expressions_parse(spec: SemanticModelFile) -> Iterator[Problem]:
    for path, sql in _expressions(spec):
        try:
            sqlglot.parse_one(sql, read=spec.dialect)
        except ParseError as exc:
            first = str(exc).splitlines()[0]
            yield Problem(path, f"expression does not parse as {spec.dialect} SQL: {first}",
                          "fix the SQL; expressions are written in the file's dialect")


def _expressions(spec: SemanticModelFile) -> Iterator[tuple[str, str]]:
    for i, table in _tables(spec):
        base = f"semantic_models[{i}]"
        if table.sql:
            yield f"{base}.sql", table.sql
        for kind, items in (("entities", table.entities), ("dimensions", table.dimensions),
                            ("measures", table.measures)):
            for k, item in enumerate(items):
                yield f"{base}.{kind}[{k}].expr", item.column_expr
    for j, metric in enumerate(spec.metrics):
        if metric.type_params.expr:
            yield f"metrics[{j}].type_params.expr", metric.type_params.expr


def check_filter_ranges(spec: SemanticModelFile) -> Iterator[Problem]:
    """``FILTER_RANGE`` in a derived table's SQL names one of its time dimensions, or the cohort."""
    for i, table in _tables(spec):
        try:
            calls = list(placeholders(sqlglot.parse_one(table.sql, read=spec.dialect))) if table.sql else []
        except ParseError:
            continue  # check_expressions_parse reports it
        names = {d.name for d in table.dimensions if d.type == "time"}
        names |= {COHORT_RANGE} if spec.cohort else set()
        for call in calls:
            try:
                name = placeholder_parts(call)[0]
            except ValueError as exc:
                yield Problem(f"semantic_models[{i}].sql", str(exc),
                              "write FILTER_RANGE('install_date', expr)")
                continue
            if name not in names:
                yield Problem(f"semantic_models[{i}].sql", f"FILTER_RANGE names {name!r}, which is not a "
                              f"time dimension of {table.name!r} or 'cohort'",
                              f"use one of: {', '.join(sorted(names)) or 'none (declare a time dimension)'}")


def check_rollups(spec: SemanticModelFile) -> Iterator[Problem]:
    """Rollups name a semantic model, measures of it that can be re-aggregated exactly, and
    categorical dimensions reachable from it; names and tables are unique."""
    tables = {t.name: t for t in spec.semantic_models}
    edges = join_edges(spec.semantic_models)
    for name, n in Counter([r.name for r in spec.rollups] + [r.table_name for r in spec.rollups]).items():
        if n > 1:
            yield Problem("rollups", f"rollup name or table {name!r} is used {n} times", "rename one")
    for i, rollup in enumerate(spec.rollups):
        table = tables.get(rollup.semantic_model)
        if table is None:
            yield Problem(f"rollups[{i}].semantic_model", f"unknown semantic model {rollup.semantic_model!r}",
                          f"use one of: {', '.join(tables)}")
            continue
        yield from _rollup_measures(rollup, table, f"rollups[{i}]")
        if rollup.cohort:
            yield from _rollup_cohort(spec, rollup, table, edges, f"rollups[{i}].cohort")
        for k, name in enumerate(rollup.dimensions):
            resolved = resolve_dimension(tables, edges, table.name, name)
            if resolved is None or resolved.dimension.type != "categorical":
                yield Problem(f"rollups[{i}].dimensions[{k}]", f"{name!r} is not a categorical dimension "
                              f"reachable from {table.name!r}",
                              "list categorical dimensions the measures reach")


def _rollup_cohort(spec: SemanticModelFile, rollup, table, edges, field: str) -> Iterator[Problem]:
    """A rollup that keeps the cohort date needs a cohort table it reaches, and no per-day distinct
    count: the cohort date is one more group, and a distinct count is never added across groups."""
    if spec.cohort is None or spec.cohort.semantic_model not in reachable_tables(edges, table.name):
        yield Problem(field, f"rollup {rollup.name!r} keeps the cohort date, but no cohort table is "
                      f"reachable from {table.name!r}",
                      "declare `cohort:` in the model, or drop `cohort: true`")
    measures = {m.name: m for m in table.measures}
    if any(measures[n].rollup is not None for n in rollup.measures if n in measures):
        yield Problem(field, f"rollup {rollup.name!r} keeps the cohort date and a per-day distinct count",
                      "put per-day distinct counts in a rollup without `cohort: true`")


def _rollup_measures(rollup, table, base: str) -> Iterator[Problem]:
    measures = {m.name: m for m in table.measures}
    dates = set()
    for k, name in enumerate(rollup.measures):
        measure = measures.get(name)
        if measure is None:
            yield Problem(f"{base}.measures[{k}]", f"{name!r} is not a measure of {table.name!r}",
                          f"use one of: {', '.join(measures)}")
        elif measure.agg == "average" or (measure.agg == "count_distinct" and measure.rollup is None
                                          and not rollup.distinct_values):
            yield Problem(f"{base}.measures[{k}]", f"measure {name!r} ({measure.agg}) cannot be rolled up "
                          "exactly: averages and distinct counts do not add up across days or groups",
                          "roll up sums and counts (an average as its sum and count), a per-day "
                          "distinct count (a measure with `rollup: {grain: day}`), or keep the distinct "
                          "values (`distinct_values: true`)")
        elif measure.rollup is not None and measure.rollup.grain != rollup.grain:
            yield Problem(f"{base}.measures[{k}]", f"measure {name!r} is counted per {measure.rollup.grain}, "
                          f"the rollup holds one row per {rollup.grain}",
                          f"put it in a rollup with `grain: {measure.rollup.grain}`")
        elif measure.agg_time_dimension is None:
            yield Problem(f"{base}.measures[{k}]", f"measure {name!r} has no agg_time_dimension",
                          "a rollup is daily: roll up measures with a date")
        else:
            dates.add(measure.agg_time_dimension)
    if len(dates) > 1:
        yield Problem(f"{base}.measures", f"the measures have different dates ({', '.join(sorted(dates))})",
                      "one rollup per date")


def check_derived_expression_inputs(spec: SemanticModelFile) -> Iterator[Problem]:
    for j, metric in enumerate(spec.metrics):
        if metric.type != "derived" or not metric.type_params.expr:
            continue
        try:
            tree = sqlglot.parse_one(metric.type_params.expr, read=spec.dialect)
        except ParseError:
            continue  # reported by check_expressions_parse
        for column in tree.find_all(exp.Column):
            if column.name not in metric.type_params.metrics:
                yield Problem(f"metrics[{j}].type_params.expr", f"derived metric {metric.name!r} uses "
                              f"{column.name!r}, which is not one of its input metrics",
                              "add it to 'metrics' or fix the expression")


def check_join_paths(spec: SemanticModelFile) -> Iterator[Problem]:
    edges = join_edges(spec.semantic_models)
    has_key = {e.name for t in spec.semantic_models for e in t.entities if e.type in ("primary", "unique")}
    for i, table in _tables(spec):
        for k, entity in enumerate(table.entities):
            if entity.type == "foreign" and entity.name not in has_key:
                yield Problem(f"semantic_models[{i}].entities[{k}]",
                              f"foreign entity {entity.name!r} has no semantic model with it as primary "
                              "or unique", "declare the entity on the table it points to")
    homes = {m.name: t.name for t in spec.semantic_models for m in t.measures}
    dims = defaultdict(set)
    for table in spec.semantic_models:
        for dim in table.dimensions:
            dims[dim.name].add(table.name)
    for j, metric in enumerate(spec.metrics):
        home = homes.get(metric.type_params.measure or "")
        if home is None:
            continue
        reachable = reachable_tables(edges, home)
        for f, filt in enumerate(metric.filter):
            if not dims.get(filt.dimension, set()) & set(reachable):
                yield Problem(f"metrics[{j}].filter[{f}].dimension",
                              f"no join path from {home!r} to dimension {filt.dimension!r}",
                              "filter on a dimension of the measure's table or one it joins to")


def check_filters(spec: SemanticModelFile) -> Iterator[Problem]:
    for j, metric in enumerate(spec.metrics):
        for f, filt in enumerate(metric.filter):
            if filt.op not in ("in", "not in") and len(filt.values) != 1:
                yield Problem(f"metrics[{j}].filter[{f}].values", f"operator {filt.op!r} takes one value",
                              "use 'in' for several values")


def check_documented(spec: SemanticModelFile) -> Iterator[Problem]:
    for j, metric in enumerate(spec.metrics):
        if not metric.description or not metric.units:
            yield Problem(f"metrics[{j}]", f"metric {metric.name!r} needs a description and units",
                          "add 'description:' and 'units:' (USD, ratio, count, %)")
    described = {d.name for t in spec.semantic_models for d in t.dimensions if d.description}
    for i, table in _tables(spec):
        for k, dim in enumerate(table.dimensions):
            if dim.name not in described:
                yield Problem(f"semantic_models[{i}].dimensions[{k}]",
                              f"dimension {dim.name!r} has no description",
                              "add 'description:'; retrieval and the catalog show it")


def check_synonyms(spec: SemanticModelFile) -> Iterator[Problem]:
    owner: dict[str, str] = {_norm(n): n for n in _item_names(spec)}
    owner.update({_norm(s): METRIC_TIME for s in _METRIC_TIME.synonyms})
    for path, item, synonym in _synonyms(spec):
        key = _norm(synonym)
        claimed = owner.setdefault(key, item)
        if claimed != item:
            yield Problem(path, f"synonym {synonym!r} of {item!r} already names {claimed!r}",
                          "drop or reword the synonym: each must point to one metric or dimension")


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _item_names(spec: SemanticModelFile) -> list[str]:
    return [m.name for m in spec.metrics] + [d.name for t in spec.semantic_models for d in t.dimensions]


def _synonyms(spec: SemanticModelFile) -> Iterator[tuple[str, str, str]]:
    for j, metric in enumerate(spec.metrics):
        for s, synonym in enumerate(metric.synonyms):
            yield f"metrics[{j}].synonyms[{s}]", metric.name, synonym
    for i, table in _tables(spec):
        for k, dim in enumerate(table.dimensions):
            for s, synonym in enumerate(dim.synonyms):
                yield f"semantic_models[{i}].dimensions[{k}].synonyms[{s}]", dim.name, synonym


def check_vocabulary(spec: SemanticModelFile) -> Iterator[Problem]:
    """Every name in ``vocabulary:`` is a metric, a dimension or a planner concept of this model."""
    metrics = {m.name for m in spec.metrics}
    dimensions = {d.name for t in spec.semantic_models for d in t.dimensions}
    known = {"metric": metrics, "dimension": dimensions, "context": set(CONTEXT_CONCEPTS)}
    for path, kind, name in vocabulary_references(spec.vocabulary):
        if name not in known[kind]:
            close = _closest(name, known[kind])
            guess = f": did you mean {close!r}?" if close else ""
            yield Problem(path, f"{kind} {name!r} is not in the model",
                          f"use one of the model's {kind} names{guess}")
    for name, pattern in spec.vocabulary.value_patterns.items():
        try:
            re.compile(pattern)
        except re.error as error:
            yield Problem(f"vocabulary.value_patterns.{name}", f"{pattern!r} is not a regular expression "
                          f"({error})", "write a Python regular expression, e.g. 'c\\d{3,}'")


def _closest(name: str, names: set[str]) -> str | None:
    found = difflib.get_close_matches(name, sorted(names), n=1)
    return found[0] if found else None


RULES: tuple[Rule, ...] = (
    check_table_or_sql,
    check_unique_names,
    check_conformed_dimensions,
    check_time_dimension_grain,
    check_measure_time_dimension,
    check_cohort,
    check_privacy,
    check_metric_params,
    check_metric_cycles,
    check_expressions_parse,
    check_filter_ranges,
    check_rollups,
    check_derived_expression_inputs,
    check_join_paths,
    check_filters,
    check_documented,
    check_synonyms,
    check_vocabulary,
)


def run_rules(spec: SemanticModelFile, rules: tuple[Rule, ...] = RULES) -> list[Problem]:
    return [problem for rule in rules for problem in rule(spec)]
