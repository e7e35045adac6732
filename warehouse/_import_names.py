"""Table and column names for imported files: safe SQL identifiers, multi-part exports, snake_case.

Table names are lower-case ASCII letters, digits and ``_``; like DuckDB's ``normalize_names``, a
name that starts with a digit or is a reserved word gets a leading ``_`` (``2026 installs.csv``
-> ``_2026_installs``, ``order.csv`` -> ``_order``).
"""
from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache
from pathlib import Path

import duckdb

# File endings and the DuckDB reader family for each; the CSV and JSON readers decompress .gz themselves.
FORMATS = {".csv": "csv", ".tsv": "csv", ".parquet": "parquet", ".json": "json", ".ndjson": "json",
           ".jsonl": "json"}
COMPRESSED = ".gz"
SUPPORTED = ", ".join([*FORMATS, f"{COMPRESSED} of the CSV and JSON ones"])

# A trailing part marker: a date or a number (2026-01, 20260131, 2026-01-01_2026-01-31, 0003),
# optionally after part/chunk/shard/page/batch, set off from a name with a letter by _ - . or a space.
_PART_SUFFIX = re.compile(
    r"^(?P<base>.*?[a-z].*?)[ _.\-]+(?:(?:part|chunk|shard|page|batch)[ _.\-]*)?\d[\d _.\-]*$",
    re.IGNORECASE)
_CAMEL_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def file_format(path: Path) -> str | None:
    """``csv``, ``parquet`` or ``json`` from the file's ending, None when not supported."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == COMPRESSED and len(suffixes) > 1:
        family = FORMATS.get(suffixes[-2])
        return family if family != "parquet" else None
    return FORMATS.get(suffixes[-1]) if suffixes else None


def file_stem(path: Path) -> str:
    """The name without its format ending(s): ``installs.csv.gz`` -> ``installs``."""
    name = path.name
    if name.lower().endswith(COMPRESSED):
        name = name[: -len(COMPRESSED)]
    return name[: -len(Path(name).suffix)] if Path(name).suffix else name


def part_base(stem: str) -> str | None:
    """The export's name when ``stem`` ends with a part marker (``installs_2026-01`` -> ``installs``)."""
    match = _PART_SUFFIX.match(stem)
    return match.group("base") if match else None


def safe_identifier(text: str, fallback: str, reserved: Collection[str] = ()) -> str:
    """Lower-case ASCII letters, digits and ``_``, with a leading ``_`` before a digit or a reserved word."""
    name = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or fallback
    return f"_{name}" if name[0].isdigit() or name in reserved else name


def table_name(text: str) -> str:
    return safe_identifier(text, "imported", reserved_words())


def snake_case_names(columns: Sequence[str]) -> list[str]:
    """``Install Time`` -> ``install_time``, ``mediaSource`` -> ``media_source``; a name taken twice
    gets ``_2``, ``_3``."""
    names: list[str] = []
    for column in columns:
        name = base = safe_identifier(_CAMEL_BREAK.sub("_", column), "unnamed", reserved_words())
        counter = 1
        while name in names:
            counter += 1
            name = f"{base}_{counter}"
        names.append(name)
    return names


@cache
def reserved_words() -> frozenset[str]:
    """DuckDB's reserved keywords (``select``, ``order``, ...): never a bare table or column name."""
    with duckdb.connect() as conn:
        rows = conn.execute("SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'")
        return frozenset(row[0] for row in rows.fetchall())
