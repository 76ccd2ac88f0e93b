"""bo's modules import each other without cycles, and the core never imports the command layer.

Every import counts, those inside functions too (they hide a cycle, they do not break it);
only imports for type checkers (under `if TYPE_CHECKING:`) are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bo"
# The command layer: the typer app and the glue of each command. Nothing else imports it.
COMMAND_LAYER = ("bo.cli", "bo.commands", "bo.__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The bo modules `name` imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            for child in getattr(node, "orelse", []):
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = name.split(".")
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join(parts[:keep] + ([base] if base else []))
            found.add(base)
            # `from bo.close import checks` imports the module bo.close.checks.
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {module for module in found if module in known and module != name}


def graph() -> dict[str, set[str]]:
    every = modules()
    return {name: imports_of(name, path, set(every)) for name, path in every.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycles_in_bo():
    assert cycles(graph()) == []


def test_the_core_never_imports_the_command_layer():
    wrong = {
        (name, target)
        for name, targets in graph().items()
        if not name.startswith(COMMAND_LAYER)
        for target in targets
        if target.startswith(COMMAND_LAYER)
    }
    assert sorted(wrong) == []


def test_the_walk_sees_imports_inside_functions():
    # A check of the test itself: a lazy import is an edge, a TYPE_CHECKING one is not.
    edges = graph()
    assert "bo.checks" in edges["bo.close.checks.books"]  # inside ledger_valid()
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
