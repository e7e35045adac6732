"""recall@k of a store on a labelled set of question -> expected item ids.

Planners ask per kind ("the 5 best metrics", "the 5 best dimensions"), so each
expected item is looked for among the top ``k`` hits of its own kind. The
score is micro-averaged: found expected items / all expected items.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from retrieval.store import RetrievalStore

# (question, kinds or None for all, k) -> ids best first; lets benchmarks score one ranking side alone.
SearchIds = Callable[[str, "Sequence[str] | None", int], list[str]]


@dataclass(frozen=True)
class LabelledQuery:
    question: str
    expected: tuple[str, ...]


@dataclass
class RecallReport:
    k: int
    found: int = 0
    expected: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [found, expected]
    misses: list[tuple[str, str]] = field(default_factory=list)  # (question, missed id)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 0.0

    def kind_recall(self, kind: str) -> float:
        found, expected = self.by_kind.get(kind, (0, 0))
        return found / expected if expected else 0.0


def load_labelled(path: Path | str) -> list[LabelledQuery]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [LabelledQuery(entry["q"], tuple(entry["expect"])) for entry in raw["queries"]]


def store_search(store: RetrievalStore, *, scope: str) -> SearchIds:
    """``store.search`` as tenant ``scope`` sees it (the labelled set is about built-in docs)."""
    return lambda question, kinds, k: [hit.id
                                       for hit in store.search(question, scope=scope, kinds=kinds, k=k)]


def recall_at_k(search: SearchIds, queries: list[LabelledQuery], k: int = 5) -> RecallReport:
    report = RecallReport(k)
    for query in queries:
        for kind in sorted({item.partition(":")[0] for item in query.expected}):
            _count(report, query, kind, set(search(query.question, [kind], k)))
    return report


def mixed_recall_at_k(search: SearchIds, queries: list[LabelledQuery], k: int = 5) -> float:
    """Harder variant: one search over all kinds, expected items of every kind in the same top k."""
    found = expected = 0
    for query in queries:
        got = set(search(query.question, None, k))
        found += sum(item in got for item in query.expected)
        expected += len(query.expected)
    return found / expected if expected else 0.0


def _count(report: RecallReport, query: LabelledQuery, kind: str, got: set[str]) -> None:
    tally = report.by_kind.setdefault(kind, [0, 0])
    for item in (i for i in query.expected if i.startswith(kind + ":")):
        hit = item in got
        report.found += hit
        report.expected += 1
        tally[0] += hit
        tally[1] += 1
        if not hit:
            report.misses.append((query.question, item))
