"""Why did a metric change? Query it per segment in both periods and decompose the change.

``explain_change(model, run, metric, current, baseline)`` asks the semantic layer (through
``run``: the executor's own path, so access policies and the guard apply) for the metric's
inputs per value of each dimension it reaches, in both periods; the best single dimensions are
then crossed in pairs. The report holds every candidate ranked (``decompose.ranked``). A segment
that stands out alone (``decompose.standouts``) leads, and nesting decides between segments of
different dimensions where one lies inside the other (every bit of its amount in both periods, read
from the pair of the two dimensions): the inner one is named when it carries nearly all of the
outer one's change (Apple Search Ads rather than the search channel it is nearly all of), the outer
one when the rest of it moved alike (Apple Search Ads rather than its largest campaign, when all its
campaigns jumped; not iOS, whose other sources stayed).
"""
from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from app.engine.insights.decompose import (
    SMOOTHING,
    STANDOUT_SHARE,
    Explanation,
    Segment,
    additive_segments,
    explain,
    ranked,
    ratio_segments,
    significance,
    standout_explanation,
    standouts,
)
from app.engine.insights.periods import Period
from app.engine.insights.shapes import (
    MAX_VALUES,
    MetricShape,
    joint_dimensions,
    metric_shape,
    rollup_may_answer,
    segment_dimensions,
    summed_tables,
)
from common.errors import AsklyticsError
from semantic_layer import Filter, SemanticModel, SemanticQuery
from warehouse.base import Result

PAIRED = 3  # the best single dimensions crossed in pairs (4 gave the same top-3 on the tuning incidents)
NESTED_CHANGE = 0.9  # a nested segment carrying this much of its parent's change is named instead
# ... or carrying most of it (STANDOUT_SHARE) while the rest of the parent's change is noise: at most this
# fraction of the nested segment's own significance (``_rest_is_noise``)
REST_NOISE = 0.5
NESTED_OUTSIDE = 0.02  # ... when at most this much of its amount lies outside the parent
MOVED_ALIKE = 0.5  # the rest of an enclosing segment moved at least half as far (log ratio): its change
MAX_STANDOUTS = 4  # standing-out segments compared with each other (each comparison reads a pair)
# queries of the splits in flight at once (connectors are safe to call from several threads, warehouse/
# base.py): a query over a few days of events scans one or two row groups, so it keeps about one core busy
READERS = 2
Run = Callable[[SemanticQuery], Result]


@dataclass(frozen=True)
class ChangeReport:
    metric: str
    shape: MetricShape
    current: Period
    baseline: Period
    before: float | None
    after: float | None
    explanations: tuple[Explanation, ...]  # best first

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def best(self) -> Explanation | None:
        return self.explanations[0] if self.explanations else None


def _number(value) -> float:
    return float(value) if value is not None else 0.0


def _amounts(result: Result, width: int) -> dict[tuple, tuple[float, ...]]:
    return {tuple(row[:width]): tuple(_number(v) for v in row[width:]) for row in result.rows}


