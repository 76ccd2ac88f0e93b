"""Time `find_duplicates` over books of 1,000,000 postings, with peak memory.

Entries are built in memory as beancount transactions (two postings each): card purchases
from a few hundred merchants, bills and their payments with invoice numbers, payroll,
transfers, with a few hundred planted duplicates of each kind. Prints seconds, postings per
second, findings by kind and peak memory.

    python bench/bench_dupes.py [--postings 1000000]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from bo.duplicates import find_duplicates
from bo.settings import Settings

SETTINGS = Settings.model_validate(
    {
        "entity": {"name": "Bench LLC", "currency": "USD"},
        "accounts": {
            "Assets:Checking": {"role": "bank"},
            "Assets:Savings": {"role": "bank"},
            "Liabilities:Card": {"role": "card"},
            "Liabilities:AP": {"role": "payable"},
        },
    }
)


def txn(day, payee, narration, postings, meta):
    return data.Transaction(
        {"filename": "/bench.beancount", "lineno": 1, **meta}, day, "*", payee, narration,
        frozenset(), frozenset(),
        [data.Posting(a, Amount(n, "USD"), None, None, None, None) for a, n in postings],
    )  # fmt: skip


def generate(postings: int, rng: random.Random) -> list[data.Transaction]:
    start = date(2016, 1, 1)
    merchants = [f"Merchant {i}" for i in range(400)]
    vendors = [f"Vendor {i}" for i in range(200)]
    entries = []
    n = 0
    while len(entries) * 2 < postings:
        n += 1
        day = start + timedelta(days=rng.randrange(3650))
        roll = rng.random()
        amount = Decimal(rng.randint(100, 500000)) / 100
        if roll < 0.7:
            payee = rng.choice(merchants)
            entries.append(
                txn(
                    day,
                    payee,
                    "Purchase",
                    [("Expenses:Office", amount), ("Liabilities:Card", -amount)],
                    {},
                )
            )
        elif roll < 0.85:
            vendor, ref = rng.choice(vendors), f"INV-{n}"
            entries.append(
                txn(
                    day,
                    vendor,
                    f"Bill {ref}",
                    [("Expenses:Services", amount), ("Liabilities:AP", -amount)],
                    {"invoice": ref},
                )
            )
            entries.append(
                txn(
                    day + timedelta(days=20),
                    vendor,
                    f"Payment {ref}",
                    [("Liabilities:AP", amount), ("Assets:Checking", -amount)],
                    {"invoice": ref},
                )
            )
            if rng.random() < 0.01:
                entries.append(
                    txn(
                        day + timedelta(days=25),
                        vendor,
                        f"Paid {ref}",
                        [("Liabilities:AP", amount), ("Assets:Checking", -amount)],
                        {"invoice": ref},
                    )
                )
        elif roll < 0.95:
            entries.append(
                txn(
                    day,
                    "Gusto",
                    "Payroll",
                    [("Expenses:Wages", amount), ("Assets:Checking", -amount)],
                    {"import-id": f"bank:{n}"},
                )
            )
        else:
            entries.append(
                txn(
                    day,
                    None,
                    "Transfer",
                    [("Assets:Savings", amount), ("Assets:Checking", -amount)],
                    {},
                )
            )
            if rng.random() < 0.02:
                entries.append(
                    txn(
                        day + timedelta(days=1),
                        None,
                        "Transfer in",
                        [("Assets:Savings", amount), ("Assets:Checking", -amount)],
                        {},
                    )
                )
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(1)
    entries = generate(args.postings, rng)
    count = sum(len(e.postings) for e in entries)
    start = time.perf_counter()
    found = find_duplicates(entries, SETTINGS)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kinds = Counter(d.kind for d in found)
    print(
        f"find_duplicates over {count:,} postings ({len(entries):,} entries): {seconds:.2f} s "
        f"({count / seconds:,.0f} postings/s), peak memory {peak:,.0f} MiB"
    )
    for kind, n in sorted(kinds.items()):
        print(f"  {kind}: {n:,}")


if __name__ == "__main__":
    main()
