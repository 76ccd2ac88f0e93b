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
import json
import random
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
    for _ in range(max(0, rows - len(existing))):
        day = first + timedelta(days=rng.randrange(span + 1))
        cents = rng.randint(500, 900_000) * (1 if rng.random() < 0.3 else -1)
        new.append((day, Decimal(cents) / 100, rng.choice(MERCHANTS), "ACH"))
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


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
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
    write_statement(statement, rows)

    bean_check = timed([str(BIN / "bean-check"), "--no-cache", "ledgers/main.beancount"], scratch)
    timed([str(BIN / "bo"), "check"], scratch)  # parse once and cache, like an earlier command
    wait_for_cache_writer(scratch / ".bo/cache")
    cmd = [str(BIN / "bo"), "import", str(statement), "--account", "Assets:Bank:Checking"]
    seconds, proc = timed([*cmd, "--json"], scratch)
    if proc.returncode not in (0, 1):
        sys.exit(f"bo import failed ({proc.returncode}):\n{proc.stderr}")
    report = json.loads(proc.stdout)
    wait_for_cache_writer(scratch / ".bo/cache")
    again, proc2 = timed([*cmd, "--json"], scratch)
    second = json.loads(proc2.stdout)
    ok = timed([str(BIN / "bean-check"), "ledgers/main.beancount"], scratch)[1].returncode == 0

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
        f"   added {len(report['added']):,}, already present {len(report['present']):,}"
    )
    print(
        f"{'bo import again (cache rebuilt: parses)':<44} {again:>8.2f} {again / base:>13.2f}"
        f"   added {len(second['added']):,}"
    )
    print(f"bean-check after the import: {'passes' if ok else 'FAILS'}")


if __name__ == "__main__":
    main()
