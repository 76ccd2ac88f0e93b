"""The `bo` script's start (bo.entry): what it does before the CLI is imported, and the
plain `bo close YYYY-MM` it runs without typer."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from bo.entry import PLUGIN_LOADER, plain_close
from bo.errors import ExitCode


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


# --- `bo close YYYY-MM`, which runs without building the typer app ---------------------------

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
SEES_TYPER = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('typer' in sys.modules, file=sys.stderr))\n"
    "sys.argv = ['bo', *sys.argv[1:]]\n"
    "from bo.entry import main\n"
    "main()\n"
)


def _script(books: Path, *args: str) -> subprocess.CompletedProcess:
    """The `bo` script's main, and whether typer was imported (the last line of stderr)."""
    return subprocess.run(
        [sys.executable, "-c", SEES_TYPER, *args],
        cwd=books,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _written(books: Path) -> dict[str, str]:
    return {
        str(path.relative_to(books)): STAMP.sub("T", path.read_text(encoding="utf-8"))
        for folder in ("closes", "reports", "reconciliations", "ledgers")
        for path in sorted((books / folder).rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("args", "period"),
    [
        (["close", "2025-09"], "2025-09"),
        (["close", "2025-9"], None),  # typer's usage error says what is wrong
        (["close", "2025-09", "--dry-run"], None),
        (["close", "--help"], None),
        (["close"], None),
        (["signoff", "2025-09"], None),
        ([], None),
    ],
)
def test_only_a_plain_close_skips_typer(args, period):
    assert plain_close(args) == period


def test_the_plain_close_is_the_close_typer_runs(demo, tmp_path, bo):
    other = tmp_path / "other"
    shutil.copytree(demo, other)
    plain = _script(demo, "close", "2025-09")
    through_typer = bo("close", "2025-09", cwd=other)
    assert plain.returncode == through_typer.exit_code == 1
    assert plain.stderr.splitlines()[-1] == "False", "typer imported"
    assert plain.stdout == through_typer.stdout
    assert "FAIL  bank-rec" in plain.stdout
    assert _written(demo) == _written(other)


def test_bad_input_in_a_plain_close_is_reported_as_typer_would(demo, tmp_path, bo):
    settings = demo / "bo.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("currency: USD", "currency: usd", 1),
        encoding="utf-8",
    )
    other = tmp_path / "other"
    shutil.copytree(demo, other)
    plain = _script(demo, "close", "2025-09")
    through_typer = bo("close", "2025-09", cwd=other)
    assert plain.returncode == through_typer.exit_code == 2
    assert plain.stderr.splitlines()[:-1] == through_typer.stderr.splitlines()
    assert "bo.yaml:7: `entity.currency`" in plain.stderr
    assert not (demo / "closes").exists() and not (demo / "reports").exists()


def test_a_bug_in_a_plain_close_leaves_a_crash_log(demo, tmp_path):
    code = SEES_TYPER.replace(
        "from bo.entry import main\n",
        "import bo.commands.close as c\n"
        "c.Period.parse = lambda text: 1 / 0\n"
        "from bo.entry import main\n",
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "close", "2025-09"],
        cwd=demo,
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert proc.returncode == int(ExitCode.BUG)
    assert "bo: internal error (a bug in bo, not in your books)" in proc.stderr
    (log,) = tmp_path.glob("bo-crash-*.log")
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["close", "2025-09"], ["close", "2025-09", "--books", "."]])
def test_output_nobody_reads_is_no_bug(demo, tmp_path, args):
    # `bo close 2025-09 | head`: the reader goes away before bo prints; bo leaves as click
    # does (exit 1, nothing on stderr), not with a crash log.
    proc = subprocess.Popen(
        [sys.executable, "-m", "bo", *args],
        cwd=demo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert err == b""
    assert not list(tmp_path.glob("bo-crash-*.log"))
    assert (demo / "closes/2025-09.yaml").is_file()


LEAVES = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
    "sys.argv = ['bo', *sys.argv[1:]]\n"
    "from bo.entry import main\n"
    "main()\n"
    "print('not reached')\n"
)


@pytest.mark.parametrize(
    ("args", "code", "out"),
    [
        (["--version"], 0, "bo 0.1.0"),
        (["close", "2025-9"], 2, ""),  # typer's usage error
        (["close", "2025-09"], 1, "close 2025-09: 12/17 steps passed, open"),
    ],
)
def test_bo_leaves_with_its_code_its_output_and_exit_handlers(demo, args, code, out):
    # The script ends with os._exit, skipping Python's teardown: the code, every line of
    # output (a pipe buffers it) and the exit handlers must all still be there.
    proc = subprocess.run(
        [sys.executable, "-c", LEAVES, *args], cwd=demo, capture_output=True, text=True
    )
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.splitlines()[-1] == "exit handler ran"
    assert "not reached" not in proc.stdout
    assert proc.stdout.rstrip().endswith(out)


def test_a_folder_that_went_away_is_said_plainly(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); {LEAVES}"
    proc = subprocess.run(
        [sys.executable, "-c", script, "close", "2025-09"], capture_output=True, text=True
    )
    assert proc.returncode == 2, proc.stderr
    assert "folder bo was started in is gone" in proc.stderr and "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr


def test_the_close_never_compiles_the_tokenizer():
    # A pydantic field with `default_factory=list` makes pydantic read the signature of
    # `list`, which compiles the tokenizer's patterns: 3 ms of a close of the demo books.
    script = (
        "import tokenize\n"
        "from bo.entry import without_pydantic_plugins\n"
        "without_pydantic_plugins()\n"
        "import bo.commands.close, bo.commands.reconcile, bo.commands.duplicates\n"
        "import bo.reports.build, bo.reports.render, bo.reports.variance\n"
        "info = getattr(tokenize._compile, 'cache_info', None)\n"
        "print(info().currsize if info else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0"
