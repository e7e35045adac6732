"""Metrics as SQL expressions over the aggregated measure columns of the stacked branches.

The compiler's outer query groups the branches' rows (``FROM (...) AS measures``)
and computes each metric from them: a simple metric re-adds its measure column,
a ratio divides two of those NULL-safely, a derived metric substitutes them into
its expression. The same expressions serve output columns and ``having`` conditions.
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.expressions import parenthesized, parsed_expression, safe_divide
from semantic_layer.model import SemanticModel
from semantic_layer.plan import QueryPlan, alias_of

MEASURES_ALIAS = "measures"
_NOT_SUMMED = ("average", "min", "max")


def measures_column(name: str) -> exp.Column:
    return exp.column(name, table=MEASURES_ALIAS)


def metric_expression(model: SemanticModel, plan: QueryPlan, name: str) -> exp.Expression:
    """A metric as an expression over the aggregated measure columns."""
    metric = model.metric(name)
    if metric.type == "simple":
        column = measures_column(alias_of(plan, metric))
        if model.measure(metric.type_params.measure)[1].agg in _NOT_SUMMED:
            # One row per group: an average of a group no row of this branch has is unknown, not zero.
            return exp.Max(this=column)
        # A group present in another branch only has no row here: zero, not NULL.
        return exp.Coalesce(this=exp.Sum(this=column), expressions=[exp.Literal.number(0)])
    if metric.type == "ratio":
        params = metric.type_params
        return safe_divide(metric_expression(model, plan, params.numerator),
                           metric_expression(model, plan, params.denominator))
    return _derived_expression(model, plan, metric.type_params.expr)


def _derived_expression(model: SemanticModel, plan: QueryPlan, sql: str) -> exp.Expression:
    def guard_division(node: exp.Expression) -> exp.Expression:
        return safe_divide(node.this, node.expression) if isinstance(node, exp.Div) else node

    def substitute_metric(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column):
            return parenthesized(metric_expression(model, plan, node.name))
        return node

    # Divisions first, while the tree holds only metric names: the metrics
    # substituted afterwards carry their own NULL-safe divisions.
    tree = parsed_expression(sql, model.dialect).transform(guard_division)
    return tree.transform(substitute_metric)
