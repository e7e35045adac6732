"""Profile a result: each column's role, cardinality and unit.

Roles follow the usual visualisation vocabulary: ``temporal`` (dates and
times), ``quantitative`` (measures), ``nominal`` (unordered categories),
``ordinal`` (ordered categories such as hour of day or month names) and
``identifier`` (ids and hashes, which label rows but group nothing).
Values are coerced once here (numbers to float, times to ISO text) so the
figure builders draw from the same cleaned data the selector judged.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from charts.roles import column_role
from charts.units import unit_for
from charts.values import to_label, to_number, to_time_text, type_family

TEMPORAL, QUANTITATIVE, NOMINAL, ORDINAL, IDENTIFIER = (
    "temporal", "quantitative", "nominal", "ordinal", "identifier",
)
LABEL_ROLES = (NOMINAL, ORDINAL, IDENTIFIER)


@dataclass(frozen=True)
class ColumnProfile:
    name: str
    type_name: str
    role: str
    values: tuple[Any, ...]  # floats for measures, ISO text for time, text for labels
    distinct: int
    unit: str | None = None

    @property
    def present(self) -> list[Any]:
        return [v for v in self.values if v is not None]

    @property
    def has_negative(self) -> bool:
        return self.role == QUANTITATIVE and any(v < 0 for v in self.present)

    @property
    def longest_label(self) -> int:
        return max((len(str(v)) for v in self.values), default=0)


@dataclass(frozen=True)
class ResultProfile:
    columns: tuple[ColumnProfile, ...]
    row_count: int

    def by_role(self, *roles: str) -> list[ColumnProfile]:
        return [c for c in self.columns if c.role in roles]

    def column(self, name: str | None) -> ColumnProfile | None:
        return next((c for c in self.columns if c.name == name), None)


def column_name_and_type(column: Any) -> tuple[str, str]:
    """Accept ``(name, type)`` pairs, objects with ``.name``/``.type``, or dicts."""
    if isinstance(column, Mapping):
        return str(column["name"]), str(column.get("type") or "")
    if isinstance(column, (tuple, list)):
        return str(column[0]), str(column[1] if len(column) > 1 else "")
    return str(column.name), str(getattr(column, "type", "") or "")


def _coerce(role: str, raw: list[Any]) -> tuple[Any, ...]:
    # Fast paths for the types warehouses return most; the general converters handle the rest.
    if role == QUANTITATIVE:
        return tuple(float(v) if type(v) is int else to_number(v) for v in raw)
    if role == TEMPORAL:
        return tuple(v.isoformat() if type(v) is dt.date else to_time_text(v) for v in raw)
    return tuple(v if type(v) is str else to_label(v) for v in raw)


def profile_column(name: str, type_name: str, raw: list[Any],
                   units: Mapping[str, str] | None) -> ColumnProfile:
    role = column_role(name, type_family(type_name), raw)
    values = _coerce(role, raw)
    unit = unit_for(name, values, units) if role == QUANTITATIVE else None
    return ColumnProfile(name, type_name, role, values, len(set(values)), unit)


def _profile_key(columns: Sequence[Any], rows: Sequence[Sequence[Any]],
                 units: Mapping[str, str] | None) -> tuple:
    named = tuple(column_name_and_type(c) for c in columns)
    return id(rows), len(rows), named, tuple(sorted((units or {}).items()))


# choose_chart and build_chart profile the same result one after the other; keeping the
# last profile (and a reference to its rows, so their id cannot be reused) halves the work.
# Results are treated as immutable between the two calls.
_last: tuple[tuple, Sequence[Sequence[Any]], ResultProfile] | None = None


def profile_result(columns: Sequence[Any], rows: Sequence[Sequence[Any]],
                   units: Mapping[str, str] | None = None) -> ResultProfile:
    global _last
    key = _profile_key(columns, rows, units)
    last = _last
    if last is not None and last[0] == key and last[1] is rows:
        return last[2]
    named = key[2]
    cells = list(zip(*rows)) if rows else [() for _ in named]
    profiles = tuple(profile_column(n, t, list(v), units) for (n, t), v in zip(named, cells))
    profile = ResultProfile(profiles, len(rows))
    _last = (key, rows, profile)
    return profile
