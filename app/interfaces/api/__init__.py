"""The REST API: routes, dependencies, middleware, error handlers (``app.interfaces.assembly`` mounts it)."""
