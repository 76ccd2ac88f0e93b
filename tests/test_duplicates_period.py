"""A period's scan (the close's, `bo dupes --period`) finds exactly what a scan of the whole
books finds with an entry in that period: on the demo books and on a builder's books written
by someone else (renamed roots, statements beside them), every month of each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bo.books import open_books
from bo.duplicates.find import find_duplicates
from bo.periods import Period
from bo.statements.printed import bank_lines

PROJECT = Path(__file__).parent.parent
BLIND = Path(__file__).parent / "blind_dupes" / "gen.py"


@pytest.fixture(scope="module")
def third_party(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ridgeline")
    command = [sys.executable, BLIND, "--out", out, "ridgeline"]
    subprocess.run(command, check=True, capture_output=True)
    return out / "ridgeline-stmts"


@pytest.mark.parametrize("which", ["demo", "third-party"])
def test_a_periods_scan_finds_what_the_whole_scan_finds_in_it(which, third_party):
    root = PROJECT if which == "demo" else third_party
    books = open_books(root, root, use_cache=False)
    entries, options = books.ledger.entries, books.ledger.options

    def scan(span: Period | None) -> list:
        return find_duplicates(
            entries,
            books.settings,
            period=str(span) if span else None,
            statements=bank_lines(books, span),
            root=books.root,
            options=options,
        )

    whole = scan(None)
    months = sorted({Period.parse(f"{e.date:%Y-%m}") for e in entries}, key=lambda p: p.start)
    assert whole and len(months) >= 6  # books with findings, over months
    seen = set()
    for month in months:
        inside = [d for d in whole if any(month.start <= day <= month.end for day in d.dates)]
        assert scan(month) == inside, month
        seen |= {d.id for d in inside}
    assert seen == {d.id for d in whole}  # every finding is some month's
