"""The semantic layer: metrics defined once in YAML, compiled deterministically to SQL.

Public API (other packages import from here)::

    model = load_semantic_model(DEMO_MODEL_PATH)
    query = SemanticQuery(metrics=["roas"], dimensions=["campaign_name"], having=["cost > 1000"], ...)
    compile_semantic_query(model, query, dialect="duckdb")  # sqlglot tree
    explain(model, query, "duckdb")                         # SQL text
    run_query(model, query, warehouse)                      # rows
"""
from semantic_layer.availability import check_tables_present
from semantic_layer.compiler import compile_semantic_query
from semantic_layer.errors import SemanticQueryError, SemanticTableMissing
from semantic_layer.filters import parse_filter
from semantic_layer.live_check import ModelDoesNotFitWarehouse, check_against_schema, require_fit
from semantic_layer.loader import DEMO_MODEL_PATH, SemanticModelError, Violation, load_semantic_model
from semantic_layer.model import METRIC_TIME, CatalogDimension, SemanticModel
from semantic_layer.query import OrderBy, SemanticQuery
from semantic_layer.query_options import Cohort, MetricCondition, Share
from semantic_layer.schema import Filter, Metric
from semantic_layer.service import explain, run_query

__all__ = [
    "DEMO_MODEL_PATH", "METRIC_TIME", "CatalogDimension", "Cohort", "Filter", "Metric", "MetricCondition",
    "ModelDoesNotFitWarehouse", "OrderBy", "SemanticModel", "SemanticModelError", "SemanticQuery",
    "SemanticQueryError", "SemanticTableMissing", "Share", "Violation", "check_against_schema",
    "check_tables_present", "compile_semantic_query", "explain", "load_semantic_model", "parse_filter",
    "require_fit", "run_query",
]
