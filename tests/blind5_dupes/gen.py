#!/usr/bin/env python3
"""Write the blind5 duplicate set: each book, its `-stmts` copy, truth.json, then check them.

usage: gen.py --out DIR [BOOK ...]   (books: kowhai fyrtaarn kawase; default all)
Fixed seeds: the same command writes the same bytes. Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import check
import configs

import statements

BOOKS = ["kowhai", "fyrtaarn", "kawase"]


def adds_up(book, accounts) -> list[str]:
    """Each statement account's lines are its postings once the planted copies are left out."""
    out = []
    for account, _, _ in accounts:
        booked = sum((t.amount_on(account) for t in book.txns if not t.copy), Decimal(0))
        printed = book.opening(account) + sum(x["amount"] for x in book.lines_of(account))
        if booked != printed:
            out.append(f"{book.name}: {account}: statements {printed} vs books {booked}")
    return out


def generate(name: str, out: Path) -> list[str]:
    build = importlib.import_module(f"plant_{name}").build
    main = getattr(configs, f"{name.upper()}_MAIN")
    accounts = getattr(configs, f"{name.upper()}_STATEMENTS")
    start, count = getattr(configs, f"{name.upper()}_PERIOD")
    book = build()
    book.headers["ledgers/main.beancount"] = main.split("\n") + book.open_lines()
    roots = []
    for with_statements in (False, True):
        root = out / (name + ("-stmts" if with_statements else ""))
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        book.write(root)
        book.write_truth(root)
        (root / "bo.yaml").write_text(configs.bo_yaml(name, with_statements))
        if with_statements:
            for account, folder, layout in accounts:
                statements.write(book, root, account, folder, layout, start, count)
        roots.append(root)
    found = adds_up(book, accounts)
    for root in roots:
        found += check.problems(root)
    print(
        f"{name}: {len(book.txns)} transactions, {len(book.duplicates)} planted sets, "
        f"{len(book.lookalikes)} look-alike groups{'' if found else ', checked'}"
    )
    return found


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("books", nargs="*", default=[])
    args = ap.parse_args(argv)
    for name in args.books:
        if name not in BOOKS:
            ap.error(f"no book {name!r}: the books are {', '.join(BOOKS)}")
    found = []
    for name in args.books or BOOKS:
        found += generate(name, args.out)
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
