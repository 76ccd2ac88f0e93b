"""The `bo` script's start (bo.entry): what it does before the CLI is imported."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

from bo.entry import PLUGIN_LOADER


def test_pydantic_takes_only_get_plugins_from_its_loader():
    # bo stands in for the loader with a module that has get_plugins alone: a pydantic that
    # imports anything else from it would fail at bo's first model.
    plugin = Path(find_spec("pydantic.plugin").origin).parent
    package = plugin.parent
    taken = set()
    for path in package.rglob("*.py"):
        if path == plugin / "_loader.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_loader"):
                relative = node.level and path.parent == plugin and node.module == "_loader"
                if relative or node.module == PLUGIN_LOADER:
                    taken |= {alias.name for alias in node.names}
            elif isinstance(node, ast.Import) and any(a.name == PLUGIN_LOADER for a in node.names):
                taken.add("*")
    assert taken == {"get_plugins"}


def _python(code: str, **env: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **env},
    ).stdout.strip()


MODEL = (
    "import sys\n"
    "from bo.entry import without_pydantic_plugins\n"
    "without_pydantic_plugins()\n"
    "from bo.settings import Money\n"
    "print(Money.model_validate('1.50 USD').number, 'importlib.metadata' in sys.modules)\n"
)


def test_models_validate_without_pydantic_looking_for_plugins():
    assert _python(MODEL) == "1.50 False"


def test_pydantics_own_switch_is_left_to_pydantic():
    assert _python(MODEL, PYDANTIC_DISABLE_PLUGINS="some_plugin") == "1.50 True"
