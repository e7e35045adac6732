"""Byte caps on results: no cell above ``max_cell_bytes``, no result above ``max_result_bytes``.

The row cap alone lets one row carry a gigabyte (``SELECT repeat('a', 1e9)``,
a ``string_agg`` over a table). Every connector reads its rows in chunks and
passes them through a :class:`ResultBudget`: text and binary cells longer than
the cell cap are cut (on a UTF-8 character boundary), lists and maps keep the
elements that fit, and reading stops at the first row that would take the
result past its cap, so the rest is never fetched and the engine frees it.

Sizes are estimates of what the answer carries: the UTF-8 bytes of text,
the bytes of binary values, 8 bytes for a number, date or NULL.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

DEFAULT_MAX_CELL_BYTES = 65_536
DEFAULT_MAX_RESULT_BYTES = 16 * 1024 * 1024
SCALAR_BYTES = 8

# Values whose size never depends on their content (counted as SCALAR_BYTES).
_SCALARS = (int, float, Decimal, dt.date, dt.time, dt.timedelta, uuid.UUID, type(None))

# Reasons a Result lists in ``truncation``.
MAX_ROWS = "max_rows"
MAX_RESULT_BYTES = "max_result_bytes"
MAX_CELL_BYTES = "max_cell_bytes"


def value_size(value: Any) -> int:
    """The estimated bytes ``value`` adds to an answer."""
    if isinstance(value, str):
        return len(value) if value.isascii() else len(value.encode("utf-8"))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if isinstance(value, Mapping):
        return sum(value_size(k) + value_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(value_size(v) for v in value)
    return SCALAR_BYTES


def cut_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character."""
    if len(text) <= limit // 4 or value_size(text) <= limit:
        return text
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def cap_value(value: Any, limit: int) -> tuple[Any, bool]:
    """``value`` within ``limit`` bytes, and whether anything was cut."""
    if isinstance(value, str):
        capped = cut_text(value, limit)
        return capped, capped is not value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return (bytes(value[:limit]), True) if len(value) > limit else (value, False)
    if isinstance(value, (list, tuple)) and value_size(value) > limit:
        return _cap_items(value, limit)
    if isinstance(value, Mapping) and value_size(value) > limit:
        kept, cut = _cap_items(list(value.items()), limit)
        return dict(kept), cut
    return value, False


def _cap_items(items, limit: int) -> tuple[Any, bool]:
    """The leading items that fit whole (or the first one, cut, when not even it fits)."""
    kept, used = [], 0
    for item in items:
        size = value_size(item)
        if used + size > limit:
            break
        kept.append(item)
        used += size
    if not kept and len(items):
        kept = [cap_value(items[0], limit)[0]]
    return (tuple(kept) if isinstance(items, tuple) else kept), True


@dataclass
class ResultBudget:
    """Caps rows as they arrive; ``add`` returns False once the result is full."""

    max_rows: int
    max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    used_bytes: int = 0
    cells_cut: int = 0
    stopped_by: str | None = None

    def add(self, row: tuple[Any, ...] | list[Any]) -> bool:
        """Keep ``row`` (cells capped) if it fits; False when no further row should be read."""
        if len(self.rows) >= self.max_rows:
            self.stopped_by = MAX_ROWS
            return False
        size = self._plain_size(row)
        if size is None:
            capped, cut = self.capped_row(row)
            size = sum(value_size(v) for v in capped)
        else:  # the common row: numbers, dates and short text, nothing to cut
            capped, cut = tuple(row), 0
        if self.used_bytes + size > self.max_result_bytes:
            self.stopped_by = MAX_RESULT_BYTES
            return False
        self.rows.append(capped)
        self.used_bytes += size
        self.cells_cut += cut
        return True

    def _plain_size(self, row) -> int | None:
        """The row's size when no cell can need cutting, else None (then each cell is checked)."""
        size, short = 0, self.max_cell_bytes // 4  # this many characters fit in any encoding
        for value in row:
            if value.__class__ is str and len(value) <= short:
                size += len(value) if value.isascii() else len(value.encode("utf-8"))
            elif isinstance(value, _SCALARS):
                size += SCALAR_BYTES
            else:
                return None
        return size

    def capped_row(self, row) -> tuple[tuple[Any, ...], int]:
        values, cut = [], 0
        for value in row:
            capped, was_cut = cap_value(value, self.max_cell_bytes)
            values.append(capped)
            cut += was_cut
        return tuple(values), cut

    @property
    def truncated(self) -> bool:
        """Rows were left out (by the row cap or the byte cap)."""
        return self.stopped_by is not None

    def truncation(self) -> tuple[str, ...]:
        reasons = (self.stopped_by,) if self.stopped_by else ()
        return reasons + ((MAX_CELL_BYTES,) if self.cells_cut else ())
