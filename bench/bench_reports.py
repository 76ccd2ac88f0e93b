"""Time rendering every report kind for one period of the large generated books, as a ratio
to bean-check on the same ledger. Each report is its own `bo report` run, as a person or
`make` would start them, with bo's ledger cache warm (a first command filled it).

    python bench/bench_reports.py [--years 10] [--scale 16] [--period 2025-09]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from bo.books import wait_for_cache_writer

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
KINDS = ("trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap", "budget", "flux")


def run(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--period", default="2025-09")
    args = parser.parse_args()
    books = HERE / "out" / f"books-{args.years}y-x{args.scale}"
    if not (books / "bo.yaml").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_books.py"), "--out", str(books),
             "--years", str(args.years), "--scale", str(args.scale)],
            check=True,
        )  # fmt: skip
    base = run([str(BIN / "bean-check"), "--no-cache", "ledgers/main.beancount"], books)
    run([str(BIN / "bo"), "check"], books)
    wait_for_cache_writer(books / ".bo" / "cache")
    for fmt in ("html", "md"):
        total = 0.0
        for kind in KINDS:
            seconds = run(
                [str(BIN / "bo"), "report", kind, "--period", args.period, "--format", fmt], books
            )
            total += seconds
            print(f"  {kind:<9} {fmt:<4} {seconds:6.2f} s")
        print(
            f"all {len(KINDS)} reports as {fmt}: {total:.2f} s = {total / base:.2f} x "
            f"bean-check ({base:.2f} s, no cache)"
        )


if __name__ == "__main__":
    main()
