"""ui/ goes into search through one front door (`search.service`), and stays readable."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
ALLOWED = {"search.service", "indexer.config"}  # the facade and its records; the settings
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, ast.Module]:
    return {path.name: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(UI.glob("*.py"))}


def test_ui_imports_only_the_search_facade_and_the_settings():
    below = {}
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            below[name] = below.get(name, []) + [m for m in imported
                                                 if m.split(".")[0] in ("search", "indexer") and m not in ALLOWED]
    assert {name: modules for name, modules in below.items() if modules} == {}


def test_no_function_in_ui_is_longer_than_sixty_lines():
    long = [f"{name}:{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for name, tree in _modules().items() for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
