"""`bo dupes`: the demo's planted duplicate payment, honest look-alikes, a known-truth set."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from bo.duplicates import find_duplicates, finding_id, statement_counts
from bo.settings import Settings
from tests.conftest import PROJECT


def test_demo_books_show_exactly_the_planted_duplicate_payment(bo):
    result = bo("dupes", "--json", "--books", str(PROJECT))
    assert result.exit_code == 1
    (dupe,) = json.loads(result.stdout)
    assert dupe["kind"] == "duplicate payment"
    assert "same vendor Pixel Print Co, same invoice PP-2025-0016" in dupe["reasons"]
    assert all(where.startswith("ledgers/2025.beancount:") for where in dupe["entries"])
    # The two identical Blue Bottle coffees of 2025-09-11 are two statement lines: honest.
    september = bo("dupes", "--period", "2025-09", "--json", "--books", str(PROJECT))
    assert len(json.loads(september.stdout)) == 1


def test_a_dismissal_is_remembered_until_the_entries_change(demo, bo):
    (dupe,) = json.loads(bo("dupes", "--json", cwd=demo).stdout)
    assert bo("dupes", "--dismiss", dupe["id"], cwd=demo).exit_code == 2  # no reason given
    assert bo("dupes", "--dismiss", "d-nope", "--reason", "x", cwd=demo).exit_code == 2
    done = bo("dupes", "--dismiss", dupe["id"], "--reason", "refund requested", cwd=demo)
    assert done.exit_code == 0
    assert "refund requested" in (demo / "dupes/dismissed.yaml").read_text()
    assert bo("dupes", cwd=demo).exit_code == 0
    # Change one of the entries: it is a new question.
    ledger = demo / "ledgers/2025.beancount"
    ledger.write_text(
        ledger.read_text().replace('"ACH payment for PP-2025-0016"', '"ACH for PP-2025-0016"')
    )
    assert bo("dupes", cwd=demo).exit_code == 1


# --- a generated set with known truth ----------------------------------------------------------

SETTINGS = Settings.model_validate(
    {
        "entity": {"name": "Truth LLC", "currency": "USD"},
        "accounts": {
            "Assets:Checking": {"role": "bank"},
            "Assets:Savings": {"role": "bank"},
            "Liabilities:Card": {"role": "card"},
            "Liabilities:AP": {"role": "payable"},
        },
    }
)
VENDORS = ["Acme Supply", "Bolt Hosting", "Cobalt Legal", "Delta Print", "Echo Media"]
SPELLINGS = {"Acme Supply": "ACME SUPPLY INC", "Bolt Hosting": "Bolt Hosting LLC",
             "Cobalt Legal": "Cobalt Legal", "Delta Print": "DELTA PRINT CO",
             "Echo Media": "Echo Media Group"}  # fmt: skip


def txn(day, payee, narration, postings, meta=None):
    meta = {"filename": "/truth.beancount", "lineno": random.randint(1, 10**6), **(meta or {})}
    return data.Transaction(
        meta, day, "*", payee, narration, frozenset(), frozenset(),
        [data.Posting(a, Amount(Decimal(n), "USD"), None, None, None, None) for a, n in postings],
    )  # fmt: skip


def generate(seed: int):
    rng = random.Random(seed)
    entries, truth, printed = [], set(), []
    start = date(2025, 1, 1)
    for n in range(300):
        day = start + timedelta(days=rng.randrange(330))
        vendor = rng.choice(VENDORS)
        amount = f"{rng.randint(50, 5000)}.{rng.randint(0, 99):02d}"
        kind = rng.random()
        if kind < 0.15:  # a bill paid twice, the second with another spelling and format
            ref = f"INV-{n:04d}"
            bill = txn(
                day,
                vendor,
                f"Bill {ref}",
                [("Expenses:Services", amount), ("Liabilities:AP", f"-{amount}")],
                {"invoice": ref},
            )
            pay1 = txn(
                day + timedelta(days=14),
                vendor,
                f"Payment {ref}",
                [("Liabilities:AP", amount), ("Assets:Checking", f"-{amount}")],
                {"invoice": ref},
            )
            pay2 = txn(
                day + timedelta(days=14 + rng.randint(1, 9)),
                vendor,
                f"Paid inv {n}",
                [("Liabilities:AP", amount), ("Assets:Checking", f"-{amount}")],
                {"invoice": f"inv {n:05d}"},
            )
            entries += [bill, pay1, pay2]
            truth.add(finding_id([pay1, pay2]))
        elif kind < 0.25:  # a card charge typed twice, the second payee spelled otherwise
            first = txn(
                day,
                vendor,
                "Supplies",
                [("Expenses:Office", amount), ("Liabilities:Card", f"-{amount}")],
            )
            second = txn(
                day + timedelta(days=rng.randint(0, 3)),
                SPELLINGS[vendor],
                "Supplies",
                [("Expenses:Office", amount), ("Liabilities:Card", f"-{amount}")],
            )
            entries += [first, second]
            printed.append(("Liabilities:Card", day, Decimal(f"-{amount}")))
            truth.add(finding_id([first, second]))
        elif kind < 0.32:  # a transfer imported from both statements
            first = txn(
                day,
                None,
                "Transfer to savings",
                [("Assets:Savings", amount), ("Assets:Checking", f"-{amount}")],
                {"import-id": f"row:a{n}:1"},
            )
            second = txn(
                day + timedelta(days=1),
                None,
                "Transfer from checking",
                [("Assets:Savings", amount), ("Assets:Checking", f"-{amount}")],
                {"import-id": f"row:b{n}:1"},
            )
            entries += [first, second]
            truth.add(finding_id([first, second]))
        elif kind < 0.40:  # the same bank line imported twice
            first = txn(
                day,
                vendor,
                "Hosting",
                [("Expenses:Hosting", amount), ("Assets:Checking", f"-{amount}")],
                {"import-id": f"bank:{n}"},
            )
            second = txn(
                day,
                vendor,
                "Hosting",
                [("Expenses:Hosting", amount), ("Assets:Checking", f"-{amount}")],
                {"import-id": f"bank:{n}"},
            )
            entries += [first, second]
            truth.add(finding_id([first, second]))
        elif kind < 0.55:  # look-alike: two identical coffees, two statement lines
            for _ in range(2):
                entries.append(
                    txn(
                        day,
                        "Blue Bottle",
                        "Coffee",
                        [("Expenses:Meals", "6.50"), ("Liabilities:Card", "-6.50")],
                    )
                )
                printed.append(("Liabilities:Card", day, Decimal("-6.50")))
        elif kind < 0.70:  # look-alike: a monthly subscription
            fee = f"{20 + n}.00"  # each plan its own price
            for month in range(3):
                when = day + timedelta(days=30 * month)
                postings = [("Expenses:Software", fee), ("Liabilities:Card", f"-{fee}")]
                entries.append(txn(when, vendor, "Subscription", postings))
                printed.append(("Liabilities:Card", when, Decimal(f"-{fee}")))
        elif kind < 0.80:  # look-alike: a purchase and its refund
            entries.append(
                txn(
                    day,
                    vendor,
                    "Monitor",
                    [("Expenses:Office", amount), ("Liabilities:Card", f"-{amount}")],
                )
            )
            entries.append(
                txn(
                    day + timedelta(days=2),
                    vendor,
                    "Refund: monitor",
                    [("Expenses:Office", f"-{amount}"), ("Liabilities:Card", amount)],
                )
            )
        else:  # look-alike: a bill paid in two parts
            ref = f"B-{n}"
            half = Decimal(amount) / 2
            entries.append(
                txn(
                    day,
                    vendor,
                    f"Bill {ref}",
                    [("Expenses:Services", amount), ("Liabilities:AP", f"-{amount}")],
                    {"invoice": ref},
                )
            )
            entries.append(
                txn(
                    day + timedelta(days=10),
                    vendor,
                    "Part 1",
                    [("Liabilities:AP", str(half)), ("Assets:Checking", str(-half))],
                    {"invoice": ref},
                )
            )
            entries.append(
                txn(
                    day + timedelta(days=12),
                    vendor,
                    "Part 2",
                    [
                        ("Liabilities:AP", str(Decimal(amount) - half)),
                        ("Assets:Checking", str(half - Decimal(amount))),
                    ],
                    {"invoice": ref},
                )
            )
    return entries, truth, statement_counts(printed)


def test_known_truth_precision_and_recall():
    correct = reported = expected = 0
    for seed in (1, 2, 3):
        entries, truth, printed = generate(seed)
        found = {d.id for d in find_duplicates(entries, SETTINGS, statements=printed)}
        correct += len(found & truth)
        reported += len(found)
        expected += len(truth)
    precision, recall = correct / reported, correct / expected
    print(f"duplicates: precision {precision:.3f}, recall {recall:.3f} over {expected} planted")
    assert precision >= 0.95 and recall >= 0.95


def test_statement_counts_tell_two_real_coffees_from_one_typed_twice():
    day = date(2025, 3, 3)
    coffee = [("Expenses:Meals", "6.50"), ("Liabilities:Card", "-6.50")]
    pair = [txn(day, "Blue Bottle", "Coffee", coffee), txn(day, "Blue Bottle", "Coffee", coffee)]
    once = statement_counts([("Liabilities:Card", day, Decimal("-6.50"))])
    twice = statement_counts([("Liabilities:Card", day, Decimal("-6.50"))] * 2)
    assert len(find_duplicates(pair, SETTINGS, statements=once)) == 1
    assert find_duplicates(pair, SETTINGS, statements=twice) == []
    assert Counter(d.kind for d in find_duplicates(pair, SETTINGS, statements=once)) == {
        "same transaction entered twice": 1
    }
