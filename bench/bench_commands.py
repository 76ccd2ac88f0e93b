"""Time the commands a user runs over books that did not change since the last run.

For the demo books and the large generated books (made by `bo init`, with git and its
pre-commit hook): each command runs once to fill bo's caches, the close until it settles,
then each is timed again over the unchanged books. Target: under half a second each, under a
second for the close, at any size. Then `bo reconcile` and `bo dupes` on books of about a
million postings, the whole command, ledger load included: cold (bo's cache empty), with the
ledger cached but nothing of the command's, with the ledger and what the command keeps over
it alone (`bo dupes`' indexes) but no result, and again (target: under 20 s with the ledger
and the command's own caches, no result).

    python bench/bench_commands.py [--years 10] [--scale 16] [--million-scale 48] [--runs 3]
        [--demo-only | --million-only | --no-million]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

from common import (
    LAST_CPU,
    OUT,
    PROJECT,
    bean_check,
    bo,
    drop_cache,
    generated,
    init_books,
    run,
    transactions,
)

ANY = {0, 1}  # a command that finds something exits 1: still an answer
COMMANDS = [
    ("bo check", bo("check")),
    ("bo cash check", bo("cash", "check", "--as-of", "2025-10-06")),
    ("bo status", bo("status", "--as-of", "2025-10-06")),
    *[
        (f"bo report {kind}", bo("report", kind, "--period", "2025-09", "--format", "md"))
        for kind in ("trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap", "budget")
    ],
    ("bo report flux", bo("report", "flux", "--period", "2025-09", "--format", "md")),
    ("bo reconcile (again)", bo("reconcile", "Assets:Bank:Checking", "--period", "2025-09")),
    ("bo dupes", bo("dupes", "--period", "2025-09")),
    ("bo close (again)", bo("close", "2025-09")),
]
TARGET, CLOSE_TARGET, WHOLE_TARGET = 0.5, 1.0, 20.0


def unchanged(name: str, source, runs: int) -> list[str]:
    books = init_books(source, OUT / "commands-scratch")
    base = min(run(bean_check(books, cached=True), books) for _ in range(runs))
    for _ in range(3):  # fill the caches; the close until a run leaves its record as it was
        for _, cmd in COMMANDS:
            run(cmd, books, ANY)
    missed = []
    print(f"{name} ({transactions(source):,} transactions), unchanged books; "
          f"bean-check with its cache {base:.2f} s")  # fmt: skip
    for label, cmd in COMMANDS:
        timed = []
        for _ in range(runs):
            timed.append((run(cmd, books, ANY), LAST_CPU[0]))
        seconds, cpu = min(timed)
        target = CLOSE_TARGET if "close" in label else TARGET
        mark = "" if seconds < target else "  MISSED"
        print(
            f"  {label:<24} {seconds:6.2f} s ({seconds / base:.2f}x), CPU {cpu:.2f} s"
            f"  target < {target} s{mark}"
        )
        if mark:
            missed.append(f"{name}: {label} {seconds:.2f} s")
    return missed


def whole(source) -> list[str]:
    """`bo reconcile` and `bo dupes`, ledger load included, on about a million postings."""
    books = init_books(source, OUT / "million-scratch")
    base = run(bean_check(books), books)
    print(
        f"{transactions(source):,} transactions: bean-check {base:.2f} s (CPU {LAST_CPU[0]:.2f} s)"
    )
    missed = []
    for label, cmd in COMMANDS[-3:-1]:
        drop_cache(books)
        cold = run(cmd, books, ANY)
        cold_cpu = LAST_CPU[0]
        from bo.cache import books_folder

        # The ledger cached (as any earlier command leaves it), nothing of this command's.
        for path in [*books_folder(books).glob("result-*"), *books_folder(books).glob("dupes-*")]:
            path.unlink()
        ledger = run(cmd, books, ANY)
        ledger_cpu = LAST_CPU[0]
        # And what `bo dupes` keeps over the ledger alone (its indexes): another period, a new
        # statement or a dismissal over unchanged entries.
        for path in books_folder(books).glob("result-*"):
            path.unlink()
        kept = run(cmd, books, ANY)
        kept_cpu = LAST_CPU[0]
        again = run(cmd, books, ANY)
        print(
            f"  {label:<24} cold {cold:.2f} s ({cold / base:.2f}x, CPU {cold_cpu:.2f} s); "
            f"ledger cached {ledger:.2f} s (CPU {ledger_cpu:.2f} s); ledger and the command's "
            f"own caches {kept:.2f} s ({kept / base:.2f}x, CPU {kept_cpu:.2f} s, "
            f"target < {WHOLE_TARGET:.0f} s); "
            f"again {again:.2f} s"
        )
        if kept > WHOLE_TARGET:
            missed.append(f"{label} on a million postings: {kept:.2f} s")
    shutil.rmtree(books, ignore_errors=True)
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--million-scale", type=int, default=48)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--demo-only", action="store_true")
    parser.add_argument("--million-only", action="store_true", help="only the million postings")
    parser.add_argument("--no-million", action="store_true", help="the demo and 110k books only")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PROJECT / "bo")], check=True)
    missed = [] if args.million_only else unchanged("demo books", PROJECT, args.runs)
    if not args.demo_only:
        if not args.million_only:
            missed += unchanged("large books", generated(args.years, args.scale), args.runs)
        if not args.no_million:
            missed += whole(generated(args.years, args.million_scale))
    if missed:
        sys.exit("bench_commands: missed " + "; ".join(missed))


if __name__ == "__main__":
    main()
