"""Selection rules, one module per family of results (see :mod:`charts.select`)."""
