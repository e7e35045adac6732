"""``ask(question, conversation_id)``: the one service call every interface uses.

cache -> retrieval -> planner -> semantic layer -> guard -> warehouse -> chart -> narrative,
returning the Answer of shared/spec/answer-contract.md. Errors become an Answer with
``status="error"`` and an actionable message; no stack trace ever reaches a user.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
import uuid
from functools import cached_property

from app.engine.access import (
    AccessPolicy,
    GovernedExecutor,
    hidden_values,
    policy_for,
    row_policy,
    screen_plan,
    table_links,
)
from app.engine.app_database import open_app_database
from app.engine.cache import CacheScope, SemanticCache, open_semantic_cache
from app.engine.cache.planning import OfflinePlanning, ScopeBuilder
from app.engine.cache.store import CacheEntry
from app.engine.contract import Answer, ChartOut, Clarification, ColumnOut, ErrorOut
from app.engine.conversations import PLAN_ADAPTER, Turn, new_conversation_id, open_conversation_store
from app.engine.pipeline.charting import chart_for, units_for
from app.engine.pipeline.execute import Execution, ExecutionError, PlanExecutor
from app.engine.pipeline.narrative import NarrativeInput, describe, scope_sentence
from app.engine.planning.llm.catalog import describe_semantic_model
from app.engine.planning.llm.factory import build_llm_planner, build_narrator
from app.engine.planning.llm.tools import DEFAULT_TOOLS
from app.engine.planning.plan import ClarificationPlan, Plan, PlanningContext, RefusalPlan
from app.engine.planning.router import RoutedPlan
from app.engine.privacy import GroupThreshold, build_threshold, threshold_with_floor
from app.engine.progress import is_reporting, report, reporting
from app.engine.questions import question_problem
from app.engine.redis_client import RedisUnavailable, redis_options
from app.engine.semantic_source import load_configured_model
from app.engine.tools import ToolContext
from app.engine.verified import exact_match, same_query, verified_examples, with_verified_first
from app.engine.warehouse import open_warehouse
from app.settings import Settings, get_settings
from common.errors import AsklyticsError
from semantic_layer import ModelDoesNotFitWarehouse, SemanticModel, require_fit
from semantic_layer.rollup_build import without_rollups
from warehouse.access import PolicedWarehouse
from warehouse.base import Schema, Warehouse
from warehouse.values import jsonable

log = logging.getLogger(__name__)
# Errors that say the warehouse is down, not that a plan is wrong (a cached plan is kept).
WAREHOUSE_FAULTS = frozenset({"warehouse_unavailable", "query_timeout"})
# What a short-lived result cache entry keeps of an answer (ASKLYTICS_CACHE_RESULT_TTL_S).
RESULT_FIELDS = ("answer", "sql", "columns", "rows", "row_count", "truncated", "truncation", "chart",
                 "semantic_query", "tool_calls")
# Parts built from the warehouse's schema or data: built again when the connector switched to new
# data (a DuckDB file replaced by `asklytics score` or `rollups build` while serving).
FROM_THE_DATA = ("visible_schema", "router", "offered_tools", "_table_links", "_cache_scopes", "retrieval")


class Assistant:
    """Holds the long-lived parts (warehouse, model, planners, stores) of one process."""

    def __init__(self, settings: Settings, *, warehouse: Warehouse | None = None,
                 model: SemanticModel | None = None, cache: SemanticCache | None = None,
                 warm_up: bool = False, database=None):
        """``warm_up``: load slow parts (the embedding model) in the background now, as a
        server should, instead of on the first question that needs them. ``database``: the
        application database (access policies); default: the one of ``settings``, opened on first use."""
        self.settings = settings
        self._database = database
        self._hidden: dict[str, frozenset[str]] = {}
        self._floors: dict[int, GroupThreshold | None] = {}  # thresholds raised by access policies
        self._warm_up = warm_up
        self._warehouse = warehouse
        self._generation = warehouse.generation if warehouse is not None else 0
        self.model = model or load_configured_model(settings)
        # a model and a warehouse both from settings are checked against each other when it opens
        self._check_fit = model is None and warehouse is None
        self.conversations = open_conversation_store(
            settings.redis_url, kind=settings.conversation_store, database=lambda: self.app_database,
            **redis_options(settings))
        if settings.embedding_model_path is not None:
            from retrieval.embedder import set_default_model_path

            set_default_model_path(settings.embedding_model_path)
        if cache is not None:  # a given cache (tests, replicas sharing one) wins over settings
            self.cache = cache
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Assistant:
        return cls(settings or get_settings())

    @property
    def warehouse(self) -> Warehouse:
        with self._lock:
            if self._warehouse is None:
                warehouse = open_warehouse(self.settings)
                if self._check_fit:
                    try:
                        require_fit(self.model, warehouse.schema())
                    except ModelDoesNotFitWarehouse:
                        warehouse.close()
                        raise
                self._warehouse = warehouse
            return self._warehouse

    @cached_property
    def visible_schema(self) -> Schema:
        """The warehouse's tables as planners, retrieval and people see them: without the rollup
        tables, which only the compiler reads (the guard still admits them: ``warehouse.schema()``)."""
        return without_rollups(self.warehouse.schema(), self.warehouse, self.model)

    @cached_property
    def executor(self) -> PlanExecutor:
        models, as_of = self.settings.data_dir / "models", self.settings.resolved_as_of()
        return PlanExecutor(self.model, self.warehouse, max_rows=self.settings.max_rows,
                            tool_context=lambda: ToolContext(self.warehouse, models, as_of),
                            privacy=self.privacy)

    @cached_property
    def privacy(self) -> GroupThreshold | None:
        """The minimum group size every answer is held to (docs/governance.md), None when off."""
        return build_threshold(self.model, self.settings.min_group_size)

    def privacy_for(self, policy: AccessPolicy | None) -> GroupThreshold | None:
        """The threshold of a caller: the one in force, raised to its access policy's minimum group
        size (a policy never lowers it)."""
        floor = policy.min_group_size if policy is not None else None
        if not floor or floor <= 1:
            return self.privacy
        with self._lock:
            if floor in self._floors:
                return self._floors[floor]
        threshold = threshold_with_floor(self.privacy, self.model, floor)
        with self._lock:
            return self._floors.setdefault(floor, threshold)

    @cached_property
    def app_database(self):
        return self._database if self._database is not None else open_app_database(self.settings)

    @cached_property
    def _table_links(self):
        return table_links(self.model, self.warehouse.schema())

    def policy_for(self, scope: str, key_id: str | None = None) -> AccessPolicy | None:
        """The caller's access policy (tenant and key), read afresh: a change applies at the next ask."""
        return policy_for(self.app_database, scope, key_id)

    def _hidden_values(self, policy: AccessPolicy, executor: PlanExecutor) -> frozenset[str]:
        """Values of the schema a row policy hides, worked out once per policy (per process)."""
        with self._lock:
            known = self._hidden.get(policy.fingerprint)
        if known is None:
            known = hidden_values(self.warehouse, executor.warehouse)
            with self._lock:
                self._hidden[policy.fingerprint] = known
        return known

    def executor_for(self, policy: AccessPolicy | None) -> PlanExecutor:
        """The executor of one ask: the shared one, or one that runs under ``policy``."""
        if policy is None:
            return self.executor
        policed = PolicedWarehouse(self.warehouse, row_policy(policy, self._table_links))
        models, as_of = self.settings.data_dir / "models", self.settings.resolved_as_of()
        return GovernedExecutor(policy, model=self.model, warehouse=policed, max_rows=self.settings.max_rows,
                                tool_context=lambda: ToolContext(policed, models, as_of),
                                privacy=self.privacy_for(policy))

    @cached_property
    def router(self):
        from app.engine.planning.offline import OfflinePlanner
        from app.engine.planning.router import build_router

        offline = OfflinePlanner(self.model, self.visible_schema, warehouse=self.warehouse,
                                 warm_embeddings=self._warm_up)
        llm = build_llm_planner(self.settings, semantic_catalog=describe_semantic_model(self.model),
                                tools_enabled=self.offered_tools)
        return build_router(self.settings, offline, llm)

    @cached_property
    def offered_tools(self) -> tuple[str, ...]:
        """The LLM planner's tools: every one but those this warehouse cannot feed (the predictors
        on data not shaped like the demo's)."""
        from app.engine.planning.offline.predictions import unavailable_tools

        unavailable = unavailable_tools(self.warehouse.schema())
        return tuple(name for name in DEFAULT_TOOLS if name not in unavailable)

    @cached_property
    def retrieval(self):
        """The hybrid search store at ``<data_dir>/index`` (opened on first use)."""
        from retrieval import RetrievalStore

        return RetrievalStore.open(self.settings.data_dir / "index", semantic_model=self.model,
                                   schema=self.visible_schema)

    @cached_property
    def narrator(self):
        """The LLM narrator when an LLM is configured, else None (the template narrates)."""
        return build_narrator(self.settings)

    @cached_property
    def cache(self) -> SemanticCache | None:
        """The semantic cache (None when ``cache_enabled`` is off); see docs/cache.md."""
        return open_semantic_cache(self.settings) if self.settings.cache_enabled else None

    @cached_property
    def _cache_scopes(self) -> ScopeBuilder:
        return ScopeBuilder(self.warehouse)

    def evict_answer(self, answer_id: str) -> bool:
        """User feedback "wrong" on ``answer_id``: drop the cache entry that produced it, or
        that it was stored as, so the question is planned afresh next time. True if one was."""
        return self.cache.evict_answer(answer_id) if self.cache is not None else False

    def _follow_warehouse(self) -> None:
        """When the connector switched to new data since the last ask, drop what was built from the
        old (planner indexes, visible schema, tools on offer): it is built again on first use."""
        warehouse = self._warehouse
        if warehouse is None:
            return
        warehouse.schema()  # notices a replaced file (DuckDB) and switches to it
        if warehouse.generation == self._generation:
            return
        with self._lock:
            if warehouse.generation == self._generation:
                return
            for name in FROM_THE_DATA:
                self.__dict__.pop(name, None)
            self._hidden.clear()
            self._generation = warehouse.generation
        log.info("the warehouse switched to new data (generation %d)", warehouse.generation)

    def close(self) -> None:
        with self._lock:
            if self._warehouse is not None:
                self._warehouse.close()
                self._warehouse = None
        if self._database is None and "app_database" in self.__dict__:  # opened here, so closed here
            self.__dict__.pop("app_database").close()

    def ask(self, question: str, conversation_id: str | None = None, *, scope: str = "default",
            key_id: str | None = None, rehearsal: bool = False) -> Answer:
        """``scope``: the tenant; ``key_id``: the caller's API key. Both pick the access policy.

        ``rehearsal``: an answer nobody sees (a server's warm-up request, app/engine/warm_up.py):
        answered the same way, but the cache is looked up without being counted and nothing is
        stored in it, and the conversation turn is written and deleted again."""
        started = time.perf_counter()
        answer = Answer(conversation_id=conversation_id or new_conversation_id(), question=question,
                        status="error", answer_id=f"a-{uuid.uuid4().hex[:16]}")
        plan = None
        try:
            self._follow_warehouse()
            policy = self.policy_for(scope, key_id)  # unreadable policies fail the ask, never skip the check
            plan = self._answer(answer, scope, follow_up=conversation_id is not None, policy=policy,
                                rehearsal=rehearsal)
        except AsklyticsError as exc:  # a plan that cannot run, the warehouse, the LLM, Redis for a follow-up
            _fail(answer, exc.code, exc.message)
        except Exception:  # the last line of defence: log it, tell the user plainly
            log.exception("ask failed for %r", question)
            _fail(answer, "internal_error", "Something went wrong while answering; the error was logged.")
        self._label_verified(answer, scope)
        answer.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 2)
        self._remember(answer, plan, scope)
        if rehearsal:  # written (the store's first write of the process is paid here), then deleted
            self._forget(answer.conversation_id, scope)
        return answer

    def _answer(self, answer: Answer, scope: str, *, follow_up: bool,
                policy: AccessPolicy | None, rehearsal: bool = False) -> Plan | None:
        problem = question_problem(answer.question, self.settings.max_question_length)
        if problem:
            _fail(answer, *problem)
            return None
        executor = self.executor_for(policy)
        context = self._context(answer.conversation_id, scope, follow_up)
        planning = OfflinePlanning(self.router.offline, answer.question, context)  # planned once per ask
        if not follow_up:
            verified = self._answer_verified(answer, scope, executor)
            if verified is not None:
                return verified
        cache_tenant = _policy_scope(scope, policy, self.privacy_for(policy))  # entries never cross policies
        cached = self._answer_from_cache(answer, context, cache_tenant, planning, executor,
                                         count=not rehearsal)
        if cached is not None:
            return cached
        context.retrieved.update(self._retrieved(answer.question, scope))  # only on a miss: a hit needs none
        checked: dict[int, Execution] = {}
        started = time.perf_counter()
        routed = self.router.plan(answer.question, context,
                                  check=lambda p: self._check(p, checked, executor),
                                  offline_plan=planning.plan)
        answer.timings_ms["plan"] = round((time.perf_counter() - started) * 1000, 2)
        answer.planner = routed.planner
        _add_usage(answer, routed.usage)
        if policy is not None and policy.row_filters:
            screened = screen_plan(routed.plan, self._hidden_values(policy, executor))
            if screened is not routed.plan:
                routed = dataclasses.replace(routed, plan=screened)
        self._apply_plan(answer, routed.plan, checked.get(id(routed.plan)), executor)
        if not rehearsal:
            self._store_in_cache(answer, routed, planning, cache_tenant)
        return routed.plan

    # --- verified queries (part of the cache: off with it) -------------------------------------
    def _answer_verified(self, answer: Answer, scope: str, executor: PlanExecutor) -> Plan | None:
        """The tenant's verified plan for this very question, run under the caller's policy."""
        if self.cache is None:
            return None
        try:
            found = exact_match(self.app_database, scope, answer.question)
        except Exception:  # the team's memory helps; its failure must not cost the answer
            log.exception("verified query lookup failed; planning afresh")
            _degrade(answer, "verified")
            return None
        if found is None:
            return None
        plan = found.plan(self.warehouse.dialect)
        try:
            self._apply_plan(answer, plan, None, executor)
        except ExecutionError as exc:
            if exc.code in WAREHOUSE_FAULTS or exc.code == "access_denied":
                raise
            log.warning("verified query %s no longer runs (%s); planning afresh", found.id, exc.message)
            return None
        answer.verified = found.label("exact")
        answer.answer = f"{answer.answer}\n\n(A verified query of your team.)"
        return plan

    def _label_verified(self, answer: Answer, scope: str) -> None:
        if self.cache is None or answer.status != "answered" or answer.verified is not None:
            return
        try:
            found = same_query(self.app_database, scope, answer.semantic_query)
        except Exception:
            log.exception("verified query lookup failed")
            return
        if found is not None:
            answer.verified = found.label("same_query")

    # --- semantic cache ------------------------------------------------------------------------
    def _answer_from_cache(self, answer: Answer, context: PlanningContext, scope: str,
                           planning: OfflinePlanning, executor: PlanExecutor, *,
                           count: bool = True) -> Plan | None:
        """``count``: add the lookup to the cache's hit/miss counters (not for a rehearsal)."""
        if self.cache is None:
            return None
        started = time.perf_counter()
        cache_scope = self._cache_scope(scope, context)
        hit = None
        try:
            hit = self.cache.lookup(cache_scope, answer.question, planning.slots, count=count)
        except RedisUnavailable:  # a cache outage costs a planning, never the answer (the breaker logged it)
            _degrade(answer, "cache")
        except Exception:
            log.exception("cache lookup failed; planning afresh")
            _degrade(answer, "cache")
        answer.timings_ms["cache_lookup"] = round((time.perf_counter() - started) * 1000, 2)
        if hit is None:
            return None
        plan = PLAN_ADAPTER.validate_python(hit.entry.plan)
        if not self._replay(answer, plan, hit.entry, executor):
            return None
        answer.cached, answer.planner = True, hit.entry.planner
        if not count:  # a rehearsal links nothing to the entry
            return plan
        try:
            self.cache.link_answer(answer.answer_id, hit.entry)
        except RedisUnavailable:  # only a thumbs-down on this answer would have needed the link
            _degrade(answer, "cache")
        return plan

    def _replay(self, answer: Answer, plan: Plan, entry: CacheEntry, executor: PlanExecutor) -> bool:
        """Re-execute a cached plan (fresh data), or reuse a still-fresh result. False: the
        plan no longer runs (e.g. the schema moved): the entry is dropped, plan afresh."""
        result = entry.fresh_result()
        if result is not None:
            filled = Answer.model_validate({**answer.model_dump(), **result, "status": "answered"})
            for name in (*RESULT_FIELDS, "status"):
                setattr(answer, name, getattr(filled, name))
            answer.confidence = plan.confidence
            return True
        try:
            self._apply_plan(answer, plan, None, executor)
        except ExecutionError as exc:
            if exc.code in WAREHOUSE_FAULTS or exc.code == "access_denied":  # not the plan's fault: keep it
                raise
            log.warning("cached plan no longer runs, planning afresh: %s", exc.message)
            self.cache.store.delete(entry.scope_key, entry.id)
            return False
        return True

    def _store_in_cache(self, answer: Answer, routed: RoutedPlan, planning: OfflinePlanning,
                        scope: str) -> None:
        # Only answers that passed the guard and ran; never a fallback after a failed LLM call
        # (the next asker deserves another try) nor a clarification or refusal.
        if self.cache is None or answer.status != "answered" or routed.fallback_reason:
            return
        try:
            self.cache.put(self._cache_scope(scope, planning.context), answer.question,
                           planning.slots(), routed.plan,
                           planner=routed.planner, usage=answer.usage.model_dump(),
                           answer_id=answer.answer_id,
                           result=answer.model_dump(mode="json", include=set(RESULT_FIELDS))
                           if self.cache.result_ttl_s else None)
        except RedisUnavailable:  # a cache outage must not lose the answer itself
            _degrade(answer, "cache")
        except Exception:
            log.exception("could not store the answer in the cache")
            _degrade(answer, "cache")

    def _cache_scope(self, scope: str, context: PlanningContext) -> CacheScope:
        return self._cache_scopes.scope(scope, self.model, self.warehouse.schema(), context)

    def _apply_plan(self, answer: Answer, plan: Plan, execution: Execution | None,
                    executor: PlanExecutor | None = None) -> None:
        answer.confidence = plan.confidence
        report("plan", _plan_step(answer, plan))
        if isinstance(plan, RefusalPlan):
            answer.status, answer.answer = "refused", plan.reason
            return
        if isinstance(plan, ClarificationPlan):
            answer.status = "clarification_needed"
            answer.answer = plan.question
            answer.clarification = Clarification(question=plan.question, options=list(plan.options))
            return
        if execution is None:
            execution = (executor or self.executor).run(plan)  # reports its SQL before running it
        elif execution.sql is not None:  # run while the LLM planner checked it, before the plan step
            report("sql", {"sql": execution.sql})
        self._fill_result(answer, plan, execution)

    def _fill_result(self, answer: Answer, plan: Plan, execution: Execution) -> None:
        result = execution.result
        answer.status = "answered"
        answer.sql = execution.sql
        answer.columns = [ColumnOut(name=c.name, type=c.type) for c in result.columns]
        answer.rows = [[jsonable(v) for v in row] for row in result.rows]
        answer.row_count, answer.truncation = result.row_count, list(result.truncation)
        answer.truncated = result.truncated or bool(result.truncation)
        answer.semantic_query = execution.semantic_query
        answer.tool_calls = execution.tool_calls
        answer.timings_ms.update(execution.timings_ms)
        report("rows", {"columns": [c.model_dump() for c in answer.columns], "rows": answer.rows,
                        "row_count": answer.row_count, "truncated": answer.truncated})
        units = units_for(self.model, result.column_names(), getattr(plan, "query", None))
        chart_started = time.perf_counter()
        answer.chart = (ChartOut(**execution.chart) if execution.chart is not None
                        else chart_for(result, plan, units, execution.previous_value))
        answer.timings_ms["chart"] = round((time.perf_counter() - chart_started) * 1000, 2)
        if answer.chart is not None and is_reporting():  # a figure's JSON is large: built only when asked
            report("chart", answer.chart.model_dump(mode="json"))
        time_range = (execution.semantic_query or {}).get("time_range")
        narrative_started = time.perf_counter()
        template = execution.narrative or describe(NarrativeInput(
            columns=result.column_names(), rows=result.rows, units=units,
            time_range=tuple(time_range) if time_range else None,
            previous_value=execution.previous_value, truncated=result.truncated, truncation=result.truncation,
            is_prediction=plan.kind == "tool_call",
            scope=scope_sentence(execution.semantic_query, self.model)))
        answer.answer = self._narrate(answer, template) if execution.narrative is None else template
        answer.timings_ms["narrative"] = round((time.perf_counter() - narrative_started) * 1000, 2)
        if plan.notes:  # how ambiguous words were read ("Read “video” as the channel ...")
            answer.answer = f"{answer.answer}\n\n{' '.join(plan.notes)}"
        if execution.notes:  # what the executor held back (privacy thresholds)
            shown = answer.answer if result.rows or execution.previous_value is not None else ""
            answer.answer = "\n\n".join(filter(None, (shown, " ".join(execution.notes))))

    def _narrate(self, answer: Answer, template: str) -> str:
        """An LLM-planned answer gets the LLM's summary (its numbers checked against the rows,
        else the template); offline-planned answers keep the free deterministic template."""
        if not answer.planner.startswith("llm:") or self.narrator is None:
            return template
        period = (answer.semantic_query or {}).get("time_range")
        # The model is told the resolved period, so it may name it (and the number check accepts it).
        asked = f"{answer.question} (period: {period[0]} to {period[1]})" if period else answer.question
        text, usage = self.narrator.summarize(asked, answer.columns, answer.rows, template)
        _add_usage(answer, usage)
        return text

    def _check(self, plan: Plan, checked: dict[int, Execution], executor: PlanExecutor) -> str | None:
        """The LLM's self-correction check; an execution that passed is kept, not run again. Its
        SQL is reported with the plan it belongs to (``_apply_plan``), not for every attempt."""
        with reporting(None):
            execution, problem = executor.check(plan)
        if execution is not None:
            checked[id(plan)] = execution
        return problem

    def _context(self, conversation_id: str, scope: str, follow_up: bool) -> PlanningContext:
        # A new conversation has no turns to read. A follow-up's turns are required: when the
        # store is down, RedisUnavailable fails the answer (503) rather than answer the follow-up
        # without its context, which would answer another question.
        turns = self.conversations.turns(conversation_id, scope) if follow_up else []
        plans = tuple(p for p in (t.parsed_plan() for t in turns) if p is not None)
        return PlanningContext(as_of=self.settings.resolved_as_of(), dialect=self.warehouse.dialect,
                               previous_plans=plans)

    def _retrieved(self, question: str, scope: str) -> dict:
        """Retrieval hits for the LLM planner, as tenant ``scope`` may see them; nothing when no
        LLM can plan (offline default)."""
        if self.router.llm is None or self.router.mode == "offline":
            return {}
        from app.engine.pipeline.retrieval_context import retrieved_for_planner

        try:
            retrieved = retrieved_for_planner(self.retrieval, question, scope=scope)
        except Exception:  # retrieval helps the LLM; its failure must not cost the answer
            log.exception("retrieval failed; planning without retrieved context")
            retrieved = {}
        return with_verified_first(retrieved, self._verified_examples(question, scope))

    def _verified_examples(self, question: str, scope: str) -> list[dict]:
        """The team's verified queries like this question: the LLM's first examples."""
        try:
            return verified_examples(self.app_database, scope, question)
        except Exception:
            log.exception("verified examples lookup failed; planning without them")
            return []

    def _remember(self, answer: Answer, plan: Plan | None, scope: str) -> None:
        stored = plan.model_dump(mode="json") if plan is not None and answer.status != "error" else None
        try:
            self.conversations.append(answer.conversation_id, Turn(
                question=answer.question, plan=stored, status=answer.status, answer_id=answer.answer_id),
                scope)
        except RedisUnavailable:  # the answer stands; `degraded` tells the client a follow-up will not see it
            _degrade(answer, "conversations")
        except Exception:
            log.exception("could not store the conversation turn")
            _degrade(answer, "conversations")


    def _forget(self, conversation_id: str, scope: str) -> None:
        try:
            self.conversations.delete(conversation_id, scope)
        except Exception:  # a rehearsal's turn the store could not delete: said, never the answer's failure
            log.exception("could not delete the warm-up conversation %s", conversation_id)


