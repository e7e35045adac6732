"""The everyday vocabulary of the offline planner, from ``vocabulary.yaml`` (data, not code).

Function words, chat fillers, slang and the words people use about time are language-general
word lists a reviewer should read as lists. Words about one dataset's metrics, dimensions and
values are the semantic model's (its ``vocabulary:`` block), never this file's.
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