class _Reader:
    """The metric's inputs per value(s) of dimensions in a period, each query made once. Each group of
    dimensions a rollup of the inputs holds (``joint``, ``shapes.joint_dimensions``) is read together,
    one query per period grouped by all of them, and each split inside it is summed from that: one
    query instead of one per dimension and pair (only for sums and counts, whose amounts add up; a
    result cut by a cap falls back to a query per split). A split read already in another order (a
    pair read as (a, b), asked as (b, a)) is taken from it. ``squares``: ``sum_squares:<metric>``, read
    along with every query no declared rollup answers (one more sum in a scan of the base tables, where
    a query of its own would scan them again; ``_by_spread``)."""

    def __init__(self, run: Run, shape: MetricShape, filters: Sequence[Filter],
                 joint: tuple[tuple[str, ...], ...] = (), row_cap: int | None = None,
                 squares: str | None = None, model: SemanticModel | None = None):
        self.run, self.shape, self.filters = run, shape, tuple(filters)
        self.joint, self.row_cap = joint, row_cap
        self.squares, self.model = squares, model
        self._read: dict[tuple, tuple[dict[tuple, tuple[float, ...]], bool]] = {}
        self._squared: dict[tuple, dict[tuple, float]] = {}
        self._together: dict[frozenset, tuple[str, ...]] = {}  # splits summed from one read (``together``)

    def _with_squares(self, dimensions: tuple[str, ...], period: Period) -> bool:
        if self.squares is None or self.model is None:
            return False
        months = period.start.day == 1 and (period.end + dt.timedelta(days=1)).day == 1
        return not rollup_may_answer(self.model, self.shape, dimensions,
                                     tuple(f.dimension for f in self.filters), months)

    def _query(self, dimensions: tuple[str, ...], period: Period) -> tuple[dict, bool]:
        squared = self._with_squares(dimensions, period)
        extra = (self.squares,) if squared else ()
        query = SemanticQuery(metrics=self.shape.inputs + extra, dimensions=dimensions, filters=self.filters,
                              time_range=period.as_range())
        try:
            result = self.run(query)
        except AsklyticsError:
            if not squared:
                raise
            self.squares = None  # the squares cannot be read here (``_by_spread`` goes without them)
            return self._query(dimensions, period)
        # the guard caps every query at the row limit without saying so: as many rows as the cap may be cut
        capped = self.row_cap is not None and len(result.rows) >= self.row_cap
        amounts, width = _amounts(result, len(dimensions)), len(self.shape.inputs)
        if squared:
            self._squared[dimensions, period] = {k: v[width] for k, v in amounts.items()}
            amounts = {k: v[:width] for k, v in amounts.items()}
        return amounts, bool(result.truncated) or capped

    def _group(self, dimensions: tuple[str, ...]) -> tuple[str, ...] | None:
        together = self._together.get(frozenset(dimensions))
        return together or next((g for g in self.joint if dimensions and set(dimensions) <= set(g)), None)

    def queried(self, dimensions: tuple[str, ...]) -> bool:
        """Whether the split is read by a query of its own (not summed from a group's read)."""
        return self._group(dimensions) is None

    def together(self, group: tuple[str, ...], splits: Iterable[tuple[str, ...]]) -> None:
        """Read ``group`` once per period and sum each of ``splits`` from it (``_pairs_together``)."""
        self._together.update({frozenset(split): group for split in splits})

    def _from_joint(self, dimensions: tuple[str, ...], period: Period) -> dict | None:
        group = self._group(dimensions)
        if group is None:
            return None
        rows, cut = self.read_all(group, period)
        if cut:
            return None
        squared = self._squared.get((group, period))
        index = [group.index(d) for d in dimensions]
        found: dict[tuple, list[float]] = {}
        squares: dict[tuple, float] = {}
        for key, amounts in rows.items():
            part = tuple(key[i] for i in index)
            total = found.setdefault(part, [0.0] * len(amounts))
            for i, value in enumerate(amounts):
                total[i] += value
            if squared is not None:
                squares[part] = squares.get(part, 0.0) + squared.get(key, 0.0)
        if squared is not None:
            self._squared[dimensions, period] = squares
        return {k: tuple(v) for k, v in found.items()}

    def _reordered(self, dimensions: tuple[str, ...], period: Period) -> tuple[dict, bool] | None:
        """The split read already with its dimensions in another order, its keys put in this order."""
        other = next((d for d, p in self._read if p == period and d != dimensions
                      and len(d) == len(dimensions) and set(d) == set(dimensions)), None)
        if other is None:
            return None
        index = [other.index(d) for d in dimensions]
        rows, cut = self._read[other, period]
        squared = self._squared.get((other, period))
        if squared is not None:
            self._squared[dimensions, period] = {tuple(k[i] for i in index): v for k, v in squared.items()}
        return {tuple(k[i] for i in index): v for k, v in rows.items()}, cut

    def prefetch(self, splits: Iterable[tuple[str, ...]], periods: Iterable[Period]) -> None:
        """Read the splits (or the rollup groups they are summed from) in both periods, ``READERS`` at a
        time, each in a copy of the caller's context (its access policy). A query that fails is left to
        ``read_all``, which raises its error where the caller expects it."""
        wanted = []
        for dimensions in splits:
            group = self._group(dimensions) or dimensions
            wanted += [(group, p) for p in periods if (group, p) not in self._read
                       and not any(p == q and set(group) == set(g) for g, q in [*self._read, *wanted])]
        wanted = list(dict.fromkeys(wanted))
        if len(wanted) < 2:
            return
        with ThreadPoolExecutor(min(READERS, len(wanted))) as pool:
            futures = {key: pool.submit(contextvars.copy_context().run, self._query, *key) for key in wanted}
        for key, future in futures.items():
            if future.exception() is None:
                self._read[key] = future.result()

    def read_all(self, dimensions: tuple[str, ...],
                 period: Period) -> tuple[dict[tuple, tuple[float, ...]], bool]:
        """(amounts by value(s), whether the rows were cut by a cap); each query made once."""
        key = (dimensions, period)
        if key not in self._read:
            grouped = dimensions in self.joint or dimensions in self._together.values()
            summed = None if grouped else self._from_joint(dimensions, period)
            if summed is not None:
                self._read[key] = (summed, False)
            else:
                self._read[key] = self._reordered(dimensions, period) or self._query(dimensions, period)
        return self._read[key]

    def read(self, dimensions: tuple[str, ...], period: Period) -> dict[tuple, tuple[float, ...]]:
        return self.read_all(dimensions, period)[0]

    def squared(self, dimensions: tuple[str, ...], period: Period) -> dict[tuple, float] | None:
        """The squares of the amounts by the split's values, when read along with it (else None)."""
        cut = self.read_all(dimensions, period)[1]
        return None if cut else self._squared.get((dimensions, period))

    def totals(self, period: Period) -> tuple[float, ...]:
        found = self.read((), period)
        return next(iter(found.values()), (0.0,) * len(self.shape.inputs))


