"""``ask(question, conversation_id)``: the one service call every interface uses.

cache -> retrieval -> planner -> semantic layer -> guard -> warehouse -> chart -> narrative,
returning the Answer of shared/spec/answer-contract.md. Errors become an Answer with
``status="error"`` and an actionable message; no stack trace ever reaches a user.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from functools import cached_property

from app.contract import Answer, Clarification, ColumnOut, ErrorOut
from app.conversations import Turn, new_conversation_id, open_conversation_store
from app.pipeline.charting import chart_for, units_for
from app.pipeline.execute import Execution, ExecutionError, PlanExecutor
from app.pipeline.narrative import NarrativeInput, describe
from app.planning.plan import ClarificationPlan, Plan, PlanningContext, RefusalPlan
from app.services.warehouse import open_warehouse
from app.settings import Settings, get_settings
from semantic_layer import DEMO_MODEL_PATH, SemanticModel, load_semantic_model
from warehouse.base import Warehouse
from warehouse.errors import WarehouseError
from warehouse.values import jsonable

log = logging.getLogger(__name__)


class Assistant:
    """Holds the long-lived parts (warehouse, model, planners, stores) of one process."""

    def __init__(self, settings: Settings, *, warehouse: Warehouse | None = None,
                 model: SemanticModel | None = None):
        self.settings = settings
        self._warehouse = warehouse
        self.model = model or load_semantic_model(DEMO_MODEL_PATH)
        self.conversations = open_conversation_store(settings.redis_url)
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> "Assistant":
        return cls(settings or get_settings())

    @property
    def warehouse(self) -> Warehouse:
        with self._lock:
            if self._warehouse is None:
                self._warehouse = open_warehouse(self.settings)
            return self._warehouse

    @cached_property
    def executor(self) -> PlanExecutor:
        return PlanExecutor(self.model, self.warehouse, max_rows=self.settings.max_rows)

    @cached_property
    def router(self):
        from app.planning.llm import build_llm_planner, describe_semantic_model
        from app.planning.offline import OfflinePlanner
        from app.planning.router import build_router

        offline = OfflinePlanner(self.model, self.warehouse.schema())
        llm = build_llm_planner(self.settings, semantic_catalog=describe_semantic_model(self.model))
        return build_router(self.settings, offline, llm)

    def close(self) -> None:
        with self._lock:
            if self._warehouse is not None:
                self._warehouse.close()
                self._warehouse = None

    def ask(self, question: str, conversation_id: str | None = None, *, scope: str = "default") -> Answer:
        started = time.perf_counter()
        answer = Answer(conversation_id=conversation_id or new_conversation_id(), question=question,
                        status="error", answer_id=f"a-{uuid.uuid4().hex[:16]}")
        plan = None
        try:
            plan = self._answer(answer, scope)
        except (ExecutionError, WarehouseError) as exc:
            _fail(answer, exc.code, exc.message)
        except Exception:  # the last line of defence: log it, tell the user plainly
            log.exception("ask failed for %r", question)
            _fail(answer, "internal_error", "Something went wrong while answering; the error was logged.")
        answer.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 2)
        self._remember(answer, plan, scope)
        return answer

    def _answer(self, answer: Answer, scope: str) -> Plan | None:
        problem = self._question_problem(answer.question)
        if problem:
            _fail(answer, *problem)
            return None
        context = self._context(answer.conversation_id, scope)
        checked: dict[int, Execution] = {}
        started = time.perf_counter()
        routed = self.router.plan(answer.question, context, check=lambda p: self._check(p, checked))
        answer.timings_ms["plan"] = round((time.perf_counter() - started) * 1000, 2)
        answer.planner = routed.planner
        answer.usage.llm_calls = routed.usage.llm_calls
        answer.usage.prompt_tokens = routed.usage.prompt_tokens
        answer.usage.completion_tokens = routed.usage.completion_tokens
        self._apply_plan(answer, routed.plan, checked.get(id(routed.plan)))
        return routed.plan

    def _apply_plan(self, answer: Answer, plan: Plan, execution: Execution | None) -> None:
        answer.confidence = plan.confidence
        if isinstance(plan, RefusalPlan):
            answer.status, answer.answer = "refused", plan.reason
            return
        if isinstance(plan, ClarificationPlan):
            answer.status = "clarification_needed"
            answer.answer = plan.question
            answer.clarification = Clarification(question=plan.question, options=list(plan.options))
            return
        execution = execution or self.executor.run(plan)
        self._fill_result(answer, plan, execution)

    def _fill_result(self, answer: Answer, plan: Plan, execution: Execution) -> None:
        result = execution.result
        answer.status = "answered"
        answer.sql = execution.sql
        answer.columns = [ColumnOut(name=c.name, type=c.type) for c in result.columns]
        answer.rows = [[jsonable(v) for v in row] for row in result.rows]
        answer.row_count, answer.truncated = result.row_count, result.truncated
        answer.semantic_query = execution.semantic_query
        answer.tool_calls = execution.tool_calls
        answer.timings_ms.update(execution.timings_ms)
        units = units_for(self.model, result.column_names())
        chart_started = time.perf_counter()
        answer.chart = chart_for(result, plan, units, execution.previous_value)
        answer.timings_ms["chart"] = round((time.perf_counter() - chart_started) * 1000, 2)
        time_range = (execution.semantic_query or {}).get("time_range")
        answer.answer = execution.narrative or describe(NarrativeInput(
            columns=result.column_names(), rows=result.rows, units=units,
            time_range=tuple(time_range) if time_range else None,
            previous_value=execution.previous_value, truncated=result.truncated,
            is_prediction=plan.kind == "tool_call"))

    def _check(self, plan: Plan, checked: dict[int, Execution]) -> str | None:
        try:
            checked[id(plan)] = self.executor.run(plan)
        except ExecutionError as exc:
            return exc.message
        return None

    def _question_problem(self, question: str) -> tuple[str, str] | None:
        if not question or not question.strip():
            return "empty_question", "Ask a question, for example: “installs by platform last month”."
        limit = self.settings.max_question_length
        if len(question) > limit:
            return "question_too_long", f"The question is {len(question):,} characters; the limit is {limit:,}."
        return None

    def _context(self, conversation_id: str, scope: str) -> PlanningContext:
        turns = self.conversations.turns(conversation_id, scope)
        plans = tuple(p for p in (t.parsed_plan() for t in turns) if p is not None)
        return PlanningContext(as_of=self.settings.resolved_as_of(), dialect=self.warehouse.dialect,
                               previous_plans=plans)

    def _remember(self, answer: Answer, plan: Plan | None, scope: str) -> None:
        stored = plan.model_dump(mode="json") if plan is not None and answer.status != "error" else None
        try:
            self.conversations.append(answer.conversation_id, Turn(
                question=answer.question, plan=stored, status=answer.status, answer_id=answer.answer_id), scope)
        except Exception:  # a state store outage must not lose the answer itself
            log.exception("could not store the conversation turn")


def _fail(answer: Answer, code: str, message: str) -> None:
    answer.status = "error"
    answer.error = ErrorOut(code=code, message=message)
    answer.answer = message


_default: Assistant | None = None
_default_lock = threading.Lock()


def ask(question: str, conversation_id: str | None = None) -> Answer:
    """The process-wide assistant built from settings (what interfaces call)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Assistant.from_settings()
    return _default.ask(question, conversation_id)
