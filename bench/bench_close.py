"""Time `bo close 2025-09` against bean-check on the same books: the demo books, and the
large generated books.

Cold against cold: each bo run is the first close of a fresh scratch copy (no git, no
`.bo/` cache, no close record), against `bean-check --no-cache` (beancount's own pickle
cache off). What bo keeps per machine rather than per books (`~/.cache/bo`: holiday tables
and compiled default templates, which depend on bo's install alone, like Python's bytecode
that both programs use) is warm, as after any earlier bo run on the machine; the very first
run on a machine is timed too, with an empty machine cache. Then warm against warm: a second
close over bo's cache, against bean-check with its cache. Each figure is the fastest of a few
runs, and every run's exit code is checked: a crash is never timed as a result.

    python bench/bench_close.py [--years 10] [--scale 16] [--runs 5] [--demo-runs 15]
                                [--demo-only]

The demo books' runs are many (under a second each): on a shared machine the fastest of
five moves by a fifth from one bench to the next, for either program.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import beancount

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
BIN = Path(sys.executable).parent
PARTS = ("bo.yaml", "ledgers", "statements", "schedules", "budgets", "sops")
TARGET = 2.0  # bo close costs at most this many bean-checks (issue 6)

# As installed: pip byte-compiles a package it installs, so bo's own modules are timed from
# their .pyc files, as beancount's are (an editable install under PYTHONDONTWRITEBYTECODE
# would compile bo from source on every run). The machine cache is the bench's own: another
# bo install sharing this HOME (a second checkout's venv) keeps its holiday tables in the
# same file under its own key, and would make every timed run rebuild them.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["XDG_CACHE_HOME"] = str(HERE / "out" / "close-machine-warm")


def run(
    cmd: list[str], cwd: Path, expect: frozenset[int] | set[int], env: dict | None = None
) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env or ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode not in expect:
        sys.exit(
            f"{' '.join(cmd)} in {cwd} exited {proc.returncode}, expected "
            f"{' or '.join(map(str, sorted(expect)))}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
    return elapsed


def scratch(source: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for part in PARTS:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, target / part)
        elif path.is_file():
            shutil.copy2(path, target / part)
    if not (target / "sops").exists():
        shutil.copytree(PROJECT / "sops", target / "sops")
    return target


def settle(close: list[str], books: Path, expect: set[int], most: int = 4) -> None:
    """Run the close until a run leaves its record as it was (and bo's cache valid)."""
    record = books / "closes" / "2025-09.yaml"
    for _ in range(most):
        before = record.read_bytes() if record.exists() else None
        run(close, books, expect)
        if record.exists() and record.read_bytes() == before:
            return
    sys.exit(f"bo close kept changing {record} after {most} runs")


def measure(
    name: str, source: Path, runs: int, check_codes: frozenset[int] = frozenset({0})
) -> float:
    bean_check = BIN / "bean-check"
    close = [str(BIN / "bo"), "close", "2025-09"]
    # The close of September ends open (planted problems, nothing signed): exit 1.
    expect_close = {1}
    ledger = "ledgers/main.beancount"
    scratch_dir, machine = HERE / "out" / "close-scratch", HERE / "out" / "close-machine-cache"
    run(close, scratch(source, scratch_dir), expect_close)  # the machine cache, filled once
    # Turn about, so a change in the machine's load falls on both programs alike.
    check_times, cold, first, check_warm_times, warm = [], [], [], [], []
    for _ in range(runs):
        books = scratch(source, scratch_dir)
        check_times.append(run([str(bean_check), "--no-cache", ledger], books, check_codes))
        cold.append(run(close, books, expect_close))
        # Warm: the same books again, bo over its cache, bean-check over its own. A close
        # writes files the cache is keyed on (its record), and the second run's record differs
        # from the first's (the schedules are posted by then): runs until one writes nothing.
        settle(close, books, expect_close)
        run([str(bean_check), ledger], books, check_codes)
        check_warm_times.append(run([str(bean_check), ledger], books, check_codes))
        warm.append(run(close, books, expect_close))
        books = scratch(source, scratch_dir)
        shutil.rmtree(machine, ignore_errors=True)
        first.append(run(close, books, expect_close, {**ENV, "XDG_CACHE_HOME": str(machine)}))
    check_cold, check_warm, warm = min(check_times), min(check_warm_times), min(warm)
    best = min(cold)
    print(
        f"{name}: bean-check --no-cache {check_cold:.2f} s; bo close cold {best:.2f} s "
        f"({best / check_cold:.2f}x, target {TARGET:.0f}x); first run on a machine "
        f"{min(first):.2f} s ({min(first) / check_cold:.2f}x)\n"
        f"{' ' * len(name)}  bean-check cached {check_warm:.2f} s; bo close again, cached "
        f"{warm:.2f} s ({warm / check_warm:.2f}x)"
    )
    return best / check_cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--demo-runs", type=int, default=15)
    parser.add_argument("--demo-only", action="store_true")
    args = parser.parse_args()
    # Byte-compile bo, as pip does when it installs a package.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PROJECT / "bo")], check=True)
    print(f"bean-check: {BIN / 'bean-check'} (beancount {beancount.__version__})")
    ratio = measure("demo books", PROJECT, args.demo_runs)
    if not args.demo_only:
        big = HERE / "out" / f"books-{args.years}y-x{args.scale}"
        if not (big / "bo.yaml").exists():
            subprocess.run(
                [sys.executable, str(HERE / "generate_books.py"), "--out", str(big),
                 "--years", str(args.years), "--scale", str(args.scale)],
                check=True,
            )  # fmt: skip
        # Generated books may carry errors bean-check reports (exit 1): it still did the work.
        measure(
            f"books-{args.years}y-x{args.scale}", big, max(1, args.runs // 2), frozenset({0, 1})
        )
    if ratio > TARGET:
        sys.exit(f"bo close on the demo books costs {ratio:.2f}x bean-check (target {TARGET}x)")


if __name__ == "__main__":
    main()
