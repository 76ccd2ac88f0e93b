"""Reconciliation against generated months with known truth: precision and recall, printed.

Each month comes from bench/bench_matching.py's `generate_month`: a busy checking account
with card lines posted a day before or up to three days after the books' date, checks
clearing up to three weeks later with their numbers on both sides, coffees, subscriptions
and payroll repeating amounts many times a day, deposit slips of up to twelve receipts,
payments split over two or three bank lines, 2% of entries not on the statement and 2% of
lines not in the books, a few typos and netted fees. It runs through `reconcile`, as
`bo reconcile` does, and judges every statement line: is it paired with the entries it
really is, as a match or as an amount that differs?
"""

from __future__ import annotations

import random
import sys

from bo.periods import Period
from bo.reconcile import entry_keys, reconcile
from bo.settings import load_settings
from tests.conftest import PROJECT

sys.path.insert(0, str(PROJECT / "bench"))

from bench_matching import CHECKING, generate_month

MONTHS = {1: (2025, 3), 2: (2025, 6), 3: (2025, 9)}  # seed: month


def test_precision_and_recall_on_generated_months(tmp_path):
    settings = load_settings(PROJECT)
    correct = reported = expected = 0
    for seed, (year, month) in MONTHS.items():
        generated = generate_month(random.Random(seed), year, month)
        rec = reconcile(
            tmp_path,
            settings,
            generated.entries,
            CHECKING,
            Period(year, month),
            [generated.statement],
            previous={},  # no earlier month: nothing to carry
        )
        # Two coffees of one payee and amount are interchangeable: either pairing clears them.
        alike = {
            key: (posting.units.number, entry.payee)
            for key, entry, posting in entry_keys(generated.entries, CHECKING)
        }
        paired = [(list(m.lines), [e.key for e in m.entries]) for m in rec.matches]
        paired += [([item.line_id], [item.entry_key]) for item in rec.near]
        for line_ids, keys in paired:
            truly = set().union(*(generated.truth.get(line_id, ()) for line_id in line_ids))
            reported += len(line_ids)
            if sorted(alike[k] for k in truly) == sorted(alike[k] for k in keys):
                correct += len(line_ids)
        # Every line that is some entry should be found; the bank's own lines are none.
        expected += len(generated.truth)
    precision, recall = correct / reported, correct / expected
    print(f"reconcile: precision {precision:.4f}, recall {recall:.4f} over {expected:,} lines")
    assert precision >= 0.99 and recall >= 0.99
