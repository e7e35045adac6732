"""Shares of a total: each row's part of a simple metric as a fraction of its group's total.

Two branches of the same measure are stacked: the *part* (query filters plus the
share's ``where``, grouped by every result dimension) and the *total* (query
filters only, grouped by the ``within`` dimensions, time and cohort buckets, and
NULL in the other dimensions, which it does not join to). A window spreads each
total over the rows of its group; the total's own rows are then dropped::

    SELECT dims, of, CAST(of AS DOUBLE) / NULLIF(share_total, 0) AS of_share
    FROM (SELECT dims, MAX(share_part) AS share_part, COALESCE(SUM(of), 0) AS of,
                 MAX(SUM(share_total)) OVER (PARTITION BY <within keys>) AS share_total
          FROM (part UNION ALL total) AS measures GROUP BY dims) AS shares
    WHERE shares.share_part = 1

When the total is grouped like the result (no dimension outside ``within``), its
rows count as part rows too, so a group without any part (no paid installs in a
month) shows a share of 0 instead of vanishing.
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.branches import branch_select
from semantic_layer.checks import check_query
from semantic_layer.expressions import safe_divide
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.ordering import order_keys
from semantic_layer.plan import Branch, column_alias, measure_use, resolve_branch
from semantic_layer.query import SemanticQuery
from semantic_layer.query_options import COHORT_COLUMN
from semantic_layer.sqltree import aliased, select_node, subquery, union_all

SHARE_TOTAL = "share_total"
SHARE_PART = "share_part"
_MEASURES = "measures"
_SHARES = "shares"


def compile_share(model: SemanticModel, query: SemanticQuery, dialect: str) -> exp.Select:
    branches = _share_branches(model, query)
    part_alias = branches[0].uses[0].alias
    aliases = [part_alias, SHARE_TOTAL]
    stacked = union_all([branch_select(model, query, b, aliases, dialect) for b in branches])
    grouped = _grouped(query, part_alias, stacked)
    share = query.share
    value = exp.column(part_alias, table=_SHARES)
    fraction = safe_divide(value.copy(), exp.column(SHARE_TOTAL, table=_SHARES))
    columns = [aliased(exp.column(d, table=_SHARES), d) for d in query.result_dimensions]
    columns += [aliased(value, share.of), aliased(fraction, share.column)]
    is_part = exp.EQ(this=exp.column(SHARE_PART, table=_SHARES), expression=exp.Literal.number(1))
    return select_node(columns, subquery(grouped, _SHARES), where=[is_part], order=order_keys(query),
                       limit=query.limit)


def _share_branches(model: SemanticModel, query: SemanticQuery) -> tuple[Branch, Branch]:
    """The part and the total, resolved like any branch (reachability, cohort)."""
    check_query(model, query)
    share, metric = query.share, model.metric(query.share.of)
    table = model.measure_table(metric.type_params.measure)
    part = Branch(table, metric.filter + share.where, [measure_use(model, metric, column_alias(share.of))],
                  constants=((SHARE_PART, 1),))
    elsewhere = frozenset(d for d in query.dimensions if d != METRIC_TIME and d not in share.within)
    total = Branch(table, metric.filter, [measure_use(model, metric, SHARE_TOTAL)], null_keys=elsewhere,
                   constants=((SHARE_PART, 0 if elsewhere else 1),))
    for branch in (part, total):
        resolve_branch(model, query, branch)
    return part, total


def _grouped(query: SemanticQuery, part_alias: str, stacked: exp.Expression) -> exp.Select:
    keys = [exp.column(d, table=_MEASURES) for d in query.result_dimensions]
    within = [d for d in query.result_dimensions
              if d in query.share.within or d in (METRIC_TIME, COHORT_COLUMN)]
    total = exp.Max(this=exp.Sum(this=exp.column(SHARE_TOTAL, table=_MEASURES)))
    window = exp.Window(this=total, partition_by=[exp.column(d, table=_MEASURES) for d in within])
    part = exp.Coalesce(this=exp.Sum(this=exp.column(part_alias, table=_MEASURES)),
                        expressions=[exp.Literal.number(0)])
    columns = [aliased(k.copy(), k.name) for k in keys]
    columns += [aliased(exp.Max(this=exp.column(SHARE_PART, table=_MEASURES)), SHARE_PART),
                aliased(part, part_alias), aliased(window, SHARE_TOTAL)]
    return select_node(columns, subquery(stacked, _MEASURES), group=keys)
