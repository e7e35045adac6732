"""Missing-value markers in CSV files (``NA``, ``N/A``, ``NaN``, ``null``, ``None``, ``#N/A``).

R, pandas and spreadsheets write a missing cell as a word. DuckDB's ``read_csv`` reads only an
empty cell as NULL, so one ``NA`` makes a number or date column text. The rule here: a column
becomes its real type, with its markers as NULL, only when every value that is not a marker
parses as that type; in any other column a marker is an ordinary value (Namibia's country code
``NA`` among other codes stays ``NA``).

1. :func:`marked_columns` (before loading): DuckDB's sniffer types the files again with the
   markers as NULL (``read_csv(nullstr = [...])``); a column that is text as read by default
   but a number, boolean, date, time or timestamp that way is a candidate, with the date and
   timestamp formats the sniffer found (``sniff_csv``).
2. :func:`convert_markers` (after the table is written as text, in the same transaction): one
   pass over the table counts each candidate's markers and the values that do not parse; a
   candidate with markers and no such value is converted (``ALTER ... SET DATA TYPE ... USING``),
   the others stay text. ``NaN`` in a floating-point column becomes NULL too.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse._schema_scan import quote_double

MARKERS = ("NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "#N/A")
# what the sniffer is told is NULL: the markers and the empty cell (read_csv's own default)
NULL_STRINGS = [*MARKERS, ""]
_TEXT = "VARCHAR"
_FLOATS = ("DOUBLE", "FLOAT", "REAL")


@dataclass(frozen=True)
class Conversion:
    """The type a text column gets when its markers are NULL, and the formats its text is in."""

    type: str
    formats: tuple[str, ...] = ()


def marked_columns(conn, files: list, described: list[tuple[str, str]],
                   full_sample: bool) -> dict[str, Conversion]:
    """{file column: conversion} for the text columns that markers alone keep from a real type."""
    text = [name for name, type_ in described if type_ == _TEXT]
    if not text:
        return {}
    sample = ", sample_size = -1" if full_sample else ""
    typed = dict(row[:2] for row in conn.execute(
        f"DESCRIBE SELECT * FROM read_csv($1, union_by_name = true, nullstr = $2{sample})",
        [*files, NULL_STRINGS]).fetchall())
    candidates = {name: typed[name] for name in text if typed.get(name, _TEXT) != _TEXT}
    if not candidates:
        return {}
    date_format, timestamp_format = _sniffed_formats(conn, files[0][0], sample)
    return {name: Conversion(type_, _formats(type_, date_format, timestamp_format))
            for name, type_ in candidates.items()}


def convert_markers(conn, table: str, candidates: dict[str, Conversion]) -> tuple[tuple[str, int], ...]:
    """Convert what the rule allows in ``table``; ((column, cells read as missing), ...)."""
    counts = _marker_counts(conn, table, candidates)
    missing: dict[str, int] = {}
    for column, conversion in candidates.items():
        markers, unparsed = counts[column]
        if markers and not unparsed:
            conn.execute(f"ALTER TABLE {quote_double(table)} ALTER {quote_double(column)} SET DATA TYPE "
                         f"{conversion.type} USING {_parsed(_unmarked(column), conversion)}")
            missing[column] = markers
    for column, nans in _nan_counts(conn, table).items():
        conn.execute(f"UPDATE {quote_double(table)} SET {quote_double(column)} = NULL "
                     f"WHERE isnan({quote_double(column)})")
        missing[column] = missing.get(column, 0) + nans
    return tuple(missing.items())


def _marker_counts(conn, table: str, candidates: dict[str, Conversion]) -> dict[str, tuple[int, int]]:
    """{column: (marker cells, other values that do not parse as its conversion's type)}."""
    if not candidates:
        return {}
    markers = _marker_list()
    parts = []
    for column, conversion in candidates.items():
        quoted = quote_double(column)
        unparsed = f"{quoted} NOT IN ({markers}) AND {_parsed(quoted, conversion)} IS NULL"
        parts += [f"count(*) FILTER (WHERE {quoted} IN ({markers}))", f"count(*) FILTER (WHERE {unparsed})"]
    row = conn.execute(f"SELECT {', '.join(parts)} FROM {quote_double(table)}").fetchone()
    return {column: (row[2 * i], row[2 * i + 1]) for i, column in enumerate(candidates)}


def _nan_counts(conn, table: str) -> dict[str, int]:
    floats = [row[0] for row in conn.execute(f"DESCRIBE {quote_double(table)}").fetchall()
              if row[1] in _FLOATS]
    if not floats:
        return {}
    row = conn.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE isnan({quote_double(c)}))"
                                             for c in floats) + f" FROM {quote_double(table)}").fetchone()
    return {column: count for column, count in zip(floats, row, strict=True) if count}


def _parsed(text: str, conversion: Conversion) -> str:
    """The SQL reading ``text`` as the conversion's type: NULL when it does not parse."""
    plain = f"TRY_CAST({text} AS {conversion.type})"
    if not conversion.formats:
        return plain
    formats = ", ".join(_literal(f) for f in conversion.formats)
    return f"coalesce(TRY_CAST(try_strptime({text}, [{formats}]) AS {conversion.type}), {plain})"


def _unmarked(column: str) -> str:
    quoted = quote_double(column)
    return f"CASE WHEN {quoted} IN ({_marker_list()}) THEN NULL ELSE {quoted} END"


def _formats(type_: str, date_format: str | None, timestamp_format: str | None) -> tuple[str, ...]:
    if type_ == "DATE":
        return tuple(f for f in (date_format,) if f)
    if type_.startswith("TIMESTAMP"):
        return tuple(f for f in (timestamp_format,) if f)
    return ()


def _sniffed_formats(conn, path: str, sample: str) -> tuple[str | None, str | None]:
    """The date and timestamp formats DuckDB's sniffer finds in ``path`` with the markers as NULL."""
    try:
        row = conn.execute(f"SELECT DateFormat, TimestampFormat FROM sniff_csv($1, nullstr = $2{sample})",
                           [path, NULL_STRINGS]).fetchone()
    except duckdb.Error:  # no formats: the plain casts still read ISO dates and timestamps
        return None, None
    return (row[0], row[1]) if row else (None, None)


def _marker_list() -> str:
    return ", ".join(_literal(marker) for marker in MARKERS)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
