"""Business glossary: short markdown docs (ROAS, CPI, retention, fraud types, ...).

Each file is one doc (``doc:<file stem>``). Its title and each paragraph are
aliases, embedded separately instead of the page: MiniLM reads only the first 256 word pieces of a
text, and a question usually matches one paragraph, not the whole page.
"""
from __future__ import annotations

from pathlib import Path

from retrieval.documents import RetrievalDoc

GLOSSARY_DIR = Path(__file__).resolve().parent / "glossary"


def load_glossary_docs(folder: Path | str | None) -> list[RetrievalDoc]:
    if folder is None:
        return []
    return [_glossary_doc(path) for path in sorted(Path(folder).glob("*.md"))]


def _glossary_doc(path: Path) -> RetrievalDoc:
    text = path.read_text(encoding="utf-8").strip()
    title, paragraphs = _split(text)
    meta = {"title": title, "file": path.name}
    # The whole page would be cut at 256 word pieces anyway: its paragraphs stand for it.
    return RetrievalDoc(f"doc:{path.stem}", "doc", text, meta, (title, *paragraphs), embed_text=False)


def _split(markdown: str) -> tuple[str, list[str]]:
    """The ``# title`` line and the non-heading paragraphs, each prefixed with the title."""
    lines = markdown.splitlines()
    title = lines[0].lstrip("# ").strip() if lines and lines[0].startswith("#") else ""
    body = "\n".join(lines[1:] if title else lines)
    blocks = [b.strip() for b in body.split("\n\n")]
    paragraphs = [" ".join(b.split()) for b in blocks if b and not b.startswith("#")]
    return title, [f"{title}: {p}" for p in paragraphs]
