"""Insights on the semantic layer: why a metric changed between two periods, and which points of
its series are anomalous (docs/insights.md).

Pure computation over rows the semantic layer returns: ``periods`` (the baseline a change is
measured against), ``shapes`` (how a metric decomposes and over which dimensions), ``decompose``
(segment contributions, mix and rate, Adtributor-style ranking), ``anomalies`` (seasonal
residuals with robust bands). The registry's tools (``explain_change``, ``detect_anomalies``)
run the queries and word the answers.
"""