def _candidate(reader: _Reader, dimensions: tuple[str, ...], periods: tuple[Period, Period],
               totals: tuple[tuple[float, ...], ...]) -> Explanation | None:
    try:
        before, after = (reader.read(dimensions, p) for p in periods)
    except AsklyticsError as exc:
        # a dimension the caller may not see, or one of a table not built yet (RFM segments before
        # `asklytics score`), is not a candidate
        if exc.code in ("access_denied", "semantic_table_missing"):
            return None
        raise
    if len(set(before) | set(after)) > MAX_VALUES or not (before or after):
        return None
    shape = reader.shape
    if shape.kind == "ratio":
        segments = ratio_segments(dimensions, before, after, totals, shape.exact)
    else:
        segments = additive_segments(dimensions, {k: v[0] for k, v in before.items()},
                                     {k: v[0] for k, v in after.items()}, (totals[0][0], totals[1][0]),
                                     shape.exact)
    return explain(dimensions, segments)


def _value(shape: MetricShape, totals: tuple[float, ...]) -> float | None:
    if shape.kind == "ratio":
        return totals[0] / totals[1] if totals[1] else None
    return totals[0]


def explain_change(model: SemanticModel, run: Run, metric: str, current: Period, baseline: Period,
                   filters: Sequence[Filter] = (), dimensions: tuple[str, ...] = (),
                   row_cap: int | None = None) -> ChangeReport:
    """``row_cap``: the row limit ``run`` puts on every query (a grouped read that reaches it may be cut,
    and each split inside it is then read by its own query)."""
    shape = metric_shape(model, metric)
    candidates = segment_dimensions(model, shape, dimensions)
    summed = _summed_amount(model, shape)
    reader = _Reader(run, shape, filters, joint_dimensions(model, shape, candidates), row_cap,
                     f"sum_squares:{summed}" if summed else None, model)
    reader.prefetch([(), *((d,) for d in candidates)], (baseline, current))
    totals = (reader.totals(baseline), reader.totals(current))
    before, after = _value(shape, totals[0]), _value(shape, totals[1])
    report = ChangeReport(metric, shape, current, baseline, before, after, ())
    if before is None or after is None or before == after:
        return report
    periods = (baseline, current)
    found = [e for d in candidates if (e := _candidate(reader, (d,), periods, totals)) is not None]
    leading = _by_spread(model, reader, standouts(found)[:MAX_STANDOUTS], periods)
    if leading:
        chosen = _enclosing(reader, leading[0], leading[1:], periods)
        found.append(standout_explanation(_most_specific(reader, chosen, found, periods), found))
    singles = list(dict.fromkeys(e.dimensions[0] for e in ranked(found)))[:PAIRED]
    _pairs_together(model, reader, tuple(singles), periods)
    reader.prefetch(itertools.combinations(singles, 2), periods)
    for pair in itertools.combinations(singles, 2):
        candidate = _candidate(reader, pair, periods, totals)
        if candidate is not None:
            found.append(candidate)
    return ChangeReport(metric, shape, current, baseline, before, after, tuple(ranked(found)))


