"""Closest-name suggestions for unknown tables and columns ("did you mean ...?")."""
from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_LISTED = 12


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Candidates spelled like ``name`` (case-insensitive), best first."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    matches = difflib.get_close_matches(name.lower(), list(by_lower), n=n, cutoff=0.6)
    return [by_lower[m] for m in matches]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean `x`?"`` or ``""`` when nothing is close."""
    matches = closest(name, candidates)
    if not matches:
        return ""
    return "; did you mean " + " or ".join(f"`{m}`" for m in matches) + "?"


def listing(label: str, names: Iterable[str]) -> str:
    """A short "known names" hint, trimmed so a wide table stays readable."""
    names = sorted(set(names))
    shown = ", ".join(names[:MAX_LISTED])
    more = f" (+{len(names) - MAX_LISTED} more)" if len(names) > MAX_LISTED else ""
    return f"{label}: {shown}{more}" if names else f"{label}: none"
