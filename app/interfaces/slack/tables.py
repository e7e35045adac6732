"""A small result as a monospaced text table (Slack has no table block for bots)."""
from __future__ import annotations

import datetime as dt
from typing import Any

MAX_TABLE_ROWS = 12
MAX_TABLE_COLUMNS = 5
MAX_CELL_WIDTH = 28


def compact_table(columns: list, rows: list[list[Any]], truncated: bool = False) -> str | None:
    """Header, rule and rows with right-aligned numbers; None when the result is too big to read in chat."""
    if not columns or not rows or len(rows) > MAX_TABLE_ROWS or len(columns) > MAX_TABLE_COLUMNS:
        return None
    header = [_clip(column.name) for column in columns]
    cells = [[_clip(format_cell(value)) for value in row] for row in rows]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    numeric = [all(_is_number(row[i]) for row in rows) for i in range(len(header))]
    lines = [_line(header, widths, numeric), "  ".join("-" * width for width in widths)]
    lines += [_line(line, widths, numeric) for line in cells]
    if truncated:
        lines.append("(more rows not shown)")
    return "\n".join(lines)


def format_cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1e15 else f"{value:.3g}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _line(values: list[str], widths: list[int], numeric: list[bool]) -> str:
    parts = [v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)]
    return "  ".join(parts).rstrip()


def _clip(text: str) -> str:
    text = text.replace("\n", " ").replace("`", "'")
    return text if len(text) <= MAX_CELL_WIDTH else text[: MAX_CELL_WIDTH - 1] + "…"


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))
