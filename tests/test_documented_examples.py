"""Every question the README and the docs present as an example is answered.

Examples are the questions in curly quotes (“...”) in README.md and docs/*.md, the
``asklytics ask "..."`` command lines, the API's ``"question": "..."`` bodies, and the web UI's
starter questions. One written after "then" is a follow-up of the example before it. They run
through the real assistant on the demo with the three predictor models trained (the README's
"why is user u000123 likely to churn?" needs them).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.engine.assistant import Assistant
from app.interfaces.api.routes_catalog import STARTER_QUESTIONS
from app.settings import Settings
from tests.demo_copies import copy_demo

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_CURLY = re.compile(r"(then\s+)?“([^”]{6,})”")
_COMMANDS = re.compile(r"""asklytics ask ["']([^"']+)["']|"question":\s*"([^"]+)\"""")


def documented_examples() -> list[tuple[str, str | None, str]]:
    """(question, the example it follows up or None, where it is written)."""
    found = []
    for doc in DOCUMENTS:
        text = " ".join(doc.read_text(encoding="utf-8").split())  # quotes may wrap across lines
        previous = None
        for match in _CURLY.finditer(text):
            question = match.group(2).strip()
            found.append((question, previous if match.group(1) else None, doc.name))
            previous = question
        found += [(m.group(1) or m.group(2), None, doc.name) for m in _COMMANDS.finditer(text)]
    found += [(question, None, "GET /suggestions") for _, question in STARTER_QUESTIONS]
    return list(dict.fromkeys(found))


EXAMPLES = documented_examples()


@pytest.fixture(scope="module")
def assistant(trained, tmp_path_factory):
    root = trained["root"]
    warehouse = copy_demo(trained["train_db"], tmp_path_factory.mktemp("examples"))
    yield Assistant(Settings(warehouse_path=warehouse, data_dir=root / "data", cache_enabled=False,
                             planner="offline"))


def test_the_examples_are_found():
    questions = {q for q, _, _ in EXAMPLES}
    assert {"Top 5 iOS campaigns by ROAS last month", "just Android", "why is user u000123 likely to churn?",
            "Installs by platform last month"} <= questions
    assert len(EXAMPLES) >= 12


@pytest.mark.parametrize(("question", "after", "where"), EXAMPLES, ids=[f"{w}: {q}" for q, _, w in EXAMPLES])
def test_every_documented_example_is_answered(assistant, question, after, where):
    conversation = None
    if after is not None:
        first = assistant.ask(after)
        assert first.status == "answered", f"{where}: {after!r} -> {first.status}: {first.answer}"
        conversation = first.conversation_id
    answer = assistant.ask(question, conversation)
    assert answer.status == "answered", f"{where}: {question!r} -> {answer.status}: {answer.answer}"
    assert answer.rows, f"{where}: {question!r} answered with no rows"
