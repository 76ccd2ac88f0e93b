#!/usr/bin/env python3
"""Check generated books: bean-check passes on every ledger file (through the main file that
includes them all, with no cache), and every entry truth.json names is a transaction header.

usage: check.py BOOK [BOOK ...]       exit 1 on any problem"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from beancount import loader
from beancount.core import data


def bean_check(main: Path) -> list[str]:
    """bean-check, beside this Python, run without its cache (no pickle left in the book)."""
    exe = Path(sys.executable).parent / "bean-check"
    done = subprocess.run([str(exe), "--no-cache", str(main)], capture_output=True, text=True)
    if done.returncode:
        return [f"{main}: bean-check: {line}" for line in (done.stdout + done.stderr).splitlines()]
    return []


def check_book(book: Path) -> list[str]:
    main = book / "ledgers" / "main.beancount"
    problems = bean_check(main)
    loader.initialize(use_cache=False)  # no pickle cache left in the book (and no timing in it)
    entries, errors, _ = loader.load_file(str(main))
    problems += [
        f"{book}: {e.source['filename']}:{e.source['lineno']}: {e.message}" for e in errors
    ]
    root = book.resolve()
    headers = {
        (str(Path(e.meta["filename"]).resolve().relative_to(root)), e.meta["lineno"])
        for e in entries
        if isinstance(e, data.Transaction)
    }
    files = {str(p.relative_to(book)) for p in (book / "ledgers").rglob("*.beancount")}
    truth = json.loads((book / "truth.json").read_text())
    for group in truth["duplicates"] + truth["lookalikes"]:
        if len(group["entries"]) < 2:
            problems.append(f"{book}: {group['id']} names fewer than two entries")
        for ref in group["entries"]:
            if (ref["file"], ref["line"]) not in headers:
                problems.append(f"{book}: {group['id']}: {ref['file']}:{ref['line']} is no header")
            if ref["file"] not in files:
                problems.append(f"{book}: {group['id']}: no file {ref['file']}")
    return problems


def main(argv: list[str]) -> int:
    problems = [p for book in argv for p in check_book(Path(book))]
    for p in problems:
        print(p)
    print(f"{len(argv)} books checked: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