def _pairs_together(model: SemanticModel, reader: _Reader, singles: tuple[str, ...],
                    periods: tuple[Period, Period]) -> None:
    """The pairs of the best singles that would each be a query of their own, summed instead from one
    query per period grouped by all of them: where the amounts add up over each (``summed_tables``), the
    pair reads the same tables as the group (a pair of an install's attributes summed from a read that
    joins the campaigns would lose the organic installs), and the group's rows cannot reach the row cap
    (at most a pair read already times the third's values, or the three's values multiplied). ARPU of a
    country by campaign and by media source: one query per period instead of two, each a scan of every
    install at scale 10."""
    tables = summed_tables(model, reader.shape, singles) if len(singles) == 3 else None
    if tables is None:
        return
    pairs = list(itertools.combinations(singles, 2))
    alike = [p for p in pairs if reader.queried(p) and {tables[d] for d in p} == set(tables.values())]
    if len(alike) < 2:
        return
    # a group's rows are at most the product of its parts' values: a pair read already (it knows which
    # values go together: a campaign has one media source) times the third's, or the three singles'
    parts = [(pair, tuple(set(singles) - set(pair))) for pair in pairs if not reader.queried(pair)]
    parts += [((a,), (b,), (c,)) for a, b, c in [singles]]
    try:
        bound = min(max(math.prod(len(reader.read(part, p)) for part in split) for p in periods)
                    for split in parts)
    except AsklyticsError:
        return
    if reader.row_cap is None or bound < reader.row_cap:
        reader.together(singles, alike)


def _summed_amount(model: SemanticModel, shape: MetricShape) -> str | None:
    """The metric whose amounts a segment's significance is about when it is a sum of amounts (revenue,
    cost; a ratio's numerator), else None (a count: each row is one, ``decompose.significance`` holds)."""
    name = shape.metric if shape.kind == "additive" else shape.numerator
    metric = model.metric(name)
    if metric is None or metric.type != "simple" or not metric.type_params.measure:
        return None
    _, measure = model.measure(metric.type_params.measure)
    return name if measure.agg == "sum" and measure.rollup is None else None


