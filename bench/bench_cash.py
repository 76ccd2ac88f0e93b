"""Time `bo cash check` against `bean-check` on the same large generated books.

Cron runs the check every morning over books that rarely changed overnight, so the figure
that matters is the warm one (target: under 1 s on 100,000 transactions). Prints each run's
wall time and its ratio to bean-check's own full (uncached) run. The books are generated on
demand into bench/out/ (never committed), the same ones bench_check uses.

    python bench/bench_cash.py [--years 10] [--scale 16] [--repeat 3] [--as-of 2025-12-15]

"cold" starts with no .bo/cache: bo parses the ledger and reads every statement file.
"ledger cache only" reuses the parsed ledger but checks again; "warm" reuses the answer,
kept while no input (ledger files, bo.yaml, statements, reconciliation records, the day)
changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

from bench_check import BIN, HERE, measure, run

from bo.cache import books_folder

TARGET_WARM_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-of", default="2025-12-15", help="the morning to check")
    args = parser.parse_args()

    books = HERE / "out" / f"books-{args.years}y-x{args.scale}"
    if not (books / "bo.yaml").exists():
        print(f"generating {books} ...", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate_books.py"),
                *("--out", str(books), "--years", str(args.years), "--scale", str(args.scale)),
            ],
            check=True,
        )
    ledger = books / "ledgers" / "main.beancount"
    text = "".join(p.read_text() for p in (books / "ledgers").rglob("*.beancount"))
    transactions = sum(1 for line in text.splitlines() if line[:4].isdigit() and " * " in line)
    statements = sum(1 for p in (books / "statements").rglob("*") if p.is_file())
    bo_cache = books_folder(books)

    def drop_bo_cache() -> None:
        shutil.rmtree(bo_cache, ignore_errors=True)

    def drop_answer() -> None:
        for path in bo_cache.glob("result-*"):
            path.unlink()

    bean_check = str(BIN / "bean-check")
    check = [str(BIN / "bo"), "cash", "check", "--as-of", args.as_of]
    rows = [
        measure(
            "bean-check (no cache)",
            [bean_check, "--no-cache", str(ledger)],
            books,
            args.repeat,
            lambda: ledger.with_name(f".{ledger.name}.picklecache").unlink(missing_ok=True),
        ),
        measure("bo cash check cold (no bo cache)", check, books, args.repeat, drop_bo_cache),
    ]
    run(check, books)
    rows.append(measure("bo cash check, ledger cache only", check, books, args.repeat, drop_answer))
    run(check, books)
    rows.append(measure("bo cash check warm (kept answer)", check, books, args.repeat))
    ledger.with_name(f".{ledger.name}.picklecache").unlink(missing_ok=True)

    base = rows[0]["seconds"]
    print(
        f"books: {books.relative_to(HERE.parent)}: {transactions:,} transactions, "
        f"{statements} statement files; as of {args.as_of}; median of {args.repeat} runs on "
        f"{os.cpu_count()} cores"
    )
    print(f"{'run':<34} {'seconds':>8} {'× bean-check':>13} {'peak MiB':>9}  exit")
    for row in rows:
        codes = ",".join(str(c) for c in sorted(row["codes"]))
        print(
            f"{row['name']:<34} {row['seconds']:>8.2f} {row['seconds'] / base:>13.2f} "
            f"{row['peak']:>9.0f}  {codes}"
        )
    warm = rows[-1]["seconds"]
    verdict = "met" if warm < TARGET_WARM_SECONDS else "MISSED"
    print(f"target: warm under {TARGET_WARM_SECONDS:.0f} s: {verdict} ({warm:.2f} s)")


if __name__ == "__main__":
    main()