def _plan_step(answer: Answer, plan: Plan) -> dict:
    """The ``plan`` progress step: who planned what, before anything runs."""
    query = getattr(plan, "query", None)
    return {"planner": answer.planner, "kind": plan.kind, "confidence": plan.confidence,
            "semantic_query": query.to_contract() if query is not None else None}


def _policy_scope(scope: str, policy: AccessPolicy | None, privacy: GroupThreshold | None) -> str:
    """The scope cache entries of this caller live in: the tenant, plus the policy's fingerprint and
    the privacy threshold's (a result checked at one threshold never serves another)."""
    scope = scope if policy is None else f"{scope}~policy-{policy.fingerprint}"
    return scope if privacy is None else f"{scope}~privacy-{privacy.fingerprint}"


def _add_usage(answer: Answer, usage) -> None:
    """Add one step's LLM usage (planning, narrative) to the answer's."""
    answer.usage.llm_calls += usage.llm_calls
    answer.usage.prompt_tokens += usage.prompt_tokens
    answer.usage.completion_tokens += usage.completion_tokens


def _degrade(answer: Answer, component: str) -> None:
    """Note on the answer that ``component`` was unavailable while answering (``Answer.degraded``)."""
    if component not in answer.degraded:
        answer.degraded.append(component)


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
