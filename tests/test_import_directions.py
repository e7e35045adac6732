"""The house's arrows (docs/architecture.md): front doors -> engine -> domain rooms -> common.

Every import is read from the source (module level and inside functions alike), so a
function-level import cannot hide an upward arrow or a loop. A front door (api, web, slack, mcp,
cli) never imports another; what they share is in ``app.interfaces.shared``, and only
``app.interfaces.assembly`` (the composition root) puts doors together.
"""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "common", "warehouse", "semantic_layer", "retrieval", "prompts", "predictors", "charts",
            "evals", "appdb", "asklytics_client")
DOMAIN = {"common", "warehouse", "semantic_layer", "retrieval", "prompts", "predictors", "charts", "appdb"}
DOORS = {"app.interfaces.api", "app.interfaces.web", "app.interfaces.slack", "app.interfaces.cli",
         "app.interfaces.mcp"}
ENGINE_SIDE = {"app.engine", "app.settings"}
ALLOWED = {
    "common": set(),
    "prompts": set(),
    "charts": {"common"},
    "appdb": {"common"},
    "warehouse": {"common"},
    "semantic_layer": {"common", "warehouse"},
    "predictors": {"common", "warehouse"},
    "retrieval": {"common", "semantic_layer", "warehouse"},
    "app.settings": set(),
    "app.engine": DOMAIN | {"app.settings"},
    "evals": DOMAIN | ENGINE_SIDE,
    "app.interfaces.shared": DOMAIN | ENGINE_SIDE,
    "app.interfaces.api": DOMAIN | ENGINE_SIDE | {"app.interfaces.shared"},
    "app.interfaces.web": DOMAIN | ENGINE_SIDE | {"app.interfaces.shared"},
    "app.interfaces.slack": DOMAIN | ENGINE_SIDE | {"app.interfaces.shared"},
    "app.interfaces.mcp": DOMAIN | ENGINE_SIDE | {"app.interfaces.shared"},
    "app.interfaces.cli": DOMAIN | ENGINE_SIDE | {"app.interfaces.shared", "app.interfaces.assembly",
                                                  "evals"},
    "app.interfaces.assembly": {"common", "app.settings", "app.interfaces.shared", "app.interfaces.api",
                                "app.interfaces.web", "app.interfaces.slack", "app.interfaces.mcp"},
    # the Python client stands alone (httpx and pydantic only): nothing of the server, and no room imports it
    "asklytics_client": set(),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for package in PACKAGES for p in (REPO / package).rglob("*.py")}


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                parts = package[:len(package) - node.level + 1] + ([node.module] if node.module else [])
                base = ".".join(parts)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {target for name in found if name.split(".")[0] in PACKAGES
            for target in [_resolve(name)] if target and target != module}


GRAPH = {module: _imported(module, path) for module, path in MODULES.items()}


def room(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "app":
        return parts[0]
    if parts[1:2] == ["interfaces"] and len(parts) > 2:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def test_every_room_is_known():
    assert {room(m) for m in MODULES} - {"app", "app.interfaces"} <= set(ALLOWED)


def test_imports_follow_the_arrows():
    wrong = sorted(f"{m} imports {t}" for m, targets in GRAPH.items() for t in targets
                   if room(t) != room(m) and room(m) in ALLOWED and room(t) not in ALLOWED[room(m)])
    assert not wrong, "\n".join(wrong)


def test_no_front_door_imports_another():
    crossing = sorted(f"{m} imports {t}" for m, targets in GRAPH.items() for t in targets
                      if room(m) in DOORS and room(t) in DOORS and room(t) != room(m))
    assert not crossing, "\n".join(crossing)


def test_no_import_loops_even_through_function_level_imports():
    index, low, stack, on_stack, loops = {}, {}, [], set(), []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert not loops, loops


def test_the_checker_sees_function_level_and_relative_imports(tmp_path):
    """The reader itself: an import inside a function and a relative import both count."""
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from app.engine import assistant\nfrom .settings import Settings\n")
    found = _imported("app.engine.x", source)
    assert "app.engine.assistant" in found and "app.engine" in {room(t) for t in found}
