"""Language helpers of the offline planner: time expressions, dimension values, numbers.

``app.nlp.timeexpr.resolve_time`` and ``app.nlp.values.ValueResolver`` are the entry points;
docs/time-expressions.md lists what they understand.
"""
