"""Time `bo import` of a 100,000-row statement into books of 100,000+ transactions.

The statement holds every checking row the generated books already have (typed entries the
matcher must recognise) plus new rows up to --rows, spread over the same years, written in
the books' own bank layout with a consistent running balance. Each run imports into a fresh
copy of the books with a warm ledger cache, as a bookkeeper's second command of the day
would. Prints seconds and the ratio to `bean-check` on the same ledger.

    python bench/bench_import.py [--rows 100000] [--years 10] [--scale 16]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bo.books import wait_for_cache_writer

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
MERCHANTS = [
    "HARBOR PROPERTIES ACH RENT",
    "PGANDE WEB ONLINE",
    "MONTHLY SERVICE FEE",
    *(f"VENDOR {n:04d} ACH PAYMENT" for n in range(300)),
    *(f"CUSTOMER {n:04d} ACH PMT" for n in range(300)),
]


def statement_rows(books: Path, rows: int, seed: int) -> list[tuple[date, Decimal, str, str]]:
    existing = []
    for path in sorted((books / "statements/checking").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                day = datetime.strptime(row["Posting Date"], "%m/%d/%Y").date()
                existing.append((day, Decimal(row["Amount"]), row["Description"], row["Type"]))
    first, last = min(r[0] for r in existing), max(r[0] for r in existing)
    rng = random.Random(seed)
    span = (last - first).days
    new = []
    # New rows come in pairs inside one month, money in and the same money out, so the
    # books' monthly balance assertions still hold after the import (bean-check passes).
    for _ in range(max(0, rows - len(existing)) // 2):
        day = first + timedelta(days=rng.randrange(span + 1))
        other = day.replace(day=rng.randint(1, 28))
        amount = Decimal(rng.randint(500, 900_000)) / 100
        new.append((day, amount, rng.choice(MERCHANTS), "ACH"))
        new.append((other, -amount, rng.choice(MERCHANTS), "ACH"))
    return sorted(existing + new, key=lambda r: r[0])


def write_statement(path: Path, rows: list[tuple[date, Decimal, str, str]]) -> None:
    balance = Decimal("1000000.00")
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Details", "Posting Date", "Description", "Amount", "Type", "Balance",
                      "Check or Slip #"])  # fmt: skip
        for day, amount, text, kind in rows:
            balance += amount
            details = "CREDIT" if amount > 0 else "DEBIT"
            out.writerow([details, f"{day:%m/%d/%Y}", text, f"{amount:.2f}", kind, balance, ""])


def summary_counts(text: str) -> dict[str, int]:
    """The counts from bo import's terminal summary."""
    added = re.search(r"added ([\d,]+) entr", text)
    present = re.search(r"already in the books: ([\d,]+)", text)
    if added is None or present is None:
        sys.exit(f"bench: cannot read bo import's summary:\n{text[:2000]}")
    return {"added": int(added[1].replace(",", "")), "present": int(present[1].replace(",", ""))}


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--profile", action="store_true", help="cProfile the first import")
    args = parser.parse_args()

    books = HERE / "out" / f"books-{args.years}y-x{args.scale}"
    if not (books / "bo.yaml").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_books.py"), "--out", str(books),
             "--years", str(args.years), "--scale", str(args.scale)],
            check=True,
        )  # fmt: skip
    scratch = HERE / "out" / "import-scratch"
    wait_for_cache_writer(scratch / ".bo/cache")
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(books, scratch, ignore=shutil.ignore_patterns(".bo"))
    statement = scratch / "statements" / f"bench-{args.rows}.csv"
    rows = statement_rows(scratch, args.rows, seed=7)
    profile = ["-m", "cProfile", "-o", str(HERE / "out" / "import.prof")] if args.profile else []
    write_statement(statement, rows)

    bean_check = timed([str(BIN / "bean-check"), "--no-cache", "ledgers/main.beancount"], scratch)
    timed([str(BIN / "bo"), "check"], scratch)  # parse once and cache, like an earlier command
    wait_for_cache_writer(scratch / ".bo/cache")
    cmd = [str(BIN / "bo"), "import", str(statement), "--account", "Assets:Bank:Checking"]
    # Timed as a person runs it: the terminal summary (--json would add the time to print
    # 100,000 lines as JSON, which a person never reads).
    seconds, proc = timed([sys.executable, *profile, *cmd], scratch)
    if proc.returncode not in (0, 1):
        sys.exit(f"bo import failed ({proc.returncode}):\n{proc.stderr}")
    report = summary_counts(proc.stdout)
    wait_for_cache_writer(scratch / ".bo/cache")
    again, proc2 = timed(cmd, scratch)
    second = summary_counts(proc2.stdout)
    checked = timed([str(BIN / "bean-check"), "ledgers/main.beancount"], scratch)[1]
    failed = checked.stderr.count("Balance failed") + checked.stdout.count("Balance failed")

    transactions = sum(
        1
        for p in (scratch / "ledgers").rglob("*.beancount")
        if "imports" not in p.parts
        for line in p.read_text().splitlines()
        if line[:4].isdigit() and " * " in line
    )
    base = bean_check[0]
    print(f"books: {transactions:,} transactions; statement: {len(rows):,} rows")
    print(f"{'run':<44} {'seconds':>8} {'× bean-check':>13}")
    print(f"{'bean-check (no cache), before the import':<44} {base:>8.2f} {1:>13.2f}")
    print(
        f"{'bo import (warm ledger cache)':<44} {seconds:>8.2f} {seconds / base:>13.2f}"
        f"   added {report['added']:,}, already present {report['present']:,}"
    )
    print(
        f"{'bo import again (cache rebuilt: parses)':<44} {again:>8.2f} {again / base:>13.2f}"
        f"   added {second['added']:,}"
    )
    if checked.returncode == 0:
        print("bean-check after the import: passes")
    else:
        # Each statement line the matcher failed to recognise is imported a second time and
        # breaks every later monthly balance assertion.
        print(f"bean-check after the import: FAILS ({failed} balance assertions off)")


if __name__ == "__main__":
    main()
