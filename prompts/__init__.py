"""Prompt templates as text files, loaded by name.

A template is a Markdown file next to this module (``planner_system.md``).
``render_prompt`` fills ``{placeholder}`` slots by plain text substitution --
deliberately not ``str.format``, whose ``{x.attr}`` / ``{x[0]}`` syntax reaches
into Python objects. One pass, so text that was substituted in (a user's
question, retrieved docs) is never scanned for placeholders itself.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class PromptError(Exception):
    """A prompt name that does not exist or a template slot left unfilled."""

    code = "prompt_error"


@cache
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.md``; names are plain identifiers, never paths."""
    if not _NAME.match(name):
        raise PromptError(f"invalid prompt name {name!r}: use lowercase letters, digits and _")
    path = PROMPTS_DIR / f"{name}.md"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in PROMPTS_DIR.glob("*.md")))
        raise PromptError(f"no prompt named {name!r}; known: {known}")
    return path.read_text(encoding="utf-8")


def placeholders(template: str) -> set[str]:
    """The slot names a template expects."""
    return set(_PLACEHOLDER.findall(template))


def fill_template(template: str, values: dict[str, object]) -> str:
    """Replace every ``{name}`` with ``str(values[name])``; a missing value is an error."""
    missing = placeholders(template) - values.keys()
    if missing:
        raise PromptError(f"prompt slots without a value: {', '.join(sorted(missing))}")
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def render_prompt(name: str, **values: object) -> str:
    """``load_prompt(name)`` with its slots filled."""
    return fill_template(load_prompt(name), values)
