"""The web chat UI and the API docs page: static files in ``static/``, served by ``routes`` and ``docs``."""
