#!/usr/bin/env python3
"""Write the fourth blind duplicate set: each book, its `-stmts` copy and truth.json.

usage: gen.py --out DIR [BOOK ...]      (books: wombat nordhem alpwiese; fixed seeds)

Each book is checked as it is written: bean-check --no-cache (check.py) on both
copies, every truth reference on a transaction header, and each statement account's lines
adding up to the ledger's postings once the planted copies are left out. Exit 1 on a problem.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from check import check as check_book
from configs import CONFIGS
from core import Book

from statements import write_statements


def build(name: str) -> Book:
    if name == "wombat":
        from book_wombat import Wombat
        from plant_wombat import Planter

        w = Wombat()
        w.build()
        return Planter(w).plant()
    if name == "alpwiese":
        from book_alpwiese import Alpwiese
        from plant_alpwiese import Planter as AlpwiesePlanter

        a = Alpwiese()
        a.build()
        return AlpwiesePlanter(a).plant()
    from book_nordhem import Nordhem
    from plant_nordhem import Planter as NordhemPlanter

    n = Nordhem()
    n.build()
    return NordhemPlanter(n).plant()


def check(root: Path, book: Book, specs: list[dict]) -> list[str]:
    """bean-check and the truth's headers (check.py), then the statements' sums."""
    problems = check_book(root)
    for spec in specs:
        account = spec["account"]
        ledger = sum((t.on(account) for t in book.txns if not t.copy), Decimal(0))
        lines = sum((x["amount"] for x in book.statement_lines(account)), Decimal(0))
        if ledger != lines + book.opening(account):
            problems.append(
                f"{root}: {account}: statement lines {lines} + opening do not add "
                f"up to the ledger's {ledger}"
            )
    return problems


def write(name: str, out: Path) -> list[str]:
    book = build(name)
    config = CONFIGS[name]
    problems = []
    for suffix, with_statements in (("", False), ("-stmts", True)):
        root = out / f"{name}{suffix}"
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        book.write(root, config["options"])
        (root / "bo.yaml").write_text(config["yaml"](with_statements))
        if with_statements:
            write_statements(book, root, config["statements"])
        problems += check(root, book, config["statements"] if with_statements else [])
    count = sum(1 for t in book.txns)
    print(
        f"{name}: {count} transactions, {len(book.dupes)} planted sets, "
        f"{len(book.looks)} look-alike groups"
    )
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("books", nargs="*", default=list(CONFIGS))
    args = ap.parse_args()
    problems = []
    for name in args.books:
        problems += write(name, args.out)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
