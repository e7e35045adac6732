"""The small base every tool implements (cf. vanna 2's ``Tool[T]``), and what it is given.

``arguments`` is the pydantic schema: its JSON schema is what an LLM sees, and every call,
whoever made it, is validated with it (``extra="forbid"``: an invented argument is an error
worth telling the model about). ``route`` is the offline planner's way in: given what the
planner read from the question, return the arguments of a call, or None when the question
is not for this tool. ``run`` does the work and returns rows; ``narrate`` words them.
"""
from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from common.errors import AsklyticsError
from warehouse.base import Result, Warehouse


class ToolArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class ToolQuestion:
    """What the offline planner read from a question, as a tool's router sees it."""

    folded: str  # the question, lower-cased (app.engine.nlp.text.fold)
    filters: dict[str, str] = field(default_factory=dict)  # dimension -> the one value asked ("= v")
    time_range: tuple[dt.date, dt.date] | None = None
    limit: int | None = None


@dataclass(frozen=True)
class ToolContext:
    """What a running tool may use: the read-only warehouse, the trained models, "today"; tools on the
    semantic layer (insights) also get the model and ``query``, the executor's own path from a
    semantic query to rows (access policy, compile, guard)."""

    warehouse: Warehouse
    models_dir: Path
    as_of: dt.date
    model: Any = None  # semantic_layer.SemanticModel
    query: Callable[[Any], Result] | None = None  # SemanticQuery -> Result
    max_rows: int | None = None  # the executor's row cap on every ``query`` (the guard's LIMIT)


@dataclass
class ToolOutcome:
    """A tool's answer: rows (as a warehouse Result), a one-line summary and a narrative."""

    result: Result
    arguments: dict[str, Any]
    summary: str
    narrative: str
    chart: dict[str, Any] | None = None  # {type, reason, figure} when the tool draws its own chart


class ToolError(AsklyticsError):
    """Raised by ``run``; the executor turns it into the answer's error (code + message)."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code=code)


class Tool(ABC):
    name: ClassVar[str]
    description: ClassVar[str]  # for the LLM: what the tool answers, in one or two sentences
    arguments: ClassVar[type[ToolArgs]]
    priority: ClassVar[int] = 100  # the offline planner asks tools in this order (lowest first)
    # words the tool reads as its own besides the predictor words (the offline planner counts them as used)
    words: ClassVar[tuple[re.Pattern, ...]] = ()

    @abstractmethod
    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        """The call's arguments when the question is for this tool, else None."""

    @abstractmethod
    def run(self, arguments: ToolArgs, context: ToolContext) -> ToolOutcome:
        """Do the work; raise ToolError with a message fit for a user and for an LLM retry."""

    def narrate(self, outcome: ToolOutcome) -> str:
        return outcome.narrative

    def unavailable(self, schema) -> str | None:
        """Why this warehouse cannot answer with the tool (a sentence for the user), or None.
        Planners do not offer an unavailable tool; a question only it could answer is refused."""
        return None

    def validate(self, arguments: dict[str, Any]) -> ToolArgs:
        """Raises pydantic's ValidationError with a per-field message."""
        return self.arguments.model_validate(arguments or {})
