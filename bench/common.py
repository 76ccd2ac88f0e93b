"""What the benchmarks share: the books they time, how they run bo, and bean-check beside it.

Every figure is a ratio against bean-check on the same ledger, timed in the same run and
turn about with bo, so that a change in the machine's load falls on both alike. bo runs as a
user runs it: the installed `bo` script in a fresh process, with bo's cache in a folder of the
bench's own (bench/out/cache), never the user's.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent
CACHE = OUT / "cache"
PARTS = ("bo.yaml", "ledgers", "statements", "schedules", "budgets", "sops")

# As installed: pip byte-compiles a package it installs (an editable install under
# PYTHONDONTWRITEBYTECODE would compile bo from source on every run). bo and the pre-commit
# hook's bo come first on PATH.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["BO_CACHE_DIR"] = str(CACHE)
ENV["PATH"] = f"{BIN}{os.pathsep}{ENV.get('PATH', '')}"
ENV["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"  # bean-check "cold"; its cached runs say otherwise
os.environ["BO_CACHE_DIR"] = str(CACHE)  # for bo.cache in this process (books_folder)
# The CPU seconds of the last run (its children's too, such as the pre-commit hook): on a
# shared machine the steadier figure.
LAST_CPU = [0.0]


def bo(*args: str) -> list[str]:
    return [str(BIN / "bo"), *args]


def run(cmd: list[str], cwd: Path, expect: set[int] | frozenset[int] = frozenset({0})) -> float:
    """Run `cmd` in `cwd`; its wall seconds (and its CPU seconds in `LAST_CPU`). An exit code
    not in `expect` stops the bench: a crash is never timed as a result."""
    env = dict(ENV)
    if cmd[0].endswith("bean-check") and "--cached" in cmd:
        cmd = [c for c in cmd if c != "--cached"]
        env.pop("BEANCOUNT_DISABLE_LOAD_CACHE")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if proc.returncode not in expect:
        sys.exit(
            f"{' '.join(cmd)} in {cwd} exited {proc.returncode}, expected "
            f"{' or '.join(map(str, sorted(expect)))}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return elapsed


def bean_check(books: Path, *, cached: bool = False) -> list[str]:
    """bean-check on the books' ledger, without beancount's pickle cache unless `cached`."""
    cmd = [str(BIN / "bean-check"), str(books / "ledgers" / "main.beancount")]
    return [*cmd, "--cached"] if cached else cmd


def generated(years: int, scale: int) -> Path:
    """The large generated books (bench/out/books-Ny-xS), written on first use."""
    books = OUT / f"books-{years}y-x{scale}"
    if not (books / "bo.yaml").exists():
        print(f"generating {books} ...", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate_books.py"),
                "--out",
                str(books),
                "--years",
                str(years),
                "--scale",
                str(scale),
            ],
            check=True,
        )
    return books


def transactions(books: Path) -> int:
    count = 0
    for path in (books / "ledgers").rglob("*.beancount"):
        with open(path, encoding="utf-8") as handle:
            count += sum(1 for line in handle if line[:4].isdigit() and " * " in line)
    return count


def copy_books(source: Path, target: Path) -> Path:
    """A scratch copy of the books' files (no git, no cache)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for part in PARTS:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, target / part)
        elif path.is_file():
            shutil.copy2(path, target / part)
    drop_cache(target)
    return target


def init_books(source: Path, target: Path) -> Path:
    """Books made by `bo init` (git, its pre-commit hook running `bo check`) holding the
    source books' ledger, statements and settings, committed; bo's cache left empty."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(bo("init", str(target), "--name", "Bench Books"), env=ENV, check=True,
                   capture_output=True)  # fmt: skip
    for part in PARTS:
        if (target / part).is_dir():
            shutil.rmtree(target / part)
        path = source / part
        if path.is_dir():
            shutil.copytree(path, target / part)
        elif path.is_file():
            shutil.copy2(path, target / part)
    git = ["git", "-c", "user.name=Dana Reyes", "-c", "user.email=dana@bench.example"]
    subprocess.run([*git, "add", "-A"], cwd=target, check=True)
    # The hook checks the books as they are committed (and fills bo's cache: dropped after).
    subprocess.run([*git, "commit", "-qm", "The books"], cwd=target, env=ENV, check=True)
    subprocess.run(["git", "config", "user.name", "Dana Reyes"], cwd=target, check=True)
    subprocess.run(["git", "config", "user.email", "dana@bench.example"], cwd=target, check=True)
    drop_cache(target)
    return target


def drop_cache(books: Path) -> None:
    """Forget everything bo keeps for these books (the machine's holiday tables stay)."""
    from bo.cache import books_folder

    shutil.rmtree(books_folder(books), ignore_errors=True)


def best(times: list[float]) -> float:
    return min(times)


def ratio(seconds: float, base: float) -> str:
    return f"{seconds:.2f} s ({seconds / base:.2f}x bean-check)"
