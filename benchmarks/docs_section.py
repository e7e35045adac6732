"""Every benchmark owns one ``## `` section of docs/benchmarks.md and rewrites only that."""
from __future__ import annotations

from pathlib import Path


def write_section(doc: Path, section: str, title: str) -> None:
    """Replace the section headed ``title`` (``## Name``) with ``section``, leaving the others."""
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    start = text.find(title + "\n")
    if start < 0:
        doc.write_text(text.rstrip("\n") + "\n\n" + section)
        return
    end = text.find("\n## ", start + len(title))
    rest = "" if end < 0 else text[end + 1:]
    doc.write_text(text[:start] + section + ("\n" + rest if rest else ""))
