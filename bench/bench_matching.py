"""Time the matcher on generated books: N postings against a perturbed bank statement.

The postings repeat amounts the way a small business does (daily coffees, monthly
subscriptions, biweekly payroll, card purchases, customer receipts). The statement is a copy
with dates shifted 0-3 days, bank-style text, 2% of the lines removed and 2% added; on some
days the bank deposits several receipts as one line, and a few lines carry a typo (digits
transposed) or a netted fee. Prints the seconds of `match_items` and `find_similar_pairs` and
matches per second.

    python bench/bench_matching.py [--sizes 1000 10000 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from decimal import Decimal

from bo.matching import Item, find_similar_pairs, match_items

START = date(2018, 1, 1)
COFFEES = [("Blue Bottle", "-4.50"), ("Starbucks", "-5.25"), ("Peets", "-3.75")]
SUBSCRIPTIONS = [
    ("Adobe", "-52.99"),
    ("Github", "-21.00"),
    ("Slack", "-87.50"),
    ("Google Workspace", "-72.00"),
    ("Zoom", "-15.99"),
    ("Dropbox", "-19.99"),
]
PAYROLL = ["-2450.00", "-3100.00", "-1875.50", "-2450.00"]
VENDORS = [f"Vendor {n}" for n in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")]
CUSTOMERS = [f"Customer {n}" for n in ("Acme", "Globex", "Initech", "Umbrella", "Hooli")]
BANK_NOISE = ["POS PURCHASE", "CHECKCARD", "ACH DEBIT", "DEBIT CARD PURCHASE", "PAYMENT"]


def money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.2f}")


def generate_books(n: int, rng: random.Random) -> list[Item]:
    """About 40 postings a day: the span grows with n."""
    days = max(30, n // 40)
    items = []
    for index in range(n):
        day = START + timedelta(days=rng.randrange(days))
        roll = rng.random()
        if roll < 0.25:
            text, amount = rng.choice(COFFEES)
            amount = Decimal(amount)
        elif roll < 0.30:
            text, amount = rng.choice(SUBSCRIPTIONS)
            amount = Decimal(amount)
            day = day.replace(day=(min(day.day, 28) - 1) // 7 * 7 + 1)  # a few billing days a month
        elif roll < 0.35:
            text, amount = "Payroll", Decimal(rng.choice(PAYROLL))
        elif roll < 0.80:
            text, amount = rng.choice(VENDORS), -money(rng, 5, 2000)
        else:
            text, amount = rng.choice(CUSTOMERS), money(rng, 50, 9000)
        items.append(Item(("books.beancount", index + 1), day, amount, "USD", text))
    return items


def bank_statement(books: list[Item], rng: random.Random) -> tuple[list[Item], dict]:
    """The bank's view (later dates, noisy text, 2% missing, 2% the books don't have), and
    which postings each line really is."""
    lines: list[Item] = []
    truth: dict[tuple, list[Item]] = {}
    receipts: dict[date, list[Item]] = {}
    for item in books:
        if rng.random() < 0.02:
            continue
        if item.amount > 0 and rng.random() < 0.1:
            receipts.setdefault(item.date, []).append(item)  # deposited together, below
            continue
        text = f"{rng.choice(BANK_NOISE)} {item.text.upper()} #{rng.randrange(10_000)}"
        day = item.date + timedelta(days=rng.randint(0, 3))
        amount = item.amount
        roll = rng.random()
        if roll < 0.001 and len(str(abs(amount))) > 4:
            digits = str(abs(amount))  # a typo: the first two digits swapped
            amount = Decimal(digits[1] + digits[0] + digits[2:]).copy_sign(amount)
        elif roll < 0.002 and amount > 0:
            amount -= Decimal("2.50")  # the processor kept its fee
        key = ("bank.csv", len(lines) + 1)
        lines.append(item._replace(key=key, date=day, text=text, amount=amount))
        truth[key] = [item]
    for day, deposited in sorted(receipts.items()):
        total = sum(item.amount for item in deposited)
        key = ("bank.csv", len(lines) + 1)
        lines.append(Item(key, day + timedelta(days=1), total, "USD", "DEPOSIT"))
        truth[key] = deposited
    extra = generate_books(max(1, len(books) // 50), rng)
    for item in extra:
        lines.append(item._replace(key=("bank.csv", len(lines) + 1), text=item.text.upper()))
    rng.shuffle(lines)
    return lines, truth


def correct_share(matches, truth: dict, alike) -> float:
    """Share of matches that pair lines with the postings they were made from, up to `alike`."""
    correct = 0
    for match in matches:
        expected = sorted(alike(p) for line in match.left for p in truth.get(line.key, ()))
        correct += expected == sorted(alike(p) for p in match.right)
    return correct / max(1, len(matches))


def same_posting(item: Item) -> tuple:
    return (item.date, item.amount, item.text)  # two coffees of one day are interchangeable


def same_amount_and_payee(item: Item) -> tuple:
    # The generator shifts clearing dates at random, so the Tuesday and the Wednesday coffee
    # are indistinguishable to any matcher: either pairing clears the same money.
    return (item.amount, item.text)


def run(n: int, seed: int) -> None:
    rng = random.Random(seed)
    books = generate_books(n, rng)
    bank, truth = bank_statement(books, rng)

    start = time.perf_counter()
    result = match_items(bank, books)
    matching = time.perf_counter() - start
    groups = sum(1 for m in result.matches if len(m.left) + len(m.right) > 2)

    start = time.perf_counter()
    similar = find_similar_pairs(books)
    duplicates = time.perf_counter() - start

    print(
        f"n={n:>7,}  match_items {len(bank):,} x {len(books):,}: {matching:6.2f} s"
        f"  ({len(result.matches) / matching:>9,.0f} matches/s)"
        f"  matches={len(result.matches):,} (groups {groups:,})"
        f"  left_only={len(result.left_only):,} right_only={len(result.right_only):,}"
        f"  near_misses={len(result.near_misses):,}"
    )
    print(
        f"{'':11}correct: {correct_share(result.matches, truth, same_posting):.2%} same posting,"
        f" {correct_share(result.matches, truth, same_amount_and_payee):.2%} same amount and payee"
    )
    print(
        f"{'':11}find_similar_pairs {len(books):,}: {duplicates:6.2f} s"
        f"  ({len(books) / duplicates:>9,.0f} items/s)  pairs={len(similar):,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.seed)


if __name__ == "__main__":
    main()
