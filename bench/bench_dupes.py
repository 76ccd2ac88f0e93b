"""Time `find_duplicates` over books of 1,000,000 postings, with peak memory.

Entries are built in memory as beancount transactions (two postings each): card purchases
from a few hundred merchants, bills and their payments with invoice numbers, payroll from the
bank's import, transfers, with about a thousand planted duplicates (a bill paid twice, a
transfer booked twice). No statements: every judgement rests on the entries, the slowest
path. Prints wall and CPU seconds (on a shared machine wall time includes waiting for a
core), postings per second, peak memory, and how many planted duplicates were found.

    python bench/bench_dupes.py [--postings 1000000]"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from bo.duplicates.find import find_duplicates
from bo.duplicates.model import finding_id
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


FIRST = [
    "Alder",
    "Birch",
    "Cedar",
    "Dune",
    "Elm",
    "Fern",
    "Glen",
    "Heath",
    "Iris",
    "Juniper",
    "Kestrel",
    "Laurel",
    "Maple",
    "Nettle",
    "Oak",
    "Pine",
    "Quill",
    "Rowan",
    "Sage",
    "Thistle",
    "Umber",
    "Vale",
    "Willow",
    "Yarrow",
    "Zinnia",
]
MERCHANT_WORDS = [
    "Cafe",
    "Market",
    "Books",
    "Garage",
    "Deli",
    "Bakery",
    "Pharmacy",
    "Hardware",
    "Florist",
    "Tavern",
]
MERCHANT_WORDS += ["Grocer", "Outfitters", "Stationers", "Kitchen", "Diner", "Cinema"]
VENDOR_WORDS = [
    "Legal",
    "Printing",
    "Hosting",
    "Design",
    "Staffing",
    "Logistics",
    "Consulting",
    "Media",
]


def txn(day, payee, narration, postings, meta):
    return data.Transaction(
        {"filename": "/bench.beancount", "lineno": 1, **meta}, day, "*", payee, narration,
        frozenset(), frozenset(),
        [data.Posting(a, Amount(n, "USD"), None, None, None, None) for a, n in postings],
    )  # fmt: skip


def generate(
    postings: int, rng: random.Random
) -> tuple[list[data.Transaction], dict[str, set[str]]]:
    """The entries, and the ids of the duplicates planted among them, by kind."""
    start = date(2016, 1, 1)
    # Distinct names, as real payees are ("Merchant 12" and "Merchant 345" would read as
    # one payee: digits are store numbers to the matcher).
    merchants = [f"{a} {b}" for a in FIRST for b in MERCHANT_WORDS][:400]
    vendors = [f"{a} {b}" for a in FIRST for b in VENDOR_WORDS][:200]
    entries: list[data.Transaction] = []
    planted: dict[str, set[str]] = {"duplicate payment": set(), "transfer twice": set()}
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
                planted["duplicate payment"].add(finding_id(entries[-2:]))
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
                planted["transfer twice"].add(finding_id(entries[-2:]))
    return entries, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(1)
    entries, planted = generate(args.postings, rng)
    count = sum(len(e.postings) for e in entries)
    # As the `bo` script runs the scan: the collector's threshold its own, and the entries
    # frozen as bo's loader leaves a ledger (`bo.books.gc_paused`).
    gc.set_threshold(100_000, 50, 100)
    gc.freeze()
    start, cpu = time.perf_counter(), time.process_time()
    found = find_duplicates(entries, SETTINGS)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"find_duplicates over {count:,} postings ({len(entries):,} entries): {seconds:.2f} s "
        f"({cpu:.2f} s of CPU; {count / seconds:,.0f} postings/s), peak memory {peak:,.0f} MiB"
    )
    ids = {d.id for d in found}
    for kind, planted_ids in planted.items():
        print(f"  planted {kind}: {len(planted_ids & ids):,} of {len(planted_ids):,} found")
    everything = set().union(*planted.values())
    others = Counter(d.kind for d in found if d.id not in everything)
    for kind, n in sorted(others.items()):
        print(f"  not planted, {kind}: {n:,} (same payee and amount within days by chance)")


if __name__ == "__main__":
    main()
