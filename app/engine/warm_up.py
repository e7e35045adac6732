"""Load everything a question needs before the first one arrives (a server's warm start, #19).

A server that says ready (``/readyz``) should answer its first question about as fast as its
hundredth. Built lazily, the first question paid for the warehouse's schema scan, the value
index, the offline planner, MiniLM (loaded in a background thread that then competed with the
question for the CPU), the application database, and the first use of the compiler, the guard,
the engine and the chart code. ``warm_up`` loads those parts in order, parses the model's
expressions, and rehearses a question of each shape the planner and compiler treat differently
(app/engine/warm_questions.py) end to end -- planned, compiled, guarded, run, charted, narrated --
into answers nobody sees: no conversation, cache entry or answer log is written. A server then
sends the first of them through its whole request path (``request``:
app/interfaces/api/warm_request.py), recorded nowhere either.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

from app.engine.contract import Answer
from app.engine.planning.plan import ClarificationPlan, PlanningContext, RefusalPlan, SemanticQueryPlan
from app.engine.warm_questions import rehearsal_questions
from appdb import audit
from appdb.answers import insert_answer
from appdb.conversations import append_turn, delete_conversation
from semantic_layer import SemanticQuery
from semantic_layer.expressions import prepare_expressions

log = logging.getLogger(__name__)


def warm_up(assistant, stop: threading.Event | None = None,
            request: Callable[[str | None], object] | None = None) -> dict[str, float]:
    """Load ``assistant``'s long-lived parts; the seconds each step took, by name.

    Raises what the parts raise (WarehouseUnavailable, a model that does not fit): the server
    then reports itself not ready with that error, as it would on the first question. ``stop``
    (a server shutting down) ends it after the step under way. ``request``: last, called with the
    rehearsed question (None when none was answered) to send it through the server's whole request
    path (app/interfaces/api/warm_request.py).
    """
    rehearsed: list[Answer] = []

    def rehearsal() -> None:
        rehearsed.extend(rehearse(assistant))
        _rehearse_writes(assistant.app_database, rehearsed[0] if rehearsed else None)

    steps: tuple[tuple[str, Callable[[], object]], ...] = (
        ("warehouse", lambda: assistant.visible_schema),
        ("access policies", lambda: assistant.policy_for("default")),
        ("planner", lambda: assistant.router),
        ("embedding model", lambda: assistant.router.offline.embeddings.get()),
        ("executor", lambda: (assistant.executor, assistant.offered_tools, assistant.privacy)),
        ("cache", lambda: _warm_cache(assistant)),
        ("retrieval", lambda: _warm_retrieval(assistant)),
        ("expressions", lambda: prepare_expressions(assistant.model)),
        ("rehearsal", rehearsal),
        ("rollups", lambda: rehearse_rollups(assistant)),
        *((("request", lambda: request(rehearsed[0].question if rehearsed else None)),) if request else ()),
    )
    timings = {}
    for name, step in steps:
        if stop is not None and stop.is_set():
            break
        started = time.perf_counter()
        step()
        timings[name] = round(time.perf_counter() - started, 3)
    return timings


def _warm_cache(assistant) -> None:
    cache = assistant.cache
    if cache is not None:
        assistant._cache_scopes  # noqa: B018 -- built on first use; here instead
        if cache.uses_embeddings:
            cache.embed("warm up")


def _warm_retrieval(assistant) -> None:
    """The hybrid index only serves the LLM planner: opened (and built when missing) when one plans."""
    if assistant.router.llm is not None and assistant.router.mode != "offline":
        assistant.retrieval  # noqa: B018


def rehearse(assistant) -> list[Answer]:
    """Answer one question of each shape (app/engine/warm_questions.py) into Answers nobody sees: the
    first candidate of a shape the offline planner can plan and that runs. None answered when the
    model offers none: the parts are loaded all the same."""
    context = PlanningContext(as_of=assistant.settings.resolved_as_of(), dialect=assistant.warehouse.dialect)
    planner = assistant.router.offline
    answered = []
    for shape, questions in rehearsal_questions(assistant.model, planner.values.index.known).items():
        answer = next((a for q in questions if (a := _rehearse_one(assistant, planner, q, context))), None)
        if answer is None:
            log.info("warm-up: no %s question of the model could be answered (%s)", shape, questions)
        answered += [answer] if answer is not None else []
    return answered


def _rehearse_one(assistant, planner, question: str, context: PlanningContext) -> Answer | None:
    plan = planner.plan(question, context)
    if isinstance(plan, ClarificationPlan | RefusalPlan):
        return None
    scratch = Answer(conversation_id="c-warm-up", question=question, status="error", answer_id="a-warm-up")
    try:
        assistant._apply_plan(scratch, plan, None, assistant.executor)
    except Exception as exc:  # noqa: BLE001 -- a rehearsal that fails costs nothing but its warmth
        log.warning("warm-up question %r did not run: %s", question, exc)
        return None
    scratch.model_dump_json()  # the answer's serializer, figure included
    return scratch if scratch.status == "answered" else None


def rollup_queries(model) -> list[SemanticQuery]:
    """One query per declared rollup, answered from it: a simple metric of the first of its measures
    held by the fewest rollups (``users_monthly``'s revenue is read from the smaller ``events_daily``,
    its active users only from it) by its first dimension the metric does not fix, over every day (so
    the days after the watermark are looked for too)."""
    queries = []
    holders = Counter(name for rollup in model.spec.rollups for name in rollup.measures)
    for rollup in model.spec.rollups:
        measure = min(rollup.measures, key=lambda name: holders[name])
        metric = next((m for m in model.metrics.values() if m.type == "simple"
                       and m.type_params.measure == measure), None)
        if metric is None:
            continue
        fixed = {f.dimension for f in metric.filter}
        grouped = [d for d in rollup.dimensions if d not in fixed][:1]
        queries.append(SemanticQuery(metrics=[metric.name], dimensions=grouped))
    return queries


def rehearse_rollups(assistant) -> int:
    """Answer one query from each built rollup (nobody sees it): the engine reads the rollup's
    pages, the states and the check for days past the watermark run once, and the compiler's and
    guard's code for rollup SQL is warm before the first question needs it. At scale 10 the
    first question read from a rollup paid ~100 ms more than the next one without this."""
    answered = 0
    for query in rollup_queries(assistant.model):
        try:
            assistant.executor.run(SemanticQueryPlan(query=query))
            answered += 1
        except Exception as exc:  # noqa: BLE001 -- a rehearsal that fails costs nothing but its warmth
            log.warning("warm-up rollup query %s did not run: %s", query.metrics, exc)
    return answered


def _rehearse_writes(database, answer: Answer | None) -> None:
    """Write what an answer writes (its conversation turn, the answer log and its audit row) in a
    transaction that is rolled back: the statements are compiled (SQLAlchemy caches them per
    engine), nothing stays. Then one committed write of a turn and its deletion."""
    if answer is None:
        return
    data = answer.model_dump(mode="json")
    with database.engine.connect() as connection:
        transaction = connection.begin()
        try:
            append_turn(connection, "warm-up", answer.conversation_id, question=answer.question, plan=None,
                        status=answer.status, answer_id=answer.answer_id)
            insert_answer(connection, data, "warm-up")
            audit.record(connection, "warm-up", "answer", scope="warm-up", target=answer.answer_id,
                         detail={"status": answer.status})
        finally:
            transaction.rollback()
    # A committed write that leaves no row: the application database's first commit of the process
    # (SQLite: creating and syncing its write-ahead log) cost 2-3x a later one, paid by the first answer.
    with database.begin() as connection:
        append_turn(connection, "warm-up", answer.conversation_id, question=answer.question, plan=None,
                    status=answer.status, answer_id=answer.answer_id)
        delete_conversation(connection, "warm-up", answer.conversation_id)
