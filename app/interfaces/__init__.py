"""The front doors: REST API, web UI, Slack bot, command line. Each calls the engine
(``app.engine``); none imports another. What they share lives in ``app.interfaces.shared``;
``app.interfaces.assembly`` puts the HTTP doors together into one server."""
