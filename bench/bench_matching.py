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
import itertools
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

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


# --- A month of a busy checking account, for `reconcile` itself ----------------------------------

CHECKING = "Assets:Bank:Checking"


@dataclass
class Month:
    """A month of books and its statement, with which entries each statement line really is."""

    entries: list  # beancount Transactions, one posting to CHECKING each
    statement: object  # bo.statements.Statement
    truth: dict[str, frozenset[str]]  # statement line id -> entry keys it is


def generate_month(rng: random.Random, year: int, month: int, per_day: int = 80) -> Month:
    """A month as a busy account sees it: every trouble a bank rec meets, with known truth.

    The books record each payment on the day it was made; the bank posts it earlier (a
    pending card line dated back) or later (ACH one to three days, checks when the payee
    deposits them, a week or three). Coffees, subscriptions and payroll repeat amounts, many
    on one day; checks carry their numbers on both sides; some receipts are deposited
    together (two to twelve on one slip) and some payments leave the bank in two or three
    lines; 2% of entries are not on the statement yet, 2% of lines (fees, interest, strays)
    are not in the books, and a few lines carry a typo or a netted fee.
    """
    from beancount.core import data
    from beancount.core.amount import Amount

    from bo.errors import Source
    from bo.imports import line_ids
    from bo.reconcile import entry_keys
    from bo.statements import Statement, StatementLine

    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    path = Path(f"statements/checking/{year:04d}-{month:02d}.csv")
    entries: list = []
    bank: list[tuple[date, Decimal, str, str | None, list[int]]] = []  # lines and their entries
    check_number = rng.randrange(1000, 5000)

    def book(day: date, payee: str, amount: Decimal, check: str | None = None) -> int:
        meta = {"filename": "ledgers/books.beancount", "lineno": len(entries) * 4 + 1}
        if check:
            meta["check"] = check
        other = "Income:Services" if amount > 0 else "Expenses:Office"
        postings = [
            data.Posting(CHECKING, Amount(amount, "USD"), None, None, None, None),
            data.Posting(other, Amount(-amount, "USD"), None, None, None, None),
        ]
        entries.append(
            data.Transaction(meta, day, "*", payee, "", frozenset(), frozenset(), postings)
        )
        return len(entries) - 1

    def post(day: date, amount: Decimal, text: str, ref: str | None, made: list[int]) -> None:
        if first <= day <= last:
            if made and rng.random() < 0.003 and len(str(abs(amount))) > 4:
                digits = str(abs(amount))  # a typo: the first two digits swapped
                amount = Decimal(digits[1] + digits[0] + digits[2:]).copy_sign(amount)
            bank.append((day, amount, text, ref, made))

    def noisy(payee: str) -> str:
        return f"{rng.choice(BANK_NOISE)} {payee.upper()} {rng.randrange(1000, 9999)}"

    slips: dict[date, list[int]] = {}
    for offset in range(3, (last - first).days - 3):
        day = first + timedelta(days=offset)
        for _ in range(per_day):
            roll = rng.random()
            if roll < 0.22:
                payee, amount = rng.choice(COFFEES)
                amount, clears = Decimal(amount), day + timedelta(days=rng.choice([-1, 0, 1, 1, 2]))
            elif roll < 0.26:
                payee, amount = rng.choice(SUBSCRIPTIONS)
                amount, clears = Decimal(amount), day + timedelta(days=rng.choice([-2, 0, 1]))
            elif roll < 0.30:
                payee, amount = "Payroll", Decimal(rng.choice(PAYROLL))
                clears = day + timedelta(days=rng.choice([0, 1]))
            elif roll < 0.38:
                check_number += 1
                payee, amount = rng.choice(VENDORS), -money(rng, 50, 4000)
                entry = None if rng.random() < 0.02 else book(day, payee, amount, str(check_number))
                clears = day + timedelta(days=rng.randint(2, 21))
                if entry is not None or rng.random() < 0.5:
                    text = f"CHECK {check_number}"
                    post(clears, amount, text, str(check_number), [] if entry is None else [entry])
                continue
            elif roll < 0.41:
                # One payment, two or three lines at the bank (a card paid from two sources).
                payee, amount = rng.choice(VENDORS), -money(rng, 300, 3000)
                entry = book(day, payee, amount)
                cents = int(-amount * 100)
                parts = sorted(rng.sample(range(1, cents), rng.choice([1, 2])))
                for lo, hi in itertools.pairwise([0, *parts, cents]):
                    part = -Decimal(hi - lo) / 100
                    post(
                        day + timedelta(days=rng.choice([0, 1])), part, noisy(payee), None, [entry]
                    )
                continue
            elif roll < 0.80:
                payee, amount = rng.choice(VENDORS), -money(rng, 5, 2500)
                clears = day + timedelta(days=rng.choice([-1, 0, 1, 2, 3]))
            else:
                payee, amount = rng.choice(CUSTOMERS), money(rng, 50, 9000)
                if rng.random() < 0.3:
                    slips.setdefault(day, []).append(book(day, payee, amount))
                    continue
                clears = day + timedelta(days=rng.choice([0, 1, 2]))
            if rng.random() < 0.02:
                book(day, payee, amount)  # not on the statement yet
                continue
            entry = book(day, payee, amount)
            if amount > 0 and rng.random() < 0.002:
                amount -= Decimal("2.50")  # the processor kept its fee
            post(clears, amount, noisy(payee), None, [entry])
    for day, receipts in sorted(slips.items()):
        # A slip of two to twelve of the day's checks; more stay for the next slip.
        while receipts:
            size = min(len(receipts), rng.choice([1, 2, 3, 4, 6, 8, 12]))
            slip, receipts = receipts[:size], receipts[size:]
            total = sum(entries[k].postings[0].units.number for k in slip)
            post(day + timedelta(days=1), total, "REMOTE ONLINE DEPOSIT", None, slip)
    for _ in range(max(1, len(bank) // 50)):
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        fee = rng.choice(["-15.00", "-25.00", "-35.00", "-3.00", "1.27"])
        post(
            day, Decimal(fee), rng.choice(["SERVICE FEE", "WIRE FEE", "INTEREST PAYMENT"]), None, []
        )
    rng.shuffle(bank)
    lines = [
        StatementLine(
            CHECKING, day, Amount(amount, "USD"), text, "", ref, None, None,
            Source(str(path), row + 2), row,
        )
        for row, (day, amount, text, ref, _) in enumerate(bank)
    ]  # fmt: skip
    keys = [key for key, _, _ in entry_keys(entries, CHECKING)]
    ids = line_ids(lines)
    truth = {
        line_id: frozenset(keys[k] for k in made)
        for line_id, (*_, made) in zip(ids, bank, strict=True)
        if made
    }
    statement = Statement.from_lines(CHECKING, path, "USD", lines, period=(first, last))
    return Month(entries, statement, truth)
