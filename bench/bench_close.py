"""Time `bo close 2025-09` against bean-check on the same books: the demo books, and the
large generated books. Each run works on a scratch copy (no git), with bo's cache cold and
then warm.

    python bench/bench_close.py [--years 10] [--scale 16]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bo.books import wait_for_cache_writer

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
BIN = Path(sys.executable).parent
PARTS = ("bo.yaml", "ledgers", "statements", "schedules", "budgets", "sops")


# As installed: pip byte-compiles a package it installs, so bo's own modules are timed from
# their .pyc files, as beancount's are (an editable install under PYTHONDONTWRITEBYTECODE
# would compile bo from source on every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, capture_output=True, env=ENV)
    return time.perf_counter() - start


def best(cmd: list[str], cwd: Path, times: int = 5) -> float:
    """The fastest of a few runs: the figure least disturbed by the rest of the machine."""
    return min(run(cmd, cwd) for _ in range(times))


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


def measure(name: str, books: Path) -> None:
    # Byte-compile bo, as pip does when it installs a package.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PROJECT / "bo")], check=True)
    base = best([str(BIN / "bean-check"), "--no-cache", "ledgers/main.beancount"], books)
    cold = run([str(BIN / "bo"), "close", "2025-09"], books)
    wait_for_cache_writer(books / ".bo" / "cache")
    warm = best([str(BIN / "bo"), "close", "2025-09"], books)
    print(
        f"{name}: bean-check {base:.2f} s; bo close cold {cold:.2f} s ({cold / base:.2f}x), "
        f"again, warm {warm:.2f} s ({warm / base:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    args = parser.parse_args()
    measure("demo books", scratch(PROJECT, HERE / "out" / "close-demo"))
    big = HERE / "out" / f"books-{args.years}y-x{args.scale}"
    if not (big / "bo.yaml").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_books.py"), "--out", str(big),
             "--years", str(args.years), "--scale", str(args.scale)],
            check=True,
        )  # fmt: skip
    measure(f"books-{args.years}y-x{args.scale}", scratch(big, HERE / "out" / "close-big"))


if __name__ == "__main__":
    main()
