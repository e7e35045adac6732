"""Access policies as the engine applies them (docs/governance.md).

A policy limits the metrics and dimensions a caller may use and the rows they may see. Every
policy that matches the caller applies (the tenant's and the API key's): lists intersect,
row filters add up. Enforcement sits below the planners, in the one path from a plan to rows:
``GovernedExecutor`` checks a plan's metrics, dimensions and raw SQL, and runs everything --
compiled SQL, planner SQL, predictor tools, the KPI's previous period -- on a
``PolicedWarehouse`` that wraps every table read in the policy's row filters. Cache entries are
keyed by the policy's fingerprint, so a cached plan or result never crosses policies.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from app.engine.pipeline.execute import Execution, ExecutionError, PlanExecutor
from app.engine.planning.plan import ClarificationPlan, Plan, SemanticQueryPlan, SqlPlan
from appdb import Database
from appdb.policies import policies_for
from semantic_layer import SemanticModel, SemanticQuery
from warehouse.access import RowPolicy, TableLink
from warehouse.base import Schema, Warehouse

ALWAYS_ALLOWED_DIMENSIONS = frozenset({"metric_time"})


@dataclass(frozen=True)
class AccessPolicy:
    metrics: frozenset[str] | None = None  # None: every metric
    dimensions: frozenset[str] | None = None
    row_filters: tuple[str, ...] = ()
    allow_sql: bool = True
    subjects: tuple[str, ...] = field(default=(), compare=False)
    min_group_size: int | None = None  # the privacy threshold the caller is held to at least

    @classmethod
    def from_row(cls, row: dict) -> AccessPolicy:
        return cls(metrics=_names(row.get("metrics")), dimensions=_names(row.get("dimensions")),
                   row_filters=tuple(row.get("row_filters") or ()),
                   allow_sql=bool(row.get("allow_sql", True)),
                   subjects=(f"{row['subject_type']}:{row['subject']}",),
                   min_group_size=row.get("min_group_size"))

    def merged(self, other: AccessPolicy) -> AccessPolicy:
        """Both policies at once: the narrower lists, every row filter, the larger minimum group size."""
        sizes = [k for k in (self.min_group_size, other.min_group_size) if k is not None]
        return AccessPolicy(_intersect(self.metrics, other.metrics),
                            _intersect(self.dimensions, other.dimensions),
                            tuple(dict.fromkeys(self.row_filters + other.row_filters)),
                            self.allow_sql and other.allow_sql, self.subjects + other.subjects,
                            max(sizes) if sizes else None)

    @property
    def fingerprint(self) -> str:
        data = {"m": sorted(self.metrics) if self.metrics is not None else None,
                "d": sorted(self.dimensions) if self.dimensions is not None else None,
                "r": sorted(self.row_filters), "s": self.allow_sql}
        if self.min_group_size is not None:  # absent otherwise: fingerprints of older policies stay
            data["k"] = self.min_group_size
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]

    def allows_metric(self, name: str) -> bool:
        """Whether a catalog may show the metric (the MCP tools and resources, GET /metrics)."""
        return self.metrics is None or name in self.metrics

    def allows_dimension(self, name: str) -> bool:
        return self.dimensions is None or name in self.dimensions or name in ALWAYS_ALLOWED_DIMENSIONS

    def check(self, plan: Plan) -> None:
        """Raises ``ExecutionError('access_denied')`` for a plan outside the policy."""
        if isinstance(plan, SqlPlan) and not self.allow_sql:
            raise ExecutionError("access_denied", "your access policy allows questions about its metrics "
                                 "only, not free SQL; ask in terms of the metrics you may see")
        if isinstance(plan, SemanticQueryPlan):
            self._check_query(plan.query)

    def _check_query(self, query: SemanticQuery) -> None:
        metrics, dimensions = referenced_names(query)
        if self.metrics is not None and metrics - self.metrics:
            raise ExecutionError("access_denied", f"your access policy does not cover the metric(s) "
                                 f"{', '.join(sorted(metrics - self.metrics))}; you may ask about "
                                 f"{', '.join(sorted(self.metrics)) or 'no metrics'}")
        allowed = (self.dimensions or frozenset()) | ALWAYS_ALLOWED_DIMENSIONS
        if self.dimensions is not None and dimensions - allowed:
            raise ExecutionError("access_denied", f"your access policy does not cover the dimension(s) "
                                 f"{', '.join(sorted(dimensions - allowed))}")


def referenced_names(query: SemanticQuery) -> tuple[frozenset[str], frozenset[str]]:
    """Every metric and dimension a semantic query reads (filters, HAVING, shares, cohorts included)."""
    metrics = set(query.metrics) | {c.metric for c in query.having}
    dimensions = set(query.dimensions) | {f.dimension for f in query.filters}
    if query.share is not None:
        metrics.add(query.share.of)
        dimensions |= {f.dimension for f in query.share.where} | set(query.share.within)
    if query.cohort is not None:
        dimensions |= {f.dimension for f in query.cohort.filters}
    return frozenset(metrics), frozenset(d.split("__")[0] for d in dimensions)


def policy_for(database: Database, scope: str, key_id: str | None) -> AccessPolicy | None:
    """The policy of a caller (its tenant's and its key's, merged), or None when none is set."""
    subjects = [("tenant", scope)] + ([("key", key_id)] if key_id else [])
    with database.connect() as connection:
        rows = policies_for(connection, subjects)
    policy = None
    for row in rows:
        found = AccessPolicy.from_row(row)
        policy = found if policy is None else policy.merged(found)
    return policy


def table_links(model: SemanticModel, schema: Schema) -> dict[str, tuple[TableLink, ...]]:
    """How warehouse tables reference each other, read from the model's entities: a table's foreign
    or unique entity points at the table that owns it (its primary, else the first unique)."""
    physical = {t.name: _physical(t, schema) for t in model.spec.semantic_models}
    owners: dict[str, tuple[str, str]] = {}
    for kind in ("primary", "unique"):
        for table in model.spec.semantic_models:
            for entity in table.entities:
                if entity.type == kind and physical[table.name] and _plain(entity.column_expr):
                    owners.setdefault(entity.name, (physical[table.name], entity.column_expr))
    links: dict[str, list[TableLink]] = {}
    for table in model.spec.semantic_models:
        name = physical[table.name]
        for entity in table.entities:
            owner = owners.get(entity.name)
            if name and owner and owner[0] != name and _plain(entity.column_expr):
                links.setdefault(name, []).append(TableLink(name, entity.column_expr, *owner))
    return {name: tuple(found) for name, found in links.items()}


def row_policy(policy: AccessPolicy, links: dict[str, tuple[TableLink, ...]]) -> RowPolicy:
    return RowPolicy(policy.row_filters, links)


class GovernedExecutor(PlanExecutor):
    """The executor of one caller: the policy's checks first, then the policed warehouse."""

    def __init__(self, policy: AccessPolicy, **executor_args):
        super().__init__(**executor_args)
        self.policy = policy

    def run(self, plan: Plan) -> Execution:
        self.policy.check(plan)
        return super().run(plan)


