"""The everyday vocabulary of the offline planner, from ``vocabulary.yaml`` (data, not code).

Function words, chat fillers, slang and the everyday phrases for metrics and dimensions are
word lists a reviewer should read as lists; keeping them in YAML keeps the modules short and
the lists in one place.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")


@cache
def vocabulary() -> dict[str, Any]:
    return yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))


def word_set(section: str) -> frozenset[str]:
    return frozenset(str(w) for w in vocabulary()[section])


def phrase_table(kind: str) -> dict[str, tuple[str, ...]]:
    """``{name: (phrase, ...)}`` of one kind: metric, dimension or context."""
    return {name: tuple(map(str, phrases)) for name, phrases in vocabulary()["phrases"][kind].items()}
