"""Time `bo check` against `bean-check` on the same large generated books.

Prints each run's wall time as a ratio to bean-check's own full (uncached) run, and the peak
memory of each process. The books are generated on demand into bench/out/ (never committed).

    python bench/bench_check.py [--years 10] [--scale 16] [--repeat 3] [--regen]

"cold" starts with bo's cache for these books empty: bo parses like bean-check does, then
stores the parsed ledger (signed) in its cache outside the books.
"ledger cache only" reuses the parsed ledger but checks again; "warm" reuses the check
result too, which holds while no input (ledger files, bo.yaml, sops, the date) changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bo.cache import books_folder

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Run `cmd`; return wall seconds, peak RSS in MiB, and the exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(name: str, cmd: list[str], cwd: Path, repeat: int, before=None) -> dict:
    times, peaks, codes = [], [], set()
    for _ in range(repeat):
        if before:
            before()
        elapsed, peak, code = run(cmd, cwd)
        times.append(elapsed)
        peaks.append(peak)
        codes.add(code)
    return {"name": name, "seconds": statistics.median(times), "peak": max(peaks), "codes": codes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regen", action="store_true", help="regenerate the books first")
    args = parser.parse_args()

    books = HERE / "out" / f"books-{args.years}y-x{args.scale}"
    if args.regen and books.exists():
        shutil.rmtree(books)
    if not (books / "bo.yaml").exists() and not (HERE / "generate_books.py").exists():
        sys.exit("bench: the books generator (bench/generate_books.py) is not written yet")
    if not (books / "bo.yaml").exists():
        print(f"generating {books} ...", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate_books.py"),
                "--out",
                str(books),
                "--years",
                str(args.years),
                "--scale",
                str(args.scale),
            ],
            check=True,
        )
    ledger = books / "ledgers" / "main.beancount"
    text = "".join(p.read_text() for p in (books / "ledgers").rglob("*.beancount"))
    transactions = sum(1 for line in text.splitlines() if line[:4].isdigit() and " * " in line)
    size = sum(p.stat().st_size for p in (books / "ledgers").rglob("*.beancount")) / 2**20

    bean_cache = ledger.with_name(f".{ledger.name}.picklecache")
    bo_cache = books_folder(books)

    def drop_bean_cache() -> None:
        bean_cache.unlink(missing_ok=True)

    def drop_bo_cache() -> None:
        shutil.rmtree(bo_cache, ignore_errors=True)

    def drop_check_result() -> None:
        for path in bo_cache.glob("result-*"):
            path.unlink()

    bean_check, bo = str(BIN / "bean-check"), str(BIN / "bo")
    rows = [
        measure(
            "bean-check (no cache)",
            [bean_check, "--no-cache", str(ledger)],
            books,
            args.repeat,
            drop_bean_cache,
        ),
    ]
    run([bean_check, str(ledger)], books)  # fill beancount's own mtime cache
    rows.append(
        measure("bean-check (its pickle cache)", [bean_check, str(ledger)], books, args.repeat)
    )
    rows.append(
        measure("bo check cold (no bo cache)", [bo, "check"], books, args.repeat, drop_bo_cache)
    )
    run([bo, "check"], books)
    rows.append(
        measure(
            "bo check, ledger cache only",
            [bo, "check"],
            books,
            args.repeat,
            drop_check_result,
        )
    )
    run([bo, "check"], books)
    rows.append(measure("bo check warm (content cache)", [bo, "check"], books, args.repeat))
    drop_bean_cache()

    base = rows[0]["seconds"]
    print(
        f"books: {books.relative_to(HERE.parent)}: {transactions:,} transactions, "
        f"{size:.1f} MiB of ledger text; median of {args.repeat} runs on {os.cpu_count()} cores"
    )
    print(f"{'run':<32} {'seconds':>8} {'× bean-check':>13} {'peak MiB':>9}  exit")
    for row in rows:
        codes = ",".join(str(c) for c in sorted(row["codes"]))
        print(
            f"{row['name']:<32} {row['seconds']:>8.2f} {row['seconds'] / base:>13.2f} "
            f"{row['peak']:>9.0f}  {codes}"
        )


if __name__ == "__main__":
    main()
