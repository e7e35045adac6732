"""From a model's tool call to a :data:`Plan`, and from tool schemas to tool specs.

Everything the model sends is parsed as data: validated by the argument
schemas in :mod:`tools`, then copied into plan objects. A call that does not
validate raises :class:`InvalidToolCall` with a message written for the model
to fix its next call.
"""

from __future__ import annotations

from typing import Any

from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel, ValidationError

from app.engine.planning.llm.tools import TOOL_ARGS, TOOL_DESCRIPTIONS, QueryMetricsArgs
from app.engine.planning.plan import (
    ClarificationPlan,
    Plan,
    RefusalPlan,
    SemanticQueryPlan,
    SqlPlan,
    ToolCallPlan,
)
from semantic_layer import Cohort, Filter, OrderBy, SemanticQuery, SemanticQueryError, Share


class InvalidToolCall(Exception):
    """A tool call that cannot become a plan; ``message`` goes back to the model."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def tool_specs(names: tuple[str, ...]) -> list[dict[str, Any]]:
    """OpenAI-format tool definitions (LangChain converts them for Anthropic too)."""
    return [_spec(name, TOOL_ARGS[name]) for name in names]


def _spec(name: str, schema: type[BaseModel]) -> dict[str, Any]:
    spec = convert_to_openai_tool(schema)
    spec["function"]["name"] = name
    if name in TOOL_DESCRIPTIONS:  # a registry tool's own words for the model
        spec["function"]["description"] = TOOL_DESCRIPTIONS[name]
    return spec


def plan_from_call(name: str, arguments: dict[str, Any], *, enabled: tuple[str, ...], dialect: str) -> Plan:
    """Validate one tool call and build its plan; raises :class:`InvalidToolCall`."""
    if name not in enabled:
        raise InvalidToolCall(f"there is no tool named {name!r}; use one of: {', '.join(enabled)}")
    try:
        args = TOOL_ARGS[name].model_validate(arguments)
        return _BUILDERS.get(name, _registry_tool_plan)(name, args, dialect)
    except ValidationError as error:
        raise InvalidToolCall(f"invalid arguments for {name}: {_validation_text(error)}") from None
    except SemanticQueryError as error:
        raise InvalidToolCall(f"invalid arguments for {name}: {error.message}") from None


def _validation_text(error: ValidationError) -> str:
    """``metrics: List should have at least 1 item; limit: ...`` -- short, per field."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"]) or "arguments"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def _semantic_plan(name: str, args: QueryMetricsArgs, dialect: str) -> SemanticQueryPlan:
    query = SemanticQuery(
        metrics=tuple(args.metrics),
        dimensions=tuple(args.dimensions),
        grain=args.grain,
        filters=tuple(Filter(dimension=f.dimension, op=f.op, values=tuple(f.values)) for f in args.filters),
        time_range=tuple(args.time_range) if args.time_range else None,
        order_by=tuple(OrderBy(field=field, direction=direction) for field, direction in args.order_by),
        limit=args.limit,
        cohort=_cohort(args.cohort),
        share=_share(args.share),
        per_period=args.per_period,
        having=tuple(args.having),
        count_groups=args.count_groups,
        divide=tuple(args.divide) if args.divide else None,
        periods=tuple(tuple(p) for p in args.periods),
    )
    return SemanticQueryPlan(
        query=query, intent=args.intent, chart=args.chart, compare_previous=args.compare_previous
    )


def _filters(items) -> tuple[Filter, ...]:
    return tuple(Filter(dimension=f.dimension, op=f.op, values=tuple(f.values)) for f in items)


def _cohort(arg) -> Cohort | None:
    if arg is None:
        return None
    return Cohort(install_range=tuple(arg.install_range) if arg.install_range else None,
                  filters=_filters(arg.filters), grain=arg.grain)


def _share(arg) -> Share | None:
    return None if arg is None else Share(of=arg.of, where=_filters(arg.where), within=tuple(arg.within))


def _sql_plan(name: str, args: Any, dialect: str) -> SqlPlan:
    return SqlPlan(sql=args.sql, dialect=dialect, intent=args.intent, chart=args.chart)


def _clarification_plan(name: str, args: Any, dialect: str) -> ClarificationPlan:
    return ClarificationPlan(question=args.question, options=tuple(args.options))


def _refusal_plan(name: str, args: Any, dialect: str) -> RefusalPlan:
    return RefusalPlan(reason=args.reason, category=args.category)


def _registry_tool_plan(name: str, args: BaseModel, dialect: str) -> ToolCallPlan:
    return ToolCallPlan(tool=name, arguments=args.model_dump(mode="json", exclude_none=True))


_BUILDERS = {
    "query_metrics": _semantic_plan,
    "run_sql": _sql_plan,
    "ask_clarification": _clarification_plan,
    "refuse": _refusal_plan,
}
