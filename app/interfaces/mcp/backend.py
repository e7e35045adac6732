"""What the MCP tools do, in front of the engine: the whole ask pipeline, the catalog, a semantic
query, guarded SQL and the registry's tools.

The catalog (``metrics``, ``describe_metric``, ``catalog``) shows what the caller's access policy
allows: a metric or dimension outside it is not listed, and describing one is "no metric" (the
same answer as for a name that does not exist).

Every query goes through the engine's one path from a plan to rows, the caller's executor (its
access policy's checks and row filters first, docs/governance.md): a semantic query is compiled
and guarded by the semantic layer, SQL by the SQL guard (read-only, known tables, capped at
``ASKLYTICS_MAX_ROWS``), a registry tool is validated with its own schema. Failures are
``AsklyticsError`` (a code and a message fit for a user); the server turns them into MCP tool errors.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.engine.access import AccessPolicy
from app.engine.contract import Answer
from app.engine.planning.plan import SemanticQueryPlan, SqlPlan, ToolCallPlan
from app.interfaces.mcp.results import MetricDetail, MetricInfo, MetricList, TableResult, table_result
from app.interfaces.shared.callers import Caller
from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.state import AppState
from common.errors import AsklyticsError
from semantic_layer import OrderBy, SemanticQuery, SemanticQueryError, parse_filter


class NotFound(AsklyticsError):
    def __init__(self, message: str):
        super().__init__(message, code="not_found")


@dataclass
class McpBackend:
    state: AppState
    api: ApiContext

    def ask(self, caller: Caller, question: str, conversation_id: str | None = None) -> Answer:
        assistant = self.state.assistant()
        answer = assistant.ask(question, conversation_id, scope=caller.scope, key_id=caller.key_id)
        self.api.answers.add(answer, caller.scope, key_id=caller.key_id)  # feedback works over REST too
        return answer

    def metrics(self, caller: Caller) -> MetricList:
        model, policy = self.state.assistant().model, self._policy(caller)
        return MetricList(metrics=[_metric_info(m, MetricInfo) for m in model.metrics.values()
                                   if policy.allows_metric(m.name)],
                          dimensions=[d for d in model.dimensions if policy.allows_dimension(d)])

    def describe_metric(self, caller: Caller, name: str) -> MetricDetail:
        metric = self.state.assistant().model.metrics.get(name)
        if metric is None or not self._policy(caller).allows_metric(name):
            raise NotFound(f"no metric {name!r}; list_metrics shows the names")
        detail = _metric_info(metric, MetricDetail)
        detail.type_params = {k: v for k, v in _dump(metric.type_params).items() if v not in (None, (), [])}
        detail.filters = [f.to_text() for f in metric.filter]
        return detail

    def query_metrics(self, caller: Caller, metrics: list[str], dimensions: list[str], filters: list[str],
                      date_from: dt.date | None, date_to: dt.date | None, grain: str | None,
                      order_by: list[str], limit: int | None) -> TableResult:
        query = semantic_query(metrics, dimensions, filters, date_from, date_to, grain, order_by, limit)
        execution = self._executor(caller).run(SemanticQueryPlan(query=query))
        return table_result(execution.result, sql=execution.sql, semantic_query=execution.semantic_query,
                            summary=_summary(execution.result.row_count))

    def run_sql(self, caller: Caller, sql: str) -> TableResult:
        dialect = self.state.assistant().warehouse.dialect
        execution = self._executor(caller).run(SqlPlan(sql=sql, dialect=dialect))
        return table_result(execution.result, sql=execution.sql, summary=_summary(execution.result.row_count))

    def call_tool(self, caller: Caller, name: str, arguments: dict[str, Any]) -> TableResult:
        execution = self._executor(caller).run(ToolCallPlan(tool=name, arguments=arguments))
        call = execution.tool_calls[0]
        return table_result(execution.result, tool=call.name, arguments=call.arguments,
                            summary=call.result_summary, narrative=execution.narrative)

    def _executor(self, caller: Caller):
        """The caller's executor: under its access policy (tenant and key), read afresh per call."""
        assistant = self.state.assistant()
        return assistant.executor_for(assistant.policy_for(caller.scope, caller.key_id))

    def _policy(self, caller: Caller) -> AccessPolicy:
        """The caller's policy, read afresh; a caller without one may see everything."""
        return self.state.assistant().policy_for(caller.scope, caller.key_id) or AccessPolicy()

    def catalog(self, caller: Caller) -> dict[str, Any]:
        model, policy = self.state.assistant().model, self._policy(caller)
        return {"metrics": [_metric_info(m, MetricInfo).model_dump() for m in model.metrics.values()
                            if policy.allows_metric(m.name)],
                "dimensions": [{"name": d.name, "type": d.type, "description": d.description,
                                "units": d.units, "synonyms": list(d.synonyms)}
                               for d in model.dimensions.values() if policy.allows_dimension(d.name)]}

    def schema(self) -> dict[str, Any]:
        schema = self.state.assistant().visible_schema
        return {"warehouse": self.state.settings.warehouse, "dialect": self.state.warehouse().dialect,
                "tables": [{"name": t.name, "row_count": t.row_count,
                            "columns": [{"name": c.name, "type": c.type, "values": list(c.values)}
                                        for c in t.columns]} for t in schema.tables.values()]}


def semantic_query(metrics: list[str], dimensions: list[str], filters: list[str], date_from: dt.date | None,
                   date_to: dt.date | None, grain: str | None, order_by: list[str],
                   limit: int | None) -> SemanticQuery:
    """The query the arguments describe; SemanticQueryError (a code and a message) when they do not fit."""
    if (date_from is None) != (date_to is None):
        raise SemanticQueryError("give both date_from and date_to (YYYY-MM-DD), or neither")
    orders = [OrderBy(field=o.lstrip("-+"), direction="desc" if o.startswith("-") else "asc")
              for o in order_by]
    return SemanticQuery(metrics=metrics, dimensions=dimensions, grain=grain, limit=limit,
                         time_range=(date_from, date_to) if date_from else None,
                         filters=[parse_filter(text) for text in filters], order_by=orders)


def _metric_info(metric, model: type[MetricInfo]) -> Any:
    return model(name=metric.name, type=metric.type, units=metric.units, description=metric.description,
                 synonyms=list(metric.synonyms))


def _dump(value: Any) -> dict[str, Any]:
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else dict(vars(value))


def _summary(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"
