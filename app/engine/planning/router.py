"""Choose the planner for a question: the offline one, the LLM, or the offline one first.

``mode`` is the ``planner`` setting:

- ``offline`` -- the offline planner only, even when an LLM is configured;
- ``llm`` -- the LLM planner only (an error when none is configured);
- ``auto`` -- the offline plan when its confidence reaches the threshold or no
  LLM is configured; otherwise the LLM. If the LLM then fails (provider down,
  no valid plan within the retries), the offline plan is used after all: a
  plausible answer beats an error, and the answer says which planner gave it.

The offline planner is any object with ``.plan(question, context) -> Plan``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from app.engine.planning.llm.errors import LLMError, LLMNotConfigured
from app.engine.planning.llm.usage import Usage

if TYPE_CHECKING:  # the planner module needs LangChain (the [llm] extra); the router must not
    from app.engine.planning.llm.planner import LLMPlanner, PlanAttempt
from app.engine.planning.plan import Plan, PlanningContext

log = logging.getLogger(__name__)
OFFLINE_LABEL = "offline"
DEFAULT_CONFIDENCE_THRESHOLD = 0.8
Mode = Literal["auto", "offline", "llm"]


class Planner(Protocol):
    def plan(self, question: str, context: PlanningContext) -> Plan: ...


@dataclass(frozen=True)
class RoutedPlan:
    plan: Plan
    planner: str  # "offline" or "llm:<provider>/<model>"
    usage: Usage = field(default_factory=Usage)
    attempts: list[PlanAttempt] = field(default_factory=list)
    checked: bool = False  # True when ``check`` already accepted the plan (LLM plans)
    fallback_reason: str | None = None  # why an unsure offline plan was used after the LLM failed


class PlannerRouter:
    def __init__(
        self,
        offline: Planner,
        llm: LLMPlanner | None = None,
        *,
        mode: Mode = "auto",
        confidence_threshold: float = DEFAULT_CONFIDENCE_THRESHOLD,
    ):
        if mode == "llm" and llm is None:
            raise LLMNotConfigured("planner=llm needs ASKLYTICS_LLM_PROVIDER and ASKLYTICS_LLM_MODEL")
        self.offline = offline
        self.llm = llm
        self.mode = mode
        self.confidence_threshold = confidence_threshold

    def plan(
        self, question: str, context: PlanningContext, check: Callable[[Plan], str | None] | None = None,
        offline_plan: Callable[[], Plan] | None = None,
    ) -> RoutedPlan:
        """``offline_plan``: the offline plan already made for this question (the cache made it for its
        slots); the router plans offline itself only when it is not given."""
        if self.mode == "llm":
            return self._llm_plan(question, context, check)
        offline_plan = offline_plan() if offline_plan is not None else self.offline.plan(question, context)
        if self.mode == "offline" or self.llm is None or self.is_confident(offline_plan):
            return RoutedPlan(offline_plan, OFFLINE_LABEL)
        try:
            return self._llm_plan(question, context, check)
        except LLMError as error:
            log.warning("LLM planner failed, using the offline plan: %s", error.message)
            return RoutedPlan(
                offline_plan,
                OFFLINE_LABEL,
                usage=getattr(error, "usage", None) or Usage(),
                attempts=list(getattr(error, "attempts", None) or []),
                fallback_reason=error.message,
            )

    def is_confident(self, plan: Plan) -> bool:
        return plan.confidence >= self.confidence_threshold

    def _llm_plan(self, question: str, context: PlanningContext, check: Any) -> RoutedPlan:
        result = self.llm.plan(question, context, check)
        return RoutedPlan(
            result.plan, result.planner_label, usage=result.usage, attempts=result.attempts, checked=True
        )


def build_router(
    settings: Any,
    offline: Planner,
    llm: LLMPlanner | None = None,
    *,
    confidence_threshold: float | None = None,
) -> PlannerRouter:
    """A router from ``settings.planner`` (and ``llm_confidence_threshold`` once settings has it)."""
    threshold = confidence_threshold
    if threshold is None:
        threshold = getattr(settings, "llm_confidence_threshold", DEFAULT_CONFIDENCE_THRESHOLD)
    return PlannerRouter(offline, llm, mode=settings.planner, confidence_threshold=threshold)
