"""docs/charts.md documents every selection rule, in the order they run."""
from __future__ import annotations

from pathlib import Path

from charts.profile import IDENTIFIER, NOMINAL, ORDINAL, QUANTITATIVE, TEMPORAL
from charts.select import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "charts.md"


def test_every_rule_is_documented_in_order():
    text = DOC.read_text(encoding="utf-8")
    positions = [text.find(f"`{rule.__name__}`") for rule in RULES]
    assert all(p >= 0 for p in positions), [r.__name__ for r, p in zip(RULES, positions) if p < 0]
    assert positions == sorted(positions)


def test_every_role_is_documented():
    text = DOC.read_text(encoding="utf-8")
    roles = {IDENTIFIER, TEMPORAL, NOMINAL, QUANTITATIVE, ORDINAL}
    assert all(f"| {role} |" in text for role in roles)
