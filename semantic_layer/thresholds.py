"""Thresholds on grouped rows (SQL HAVING), and the number of groups that pass them.

"Campaigns whose CTR was above 2% in May" is the usual grouped query with a
``HAVING`` on the metric's expression, computed from the same stacked branches as
the output metrics -- so a ratio compares the ratio of the group's totals, and a
condition's metric need not be an output column::

    SELECT dims, metrics FROM (branch UNION ALL ...) AS measures
    GROUP BY dims HAVING <ctr over measures> > 0.02 AND ...

"How many campaigns spent more than $1,000 in June" counts those groups instead::

    SELECT COUNT(*) AS campaign_name_count
    FROM (SELECT dims FROM (...) AS measures GROUP BY dims HAVING ...) AS passing

A NULL value (a ratio over a zero denominator) passes no condition, ``!=`` included.
A group exists only where some measured metric has rows in the period, so
``cost < 10`` does not find groups without any data.
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.expressions import comparison, parenthesized
from semantic_layer.metric_values import metric_expression
from semantic_layer.model import SemanticModel
from semantic_layer.plan import QueryPlan
from semantic_layer.query import SemanticQuery
from semantic_layer.query_options import number_text
from semantic_layer.sqltree import aliased, select_node, subquery

_PASSING = "passing"


def threshold_conditions(model: SemanticModel, plan: QueryPlan) -> list[exp.Expression]:
    """One comparison per ``having`` condition, over the metric's expression."""
    conditions = []
    for condition in plan.query.having:
        literal = exp.Literal.number(number_text(condition.value))
        target = parenthesized(metric_expression(model, plan, condition.metric))
        conditions.append(comparison(condition.op, target, literal))
    return conditions


def count_of_groups(query: SemanticQuery, grouped: exp.Select) -> exp.Select:
    """``SELECT COUNT(*) AS <count_column> FROM (grouped) AS passing``: zero when no group passes."""
    return select_node([aliased(exp.Count(this=exp.Star()), query.count_column)], subquery(grouped, _PASSING))