def spread_significance(before: float, after: float, squares: tuple[float, float],
                        scale: float = 1.0) -> float:
    """How far a sum of amounts moved outside its noise: ``after - scale * before`` over the square root
    of the sums of squared amounts (``scale**2`` on the before side), the standard deviation of a sum of
    independent random amounts (a compound Poisson sum). One large purchase gone from a device model is
    a change of one amount (about one deviation); a country that lost two thirds of many purchases is
    many deviations. ``scale``: a ratio's rate effect compares the numerator with its old ratio on the
    new denominator (``decompose._ratio_significance``)."""
    spread = math.sqrt(max(squares[0], 0.0) * scale * scale + max(squares[1], 0.0))
    return abs(after - scale * before) / spread if spread else 0.0


def _by_spread(model: SemanticModel, reader: _Reader, leading: list[Segment],
               periods: tuple[Period, Period]) -> list[Segment]:
    """Standing-out segments of a sum of amounts ranked by ``spread_significance`` (the sums of squared
    amounts read by the segments' dimensions, ``sum_squares:<metric>``), most significant first; the
    significance of ``decompose`` treats every amount as a count of ones, so a few large purchases looked
    like many. Counts, one segment, or squares that cannot be read: unchanged."""
    summed = _summed_amount(model, reader.shape)
    if summed is None or len(leading) < 2:
        return leading
    squares_shape = MetricShape(f"sum_squares:{summed}", "additive")
    dims = list(dict.fromkeys(s.dimensions for s in leading))
    read = {(d, p): {k: (v,) for k, v in found.items()} for d in dims for p in periods
            if (found := reader.squared(d, p)) is not None}
    missing = [d for d in dims if any((d, p) not in read for p in periods)]
    squares = _Reader(reader.run, squares_shape, reader.filters,
                      joint_dimensions(model, squares_shape, tuple(d[0] for d in missing)), reader.row_cap)
    try:
        squares.prefetch(missing, periods)
        read.update({(d, p): squares.read(d, p) for d in missing for p in periods})
    except AsklyticsError:
        return leading
    ratio = reader.shape.kind == "ratio"
    rescored = []
    for segment in leading:
        q = [next((v[0] for k, v in read[segment.dimensions, p].items()
                   if tuple(map(str, k)) == segment.values), 0.0) for p in periods]
        amounts = [_amount_of(reader, segment, p) for p in periods]
        by_rate = not ratio or abs(segment.rate or 0.0) >= abs(segment.mix or 0.0)
        if not by_rate:  # a ratio's mix effect is about its denominator, a count: as decompose scored it
            rescored.append(segment)
            continue
        (n0, *rest0), (n1, *rest1) = amounts
        scale = rest1[0] / rest0[0] if ratio and rest0[0] else 1.0
        rescored.append(dataclasses.replace(segment, significance=spread_significance(n0, n1, (q[0], q[1]),
                                                                                       scale)))
    return sorted(rescored, key=lambda s: (-round(s.significance, 9), -round(s.focus, 9)))


def _inside(reader: _Reader, inner: Segment, outer: Segment, periods: tuple[Period, Period]) -> bool:
    """Whether every bit of ``inner``'s amounts (both periods, every input) lies inside ``outer``."""
    pair = (outer.dimensions[0], inner.dimensions[0])
    for period in periods:
        try:
            cells, cut = reader.read_all(pair, period)
        except AsklyticsError:
            return False
        if cut:
            return False
        width = len(reader.shape.inputs)
        total, inside = [0.0] * width, [0.0] * width
        for (a, b), amounts in cells.items():
            if str(b) != inner.values[0]:
                continue
            for i, v in enumerate(amounts):
                total[i] += abs(v)
                inside[i] += abs(v) if str(a) == outer.values[0] else 0.0
        # the pair must hold all of inner's amount (a join may drop rows: organic users have no campaign)
        alone = [abs(v) for v in _amount_of(reader, inner, period)]
        if not any(alone):  # none of it in this period (a source's fraud from 0): nothing lies outside
            continue
        if any(t < (1 - NESTED_OUTSIDE) * a for t, a in zip(total, alone)) or not any(total):
            return False
        if any(t - x > NESTED_OUTSIDE * t for t, x in zip(total, inside)):
            return False
    return True


