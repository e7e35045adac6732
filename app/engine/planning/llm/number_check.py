"""Does every number in a narrative come from the rows?

A number in the text is supported when some row value rounds to it: ``4.21``
for 4.2137, ``1.23M`` for 1,234,567, ``8.1%`` for the ratio 0.0812 (or for a
value already in percent). Signs are ignored ("fell 5%" for -0.05). Numbers
inside names (``c001``, ``D7``) are not numbers. Digits that appear in text
cells and dates (``2026`` from 2026-06-01), in the question ("top 5") and the
row count are allowed as written. Anything else -- a sum, a difference, an
invented figure -- is unsupported, and the caller falls back to its template.
Rounding away integer digits ("about 120,000" for 123,456) is not accepted:
the prompt asks for ``123.5k`` instead, which is checkable.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s?(%|percent\b|k\b|K\b|thousand\b|M\b|m\b|mn\b|million\b|B\b|bn\b|billion\b))?(?![\w])"
)
_SCALE = {
    "k": 1e3,
    "K": 1e3,
    "thousand": 1e3,
    "M": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "B": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class TextNumber:
    shown: str
    value: float
    decimals: int
    scale: float = 1.0
    percent: bool = False

    def matches(self, value: float) -> bool:
        if self.percent:
            return self._near(abs(value) * 100) or self._near(abs(value))
        return self._near(abs(value))

    def _near(self, value: float) -> bool:
        tolerance = 0.5 * 10**-self.decimals * self.scale
        return abs(value - self.value * self.scale) <= tolerance + 1e-9 * max(1.0, value)


def numbers_in_text(text: str) -> list[TextNumber]:
    found = []
    for match in _NUMBER.finditer(text):
        whole, fraction, unit = match.group(1), match.group(2) or "", match.group(3)
        found.append(
            TextNumber(
                shown=match.group(0),
                value=float(whole.replace(",", "") + fraction),
                decimals=max(len(fraction) - 1, 0),
                scale=_SCALE.get(unit or "", 1.0),
                percent=unit in ("%", "percent"),
            )
        )
    return found


def unsupported_numbers(
    text: str, rows: Sequence[Sequence[Any]], *, also_allowed: Iterable[float] = ()
) -> list[str]:
    """The numbers in ``text`` that no row value (or allowed extra) supports, as written."""
    values, literal = _row_values(rows)
    literal |= set(also_allowed)
    missing = []
    for number in numbers_in_text(text):
        if number.scale == 1.0 and not number.percent and number.value in literal:
            continue
        if not any(number.matches(v) for v in values):
            missing.append(number.shown)
    return missing


def digits_of(text: str) -> set[float]:
    """Numbers written in free text (a question, a name), taken literally."""
    return {float(token) for token in _DIGITS.findall(text)}


def _row_values(rows: Sequence[Sequence[Any]]) -> tuple[list[float], set[float]]:
    """Numeric cells (matched with rounding) and digits in other cells (matched literally)."""
    values: list[float] = []
    literal: set[float] = set()
    for row in rows:
        for cell in row:
            if isinstance(cell, numbers.Number) and not isinstance(cell, bool):
                values.append(float(cell))
            elif isinstance(cell, (str, dt.date, dt.datetime)):
                literal |= digits_of(cell.isoformat() if isinstance(cell, dt.date) else cell)
    return values, literal
