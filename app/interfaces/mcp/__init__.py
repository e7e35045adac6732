"""The MCP door: Asklytics as a Model Context Protocol server (docs/embedding.md).

``server`` builds one ``MCPServer`` (the official ``mcp`` SDK) with the tools, resources and
prompts; ``backend`` is what those call (the assistant, the executor, the registry); ``stdio`` runs
it for a desktop assistant (``asklytics mcp``), ``http`` serves it at ``/mcp`` in ``asklytics
serve`` (``app.interfaces.assembly`` mounts it). It never imports another door.
"""
