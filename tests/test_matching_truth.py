"""The matcher against a generated statement with known truth: precision and recall.

The books and the bank's view come from bench/bench_matching.py's generators: repeated
amounts (coffees, subscriptions, payroll), dates shifted 0-3 days, bank text, 2% of lines
missing on each side, receipts deposited together, a few typos and netted fees.
"""

from __future__ import annotations

import random
import sys

from bo.matching import match_items
from tests.conftest import PROJECT

sys.path.insert(0, str(PROJECT / "bench"))

from bench_matching import bank_statement, generate_books


def alike(item):
    # Two coffees of one payee and amount are interchangeable: either pairing clears them.
    return (item.amount, item.text)


def test_precision_and_recall_on_a_generated_statement():
    correct = reported = expected = 0
    for seed in (1, 2, 3):
        rng = random.Random(seed)
        books = generate_books(3_000, rng)
        bank, truth = bank_statement(books, rng)
        result = match_items(bank, books)
        for match in result.matches:
            reported += 1
            wanted = sorted(alike(p) for line in match.left for p in truth.get(line.key, ()))
            correct += wanted == sorted(alike(p) for p in match.right)
        # Lines the books can explain: all but the bank's own additions, typos aside.
        expected += sum(1 for line in bank if line.key in truth)
    precision, recall = correct / reported, correct / expected
    print(f"matcher: precision {precision:.4f}, recall {recall:.4f} over {expected:,} lines")
    assert precision >= 0.99 and recall >= 0.99
