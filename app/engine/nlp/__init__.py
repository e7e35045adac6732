"""Language helpers of the offline planner: time expressions, dimension values, numbers.

``app.engine.nlp.timeexpr.resolve_time`` and ``app.engine.nlp.values.ValueResolver`` are the entry points;
docs/time-expressions.md lists what they understand.
"""
