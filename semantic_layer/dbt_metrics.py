"""dbt MetricFlow ``metrics:`` -> Asklytics metrics (``asklytics model import-dbt``).

Simple, ratio and derived metrics map onto the Asklytics types of the same names. Filters become
Asklytics filters (semantic_layer/dbt_filters.py); Asklytics keeps filters on simple metrics only,
so a filter on a ratio input, a derived input, or on a whole ratio/derived metric is pushed down to
a generated simple metric (``<ratio>_numerator``, ``<derived>_<input>``). Cumulative and conversion
metrics, derived inputs at an offset, and metrics built on anything skipped are reported, never
imported half-way. A metric naming an unknown measure or metric is an error in the dbt project.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from semantic_layer.dbt_filters import (
    DimensionRef,
    MalformedFilter,
    ResolvedRef,
    Untranslatable,
    filter_texts,
    translate_filters,
)

COUNTING_AGGS = ("count", "count_distinct", "sum_boolean")


@dataclass(frozen=True)
class Reported:
    """Something of the dbt project that was not imported as is: what, where, and why."""

    item: str
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.item} ({self.source}): {self.reason}"


@dataclass(frozen=True)
class MeasureInfo:
    table: str
    agg: str  # the dbt aggregation
    expr: str


@dataclass
class MetricContext:
    """What metric translation needs from the semantic models, and where it reports."""

    dialect: str
    measures: dict[str, MeasureInfo]  # imported measures
    skipped_measures: dict[str, str]  # dbt measure -> why it was not imported
    resolve: Callable[[DimensionRef, str], ResolvedRef]  # (reference, measure's table) -> dimension
    skipped: list[Reported] = field(default_factory=list)
    notes: list[Reported] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Done:
    """A translated metric (its Asklytics dict, plus generated helpers placed before it)."""

    metric: dict[str, Any]
    helpers: tuple[dict[str, Any], ...] = ()


class _Skip(Exception):
    pass


def translate_metrics(raw: list[tuple[dict, str]], ctx: MetricContext) -> list[dict[str, Any]]:
    """Asklytics metric dicts for ``raw`` (dbt metric, source file) pairs, in file order."""
    translator = _Translator(raw, ctx)
    out: list[dict[str, Any]] = []
    for metric, _ in raw:
        result = translator.translate(metric["name"])
        if result is not None:
            out += [*result.helpers, result.metric]
    return out


class _Translator:
    """Translates each metric once, its inputs first (a metric built on a skipped one is skipped)."""

    def __init__(self, raw: list[tuple[dict, str]], ctx: MetricContext):
        self.by_name = {m["name"]: (m, source) for m, source in raw}
        self.ctx = ctx
        self.done: dict[str, _Done | None] = {}
        self.taken = set(self.by_name) | set(ctx.measures)
        self.trail: list[str] = []

    def translate(self, name: str) -> _Done | None:
        if name in self.done:
            return self.done[name]
        if name in self.trail:
            self.ctx.errors.append(f"metric {name!r} depends on itself ({' -> '.join(self.trail + [name])})")
            self.done[name] = None
            return None
        metric, source = self.by_name[name]
        self.trail.append(name)
        try:
            self.done[name] = self._metric(metric, source)
        except _Skip:
            self.done[name] = None
        except Untranslatable as exc:
            self.ctx.skipped.append(Reported(f"metric {name!r}", source, str(exc)))
            self.done[name] = None
        except MalformedFilter as exc:
            self.ctx.errors.append(f"metric {name!r} ({source}): {exc}")
            self.done[name] = None
        finally:
            self.trail.pop()
        return self.done[name]

    def _metric(self, metric: dict, source: str) -> _Done | None:
        ctx = self.ctx
        name, kind = metric["name"], str(metric.get("type", "")).lower()
        params = metric.get("type_params") or {}
        if not isinstance(params, dict):
            return _error(ctx, f"metric {name!r} ({source}): type_params must be a mapping")
        if "agg" in metric or "input_metric" in params:
            return _error(ctx, f"metric {name!r} ({source}) is written in the dbt 1.12+ (Fusion) spec; "
                               "import-dbt reads the semantic_models / measures spec of dbt 1.6-1.11")
        filters = filter_texts(metric.get("filter"))
        base = {"name": name, "type": kind, "description": _description(metric, "metric"),
                "units": _units(metric)}
        if kind == "simple":
            return _simple(base, params.get("measure"), filters, source, ctx)
        if kind == "ratio":
            return self._ratio(base, params, filters, source)
        if kind == "derived":
            return self._derived(base, params, filters, source)
        if kind == "cumulative":
            return _unsupported(ctx, name, source, _cumulative_reason(params))
        if kind == "conversion":
            return _unsupported(ctx, name, source, "conversion metrics (base -> conversion events of an "
                                "entity within a window) are not supported by the Asklytics compiler")
        return _error(ctx, f"metric {name!r} ({source}): type {metric.get('type')!r} is not a MetricFlow "
                           "metric type (simple, ratio, derived, cumulative, conversion)")

    def _ratio(self, base: dict, params: dict, filters: list[str], source: str) -> _Done | None:
        name, helpers, parts = base["name"], [], {}
        specs = {side: p if isinstance(p, dict) else {"name": p}
                 for side in ("numerator", "denominator") for p in [params.get(side)]}
        for side, spec in specs.items():
            if not isinstance(spec.get("name"), str):
                return _error(self.ctx, f"metric {name!r} ({source}): a ratio metric needs "
                                        f"type_params.{side}")
        self._check_known(name, source, [s["name"] for s in specs.values()])
        for side, spec in specs.items():
            parts[side] = self._input(name, side, spec, filters, source, helpers)
        base["units"] = base["units"] or "ratio"
        return _Done({**base, "type_params": parts}, tuple(helpers))

    def _derived(self, base: dict, params: dict, filters: list[str], source: str) -> _Done | None:
        ctx = self.ctx
        name, expr, specs = base["name"], params.get("expr"), params.get("metrics") or []
        if not isinstance(expr, str) or not isinstance(specs, list) or not specs:
            return _error(ctx, f"metric {name!r} ({source}): a derived metric needs type_params.expr and "
                               "type_params.metrics")
        renames, helpers = {}, []
        specs = [spec if isinstance(spec, dict) else {"name": spec} for spec in specs]
        if not all(isinstance(spec.get("name"), str) for spec in specs):
            return _error(ctx, f"metric {name!r} ({source}): each of type_params.metrics needs a name")
        self._check_known(name, source, [spec["name"] for spec in specs])
        for spec in specs:
            offset = spec.get("offset_window") or spec.get("offset_to_grain")
            if offset:
                return _unsupported(ctx, name, source, f"input {spec['name']!r} at offset {offset!r}: "
                                    "period-over-period inputs (offset_window / offset_to_grain) are not "
                                    "supported by the Asklytics compiler")
            ref = spec.get("alias") or spec["name"]
            renames[ref] = self._input(name, ref, spec, filters, source, helpers)
        try:
            tree = sqlglot.parse_one(expr, read=ctx.dialect)
        except ParseError:
            return _unsupported(ctx, name, source, f"expr {expr!r} does not parse as {ctx.dialect} SQL")
        unknown = sorted({c.name for c in tree.find_all(exp.Column)} - set(renames))
        if unknown:
            return _unsupported(ctx, name, source, f"expr {expr!r} uses {', '.join(unknown)}, not one of "
                                "its input metrics")
        if any(old != new for old, new in renames.items()):
            for column in tree.find_all(exp.Column):
                column.set("this", exp.to_identifier(renames[column.name]))
            expr = tree.sql(dialect=ctx.dialect)
        base["units"] = base["units"] or "number"
        metric = {**base, "type_params": {"expr": expr, "metrics": list(dict.fromkeys(renames.values()))}}
        return _Done(metric, tuple(helpers))

    def _check_known(self, owner: str, source: str, names: list[str]) -> None:
        unknown = [n for n in names if n not in self.by_name]
        for name in unknown:
            self.ctx.errors.append(f"metric {owner!r} ({source}) uses unknown metric {name!r}")
        if unknown:
            raise _Skip

    def _input(self, owner: str, role: str, spec: dict, outer: list[str], source: str,
               helpers: list[dict]) -> str:
        """The metric name a ratio/derived metric uses for one input; with filters on the input (or on
        the metric itself), a generated simple metric with those filters added."""
        name = spec["name"]
        done = self.translate(name)
        if done is None:
            raise Untranslatable(f"its input metric {name!r} is not imported")
        extra = outer + filter_texts(spec.get("filter"))
        if not extra:
            return name
        if done.metric["type"] != "simple":
            raise Untranslatable(f"a filter on its {done.metric['type']} input {name!r}: Asklytics filters "
                                 "simple metrics only")
        measure = done.metric["type_params"]["measure"]
        added = _filters(extra, self.ctx.measures[measure].table, self.ctx)
        helper_name = _free(f"{owner}_{role}", self.taken)
        helpers.append({**done.metric, "name": helper_name,
                        "description": f"{role.capitalize()} of {owner}: {name} with its filters.",
                        "filter": list(done.metric.get("filter", [])) + added})
        return helper_name


def _simple(base: dict, measure: Any, filters: list[str], source: str, ctx: MetricContext) -> _Done | None:
    name = base["name"]
    if isinstance(measure, dict):
        for option in ("join_to_timespine", "fill_nulls_with"):
            if option in measure:
                ctx.notes.append(Reported(f"metric {name!r}", source, f"{option} is ignored (Asklytics "
                                          "returns no row for a period or group without data)"))
        filters = filters + filter_texts(measure.get("filter"))
        measure = measure.get("name")
    if not isinstance(measure, str):
        return _error(ctx, f"metric {name!r} ({source}): a simple metric needs type_params.measure")
    if measure in ctx.skipped_measures:
        return _unsupported(ctx, name, source, f"its measure {measure!r} is skipped: "
                            f"{ctx.skipped_measures[measure]}")
    info = ctx.measures.get(measure)
    if info is None:
        known = ", ".join(sorted(ctx.measures)) or "none"
        return _error(ctx, f"metric {name!r} ({source}) uses unknown measure {measure!r}; "
                           f"the project's measures: {known}")
    if base["units"] is None:
        counting = info.agg in COUNTING_AGGS or (info.agg, info.expr) == ("sum", "1")
        base["units"] = "count" if counting else "number"
    metric = {**base, "type_params": {"measure": measure}}
    translated = _filters(filters, info.table, ctx)
    if translated:
        metric["filter"] = translated
    return _Done(metric)


def _filters(texts: list[str], table: str, ctx: MetricContext) -> list[dict[str, Any]]:
    return translate_filters(texts, lambda ref: ctx.resolve(ref, table), ctx.dialect)


def _free(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _cumulative_reason(params: dict) -> str:
    nested = params.get("cumulative_type_params") or {}
    window = params.get("window") or nested.get("window")
    grain = params.get("grain_to_date") or nested.get("grain_to_date")
    shape = f"window {window}" if window else f"{grain}-to-date" if grain else "all-time running total"
    return f"cumulative metrics ({shape}) are not supported by the Asklytics compiler"


def _description(item: dict, kind: str) -> str:
    text = item.get("description") or item.get("label")
    return " ".join(str(text).split()) if text else f"The {kind} {item['name']} (no description in dbt)."


def _units(metric: dict) -> str | None:
    for meta in ((metric.get("config") or {}).get("meta") or {}, metric.get("meta") or {}):
        for key in ("units", "unit"):
            if isinstance(meta, dict) and meta.get(key):
                return str(meta[key])
    return None


def _unsupported(ctx: MetricContext, name: str, source: str, reason: str) -> None:
    ctx.skipped.append(Reported(f"metric {name!r}", source, reason))


def _error(ctx: MetricContext, message: str) -> None:
    ctx.errors.append(message)
