"""Rollups (aggregate awareness): answer a branch from a pre-aggregated table when that is exact.

A rollup declared in the model (``rollups:``) holds, per day and per combination of its
dimensions, the measures of one semantic model, built from the same rows a branch reads:
the measure's table LEFT JOINed along the paths to the rollup's dimensions, with a
``joined_<table>`` flag (1/0) per joined table so that a query whose own inner join drops
rows (a campaign attribute keeps paid installs only) keeps exactly those rows.

A branch is answered from the smallest rollup (fewest rows when built) that covers it:

- same semantic model, every measure of the branch in the rollup;
- every dimension it groups or filters by (query and metric filters) in the rollup;
- no cohort, unless the rollup keeps the cohort date (``cohort: true``, column ``rollup_cohort_day``)
  and every cohort filter is a rollup dimension reached the same way (exact: the rows of a cohort
  are the rollup rows of its install days and attributes, summed);
- any grain (the rollup is daily). The days through the rollup's watermark (the last day built)
  are read from the rollup; days after it -- a query without a time range, or one whose range
  ends past the watermark -- from the base tables *in the rollup's own row shape*
  (``rollup_select``, the SELECT that builds it), stacked under the rollup's rows before
  they are re-aggregated: rows that arrived after the build are counted, and the query reads
  only the days it could not take from the rollup. A range that starts after the watermark
  reads the base tables alone;
- a per-day distinct count (DAU) only when the rollup has no dimension or joined table the
  query does not group by or fix to one value: distinct counts are never added across groups
  or days. A plain distinct count only from a rollup that keeps its values (``distinct_values``:
  one row per value and group), counted again: the values of any set of rows are exact;
- a monthly rollup (``grain: month``) for a query not grouped by day or week: it reads the months
  of the range the rollup holds whole, and the range's other days (a range starting or ending
  inside a month) from the base tables in the rollup's shape, like the days after the watermark.

Anything else falls back to the base tables. The state of each built rollup (definition
hash, watermark, rows) is a row of ``asklytics_rollups`` in the warehouse; a rollup whose
definition changed since its build is not used.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from semantic_layer.joins import JoinEdge, reachable_tables
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.schema import RollupTable

STATE_TABLE = "asklytics_rollups"
DAY_COLUMN = "rollup_day"
COHORT_DAY_COLUMN = "rollup_cohort_day"
ADDITIVE = ("sum", "count", "min", "max")


@dataclass(frozen=True)
class RollupState:
    """A built rollup as recorded in the warehouse."""

    name: str
    definition: str
    watermark: dt.date | None
    rows: int
    # the base tables were seen to hold no day after the watermark (``without_empty_tails``, per
    # question): a query past the watermark reads the rollup alone
    complete: bool = False


@dataclass(frozen=True)
class RollupChoice:
    rollup: RollupTable
    state: RollupState
    joined: tuple[str, ...]  # tables the branch joins: their flags must be 1
    # the days after the watermark the branch reads from the base tables: (first, last), last None
    # when the query has no time range; None when the rollup holds every day the query reads
    tail: tuple[dt.date, dt.date | None] | None = None
    # a monthly rollup: the first and last month (their first days; first None: from the first) the
    # branch reads whole from it, and the days of its range before the watermark outside those months
    # (read from the base tables in the rollup's shape, like the tail)
    months: tuple[dt.date | None, dt.date] | None = None
    edges: tuple[tuple[dt.date, dt.date], ...] = ()


def joined_flag(table: str) -> str:
    return f"joined_{table}"


def rollup_edges(model: SemanticModel, rollup: RollupTable) -> list[JoinEdge]:
    """Every edge on the paths from the rollup's table to its dimensions (and to the cohort table
    when it keeps the cohort date), once, parents first."""
    edges: list[JoinEdge] = []
    for name in rollup.dimensions:
        resolved = model.resolve_dimension(rollup.semantic_model, name)
        edges += [e for e in resolved.path if e not in edges]
    if rollup.cohort:
        edges += [e for e in cohort_path(model, rollup) if e not in edges]
    return edges


def cohort_path(model: SemanticModel, rollup: RollupTable) -> tuple[JoinEdge, ...]:
    """The join path from the rollup's table to the model's cohort table (rules.py checks it exists)."""
    return reachable_tables(model.edges, rollup.semantic_model)[model.spec.cohort.semantic_model]


def definition_hash(model: SemanticModel, rollup: RollupTable) -> str:
    """Changes when anything the rollup's rows depend on changes (its spec, the tables' definitions)."""
    known = _HASHES.setdefault(model, {})  # a loaded model does not change: hash once per rollup
    key = rollup.model_dump_json()
    if key not in known:
        known[key] = _definition_hash(model, rollup)
    return known[key]


_HASHES: WeakKeyDictionary = WeakKeyDictionary()


def _definition_hash(model: SemanticModel, rollup: RollupTable) -> str:
    tables = {rollup.semantic_model} | {e.target for e in rollup_edges(model, rollup)}
    parts = {"rollup": rollup.model_dump(mode="json"),
             "tables": {name: model.tables[name].model_dump(mode="json", exclude={"description"})
                        for name in sorted(tables)}}
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def usable_states(model: SemanticModel, states: Mapping[str, RollupState]) -> dict[str, RollupState]:
    """The recorded states whose rollup is still declared, unchanged, and built."""
    usable = {}
    for rollup in model.spec.rollups:
        state = states.get(rollup.name)
        if state and state.watermark and state.definition == definition_hash(model, rollup):
            usable[rollup.name] = state
    return usable


def choose_rollup(model: SemanticModel, query, branch,
                  states: Mapping[str, RollupState]) -> RollupChoice | None:
    """The smallest built rollup that answers ``branch`` exactly, or None (the base tables)."""
    if branch.null_keys or branch.constants or branch.time_dimension is None:
        return None
    if branch.activity_filters or branch.acquisition_window is not None or (
            branch.counts_its_cohort and query.time_range is not None):
        return None  # a cohort's size next to an activity period (branches.branch_time_range): base tables
    paths = [r.path for r in branch.dimensions.values()]
    if branch.cohort is not None:
        paths.append(branch.cohort.edges())
    joined = tuple(dict.fromkeys(e.target for path in paths for e in path))
    candidates = []
    for rollup in model.spec.rollups:
        state = states.get(rollup.name)
        if state is None or state.watermark is None:
            continue
        if query.time_range is not None and query.time_range[0] > state.watermark:
            continue  # nothing the rollup holds is read
        if rollup.grain == "month" and _whole_months(query.time_range, state.watermark)[0] is None:
            continue  # no month of the range is held whole: the base tables read as little
        if _covers(model, rollup, query, branch, joined):
            candidates.append((state.rows, len(rollup.dimensions), rollup.name, rollup, state))
    if not candidates:
        return None
    _, _, _, rollup, state = min(candidates, key=lambda c: c[:3])
    tail = None if state.complete else _tail(query.time_range, state.watermark)
    if rollup.grain == "month":
        months, edges = _whole_months(query.time_range, state.watermark)
        return RollupChoice(rollup, state, joined, tail, months, edges)
    return RollupChoice(rollup, state, joined, tail)


def _tail(time_range, watermark: dt.date) -> tuple[dt.date, dt.date | None] | None:
    """The days after ``watermark`` that ``time_range`` reads (all of them when it is None)."""
    end = time_range[1] if time_range is not None else None
    if end is not None and end <= watermark:
        return None
    return watermark + dt.timedelta(days=1), end


def _whole_months(time_range, watermark: dt.date):
    """The months a monthly rollup holds whole within ``time_range`` -- ``(first, last)`` month starts,
    first None when the range has no start; None when there is none -- and the range's days up to
    the watermark outside them. The watermark's month holds its days through the watermark."""
    start, end = time_range if time_range is not None else (None, None)
    cap = watermark if end is None else min(end, watermark)
    last = cap.replace(day=1)
    if cap < watermark and cap != _month_end(cap):  # the range ends inside a month the rollup holds more of
        last = (last - dt.timedelta(days=1)).replace(day=1)
    first = None if start is None else (start if start.day == 1 else _month_end(start) + dt.timedelta(days=1))
    if first is not None and first > last:
        return None, ()
    edges = []
    if first is not None and start < first:
        edges.append((start, first - dt.timedelta(days=1)))
    held_to = min(_month_end(last), watermark)
    if held_to < cap:
        edges.append((held_to + dt.timedelta(days=1), cap))
    return (first, last), tuple(edges)


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _covers(model: SemanticModel, rollup: RollupTable, query, branch, joined: tuple[str, ...]) -> bool:
    if rollup.semantic_model != branch.table.name:
        return False
    if rollup.grain == "month" and METRIC_TIME in query.group_by and query.time_grain in ("day", "week"):
        return False  # a month's row cannot be split into its days or weeks
    if any(u.measure.name not in rollup.measures for u in branch.uses):
        return False
    if any(name not in rollup.dimensions for name in branch.dimensions):
        return False
    if branch.cohort is not None and not _covers_cohort(model, rollup, branch.cohort):
        return False
    tables = {e.target for e in rollup_edges(model, rollup)}
    if not set(joined) <= tables:
        return False
    if branch.rollup is not None and (branch.rollup.grain != rollup.grain
                                      or not _exact_distinct(rollup, query, branch, joined, tables)):
        return False
    return all(u.measure.agg in ADDITIVE or u.measure.rollup is not None
               or (u.measure.agg == "count_distinct" and rollup.distinct_values) for u in branch.uses)


