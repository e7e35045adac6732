"""The engine: one question in, one Answer out (cache, planning, compile, guard, execute, chart,
narrative). It knows nothing of HTTP, Slack or the command line; the front doors in
``app.interfaces`` call it, and it calls the domain rooms (warehouse, semantic_layer, ...)."""
