"""Which cells of a grouped answer to hide, given how many people each cell was computed from.

A cell is *small* when one of its parts (the people behind each table a metric reads) counts
between 1 and k-1 people; a part of 0 people says nothing about anyone and is shown. Small
cells are hidden, and so are cells the answer does not show anyway (past its limit, removed by
HAVING): both are *hidden*.

No differencing through totals (complementary suppression): for every margin of the answer --
the grand total and the totals over each proper subset of its dimensions, each obtainable by
another question -- the hidden cells of one margin group must together stand for at least k
people, or a total minus the shown cells would isolate a small group. The people of several cells
may overlap, so the largest hidden cell is the only safe lower bound of their union: when it is
below k, the smallest shown cell of the group with people in that part (at least k of them, or
it would be hidden) is hidden too, until every group passes.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

Key = tuple
Parts = tuple[int, ...]


def is_small(parts: Parts, k: int) -> bool:
    return any(0 < n < k for n in parts)


def cells_to_hide(cells: Mapping[Key, Parts], shown: Sequence[Key], k: int) -> set[Key]:
    """The shown cells to hide (small ones, then complements), from every cell's people counts."""
    width = len(next(iter(cells.values()), ()))
    zero = (0,) * width
    people = {key: cells.get(key, zero) for key in shown} | dict(cells)
    hidden = {key for key in shown if is_small(people[key], k)} | (set(cells) - set(shown))
    changed = bool(hidden)
    while changed:
        changed = False
        for group in _margin_groups(people, _dimension_count(shown, cells)):
            extra = _complement(group, hidden, people, k, width)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return hidden & set(shown)


def _dimension_count(shown: Sequence[Key], cells: Mapping[Key, Parts]) -> int:
    return len(next(iter(shown), None) or next(iter(cells), ()))


def _margin_groups(people: Mapping[Key, Parts], dimensions: int) -> Iterable[list[Key]]:
    for size in range(dimensions):
        for kept in combinations(range(dimensions), size):
            groups: dict[Key, list[Key]] = defaultdict(list)
            for key in people:
                groups[tuple(key[i] for i in kept)].append(key)
            yield from groups.values()


def _complement(group: list[Key], hidden: set[Key], people: Mapping[Key, Parts], k: int,
                width: int) -> Key | None:
    """A shown cell to hide so that this group's hidden cells stand for >= k people, or None."""
    for part in range(width):
        largest = max((people[key][part] for key in group if key in hidden), default=0)
        if not 0 < largest < k:
            continue
        shown = [key for key in group if key not in hidden and people[key][part] > 0]
        if shown:
            return min(shown, key=lambda key: (people[key][part], repr(key)))
    return None