def _amount_of(reader: _Reader, segment: Segment, period: Period) -> tuple[float, ...]:
    found = reader.read(segment.dimensions, period)
    width = len(reader.shape.inputs)
    return next((v for k, v in found.items() if tuple(map(str, k)) == segment.values), (0.0,) * width)


def _moved_alike(reader: _Reader, inner: Segment, outer: Segment, periods: tuple[Period, Period]) -> bool:
    """Whether the rest of ``outer`` (outer less inner) moved at least half as far as ``inner``, in
    log ratio, on the input that moved ``inner`` most: the change is the outer segment's as a whole."""
    (i0, i1), (o0, o1) = ([_amount_of(reader, s, p) for p in periods] for s in (inner, outer))
    best = (0.0, 0.0)
    for k in range(len(i0)):
        eps = SMOOTHING * (abs(o0[k]) + abs(o1[k])) / 2 or 1e-12
        own = math.log((max(i1[k], 0.0) + eps) / (max(i0[k], 0.0) + eps))
        rest = math.log((max(o1[k] - i1[k], 0.0) + eps) / (max(o0[k] - i0[k], 0.0) + eps))
        if abs(own) > abs(best[0]):
            best = (own, rest)
    own, rest = best
    return own != 0 and rest / own >= MOVED_ALIKE


def _rest_is_noise(reader: _Reader, inner: Segment, outer: Segment, periods: tuple[Period, Period]) -> bool:
    """Whether the rest of ``outer`` (outer less inner) moved within its noise next to ``inner``: on the
    input that moved ``inner`` most (in ``decompose.significance``), the rest's change is at most
    ``REST_NOISE`` of inner's. Apple Search Ads went from 0 to 12 fraud installs and the search channel from
    0 to 14: the other 2 are the channel's ordinary days (0 to 2 is 1.4 Poisson deviations, 0 to 12 is 3.5),
    so the source is the cause, though it carries 86% of the channel's change, not 90%."""
    (i0, i1), (o0, o1) = ([_amount_of(reader, s, p) for p in periods] for s in (inner, outer))
    k = max(range(len(i0)), key=lambda j: significance(i0[j], i1[j]))
    own = significance(i0[k], i1[k])
    return own > 0 and significance(o0[k] - i0[k], o1[k] - i1[k]) <= REST_NOISE * own


def _enclosing(reader: _Reader, segment: Segment, others: list[Segment],
               periods: tuple[Period, Period]) -> Segment:
    """A standing-out segment that holds ``segment`` and whose rest moved alike: the fuller cause (a
    source whose campaigns all jumped, not its largest campaign)."""
    for other in others:
        if (other.dimensions != segment.dimensions and _inside(reader, segment, other, periods)
                and _moved_alike(reader, segment, other, periods)):
            return _enclosing(reader, other, [o for o in others if o is not other], periods)
    return segment


def _most_specific(reader: _Reader, segment: Segment, found: list[Explanation],
                   periods: tuple[Period, Period]) -> Segment:
    """The segment, or one nested inside it that carries nearly all of its change (repeatedly)."""
    singles = [s for e in found if len(e.dimensions) == 1 for s in e.segments]
    seen = {segment.dimensions}
    while True:
        inner = [s for s in singles if s.dimensions not in seen and s.contribution * segment.contribution > 0
                 and abs(s.contribution) >= STANDOUT_SHARE * abs(segment.contribution)
                 and not any(v in ("(none)", "True", "False") for v in s.values)]
        # the amounts first (read already), then nesting (a pair query per period)
        nested = next((s for s in sorted(inner, key=lambda s: -abs(s.contribution))
                       if (abs(s.contribution) >= NESTED_CHANGE * abs(segment.contribution)
                           or _rest_is_noise(reader, s, segment, periods))
                       and _inside(reader, s, segment, periods)), None)
        if nested is None:
            return segment
        seen.add(nested.dimensions)
        segment = nested
