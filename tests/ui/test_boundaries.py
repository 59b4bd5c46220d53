"""ui/ goes into search through one front door (`search.service`) and stays readable; the packages import
only downwards: vietnamese/ and runtime/ (shared by all) <- indexer/ <- search/ <- ui/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "ui"
BELOW = {"vietnamese": set(), "runtime": {"vietnamese"}, "indexer": {"vietnamese", "runtime"},
         "search": {"vietnamese", "runtime", "indexer"}}
ALLOWED = {"search.service", "runtime.settings"}  # the facade and its records; the settings
MAX_FUNCTION_LINES = 60


def _modules(folder: Path = UI) -> dict[str, ast.Module]:
    return {path.relative_to(folder).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(folder.rglob("*.py"))}


def _imports(tree: ast.Module) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append(node.module)
        elif isinstance(node, ast.Import):
            out += [alias.name for alias in node.names]
    return out


def test_ui_imports_only_the_search_facade_and_the_settings():
    below = {name: [m for m in _imports(tree) if m.split(".")[0] in BELOW and m not in ALLOWED]
             for name, tree in _modules().items()}
    assert {name: modules for name, modules in below.items() if modules} == {}


def test_each_package_imports_only_the_packages_below_it():
    upward = {}
    for package, allowed in BELOW.items():
        for name, tree in _modules(ROOT / package).items():
            wrong = [m for m in _imports(tree) if m.split(".")[0] in {*BELOW, "ui"} - allowed - {package}]
            if wrong:
                upward[f"{package}/{name}"] = wrong
    assert upward == {}


def test_no_function_in_ui_is_longer_than_sixty_lines():
    long = [f"{name}:{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for name, tree in _modules().items() for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
