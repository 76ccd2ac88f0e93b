"""Scoring `bo dupes` on a duplicate set written by someone else: generate its books, run the
real command on each (books only and with statements), and score with the set's own scorer."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from typer.testing import CliRunner

from bo.cli import app

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location(
    "independent_score", HERE / "independent_dupes" / "score.py"
)
score_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score_module)


def score_set(generator: Path, books: Sequence[str], out: Path) -> dict[str, dict]:
    """Each book and its `-stmts` copy, generated into `out` and scored."""
    subprocess.run([sys.executable, generator, "--out", out], check=True, capture_output=True)
    results = {}
    for book in books:
        for name in (book, f"{book}-stmts"):
            # The real CLI in this process: a fresh interpreter per book cost more than bo.
            found = CliRunner().invoke(app, ["--books", str(out / name), "dupes", "--json"])
            assert found.exit_code in (0, 1), found.stderr or found.exception
            results[name] = score_module.score(str(out / name), json.loads(found.stdout))
            print(score_module.report(name, results[name]))
    return results


def totals(
    scored: dict[str, dict], books: Sequence[str], statements: bool
) -> tuple[float, float, str]:
    """(recall, precision, the books' reports) over the books, or over their -stmts copies."""
    names = [f"{book}-stmts" if statements else book for book in books]
    found, planted, true, findings = score_module.summed(scored[name] for name in names)
    shown = "\n".join(score_module.report(name, scored[name]) for name in names)
    return found / planted, true / findings, shown
