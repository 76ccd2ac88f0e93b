"""Time `bo import` of a 100,000-row statement into books of 100,000+ transactions.

The books are generated with `--unbooked-from`: from that month on, the checking entries only
the bank knows of (fees, rent, payroll, customer receipts...) are left out of the ledger, while
its balance assertions still say what the bank says. So bean-check fails before the import.
The statement holds every checking row of the generated statements (typed entries the
matcher must recognise before that month, lines the books truly lack after it) plus pairs of
a payment and its return within the month, up to --rows, in the books' own bank layout with a
consistent running balance. After the import bean-check must pass: every line the books lack
was added, none they hold was added again. Each run imports into a fresh copy of the books
with a warm ledger cache, as a bookkeeper's second command of the day would. Prints seconds
and the ratio to `bean-check` on the same ledger.

    python bench/bench_import.py [--rows 100000] [--years 10] [--scale 16] [--unbooked-from 2023-01]
"""

from __future__ import annotations

import argparse
import csv
import os
import pty
import random
import re
import select
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
VENDORS = [f"VENDOR {n:04d}" for n in range(600)]


Row = tuple[date, Decimal, str, str, str]  # date, amount, description, type, check number


def statement_rows(books: Path, rows: int, seed: int) -> list[Row]:
    existing = []
    for path in sorted((books / "statements/checking").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            # The bank lists the newest row first; the bench statement runs oldest first.
            for row in reversed(list(csv.DictReader(handle))):
                day = datetime.strptime(row["Posting Date"], "%m/%d/%Y").date()
                existing.append(
                    (day, Decimal(row["Amount"]), row["Description"], row["Type"],
                     row["Check or Slip #"])
                )  # fmt: skip
    first, last = min(r[0] for r in existing), max(r[0] for r in existing)
    rng = random.Random(seed)
    span = (last - first).days
    new = []
    # The rest are payments the bank returned a few days later, within the month: lines the
    # books truly lack, netting to nothing, so the monthly balance assertions still hold.
    for _ in range(max(0, rows - len(existing)) // 2):
        day = first + timedelta(days=rng.randrange(span + 1))
        day = day.replace(day=min(day.day, 24))
        back = day + timedelta(days=rng.randint(1, 4))
        amount = Decimal(rng.randint(500, 900_000)) / 100
        vendor = rng.choice(VENDORS)
        new.append((day, -amount, f"{vendor} ACH PAYMENT", "ACH_DEBIT", ""))
        new.append((back, amount, f"{vendor} ACH RETURN R01", "ACH_CREDIT", ""))
    # A stable sort keeps the bank's own order of rows within a day.
    return sorted(existing + new, key=lambda r: r[0])


def write_statement(path: Path, rows: list[Row]) -> None:
    balance = Decimal("1000000.00")
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Details", "Posting Date", "Description", "Amount", "Type", "Balance",
                      "Check or Slip #"])  # fmt: skip
        for day, amount, text, kind, check in rows:
            balance += amount
            details = "CHECK" if check else ("CREDIT" if amount > 0 else "DEBIT")
            out.writerow([details, f"{day:%m/%d/%Y}", text, f"{amount:.2f}", kind, balance, check])


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


