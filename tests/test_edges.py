"""The core's edges: nothing outside the command layer imports it (lazy imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

import bo

BO = Path(bo.__file__).parent
EDGE = {"bo.cli", "bo.commands", "bo.__main__"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_core_never_imports_the_command_layer():
    offenders = []
    for path in sorted(BO.rglob("*.py")):
        module = ".".join(path.relative_to(BO.parent).with_suffix("").parts)
        if any(module == edge or module.startswith(edge + ".") for edge in EDGE):
            continue
        for name in sorted(_imports(path)):
            if any(name == edge or name.startswith(edge + ".") for edge in EDGE):
                offenders.append(f"{path.relative_to(BO.parent)}: imports {name}")
    assert not offenders, "\n".join(offenders)
