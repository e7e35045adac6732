"""Where the harness gets its asker: the real assistant, or a named factory.

A factory takes ``(settings, warehouse)`` and returns an object with
``ask(question, conversation_id) -> Answer`` (and optionally ``close()``).
``warehouse`` is None for suites (the assistant opens the configured one) and
a connector for benchmark databases. Naming another factory
(``module:callable``) is how the harness's own tests drive the CLI end to end
with scripted answers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from app.settings import Settings
from evals.runner import Asker
from warehouse.base import Warehouse

AskerFactory = Callable[[Settings, Warehouse | None], Asker]


def assistant_asker(settings: Settings, warehouse: Warehouse | None = None) -> Asker:
    """The same service call the API uses, with the semantic cache off: an eval measures the
    planner, and a case must not be answered from an earlier case's plan."""
    from app.engine.assistant import Assistant

    settings = settings.model_copy(update={"cache_enabled": False})
    if warehouse is None:
        return Assistant.from_settings(settings)
    return Assistant(settings, warehouse=warehouse)


def load_asker_factory(spec: str | None) -> AskerFactory:
    """``None`` -> the assistant; ``"package.module:callable"`` -> that callable."""
    if not spec:
        return assistant_asker
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"--asker must look like package.module:callable, not {spec!r}")
    try:
        factory: Any = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot load the asker {spec!r}: {exc}") from None
    if not callable(factory):
        raise TypeError(f"the asker {spec!r} is not callable")
    return factory


def close_asker(asker: Asker) -> None:
    close = getattr(asker, "close", None)
    if callable(close):
        close()