def on_terminal(cmd: list[str], cwd: Path) -> tuple[float, int, bytes]:
    """Run `cmd` with a pseudo-terminal as stderr, as a person would: seconds, exit code and
    what it drew there (the progress bar)."""
    parent, child = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=child, env={**os.environ, "COLUMNS": "100"}
    )
    os.close(child)
    drawn = bytearray()
    while True:
        ready, _, _ = select.select([parent], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(parent, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            drawn += chunk
        elif proc.poll() is not None:
            break
    out = proc.stdout.read() if proc.stdout else b""
    proc.wait()
    os.close(parent)
    return time.perf_counter() - start, proc.returncode, bytes(drawn) + b"\0" + out


def bar_counts(drawn: bytes) -> list[int]:
    """The distinct 'done' counts the progress bar showed ("12,345/99,999"), in order."""
    text = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", drawn.split(b"\0")[0]).decode(errors="replace")
    seen: list[int] = []
    for done in re.findall(r"(\d[\d,]*)/\d[\d,]*", text):
        number = int(done.replace(",", ""))
        if not seen or seen[-1] != number:
            seen.append(number)
    return seen


def failed_assertions(scratch: Path) -> tuple[int, int]:
    """(exit code, balance assertions failed) of bean-check on the books."""
    proc = timed([str(BIN / "bean-check"), "ledgers/main.beancount"], scratch)[1]
    return proc.returncode, (proc.stderr + proc.stdout).count("Balance failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=int, default=16)
    parser.add_argument("--unbooked-from", default="2023-01", metavar="YYYY-MM")
    parser.add_argument("--profile", action="store_true", help="cProfile the first import")
    args = parser.parse_args()

    books = HERE / "out" / f"books-{args.years}y-x{args.scale}-unbooked-{args.unbooked_from}"
    if not (books / "bo.yaml").exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_books.py"), "--out", str(books),
             "--years", str(args.years), "--scale", str(args.scale),
             "--unbooked-from", args.unbooked_from],
            check=True,
        )  # fmt: skip
    scratch = HERE / "out" / "import-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(books, scratch, ignore=shutil.ignore_patterns(".bo"))
    statement = scratch / "statements" / f"bench-{args.rows}.csv"
    rows = statement_rows(scratch, args.rows, seed=7)
    profile = ["-m", "cProfile", "-o", str(HERE / "out" / "import.prof")] if args.profile else []
    write_statement(statement, rows)

    bean_check = timed([str(BIN / "bean-check"), "--no-cache", "ledgers/main.beancount"], scratch)
    _, failed_before = failed_assertions(scratch)
    timed([str(BIN / "bo"), "check"], scratch)  # parse once and cache, like an earlier command
    cmd = [str(BIN / "bo"), "import", str(statement), "--account", "Assets:Bank:Checking"]
    # Timed as a person runs it: on a terminal, with the progress bar and the summary
    # (--json would add the time to print 100,000 lines as JSON, which a person never reads).
    seconds, code, drawn = on_terminal([sys.executable, *profile, *cmd], scratch)
    output = drawn.split(b"\0", 1)[1].decode()
    if code not in (0, 1):
        sys.exit(f"bo import failed ({code}):\n{drawn.decode(errors='replace')[-3000:]}")
    report = summary_counts(output)
    counts = bar_counts(drawn)
    again, proc2 = timed(cmd, scratch)
    second = summary_counts(proc2.stdout)
    checked, failed = failed_assertions(scratch)

    transactions = sum(
        1
        for p in (scratch / "ledgers").rglob("*.beancount")
        if "imports" not in p.parts
        for line in p.read_text().splitlines()
        if line[:4].isdigit() and " * " in line
    )
    base = bean_check[0]
    print(f"books: {transactions:,} transactions; statement: {len(rows):,} rows")
    print(f"bean-check before the import: {failed_before} balance assertions off (lines unbooked)")
    print(f"{'run':<44} {'seconds':>8} {'× bean-check':>13}")
    print(f"{'bean-check (no cache), before the import':<44} {base:>8.2f} {1:>13.2f}")
    print(
        f"{'bo import (warm ledger cache, on a terminal)':<44} {seconds:>8.2f} "
        f"{seconds / base:>13.2f}   added {report['added']:,}, "
        f"already present {report['present']:,}"
    )
    print(
        f"{'bo import again (cache rebuilt: parses)':<44} {again:>8.2f} {again / base:>13.2f}"
        f"   added {second['added']:,}"
    )
    shown = ", ".join(f"{n:,}" for n in counts[:: max(1, len(counts) // 8)])
    print(f"progress bar: {len(counts)} distinct counts drawn ({shown} ...)")
    if checked == 0:
        print("bean-check after the import: passes")
    else:
        # Each statement line the matcher failed to recognise is imported a second time and
        # breaks every later monthly balance assertion; each it wrongly took as present,
        # the same.
        print(f"bean-check after the import: FAILS ({failed} balance assertions off)")
        sys.exit(1)


if __name__ == "__main__":
    main()
