"""A measure table aggregated per join key before it is joined (DuckDB, periods of a few weeks).

"Revenue by device model on June 29" joins the day's events to every install. DuckDB builds its hash
table on the installs (all of them, with the grouped columns) and probes it with the day's events: at
scale 10 that is 2M installs hashed for a few hundred thousand events, about a second a query. Summing
the day's events per user first (``SELECT user_id, SUM(revenue) ... GROUP BY user_id``) leaves one row
per active user, which DuckDB hashes instead and probes with the installs scan: 4-7 times faster at
scale 1 (docs/benchmarks.md, "explain_change speed"). Sums, counts, minima and maxima combine from
the per-key partials exactly (a join repeats a key's rows and its partial alike); a distinct count
counts a column kept in the per-key grouping. Over long ranges the per-key rows approach the joined
table's size and the rewrite stops paying (six months of events by user and event name: 2.4 times
slower), so it applies to periods of at most ``MAX_DAYS``. ClickHouse hashes the right-hand table
whatever the left one holds, so its SQL is unchanged.

Applies when every expression on the measure table outside its aggregates (the keys it joins by, its
own grouped dimensions, a distinct count's column) is a plain column, and the filters on the table
itself can be applied before the join; not to derived (``sql:``) tables, cohorts or rollups.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlglot import exp

from semantic_layer.plan import Branch, MeasureUse
from semantic_layer.sqltree import aliased, select_node, subquery

MAX_DAYS = 31
DIALECTS = frozenset({"duckdb"})
_PARTIAL = {"sum": exp.Sum, "count": exp.Count, "min": exp.Min, "max": exp.Max}
_COMBINE = {"sum": exp.Sum, "count": exp.Sum, "min": exp.Min, "max": exp.Max}


@dataclass(frozen=True)
class PreAggregated:
    source: exp.Expression  # the table aggregated per key, under the table's own name
    conditions: list[exp.Expression]  # what is left to apply after the join (filters on joined tables)
    table: str
    partials: dict[str, str]  # measure alias -> its partial column

    def combined(self, use: MeasureUse, aggregate: exp.Expression) -> exp.Expression:
        """The measure over the joined per-key rows (``aggregate``: as it reads the base table)."""
        if use.measure.agg == "count_distinct":
            return aggregate
        return _COMBINE[use.measure.agg](this=exp.column(self.partials[use.alias], table=self.table))


def _own(node: exp.Expression, table: str) -> bool:
    return any(c.table == table for c in node.find_all(exp.Column))


def _plain(node: exp.Expression, table: str) -> bool:
    return isinstance(node, exp.Column) and node.table == table


def pre_aggregated(branch: Branch, time_range: tuple[dt.date, dt.date] | None, dialect: str,
                   keys: Sequence[exp.Expression], joins: Sequence[exp.Join], table_node: exp.Expression,
                   conditions: Sequence[exp.Expression],
                   aggregates: dict[str, exp.Expression]) -> PreAggregated | None:
    """``keys``: the branch's group-by nodes; ``conditions``: its WHERE; ``aggregates``: each measure's
    aggregate of the base table by alias. None where the rewrite does not apply (module docstring)."""
    table = branch.table.name
    if (dialect not in DIALECTS or not joins or branch.rollup is not None or branch.cohort is not None
            or branch.table.sql or time_range is None or (time_range[1] - time_range[0]).days >= MAX_DAYS
            or any(u.measure.agg not in (*_PARTIAL, "count_distinct") for u in branch.uses)):
        return None
    read = [node for node in keys if _own(node, table)]
    for join in joins:
        on = join.args["on"]
        if not isinstance(on, exp.EQ):
            return None
        read += [side for side in (on.this, on.expression) if _own(side, table)]
    distinct = [u for u in branch.uses if u.measure.agg == "count_distinct"]
    read += [aggregates[u.alias].this.expressions[0] for u in distinct]
    if not all(_plain(node, table) for node in read):
        return None
    inside = [c for c in conditions if _own(c, table)]
    if any(col.table != table for c in inside for col in c.find_all(exp.Column)):
        return None
    columns = list(dict.fromkeys(node.name for node in read))
    partials = {u.alias: f"partial_{i}" for i, u in enumerate(branch.uses) if u not in distinct}
    sums = [aliased(_PARTIAL[u.measure.agg](this=aggregates[u.alias].this.copy()), partials[u.alias])
            for u in branch.uses if u.alias in partials]
    grouped = [exp.column(c, table=table) for c in columns]
    inner = select_node([aliased(c.copy(), c.name) for c in grouped] + sums, table_node,
                        where=[c.copy() for c in inside], group=grouped)
    outside = [c for c in conditions if not _own(c, table)]
    return PreAggregated(subquery(inner, table), outside, table, partials)
