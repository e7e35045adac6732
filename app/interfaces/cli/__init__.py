"""The ``asklytics`` command line.

One module per command group (``demo``, ``sql``, ``metrics``, ...), each owning
its Typer sub-app; this module only wires them. Heavy libraries (torch,
chromadb, xgboost) are imported inside commands so ``--help`` stays fast.
"""
from __future__ import annotations

import importlib

import typer

cli = typer.Typer(
    name="asklytics",
    help="Ask your mobile-marketing data questions in plain language.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)



@cli.callback()
def _root() -> None:
    """Ask your mobile-marketing data questions in plain language."""


# (module, attribute, name, help) -- a group missing its module is skipped, so
# the CLI keeps working while a group is being built.
_GROUPS = (
    ("app.interfaces.cli.demo", "demo_app", "demo", "Build the demo warehouse."),
    ("app.interfaces.cli.sql", "sql_app", "sql", "Check SQL with the guard, or run it."),
    ("app.interfaces.cli.metrics", "metrics_app", "metrics",
     "The semantic layer: list, validate, query metrics."),
    ("app.interfaces.cli.slack", "slack_app", "slack", "The Slack bot: run it over Socket Mode."),
    ("app.interfaces.cli.keys", "keys_app", "keys", "API keys for the REST API: create, list, revoke."),
    ("app.interfaces.cli.db", "db_app", "db", "The application database: upgrade, current."),
    ("app.interfaces.cli.audit", "audit_app", "audit", "The audit log: who did what, when."),
    ("app.interfaces.cli.policy", "policy_app", "policy", "Access policies: what a tenant or key may see."),
    ("app.interfaces.cli.verified", "verified_app", "verified", "Verified queries: add, list, export."),
    ("app.interfaces.cli.cache", "cache_app", "cache", "The semantic cache: stats, clear."),
    ("app.interfaces.cli.model", "model_app", "model", "Bootstrap a semantic model from your warehouse."),
    ("app.interfaces.cli.monitor", "monitor_app", "monitor",
     "Monitors: watch a metric on a schedule, post new anomalies to Slack or a webhook."),
    ("app.interfaces.cli.rollups", "rollups_app", "rollups",
     "Rollups: pre-aggregated tables the compiler answers from (build, status)."),
)
# (module, function, command name)
_COMMANDS = (
    ("app.interfaces.cli.serve", "serve", "serve"),
    ("app.interfaces.cli.ask", "ask", "ask"),
    ("app.interfaces.cli.eval", "eval_command", "eval"),
    ("app.interfaces.cli.train", "train", "train"),
    ("app.interfaces.cli.train", "score", "score"),
    ("app.interfaces.cli.importing", "import_command", "import"),
    ("app.interfaces.cli.mcp", "mcp", "mcp"),
)


def _register() -> None:
    for module_name, attribute, name, help_text in _GROUPS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        cli.add_typer(getattr(module, attribute), name=name, help=help_text)
    for module_name, attribute, name in _COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        cli.command(name=name)(getattr(module, attribute))


_register()


def main() -> None:
    cli()