def _physical(table, schema: Schema) -> str | None:
    name = table.table or table.name
    found = schema.table(name)
    return found.name if found is not None else None


def _plain(expr: str) -> bool:
    return expr.replace("_", "").isalnum()


def _names(values) -> frozenset[str] | None:
    return frozenset(values) if values is not None else None


def _intersect(first: frozenset[str] | None, second: frozenset[str] | None) -> frozenset[str] | None:
    if first is None or second is None:
        return first if second is None else second
    return first & second


NOTHING_VISIBLE = ("Nothing in the data you may see matches that; ask again with a name from your data "
                   "(\"what campaigns do we have?\" lists them).")


def hidden_values(full: Warehouse, policed: Warehouse) -> frozenset[str]:
    """The low-cardinality values the planners know (the schema's) that the policy hides."""
    hidden: set[str] = set()
    for table in full.schema().tables.values():
        for column in table.columns:
            if column.values:
                rows = policed.execute(f'SELECT DISTINCT "{column.name}" FROM "{table.name}"').rows
                hidden |= set(column.values) - {str(row[0]) for row in rows}
    return frozenset(hidden)


def screen_plan(plan: Plan, hidden: frozenset[str]) -> Plan:
    """A plan whose words the caller sees (a clarification's options, a plan's notes) without the
    values the policy hides: the planners read them from the whole warehouse."""
    mentions = _mentions(hidden)
    notes = tuple(n for n in plan.notes if not mentions(n))
    if not isinstance(plan, ClarificationPlan):
        return plan.model_copy(update={"notes": notes}) if notes != plan.notes else plan
    options = tuple(o for o in plan.options if not mentions(o))
    if options == plan.options and not mentions(plan.question):
        return plan.model_copy(update={"notes": notes})
    question = f"Which one do you mean: {'; '.join(options)}?" if options else NOTHING_VISIBLE
    return plan.model_copy(update={"question": question, "options": options, "notes": notes})


def _mentions(values: frozenset[str]):
    if not values:
        return lambda text: False
    words = sorted(values, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<![A-Za-z0-9]){re.escape(v)}(?![A-Za-z0-9])" for v in words))
    return lambda text: pattern.search(text or "") is not None
