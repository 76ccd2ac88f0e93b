#!/usr/bin/env python3
"""Write the fourth blind duplicate set: each book, its `-stmts` copy and truth.json.

usage: gen.py --out DIR [BOOK ...]      (books: wombat nordhem; fixed seeds)

Each book is checked as it is written: bean-check (beancount's loader, no cache) on both
copies, every truth reference on a transaction header, and each statement account's lines
adding up to the ledger's postings once the planted copies are left out. Exit 1 on a problem.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from configs import CONFIGS
from core import Book

from statements import write_statements

HEADER = re.compile(r"^\d{4}-\d\d-\d\d [*!] ")


def build(name: str) -> Book:
    if name == "wombat":
        from book_wombat import Wombat
        from plant_wombat import Planter

        w = Wombat()
        w.build()
        return Planter(w).plant()
    from book_nordhem import Nordhem
    from plant_nordhem import Planter as NordhemPlanter

    n = Nordhem()
    n.build()
    return NordhemPlanter(n).plant()


def check(root: Path, book: Book, specs: list[dict]) -> list[str]:
    from beancount import loader

    loader.initialize(use_cache=False)  # bean-check --no-cache: write nothing beside the books
    problems = []
    _, errors, _ = loader.load_file(str(root / "ledgers" / "main.beancount"))
    problems += [
        f"{root}: bean-check: {e.source.get('filename')}:{e.source.get('lineno')}: {e.message}"
        for e in errors
    ]
    truth = (root / "truth.json").read_text()
    import json

    data = json.loads(truth)
    for group in data["duplicates"] + data["lookalikes"]:
        for ref in group["entries"]:
            text = (root / ref["file"]).read_text().split("\n")[ref["line"] - 1]
            if not HEADER.match(text) or not text.startswith(ref["date"]):
                problems.append(f"{root}: {group['id']} {ref} is not a header: {text!r}")
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
