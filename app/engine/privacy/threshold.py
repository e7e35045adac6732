"""The minimum group size, as the executor applies it to every plan (docs/governance.md).

A semantic query's answer is checked with companion queries of the same shape (dimensions,
filters, period, cohort) whose metrics count the distinct people behind each table the answer's
metrics read; cells below k are hidden, then their complements (``suppression.py``). A filter
that leaves out between 1 and k-1 people is refused (its answer minus the unfiltered one would
be them), and a previous period below k is not compared with. SQL that reads a table about
people is refused (its cells cannot be counted), and so are the predictor tools (they list
individuals).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sqlglot
from sqlglot import exp

from app.engine.privacy.people import People, read_people
from app.engine.privacy.suppression import cells_to_hide, is_small
from common.errors import AsklyticsError
from semantic_layer import SemanticModel, SemanticQuery
from semantic_layer.schema import Filter, Measure, Metric, MetricParams
from warehouse.base import Result

COUNT_PREFIX = "privacy_people_"
NEGATED = {"=": "!=", "!=": "=", "in": "not in", "not in": "in", ">": "<=", ">=": "<", "<": ">=", "<=": ">"}


class PrivacyRefusal(AsklyticsError):
    def __init__(self, message: str):
        super().__init__(message, code="privacy_threshold")


@dataclass(frozen=True)
class Part:
    """The people behind one measure a metric reads: ``COUNT(DISTINCT column)`` under ``filters``."""

    table: str
    column: str
    time_dimension: str | None
    filters: tuple[Filter, ...]


@dataclass
class Checked:
    result: Result
    notes: list[str]


class GroupThreshold:
    """A minimum group size over one model; ``k`` 0 with no dimension thresholds: never built."""

    def __init__(self, model: SemanticModel, k: int, user_entity: str, *, dimension_levels: bool = True):
        """``dimension_levels``: whether the model's per-dimension thresholds raise ``k`` (not when
        ``ASKLYTICS_MIN_GROUP_SIZE=0`` turned the model's off and only an access policy's k applies)."""
        self.model = model
        self.k = k
        self.people: People = read_people(model, user_entity)
        self.user_entity = user_entity
        self.dimension_levels = dimension_levels

    @property
    def fingerprint(self) -> str:
        """Part of cache scopes: an answer checked at one threshold never serves another."""
        levels = sorted((d.name, d.min_group_size) for t in self.model.spec.semantic_models
                        for d in t.dimensions if d.min_group_size and self.dimension_levels)
        return f"k{self.k}" + "".join(f"-{name}{size}" for name, size in levels)

    def at_least(self, k: int) -> GroupThreshold:
        """This threshold with ``k`` raised to at least the given one (an access policy's)."""
        if k <= self.k:
            return self
        return GroupThreshold(self.model, k, self.user_entity, dimension_levels=self.dimension_levels)

    def k_for(self, query: SemanticQuery) -> int:
        if not self.dimension_levels:
            return self.k
        names = set(query.dimensions) | {f.dimension for f in query.filters}
        if query.cohort is not None:
            names |= {f.dimension for f in query.cohort.filters}
        if query.share is not None:
            names |= set(query.share.within) | {f.dimension for f in query.share.where}
        levels = [d.min_group_size for t in self.model.spec.semantic_models for d in t.dimensions
                  if d.name in {n.split("__")[0] for n in names} and d.min_group_size]
        return max([self.k, *levels])

    # --- plans ---------------------------------------------------------------------------------
    def check_sql(self, sql: str, dialect: str) -> None:
        tables = _tables_read(sql, dialect)
        personal = sorted(t for t in tables if t not in self.people.impersonal_tables)
        if personal:
            raise PrivacyRefusal(
                f"answers here hide groups of fewer than {self.k or 'the set number of'} people, which free "
                f"SQL over {', '.join(personal)} cannot be checked for; ask in terms of the metrics instead")

    def refuse_tool(self, tool: str) -> None:
        raise PrivacyRefusal(f"the {tool} tool lists individual people, which the minimum group size "
                             "here does not allow; ask for the same figures by group instead")

    def check_semantic(self, query: SemanticQuery, result: Result, run: Callable[[SemanticModel,
                       SemanticQuery], Result]) -> Checked:
        """``result`` of ``query`` with its small cells (and their complements) hidden."""
        k = self.k_for(query)
        parts = self.parts(query)
        if not parts or k <= 1:
            return Checked(result, [])
        counting = self._counting_model(parts)
        self._check_filters(query, parts, counting, run, k)
        companion = self._companion(query, parts)
        counts = run(counting, companion)
        if counts.truncated:
            raise PrivacyRefusal("this question has too many groups to check against the minimum group "
                                 "size; narrow it (a shorter period, a filter, fewer dimensions)")
        keys, cells = _cells(counts, len(parts))
        positions = _positions(result, keys)
        shown = [tuple(row[i] for i in positions) for row in result.rows]
        hide = cells_to_hide(cells, shown, k)
        if not hide:
            return Checked(result, [])
        rows = [row for row, key in zip(result.rows, shown, strict=True) if key not in hide]
        note = (f"{len(hide)} of {len(shown)} rows are not shown: groups of fewer than {k} users are "
                "hidden, with as many others as needed so that totals cannot reveal them.")
        return Checked(replace(result, rows=rows), [note])

    def previous_shown(self, query: SemanticQuery, run) -> bool:
        """Whether a previous period's single number (a KPI comparison) stands for >= k people."""
        parts = self.parts(query)
        if not parts:
            return True
        counts = run(self._counting_model(parts), self._companion(query, parts))
        return not is_small(_only_row(counts, len(parts)), self.k_for(query))

    # --- counting ------------------------------------------------------------------------------
    def parts(self, query: SemanticQuery) -> tuple[Part, ...]:
        names = list(query.metrics) + ([query.share.of] if query.share is not None else [])
        found: dict[Part, None] = {}
        for name in names:
            for part in self._parts_of(name, ()):
                found[part] = None
        return tuple(found)

    def _parts_of(self, name: str, filters: tuple[Filter, ...]):
        metric = self.model.metric(name)
        if metric is None:
            return
        filters = filters + metric.filter
        if metric.type != "simple":
            for source in metric.inputs():
                yield from self._parts_of(source, filters)
            return
        table, measure = self.model.measure(metric.type_params.measure)
        if table.name in self.people.uncountable:
            raise PrivacyRefusal(f"the people behind {name} cannot be counted (the table {table.name} does "
                                 f"not name the {self.user_entity} entity), so under the minimum group size "
                                 "it cannot be shown")
        column = self.people.counters.get(table.name)
        if column is not None:
            yield Part(table.name, _people_behind(column, measure), measure.agg_time_dimension, filters)

    def _counting_model(self, parts: tuple[Part, ...]) -> SemanticModel:
        spec = self.model.spec
        tables = {t.name: t for t in spec.semantic_models}
        metrics: list[Metric] = []
        for index, part in enumerate(parts):
            name = f"{COUNT_PREFIX}{index}"
            measure = Measure(name=name, agg="count_distinct", expr=part.column,
                              agg_time_dimension=part.time_dimension)
            tables[part.table] = tables[part.table].model_copy(
                update={"measures": (*tables[part.table].measures, measure)})
            metrics.append(Metric(name=name, type="simple", units="count", filter=part.filters,
                                  type_params=MetricParams(measure=name)))
        return SemanticModel(spec.model_copy(update={"semantic_models": tuple(tables.values()),
                                                     "metrics": (*spec.metrics, *metrics)}), self.model.path)

    def _companion(self, query: SemanticQuery, parts: tuple[Part, ...], *,
                   filters: tuple[Filter, ...] | None = None, grouped: bool = True) -> SemanticQuery:
        return SemanticQuery(
            metrics=tuple(f"{COUNT_PREFIX}{i}" for i in range(len(parts))),
            dimensions=query.dimensions if grouped and not query.count_groups else (),
            grain=query.grain if grouped else None,
            filters=query.filters if filters is None else filters,
            time_range=query.time_range, cohort=query.cohort)

    def _check_filters(self, query: SemanticQuery, parts, counting: SemanticModel, run, k: int) -> None:
        """A filter leaving out 1..k-1 people is refused: with the unfiltered answer it reveals them."""
        for index, condition in enumerate(query.filters):
            others = query.filters[:index] + query.filters[index + 1:]
            negated = condition.model_copy(update={"op": NEGATED[condition.op]})
            counts = run(counting, self._companion(query, parts, filters=(*others, negated), grouped=False))
            if is_small(_only_row(counts, len(parts)), k):
                raise PrivacyRefusal(
                    f"the filter {condition.to_text()} leaves out fewer than {k} users, so comparing its "
                    "answer with the unfiltered one would reveal them; ask without it or by group")


def build_threshold(model: SemanticModel, setting: int | None) -> GroupThreshold | None:
    """The threshold in force: the setting (0: off), else the model's, raised per dimension."""
    if setting == 0:
        return None
    privacy = model.spec.privacy
    k = setting if setting is not None else (privacy.min_group_size if privacy is not None else 0)
    per_dimension = any(d.min_group_size for t in model.spec.semantic_models for d in t.dimensions)
    if k <= 1 and not per_dimension:
        return None
    return GroupThreshold(model, max(k, 0), _user_entity(model))


def threshold_with_floor(threshold: GroupThreshold | None, model: SemanticModel,
                         floor: int | None) -> GroupThreshold | None:
    """The threshold of a caller whose access policy asks for at least ``floor`` people per cell: a
    policy can raise the threshold in force (or set one where none is), never lower it."""
    if floor is None or floor <= 1:
        return threshold
    if threshold is not None:
        return threshold.at_least(floor)
    return GroupThreshold(model, floor, _user_entity(model), dimension_levels=False)


def _user_entity(model: SemanticModel) -> str:
    privacy = model.spec.privacy
    entity = privacy.user_entity if privacy is not None else "user"
    if not any(t.entity(entity) for t in model.spec.semantic_models):
        raise PrivacyRefusal(f"a minimum group size is set but the semantic model declares no {entity!r} "
                             "entity to count people with; set privacy.user_entity in the model")
    return entity


def _people_behind(user: str, measure: Measure) -> str:
    """The people whose rows make a measure's value: a sum is made by its non-zero values (a total
    over 1,000 users of whom one paid is that one payment), other aggregates by their non-NULL ones."""
    value = measure.column_expr
    if measure.agg == "count" and value.strip() in ("*", "1"):
        return user
    condition = f"({value}) IS NOT NULL" + (f" AND ({value}) <> 0" if measure.agg == "sum" else "")
    return f"CASE WHEN {condition} THEN {user} END"


def _tables_read(sql: str, dialect: str) -> set[str]:
    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except sqlglot.errors.ParseError:
        raise PrivacyRefusal("the statement could not be read, so it cannot be checked against the "
                             "minimum group size") from None
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    found = set()
    for table in tree.find_all(exp.Table):
        if isinstance(table.this, exp.Func):
            continue  # a row generator (the guard refuses other table functions)
        if table.name.lower() not in ctes or table.args.get("db"):
            found.add(table.name.lower())
    return found


def _cells(counts: Result, width: int) -> tuple[list[str], dict[tuple, tuple[int, ...]]]:
    names = counts.column_names()
    keys = [n for n in names if not n.startswith(COUNT_PREFIX)]
    key_at = [names.index(n) for n in keys]
    part_at = [names.index(f"{COUNT_PREFIX}{i}") for i in range(width)]
    cells = {tuple(row[i] for i in key_at): tuple(int(row[i] or 0) for i in part_at) for row in counts.rows}
    return keys, cells


def _positions(result: Result, keys: list[str]) -> list[int]:
    names = result.column_names()
    missing = [k for k in keys if k not in names]
    if missing:
        raise PrivacyRefusal("this answer's groups could not be matched to their group sizes, so it cannot "
                             "be shown under the minimum group size")
    return [names.index(k) for k in keys]


def _only_row(counts: Result, width: int) -> tuple[int, ...]:
    _, cells = _cells(counts, width)
    return next(iter(cells.values()), (0,) * width)
