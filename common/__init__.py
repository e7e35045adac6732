"""The floor under every room: what warehouse, semantic_layer, predictors and app all share.

Today that is one thing, the exception base (:mod:`common.errors`). It imports nothing of the
project, so every room may import it without an arrow pointing upward.
"""
