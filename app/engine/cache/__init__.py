"""The semantic cache: reuse the plan of an earlier question that means the same thing.

Two tiers inside one scope (tenant, warehouse, model version, as_of, conversation
context): the exact tier keys on normalized text; the semantic tier proposes
nearest neighbours by embedding and accepts one only when the slots of both
questions are identical. A hit returns the stored *plan*; the caller re-executes
it, so the numbers are always fresh. See docs/cache.md.
"""
from app.engine.cache.keys import CacheScope, normalize_question
from app.engine.cache.semantic import CacheHit, SemanticCache, open_semantic_cache
from app.engine.cache.slots import Slots, extract_slots
from app.engine.cache.stats import CacheStats

__all__ = ["CacheHit", "CacheScope", "CacheStats", "SemanticCache", "Slots", "extract_slots",
           "normalize_question", "open_semantic_cache"]
