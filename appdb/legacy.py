"""The one-time import of the files state lived in before this database: ``keys.json`` (API keys,
hashed) and ``feedback.jsonl`` (ratings). Each file is imported once, then renamed to
``<name>.migrated`` and kept as a backup; a marker row makes a second process skip the step."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import sqlalchemy as sa

from appdb import audit, feedback, keys
from appdb.database import Database, DatabaseError
from appdb.tables import meta

log = logging.getLogger(__name__)


class LegacyFileError(DatabaseError):
    """A legacy file that cannot be read; the message names it and says what to do."""


def import_legacy_files(database: Database, data_dir: Path) -> dict[str, int]:
    """Rows imported per file (empty when there was nothing to do)."""
    done: dict[str, int] = {}
    for name, importer in (("keys.json", _import_keys), ("feedback.jsonl", _import_feedback)):
        path = Path(data_dir) / name
        if path.exists():
            count = _once(database, path, importer)
            if count is not None:
                done[name] = count
    return done


def _once(database: Database, path: Path, importer) -> int | None:
    marker = f"imported:{path.name}"
    try:
        with database.begin() as connection:
            if connection.execute(sa.select(meta.c.name).where(meta.c.name == marker)).first():
                return None
            connection.execute(meta.insert().values(name=marker, value=str(path)))
            count = importer(connection, path)
            audit.record(connection, "system", "legacy_import", target=path.name, detail={"rows": count})
    except sa.exc.IntegrityError:  # another process imported it at the same moment
        return None
    try:
        path.rename(path.with_name(path.name + ".migrated"))
    except OSError:
        log.warning("imported %s but could not rename it; it will not be imported again", path)
    return count


def _import_keys(connection, path: Path) -> int:
    try:
        rows = json.loads(path.read_text())["keys"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LegacyFileError(f"cannot import {path}: {exc}; fix or delete the file") from None
    count = 0
    for row in rows:
        if keys.get_key(connection, row["key_id"]) is None:
            defaults = {"revoked": bool(row.get("revoked")), "name": row.get("name") or "",
                        "created_at": row.get("created_at") or 0}
            keys.insert_key(connection, {**row, **defaults})
            count += 1
    return count


def _import_feedback(connection, path: Path) -> int:
    count = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            log.warning("%s line %d is not JSON; skipped", path, number)
            continue
        feedback.insert_feedback(connection, {**row, "scope": row.get("scope") or "default",
                                              "created_at": row.get("at")})
        count += 1
    return count
