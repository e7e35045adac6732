"""The shape of a result as the selector reasons about it.

Measures are the quantitative columns; labels the category columns (ids
only when nothing better names the rows); times the temporal columns.  A
label or time column holding one value across many rows (a filter echoed
back, such as ``platform = 'iOS'``) carries no information and is dropped.
"""
from __future__ import annotations

from dataclasses import dataclass

from charts.profile import IDENTIFIER, NOMINAL, ORDINAL, QUANTITATIVE, TEMPORAL, ColumnProfile, ResultProfile


@dataclass(frozen=True)
class Shape:
    profile: ResultProfile
    measures: tuple[ColumnProfile, ...]
    labels: tuple[ColumnProfile, ...]
    times: tuple[ColumnProfile, ...]

    @property
    def rows(self) -> int:
        return self.profile.row_count

    @property
    def label(self) -> ColumnProfile | None:
        return self.labels[0] if self.labels else None

    @property
    def time(self) -> ColumnProfile | None:
        return self.times[0] if self.times else None

    def units(self) -> set[str | None]:
        return {m.unit for m in self.measures}


def _informative(columns: list[ColumnProfile], rows: int) -> tuple[ColumnProfile, ...]:
    return tuple(c for c in columns if rows <= 1 or c.distinct > 1)


def shape_of(profile: ResultProfile) -> Shape:
    rows = profile.row_count
    labels = _informative(profile.by_role(NOMINAL, ORDINAL), rows)
    if not labels:
        labels = _informative(profile.by_role(IDENTIFIER), rows)
    return Shape(
        profile=profile,
        measures=tuple(profile.by_role(QUANTITATIVE)),
        labels=labels,
        times=_informative(profile.by_role(TEMPORAL), rows),
    )
