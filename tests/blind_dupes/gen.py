#!/usr/bin/env python3
"""Write the blind duplicate set: books, their statement copies, and truth.json for each.

usage: gen.py --out DIR [BOOK ...]     (books: bistro, ridgeline, lindqvist; default all)

Fixed seeds: the same command writes the same bytes. For every book NAME it writes
DIR/NAME (the ledger and bo.yaml, no statements) and DIR/NAME-stmts (the same ledger, the
banks' statements under statements/ and bo.yaml pointing at them), each with truth.json.
"""

import argparse
import importlib
import os
import random
import shutil
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from check import check_book
from core import save, save_json

from statements import write_statements

BOOKS = {"bistro": 2025_0301, "ridgeline": 2025_0302, "lindqvist": 2025_0303}


def generate(name, out):
    module, seed = importlib.import_module(f"book_{name}"), BOOKS[name]
    book = module.build(random.Random(seed))
    root = os.path.join(out, name)
    if os.path.exists(root):
        shutil.rmtree(root)
    book.write(root, module.TITLE, getattr(module, "MAIN_EXTRA", ""))
    save(os.path.join(root, "bo.yaml"), module.bo_yaml(False))
    save_json(os.path.join(root, "truth.json"), book.truth())
    stmts = root + "-stmts"
    if os.path.exists(stmts):
        shutil.rmtree(stmts)
    shutil.copytree(root, stmts)
    save(os.path.join(stmts, "bo.yaml"), module.bo_yaml(True))
    write_statements(book, stmts, module.statements())
    return book, root, stmts


def consistent(book, name):
    """The statements add up to the ledger once each planted copy is left out."""
    module = importlib.import_module(f"book_{name}")
    extra = {id(ts[-1]) for kind, _, ts in book.dupes if kind != "paid_twice"}
    errors = []
    for account in module.statements():
        books = sum(
            (
                p.units
                for t in book.txns
                if id(t) not in extra
                for p in t.postings
                if p.account == account
            ),
            Decimal(0),
        )
        bank = sum((ln.amount for ln in book.lines if ln.account == account), Decimal(0))
        if books != bank:
            errors.append(f"{name}: {account}: books move {books}, statements {bank}")
    return errors


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--out", required=True)
    ap.add_argument("books", nargs="*", metavar="BOOK")
    a = ap.parse_args(argv)
    bad = 0
    for name in a.books or BOOKS:
        if name not in BOOKS:
            ap.error(f"no book {name!r}; books: {', '.join(BOOKS)}")
        book, root, stmts = generate(name, a.out)
        errors = check_book(root) + check_book(stmts) + consistent(book, name)
        ntx = len(book.txns)
        print(
            f"{root}: {ntx} transactions, {len(book.dupes)} planted duplicate sets, "
            f"{len(book.looks)} look-alike groups, {len(book.lines)} statement lines; "
            f"bean-check: {'ok' if not errors else f'{len(errors)} errors'}"
        )
        for e in errors[:20]:
            print("  ", e)
        bad += len(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
