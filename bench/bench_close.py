"""Time `bo close 2025-09` against bean-check: the demo books and the large generated books.

The close runs as a user's first one does: on books made by `bo init` (git, and the
pre-commit hook that runs `bo check` on every commit, the close's own included), with the
statements configured and bo's cache empty. Cold against `bean-check` without beancount's
cache (target on the large books: at most 1.2x; on the demo books the ratio measures Python's
start-up, so it is shown, not held to). Then the next closes: the second over the books as
the first left them (the schedules it posted are in the ledger now), and one more over books
nobody changed since (target: under a second at any size).

    python bench/bench_close.py [--years 10] [--scale 16] [--runs 3] [--demo-only]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from common import (
    LAST_CPU,
    OUT,
    PROJECT,
    bean_check,
    bo,
    generated,
    init_books,
    ratio,
    run,
    transactions,
)

COLD_TARGET = 1.2  # a cold close costs at most this many bean-checks (issue 18)
WARM_TARGET = 1.0  # seconds, a close over unchanged books


def measure(name: str, source, runs: int, *, cold_target: float | None) -> list[str]:
    """Time the close on fresh init-made copies of `source`; the targets it missed."""
    close = bo("close", "2025-09")
    open_ = {1}  # September ends open: planted problems, nothing signed
    checks, cold, second, again = [], [], [], []
    # CPU seconds (user + sys, the pre-commit hook's included): steadier on a shared machine.
    cpu: dict[str, list[float]] = {"check": [], "cold": [], "second": [], "again": []}
    for _ in range(runs):
        books = init_books(source, OUT / "close-scratch")
        for name_, times, cmd, codes in (
            ("check", checks, bean_check(books), {0}),
            ("cold", cold, close, open_),
            ("second", second, close, open_),
            ("again", again, close, open_),
        ):
            times.append(run(cmd, books, codes))
            cpu[name_].append(LAST_CPU[0])
    base = min(checks)
    base_cpu = min(cpu["check"])
    print(
        f"{name} ({transactions(source):,} transactions): bean-check {base:.2f} s\n"
        f"  bo close, cold, with git and the pre-commit hook: {ratio(min(cold), base)}"
        + (f", target {cold_target}x" if cold_target else "")
        + "\n"
        f"  the second close (the ledger as the first left it): {ratio(min(second), base)}\n"
        f"  a close over unchanged books: {min(again):.2f} s, target < {WARM_TARGET:.0f} s\n"
        f"  CPU (user+sys): bean-check {base_cpu:.2f} s, cold close {min(cpu['cold']):.2f} s "
        f"({min(cpu['cold']) / base_cpu:.2f}x), second {min(cpu['second']):.2f} s, "
        f"unchanged {min(cpu['again']):.2f} s"
    )
    missed = []
    if cold_target and min(cold) / base > cold_target:
        missed.append(f"{name}: cold close {min(cold) / base:.2f}x bean-check")
    if min(again) > WARM_TARGET:
        missed.append(f"{name}: unchanged close {min(again):.2f} s")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--demo-runs", type=int, default=7)
    parser.add_argument("--demo-only", action="store_true")
    args = parser.parse_args()
    # Byte-compile bo, as pip does when it installs a package.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PROJECT / "bo")], check=True)
    missed = measure("demo books", PROJECT, args.demo_runs, cold_target=None)
    if not args.demo_only:
        large = generated(args.years, args.scale)
        missed += measure("large books", large, args.runs, cold_target=COLD_TARGET)
    if missed:
        sys.exit("bench_close: missed " + "; ".join(missed))


if __name__ == "__main__":
    main()
