"""The offline planner (no model): questions -> Plans from the semantic model's words."""
from app.engine.planning.offline.planner import OfflinePlanner

__all__ = ["OfflinePlanner"]
