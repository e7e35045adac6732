"""Normalized question text (the exact tier's key) and the scope every entry lives in.

Normalization only removes differences that cannot change meaning: case, Unicode
forms, whitespace, punctuation and thousands separators. Anything that might
(number words, synonyms) is left to the semantic tier, which checks slots.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from app.engine.nlp.text import fold

_THOUSANDS = re.compile(r"(?<=\d)[,_](?=\d{3}\b)")
# "%" and "$" carry meaning ("top 5%" is not "top 5"), so they become words first.
_SYMBOL_WORDS = {"%": " percent ", "$": " dollars ", "€": " euros ", "£": " pounds ", "#": " number "}
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_NOT_WORD = re.compile(r"[^\w]+")


def normalize_question(question: str) -> str:
    """``"  Revenue, LAST week?! "`` -> ``"revenue last week"``; ``"1,000"`` -> ``"1000"``."""
    text = fold(question or "")
    text = _THOUSANDS.sub("", text)
    for symbol, word in _SYMBOL_WORDS.items():
        text = text.replace(symbol, word)
    text = _DECIMAL.sub("d", text)  # keep 1.5 apart from 15 and from "1 5"
    return " ".join(_NOT_WORD.sub(" ", text).split())


def digest(value: Any, length: int = 16) -> str:
    """A short stable hash of JSON-able data (sorted keys, dates as ISO text)."""
    raw = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:length]


@dataclass(frozen=True)
class CacheScope:
    """Where an entry may be reused. Entries never cross scopes.

    ``tenant``: the API key / tenant scope; ``warehouse_id``: which warehouse;
    ``model_version``: hash of the semantic model and warehouse schema (a change
    invalidates); ``as_of``: the reference day relative dates were resolved against;
    ``context``: signature of the conversation's previous plan ("" for a fresh one).
    """

    tenant: str
    warehouse_id: str
    model_version: str
    as_of: dt.date
    context: str = ""

    @property
    def key(self) -> str:
        return f"{_safe(self.tenant)}:{digest(asdict(self))}"


def context_signature(previous_plans: tuple[Any, ...]) -> str:
    """Follow-ups depend on the last plan only (that is what the planners edit)."""
    if not previous_plans:
        return ""
    last = previous_plans[-1]
    if hasattr(last, "model_dump"):
        data = last.model_dump(mode="json", exclude={"confidence", "rationale"})
    else:
        data = last
    return digest(data)


def model_version(model: Any, schema: Any = None) -> str:
    """Hash of the semantic model spec and the warehouse schema: either changing invalidates."""
    spec = model.spec.model_dump(mode="json") if hasattr(model, "spec") else repr(model)
    tables = [(t.name, [(c.name, c.type) for c in t.columns])
              for t in (schema.tables.values() if schema else ())]
    return digest({"model": spec, "schema": tables})


def _safe(tenant: str) -> str:
    return re.sub(r"[^\w.-]", "_", tenant)[:64] or "_"
