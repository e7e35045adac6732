"""What value resolution returns: a matched value, and matches grouped into a filter.

A floor below ``values.py`` and ``values_polarity.py``, which both build them.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValueMatch:
    dimension: str
    value: str
    span: tuple[int, int]
    negated: bool = False
    source: str = "exact"  # "exact" | "alias" | "name" (a word of a longer name) | "fuzzy"
    score: float = 1.0
    in_data: bool = True  # False: a real value ("MX") the warehouse has no rows for

    @property
    def op(self) -> str:
        return "!=" if self.negated else "="


@dataclass(frozen=True)
class ValueFilter:
    """Matches of one dimension with the same polarity: ``platform in (iOS, Android)``."""

    dimension: str
    op: str  # "=", "in", "!=", "not in"
    values: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # spans[i]: where values[i] is first mentioned
    compared: bool = False  # joined by "vs"/"compared to": the planner may group by it instead
