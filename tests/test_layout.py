"""Test modules must have unique basenames: pytest's default import mode puts each test
folder on sys.path, so a second ``test_store.py`` fails collection in a clean checkout."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_module_basenames_are_unique():
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    assert [n for n, c in names.items() if c > 1] == []
