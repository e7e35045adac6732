"""Which files ``asklytics import`` reads, and which table each one goes to.

A path is a file, a folder (every supported file inside, recursively; hidden files and
folders are left out) or a glob (``exports/*.csv``, ``**`` included). Each file becomes a
table named from its file name; the files of one multi-part export in one folder
(``installs_2026-01.csv``, ``installs_2026-02.csv``) become one table (``installs``), see
:func:`warehouse._import_names.part_base`. Every refusal here comes before anything is written.
"""
from __future__ import annotations

import glob
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from warehouse._import_names import SUPPORTED, file_format, file_stem, part_base, table_name
from warehouse.errors import ImportRefused

_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class SourceGroup:
    """The files loaded into one table; ``parts`` when they were recognised as one export's parts."""

    table: str
    format: str
    files: tuple[Path, ...]
    parts: bool = False


@dataclass(frozen=True)
class ImportPlan:
    groups: tuple[SourceGroup, ...]
    skipped: tuple[Path, ...]  # files of other types found in folders or globs, left out

    @property
    def file_count(self) -> int:
        return sum(len(group.files) for group in self.groups)


def plan_import(paths: Sequence[str | Path], *, table: str | None = None,
                separate: bool = False) -> ImportPlan:
    """Resolve ``paths`` into tables; raises :class:`ImportRefused` for anything that cannot work."""
    if not paths:
        raise ImportRefused("give at least one file, folder or glob to import")
    if table is not None and separate:
        raise ImportRefused("--table puts every file in one table and --separate one table per file; "
                            "choose one")
    files, skipped = _collect(paths)
    if table is not None:
        groups = [SourceGroup(_checked_table_name(table), _one_format(files), tuple(files))]
    else:
        groups = _group(files, separate)
    _refuse_clashes(groups)
    return ImportPlan(tuple(groups), tuple(skipped))


def _collect(paths: Sequence[str | Path]) -> tuple[list[Path], list[Path]]:
    files: dict[Path, None] = {}
    skipped: dict[Path, None] = {}
    for raw in paths:
        named, matches = _expand(str(raw))
        for path in matches:
            for found in _files_under(path, named=named):
                (files if file_format(found) else skipped)[found] = None
    if not files:
        raise ImportRefused(f"no CSV, Parquet or JSON files in {', '.join(map(str, paths))}; "
                            f"import supports {SUPPORTED}")
    return list(files), list(skipped)


def _expand(raw: str) -> tuple[bool, list[Path]]:
    """(whether the path was named as such rather than matched by a glob, the paths)."""
    path = Path(raw).expanduser()
    if path.exists() or not _GLOB_CHARS.search(raw):
        if not path.exists():
            raise ImportRefused(f"no such file or folder: {raw}")
        return True, [path.resolve()]
    matches = sorted(Path(m).resolve() for m in glob.glob(str(path), recursive=True))
    if not matches:
        raise ImportRefused(f"no file matches {raw}")
    return False, matches


def _files_under(path: Path, *, named: bool) -> list[Path]:
    if path.is_file():
        if named and not file_format(path):
            raise ImportRefused(f"{path}: unsupported file type; import supports {SUPPORTED}")
        return [path]
    found = sorted(p for p in path.rglob("*")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not any(file_format(p) for p in found):
        others = f" ({len(found)} other file(s) left out)" if found else ""
        raise ImportRefused(f"no CSV, Parquet or JSON files in the folder {path}{others}; "
                            f"import supports {SUPPORTED}")
    return found


def _group(files: list[Path], separate: bool) -> list[SourceGroup]:
    by_export: dict[tuple[Path, str, str], list[Path]] = defaultdict(list)
    for path in files:
        base = None if separate else part_base(file_stem(path))
        key = (path.parent, file_format(path), (base or file_stem(path)).lower())
        by_export[key].append(path)
    groups = []
    for (_, fmt, _), members in by_export.items():
        if len(members) > 1:  # only a real multi-part export: one file keeps its whole name
            export = part_base(file_stem(members[0]))
            groups.append(SourceGroup(table_name(export), fmt, tuple(members), parts=True))
        else:
            groups += [SourceGroup(table_name(file_stem(p)), fmt, (p,)) for p in members]
    return groups


def _checked_table_name(table: str) -> str:
    safe = table_name(table)
    if safe != table:
        raise ImportRefused(f"--table {table!r} is not a plain lower-case SQL name; use --table {safe}")
    return table


def _one_format(files: list[Path]) -> str:
    formats = sorted({file_format(p) for p in files})
    if len(formats) > 1:
        raise ImportRefused(f"--table loads files of one format into one table, but these are "
                            f"{' and '.join(formats)}; import each format with its own --table")
    return formats[0]


def _refuse_clashes(groups: list[SourceGroup]) -> None:
    by_table: dict[str, list[SourceGroup]] = defaultdict(list)
    for group in groups:
        by_table[group.table].append(group)
    for table, clashing in by_table.items():
        if len(clashing) > 1:
            names = ", ".join(str(path) for group in clashing for path in group.files)
            raise ImportRefused(
                f"{names} would all become the table {table}; import them one command at a time with "
                f"--table NAME, or into one table with --table {table}")
