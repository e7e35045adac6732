"""Install cohorts: restrict each measure's rows to members of a population, and key them by cohort.

The model file names the cohort table (``cohort: {semantic_model: installs,
time_dimension: install_date}``). A branch whose table joins to it (events
through the user, retention through the install, installs themselves) keeps
the rows of members whose install date lies in ``install_range`` and whose
attributes pass the cohort's filters; both are tested on the cohort table,
never on the measure's own table. A branch that cannot reach the cohort table
(ad spend: a campaign is not a user) cannot be measured for a cohort.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from semantic_layer.errors import SemanticQueryError
from semantic_layer.expressions import date_literal, dimension_condition, model_expression, time_bucket
from semantic_layer.joins import JoinEdge, ResolvedDimension, reachable_tables
from semantic_layer.model import SemanticModel
from semantic_layer.query_options import Cohort
from semantic_layer.schema import Dimension, Filter, SemanticTable


@dataclass(frozen=True)
class CohortJoin:
    """The cohort as one branch sees it: the path to the cohort table and what to test there."""

    cohort: Cohort
    table: SemanticTable
    time_dimension: Dimension
    path: tuple[JoinEdge, ...]  # from the branch's table to the cohort table
    filters: tuple[tuple[Filter, ResolvedDimension], ...]  # each path starts at the branch's table

    def edges(self) -> list[JoinEdge]:
        edges = list(self.path)
        for _, resolved in self.filters:
            edges += [e for e in resolved.path if e not in edges]
        return edges


def resolve_cohort(model: SemanticModel, cohort: Cohort, table: SemanticTable, metrics: str) -> CohortJoin:
    """How the rows of ``table`` (measured for ``metrics``) reach the cohort; raises when they cannot."""
    spec = model.spec.cohort
    if spec is None:
        raise SemanticQueryError("this semantic model declares no cohort table, "
                                 "so a query cannot have a cohort")
    home = model.tables[spec.semantic_model]
    path = reachable_tables(model.edges, table.name).get(home.name)
    if path is None:
        raise SemanticQueryError(
            f"{metrics} (from {table.name!r}) cannot be measured for a cohort: no join path leads from "
            f"{table.name!r} to {home.name!r}; ask for it without the cohort, or for metrics of "
            f"{home.name} and their users")
    filters = tuple((f, _cohort_dimension(model, home, path, f)) for f in cohort.filters)
    return CohortJoin(cohort, home, home.dimension(spec.time_dimension), path, filters)


def _cohort_dimension(model: SemanticModel, home: SemanticTable, path: tuple[JoinEdge, ...],
                      filt: Filter) -> ResolvedDimension:
    resolved = model.resolve_dimension(home.name, filt.dimension)
    if resolved is None:
        raise SemanticQueryError(f"cohort filter {filt.to_text()!r}: {filt.dimension!r} is not an "
                                 f"attribute of {home.name!r} or a table it joins to; "
                                 "cohort filters describe the members")
    return ResolvedDimension(resolved.dimension, resolved.table, path + resolved.path)


def cohort_conditions(model: SemanticModel, join: CohortJoin) -> list[exp.Expression]:
    """Install window and member attributes, tested on the cohort table."""
    conditions = []
    if join.cohort.install_range is not None:
        start, end = join.cohort.install_range
        conditions.append(exp.Between(this=_cohort_date(model, join), low=date_literal(start),
                                      high=date_literal(end)))
    conditions += [dimension_condition(resolved, filt, model.dialect) for filt, resolved in join.filters]
    return conditions


def cohort_bucket(model: SemanticModel, join: CohortJoin, dialect: str) -> exp.Expression:
    """The ``cohort`` column: the first day of the member's install bucket."""
    return time_bucket(_cohort_date(model, join), join.cohort.grain, dialect)


def _cohort_date(model: SemanticModel, join: CohortJoin) -> exp.Expression:
    return model_expression(join.time_dimension.column_expr, join.table.name, model.dialect)
