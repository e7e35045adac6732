"""Execution match: compare the gold result set with the answer's, as the spec says.

- same number of rows; each row compared as a multiset of values (column names
  ignored, column order ignored when the column counts are equal);
- numbers equal within relative 1e-6 / absolute 1e-9; dates as ISO strings
  (a timestamp at midnight equals its date, since ``date_trunc`` and a
  ``::DATE`` cast name the same bucket); NULL equals NULL;
- row order only when the case says ``ordered``;
- extra answer columns pass as a *projection* match when every gold column is
  matched by one of the answer's columns.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from evals.values import NUMBER_SLOT, canonical, close, is_number

REL_TOL = 1e-6
ABS_TOL = 1e-9
# Assignments of answer columns to gold columns tried before giving up.
MAX_PROJECTIONS = 500

Rows = Sequence[Sequence[Any]]


@dataclass(frozen=True)
class Comparison:
    kind: str  # "exact" | "projection" | "mismatch"
    reason: str = ""

    @property
    def matched(self) -> bool:
        return self.kind != "mismatch"


def compare_results(
    gold: Rows, gold_width: int, got: Rows, got_width: int, *, ordered: bool = False
) -> Comparison:
    """Compare two result sets given as rows plus their column counts."""
    if got_width < gold_width:
        return Comparison("mismatch", f"the answer has {got_width} columns, the gold {gold_width}")
    if len(got) != len(gold):
        return Comparison("mismatch", f"the answer has {len(got)} rows, the gold {len(gold)}")
    if got_width == gold_width:
        same = _tables_match(_shapes(gold, _as_bag), _shapes(got, _as_bag), ordered)
        return Comparison("exact") if same else Comparison("mismatch", "the row values differ")
    if _some_projection_matches(gold, gold_width, got, got_width, ordered):
        return Comparison("projection")
    return Comparison("mismatch", "no choice of the answer's columns reproduces the gold rows")


# A row's shape: the hashable non-numeric part plus its numbers, compared with tolerance.
Shape = tuple[tuple[Any, ...], tuple[float, ...]]


def _as_bag(row: Sequence[Any]) -> Shape:
    values = [canonical(v) for v in row]
    numbers = sorted(v for v in values if is_number(v))
    others = sorted((v for v in values if not is_number(v)), key=repr)
    return tuple(others), tuple(numbers)


def _as_tuple(row: Sequence[Any]) -> Shape:
    values = [canonical(v) for v in row]
    key = tuple(NUMBER_SLOT if is_number(v) else v for v in values)
    return key, tuple(v for v in values if is_number(v))


def _shapes(rows: Rows, shape) -> list[Shape]:
    return [shape(row) for row in rows]


def _numbers_close(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(close(x, y, REL_TOL, ABS_TOL) for x, y in zip(a, b))


def _tables_match(gold: list[Shape], got: list[Shape], ordered: bool) -> bool:
    if ordered:
        return all(g[0] == a[0] and _numbers_close(g[1], a[1]) for g, a in zip(gold, got))
    buckets: dict[tuple[Any, ...], list[tuple[float, ...]]] = defaultdict(list)
    for key, numbers in got:
        buckets[key].append(numbers)
    for bucket in buckets.values():
        bucket.sort()
    return all(_take_match(buckets.get(key), numbers) for key, numbers in sorted(gold, key=lambda s: s[1]))


def _take_match(bucket: list[tuple[float, ...]] | None, numbers: tuple[float, ...]) -> bool:
    """Remove and report the first row of ``bucket`` whose numbers are close."""
    for index, candidate in enumerate(bucket or ()):
        if _numbers_close(candidate, numbers):
            del bucket[index]
            return True
    return False


def _some_projection_matches(gold: Rows, gold_width: int, got: Rows, got_width: int, ordered: bool) -> bool:
    gold_shapes = _shapes(gold, _as_tuple)
    candidates = _column_candidates(gold, gold_width, got, got_width)
    tried = 0
    for columns in itertools.product(*candidates):
        if len(set(columns)) < len(columns):
            continue
        projected = [[row[i] for i in columns] for row in got]
        if _tables_match(gold_shapes, _shapes(projected, _as_tuple), ordered):
            return True
        tried += 1
        if tried >= MAX_PROJECTIONS:
            return False
    return False


def _column_candidates(gold: Rows, gold_width: int, got: Rows, got_width: int) -> list[list[int]]:
    """For each gold column, the answer columns holding the same multiset of values."""
    got_columns = [_column_bag(got, k) for k in range(got_width)]
    return [
        [k for k, bag in enumerate(got_columns) if _bags_equal(_column_bag(gold, j), bag)]
        for j in range(gold_width)
    ]


def _column_bag(rows: Rows, index: int) -> Shape:
    return _as_bag([row[index] for row in rows])


def _bags_equal(a: Shape, b: Shape) -> bool:
    return a[0] == b[0] and _numbers_close(a[1], b[1])
