"""A small typed Python client for the Asklytics REST API (docs/embedding.md).

    from asklytics_client import Client
    client = Client("http://127.0.0.1:8000", api_key="ask_...")
    answer = client.ask("Installs by platform last month")
"""
from asklytics_client._http import RetryPolicy
from asklytics_client.client import AsyncClient, Client
from asklytics_client.errors import AsklyticsError
from asklytics_client.models import (
    Answer,
    ChartOut,
    Clarification,
    ColumnOut,
    ConversationOut,
    ConversationSummary,
    FeedbackResult,
    Metric,
    MetricOut,
    StreamEvent,
    Suggestion,
    TokenOut,
)

__all__ = ["Answer", "AsklyticsError", "AsyncClient", "ChartOut", "Clarification", "Client", "ColumnOut",
           "ConversationOut", "ConversationSummary", "FeedbackResult", "Metric", "MetricOut", "RetryPolicy",
           "StreamEvent", "Suggestion", "TokenOut"]
