"""Time reconciliation-sized matching: 100,000 statement lines against 1,000,000 postings.

The postings are bench_matching's generated books (coffees, subscriptions, payroll, card
purchases, receipts over years); the statement is the last tenth of them as a bank prints
them (dates shifted, bank text, lines missing and added, deposits merged, typos). Also the
two worst cases: a thousand lines of one amount in one window, and thirty receipts summing to
one deposit. Prints seconds, matches per second, the share matched correctly and peak memory.

    python bench/bench_reconcile.py [--postings 1000000] [--lines 100000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matching import bank_statement, correct_share, generate_books, same_amount_and_payee

from bo.matching import Item, match_items


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worst_cases() -> None:
    day = date(2025, 9, 15)
    same = [
        Item(i, day + timedelta(days=i % 3), Decimal("-6.50"), "USD", "COFFEE") for i in range(1000)
    ]
    books = [
        Item(i, day + timedelta(days=i % 4), Decimal("-6.50"), "USD", "Coffee") for i in range(1000)
    ]
    start = time.perf_counter()
    result = match_items(same, books)
    print(
        f"1,000 lines of one amount in one window: {time.perf_counter() - start:.2f} s, "
        f"{len(result.matches):,} matches"
    )
    rng = random.Random(3)
    receipts = [
        Item(i, day, Decimal(rng.randint(1000, 90000)) / 100, "USD", f"Customer {i}")
        for i in range(30)
    ]
    deposit = [Item("deposit", day, sum(r.amount for r in receipts), "USD", "DEPOSIT")]
    start = time.perf_counter()
    result = match_items(deposit, receipts)
    print(
        f"30 receipts against one deposit: {time.perf_counter() - start:.2f} s, "
        f"{len(result.matches)} match of {max((len(m.right) for m in result.matches), default=0)}"
        " receipts"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = time.perf_counter()
    books = generate_books(args.postings, rng)
    books.sort(key=lambda item: item.date)
    sample = books[-args.lines :]
    bank, truth = bank_statement(sample, rng)
    print(
        f"generated {len(books):,} postings and {len(bank):,} statement lines "
        f"in {time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    result = match_items(bank, books, explain=False)
    seconds = time.perf_counter() - start
    print(
        f"match_items {len(bank):,} x {len(books):,}: {seconds:.2f} s "
        f"({len(result.matches) / seconds:,.0f} matches/s), {len(result.matches):,} matches, "
        f"{len(result.near_misses):,} near misses"
    )
    print(
        f"correct: {correct_share(result.matches, truth, same_amount_and_payee):.2%} "
        f"(same amount and payee); peak memory {peak_mib():,.0f} MiB"
    )
    worst_cases()


if __name__ == "__main__":
    main()
