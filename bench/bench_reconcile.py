"""Time reconciliation-sized matching: 100,000 statement lines against 1,000,000 postings.

The postings are bench_matching's generated books (coffees, subscriptions, payroll, card
purchases, receipts over years); the statement is the last tenth of them as a bank prints
them (dates shifted, bank text, lines missing and added, deposits merged, typos). The match
runs with reasons for every unmatched item and with the garbage collector set as `bo`'s
command line sets it (and the ledger frozen, as `bo` freezes a loaded ledger), so the
figure is what `bo reconcile` spends matching.

Then `reconcile()` itself, as `bo reconcile` calls it after loading the books: a busy
generated month (bench_matching's generate_month), and the two worst cases, a thousand lines
of one amount in one window and thirty receipts summing to one deposit. Prints wall and CPU
seconds (CPU is the steadier figure on a shared machine), the share matched correctly and
peak memory.

    python bench/bench_reconcile.py [--postings 1000000] [--lines 100000] [--per-day 400]
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matching import (
    CHECKING,
    bank_statement,
    correct_share,
    generate_books,
    generate_month,
    same_amount_and_payee,
)

from bo.matching import match_items

ROOT = Path(__file__).resolve().parents[1]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def month_books(lines: list[tuple[date, str, str]], entries: list[tuple[date, str, str]]):
    """A statement and the entries of one month, from (date, amount, text) rows."""
    from beancount.core import data
    from beancount.core.amount import Amount

    from bo.errors import Source
    from bo.statements import Statement, StatementLine

    path = Path("statements/checking/2025-09.csv")
    rows = [
        StatementLine(
            CHECKING, day, Amount(Decimal(amount), "USD"), text, "", None, None, None,
            Source(str(path), row + 2), row,
        )
        for row, (day, amount, text) in enumerate(lines)
    ]  # fmt: skip
    booked = [
        data.Transaction(
            {"filename": "ledgers/2025.beancount", "lineno": k + 1}, day, "*", text, "",
            frozenset(), frozenset(),
            [
                data.Posting(CHECKING, Amount(Decimal(amount), "USD"), None, None, None, None),
                data.Posting("Expenses:Meals", Amount(-Decimal(amount), "USD"), None, None, None,
                             None),
            ],
        )
        for k, (day, amount, text) in enumerate(entries)
    ]  # fmt: skip
    return Statement.from_lines(CHECKING, path, "USD", rows), booked


def timed_reconcile(statement, entries, period):
    from bo.periods import Period
    from bo.reconcile import reconcile
    from bo.settings import load_settings

    settings = load_settings(ROOT)
    with Timer() as timer:
        rec = reconcile(
            ROOT, settings, entries, CHECKING, Period(*period), [statement], previous={}
        )
    return rec, timer


def worst_cases() -> None:
    day = date(2025, 9, 15)
    statement, entries = month_books(
        [(day + timedelta(days=i % 3), "-6.50", "COFFEE CART") for i in range(1000)],
        [(day + timedelta(days=i % 4), "-6.50", "Coffee Cart") for i in range(1000)],
    )
    rec, timer = timed_reconcile(statement, entries, (2025, 9))
    print(
        f"reconcile, 1,000 lines of one amount in one window: {timer}, "
        f"{rec.matched_lines:,} lines matched, {len(rec.missing) + len(rec.in_transit)} open"
    )
    rng = random.Random(3)
    receipts = [(day, f"{rng.randint(1000, 90000) / 100:.2f}", f"Customer {i}") for i in range(30)]
    total = sum(Decimal(amount) for _, amount, _ in receipts)
    statement, entries = month_books([(day, str(total), "REMOTE ONLINE DEPOSIT")], receipts)
    rec, timer = timed_reconcile(statement, entries, (2025, 9))
    sizes = [len(m.entries) for m in rec.matches]
    print(f"reconcile, 30 receipts against one deposit: {timer}, matches of {sizes} receipts")


def busy_month(per_day: int) -> None:
    generated = generate_month(random.Random(1), 2025, 6, per_day=per_day)
    rec, timer = timed_reconcile(generated.statement, generated.entries, (2025, 6))
    lines = len(generated.statement.lines)
    print(
        f"reconcile, a month of {lines:,} statement lines and {len(generated.entries):,} "
        f"entries: {timer}, {rec.matched_lines:,} lines matched, {len(rec.missing):,} missing, "
        f"{len(rec.in_transit):,} in transit, {len(rec.near):,} amounts differ"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--per-day", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # As `bo` runs: its command line raises the collector's threshold, and the books
    # freeze the loaded ledger so that later collections do not walk it again.
    gc.set_threshold(100_000, 50, 100)
    rng = random.Random(args.seed)
    start = time.perf_counter()
    books = generate_books(args.postings, rng)
    books.sort(key=lambda item: item.date)
    sample = books[-args.lines :]
    bank, truth = bank_statement(sample, rng)
    gc.freeze()
    print(
        f"generated {len(books):,} postings and {len(bank):,} statement lines "
        f"in {time.perf_counter() - start:.1f} s"
    )
    with Timer() as timer:
        result = match_items(bank, books)
    seconds = timer.wall
    print(
        f"match_items {len(bank):,} x {len(books):,}: {timer} "
        f"({len(result.matches) / seconds:,.0f} matches/s), {len(result.matches):,} matches, "
        f"{len(result.near_misses):,} near misses"
    )
    print(
        f"correct: {correct_share(result.matches, truth, same_amount_and_payee):.2%} "
        f"(same amount and payee); peak memory {peak_mib():,.0f} MiB"
    )
    del books, sample, bank, truth, result
    gc.unfreeze()
    gc.collect()
    worst_cases()
    busy_month(args.per_day)


if __name__ == "__main__":
    main()
