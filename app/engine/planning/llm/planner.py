"""The LLM planner: a question in, a checked :data:`Plan` out, via tool calling.

One run is a short conversation. The model must answer with one tool call;
the call is validated into a plan and handed to ``check`` (the executor
compiles, guards and runs it). Any error -- invalid arguments, an unknown
metric, a guard rejection, a SQL error -- goes back to the model as the tool
result and it tries again, at most ``max_retries`` times.

A reply with plain text and no tool call is re-prompted once ("call a tool");
if the model still answers in prose, its text becomes a clarification
question, which is what such replies nearly always are ("Which period do you
mean?"). The model's output is only ever parsed as data.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from app.engine.planning.llm.backoff import DEFAULT_BACKOFF, BackoffPolicy, invoke_with_backoff
from app.engine.planning.llm.calls import InvalidToolCall, plan_from_call, tool_specs
from app.engine.planning.llm.context_text import planner_system_prompt
from app.engine.planning.llm.errors import LLMPlanningFailed
from app.engine.planning.llm.tools import DEFAULT_TOOLS, TOOL_ARGS
from app.engine.planning.llm.usage import Usage
from app.engine.planning.plan import ClarificationPlan, Plan, PlanningContext

Check = Callable[[Plan], "str | None"]
NOT_EXECUTED = ("clarification", "refusal")  # nothing to compile or run
NUDGE = (
    "Answer with exactly one tool call, not text. If you need more information from the "
    "user, call ask_clarification; if the request cannot be served, call refuse."
)
RETRY_HINT = "Fix the call and call a tool again; do not repeat the same call."


@dataclass(frozen=True)
class PlanAttempt:
    """One tool call the model made (or one prose reply), and what became of it."""

    tool: str | None
    arguments: dict[str, Any]
    error: str | None = None
    plan: Plan | None = None
    text: str | None = None

    def to_contract(self) -> dict[str, Any]:
        """An entry for the answer's ``tool_calls`` (the executor may add ``result_summary``)."""
        return {"name": self.tool, "arguments": self.arguments, "error": self.error}


@dataclass(frozen=True)
class LLMPlanResult:
    plan: Plan
    attempts: list[PlanAttempt]
    usage: Usage
    planner_label: str  # "llm:<provider>/<model>", as the answer contract shows it


class LLMPlanner:
    def __init__(
        self,
        chat_model: Any,
        *,
        provider_label: str,
        max_retries: int = 3,
        semantic_catalog: str = "",
        tools_enabled: tuple[str, ...] = DEFAULT_TOOLS,
        backoff: BackoffPolicy = DEFAULT_BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
    ):
        unknown = [name for name in tools_enabled if name not in TOOL_ARGS]
        if unknown:
            raise ValueError(f"unknown planner tools: {', '.join(unknown)}; known: {', '.join(TOOL_ARGS)}")
        self.provider_label = provider_label
        self.max_retries = max_retries
        self.semantic_catalog = semantic_catalog
        self.tools_enabled = tuple(tools_enabled)
        self.backoff = backoff
        self.sleep = sleep
        self._model = chat_model.bind_tools(tool_specs(self.tools_enabled))

    @property
    def label(self) -> str:
        return f"llm:{self.provider_label}"

    def plan(self, question: str, context: PlanningContext, check: Check | None = None) -> LLMPlanResult:
        """Plan ``question``; raises LLMPlanningFailed when retries run out, LLMUnavailable/LLMError."""
        return _PlanningRun(self, question, context, check or (lambda plan: None)).run()

    def invoke(self, messages: list[BaseMessage]) -> AIMessage:
        return invoke_with_backoff(
            lambda: self._model.invoke(messages),
            policy=self.backoff,
            label=self.provider_label,
            sleep=self.sleep,
        )


@dataclass
class _PlanningRun:
    planner: LLMPlanner
    question: str
    context: PlanningContext
    check: Check
    messages: list[BaseMessage] = field(default_factory=list)
    attempts: list[PlanAttempt] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    nudged: bool = False

    def run(self) -> LLMPlanResult:
        system = planner_system_prompt(self.context, self.planner.semantic_catalog)
        self.messages = [SystemMessage(system), HumanMessage(self.question)]
        while True:
            reply = self._ask()
            calls = _calls_of(reply)
            if not calls:
                plan = self._prose_reply(reply)
            else:
                plan = self._try_call(calls[0], others=calls[1:])
            if plan is not None:
                return LLMPlanResult(plan, self.attempts, self.usage, self.planner.label)
            self._stop_when_out_of_retries()

    def _ask(self) -> AIMessage:
        reply = self.planner.invoke(self.messages)
        self.usage += Usage.of_message(reply)
        self.messages.append(reply)
        return reply

    def _prose_reply(self, reply: AIMessage) -> Plan | None:
        text = reply.text.strip()
        self.attempts.append(
            PlanAttempt(tool=None, arguments={}, text=text, error=None if self.nudged else "no tool call")
        )
        if not self.nudged:
            self.nudged = True
            self.messages.append(HumanMessage(NUDGE))
            return None
        return ClarificationPlan(
            question=text or "Could you rephrase the question?",
            confidence=0.3,
            rationale="the model answered in prose instead of calling a tool",
        )

    def _try_call(self, call: dict[str, Any], others: list[dict[str, Any]]) -> Plan | None:
        plan, error = self._plan_and_check(call)
        self.attempts.append(PlanAttempt(tool=call["name"], arguments=_args_of(call), error=error, plan=plan))
        if error is None:
            return plan
        self.messages.append(
            ToolMessage(f"Error: {error}\n{RETRY_HINT}", tool_call_id=call["id"], status="error")
        )
        for other in others:  # every call needs a result before the model may speak again
            self.messages.append(
                ToolMessage(
                    "Ignored: make one tool call at a time.", tool_call_id=other["id"], status="error"
                )
            )
        return None

    def _plan_and_check(self, call: dict[str, Any]) -> tuple[Plan | None, str | None]:
        if call.get("error"):
            return None, f"the arguments of {call['name']} are not valid JSON: {call['error']}"
        try:
            plan = plan_from_call(
                call["name"], _args_of(call), enabled=self.planner.tools_enabled, dialect=self.context.dialect
            )
        except InvalidToolCall as invalid:
            return None, invalid.message
        if plan.kind in NOT_EXECUTED:
            return plan, None
        return plan, run_check(self.check, plan)

    def _stop_when_out_of_retries(self) -> None:
        failed = [a for a in self.attempts if a.error is not None and a.tool is not None]
        if len(failed) > self.planner.max_retries:
            raise LLMPlanningFailed(
                f"the language model did not produce a valid plan in {len(failed)} tries; "
                f"last error: {failed[-1].error}",
                attempts=self.attempts,
                usage=self.usage,
            )


def run_check(check: Check, plan: Plan) -> str | None:
    """The executor's verdict; its domain errors count as messages for the model too."""
    from semantic_layer import SemanticQueryError
    from warehouse.errors import WarehouseError
    from warehouse.guard.errors import GuardError

    try:
        return check(plan)
    except (SemanticQueryError, GuardError, WarehouseError) as error:
        return str(error)  # a GuardError's str() adds its fix hint


def _calls_of(reply: AIMessage) -> list[dict[str, Any]]:
    """Parsed calls first, then malformed ones (their ``error`` says why)."""
    return list(reply.tool_calls) + list(getattr(reply, "invalid_tool_calls", None) or [])


def _args_of(call: dict[str, Any]) -> dict[str, Any]:
    args = call.get("args")
    return args if isinstance(args, dict) else {}
