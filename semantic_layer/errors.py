"""Errors of semantic queries, at the bottom floor so every module can raise them."""
from __future__ import annotations

import difflib
from collections.abc import Iterable

from common.errors import AsklyticsError


class SemanticQueryError(AsklyticsError):
    """A query the model cannot answer; the message says what to change."""

    code = "semantic_query_invalid"


class SemanticTableMissing(SemanticQueryError):
    """The query reads a table the warehouse does not have (yet): prediction tables before scoring."""

    code = "semantic_table_missing"


def unknown_name_error(kind: str, name: str, known: Iterable[str]) -> SemanticQueryError:
    """``unknown metric 'roaz'; did you mean 'roas'?`` with close matches."""
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else f"known: {', '.join(known)}"
    return SemanticQueryError(f"unknown {kind} {name!r}; {hint}")
