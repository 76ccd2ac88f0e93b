"""Over unchanged books a command answers from bo's caches, and imports only what answering
needs: not beancount, not the matcher, not Jinja, and for `bo check`, `bo status`, `bo cash
check`, `bo report` and `bo dupes` not even pydantic or YAML. What they cost is what a user
waits for on every second run (the whole command over the demo books is under half a second)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_demo

# What only computing an answer needs.
COMPUTING = ("beancount", "bo.matching", "bo.statements", "bo.duplicates.find", "jinja2")
# What only validating bo.yaml or a close record needs: an answer that reads no setting (its
# cache key names bo.yaml by its digest) builds none of the settings' models.
VALIDATING = ("pydantic", "yaml", "bo.settings", "bo.close.record")
COMMANDS = {
    "check": (["check"], COMPUTING + VALIDATING),
    "status": (["status", "--as-of", "2025-10-06"], COMPUTING + VALIDATING),
    "cash": (["cash", "check", "--as-of", "2025-10-06"], COMPUTING + VALIDATING),
    "reconcile": (["reconcile", "Assets:Bank:Checking", "--period", "2025-09"], COMPUTING),
    "dupes": (["dupes", "--period", "2025-09"], COMPUTING + VALIDATING),
    "report": (["report", "pnl", "--period", "2025-09", "--format", "md"], COMPUTING + VALIDATING),
    # Its reports are drawn again only when what they print changed.
    "close": (["close", "2025-09"], COMPUTING),
}


def _run(books: Path, args: list[str], *flags: str) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [sys.executable, *flags, "-m", "bo", *args], cwd=books, capture_output=True, text=True
    )
    assert run.returncode in (0, 1), run.stderr
    return run


@pytest.fixture(scope="module")
def answered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo books, each command run once: its answer is in bo's cache."""
    books = copy_demo(tmp_path_factory.mktemp("cached") / "demo")
    for args, _ in COMMANDS.values():
        _run(books, args)
    return books


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_second_run_imports_nothing_that_computes(answered, command):
    args, computing = COMMANDS[command]
    first = _run(answered, args)
    again = _run(answered, args, "-X", "importtime")
    assert again.stdout == first.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines()}
    assert not sorted(m for m in imported if m.startswith(computing))