def _covers_cohort(model: SemanticModel, rollup: RollupTable, cohort) -> bool:
    """The rollup keeps the cohort date, and each cohort filter is a rollup dimension that the
    rollup reaches along the same joins as the cohort does (the same column of the same rows)."""
    if not rollup.cohort:
        return False
    for filt, resolved in cohort.filters:
        if filt.dimension not in rollup.dimensions:
            return False
        own = model.resolve_dimension(rollup.semantic_model, filt.dimension)
        if own.path != resolved.path or own.table.name != resolved.table.name:
            return False
    return True


def _exact_distinct(rollup: RollupTable, query, branch, joined, tables) -> bool:
    """A per-day distinct count is exact only if no rollup group is added to another."""
    grouped = {d for d in query.group_by if d != METRIC_TIME}
    fixed = {f.dimension for f in query.filters + branch.filters
             if (f.op == "=" or (f.op == "in" and len(f.values) == 1))}
    return set(rollup.dimensions) <= grouped | fixed and tables <= set(joined)


def rollup_note(used: list[RollupChoice]) -> str | None:
    """What an answer says when rollups answered it: which ones, and how current they are."""
    seen = {c.rollup.name: c.state.watermark for c in used}
    if not seen:
        return None
    names = ", ".join(f"{name} (built through {day.isoformat()})" for name, day in seen.items())
    return f"Answered from pre-aggregated rollups: {names}."
