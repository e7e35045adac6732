"""The LLM planner (LangChain tool calling) and the LLM narrative.

model = build_chat_model(settings)
planner = LLMPlanner(model, provider_label=provider_label(settings), semantic_catalog=catalog)
result = planner.plan(question, context, check)   # LLMPlanResult
"""

from app.engine.planning.llm.backoff import BackoffPolicy
from app.engine.planning.llm.catalog import describe_semantic_model
from app.engine.planning.llm.errors import LLMError, LLMNotConfigured, LLMPlanningFailed, LLMUnavailable
from app.engine.planning.llm.factory import build_llm_planner, build_narrator
from app.engine.planning.llm.narrative import LLMNarrator, summarize
from app.engine.planning.llm.planner import LLMPlanner, LLMPlanResult, PlanAttempt
from app.engine.planning.llm.provider import build_chat_model, llm_configured, provider_label
from app.engine.planning.llm.tools import DEFAULT_TOOLS, PREDICTOR_TOOLS, TOOL_ARGS
from app.engine.planning.llm.usage import Usage

__all__ = [
    "DEFAULT_TOOLS",
    "PREDICTOR_TOOLS",
    "TOOL_ARGS",
    "BackoffPolicy",
    "LLMError",
    "LLMNarrator",
    "LLMNotConfigured",
    "LLMPlanResult",
    "LLMPlanner",
    "LLMPlanningFailed",
    "LLMUnavailable",
    "PlanAttempt",
    "Usage",
    "build_chat_model",
    "build_llm_planner",
    "build_narrator",
    "describe_semantic_model",
    "llm_configured",
    "provider_label",
    "summarize",
]
