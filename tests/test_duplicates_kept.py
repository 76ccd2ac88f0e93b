"""The duplicate scan's ledger part kept between runs: the same findings, read back, not redone.

`find_duplicates` reads the entries and settings once into indexes and the findings no
period, statement or dismissal changes (`LedgerPart`); `bo dupes` keeps that part in bo's
cache on the ledger's files and bo.yaml, so another period or a new statement on large books
does not read every entry again.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable

import pytest

from bo.duplicates import find as find_module
from bo.duplicates.find import find_duplicates
from bo.statements.printed import Printed
from tests.test_duplicates_truth import SETTINGS, generate


def _kept() -> tuple[Callable, list[bytes]]:
    """A `remember` that pickles the part the first time and reads the pickle back ever after,
    as bo's cache does."""
    stored: list[bytes] = []

    def remember(compute: Callable) -> find_module.LedgerPart:
        if not stored:
            stored.append(pickle.dumps(compute(), pickle.HIGHEST_PROTOCOL))
        return pickle.loads(stored[0])

    return remember, stored


@pytest.mark.parametrize("with_statements", [True, False])
def test_the_part_read_back_finds_what_a_fresh_scan_finds(with_statements):
    b = generate(2)
    printed = Printed.of(b.printed) if with_statements else None
    remember, stored = _kept()
    for period in (None, "2025-03", "2025-09"):
        fresh = find_duplicates(b.entries, SETTINGS, statements=printed, period=period)
        kept = find_duplicates(
            b.entries, SETTINGS, statements=printed, period=period, remember=remember
        )
        assert kept == fresh
        assert len(stored) == 1
    # Not an empty part: the truth set plants lines imported twice and invoices paid twice.
    part = pickle.loads(stored[0])
    assert part.imported and part.invoices[0]
    assert part.books.txns == []  # the entries stay in the ledger's own cache


def test_bo_dupes_asks_another_period_without_reading_every_entry(demo, bo, monkeypatch):
    first = bo("dupes", "--json", "--period", "2025-09", cwd=demo)
    assert first.exit_code == 1, first.stderr

    def refuse(*args, **kwargs):
        raise AssertionError("the ledger part was read again")

    with monkeypatch.context() as patch:
        patch.setattr(find_module, "_read_ledger", refuse)
        whole = bo("dupes", "--json", cwd=demo)
        assert whole.exit_code == 1, whole.stderr
        assert bo("dupes", "--json", "--period", "2025-08", cwd=demo).exit_code == 0
    assert json.loads(whole.stdout) == json.loads(first.stdout)
    # A changed entry is another ledger: its part is read again.
    ledger = demo / "ledgers" / "2025.beancount"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    read: list[bool] = []
    real = find_module._read_ledger
    monkeypatch.setattr(find_module, "_read_ledger", lambda *a: read.append(True) or real(*a))
    assert bo("dupes", "--json", cwd=demo).exit_code == 1
    assert read == [True]
