"""Chart selection and Plotly figure building, from result data only.

``choose_chart`` picks one of the answer contract's chart types with a
one-line reason; ``build_chart`` turns that choice into Plotly figure JSON
(None when a table is the right display).  Nothing here executes code a model
wrote: figures are assembled from the rows by this package.  See docs/charts.md.
"""
from charts.choose import choose_chart
from charts.figures import build_chart
from charts.types import CHART_TYPES, INTENTS, ChartChoice

__all__ = ["CHART_TYPES", "INTENTS", "ChartChoice", "build_chart", "choose_chart"]
