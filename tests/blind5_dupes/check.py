#!/usr/bin/env python3
"""Check generated books: bean-check passes on every file, and every truth reference is a
transaction header of its date.

usage: check.py BOOK [BOOK ...]   (exit 1 on any problem)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HEADER = re.compile(r"^(\d{4}-\d{2}-\d{2}) [*!] ")


def problems(book: Path) -> list[str]:
    out = []
    main = book / "ledgers" / "main.beancount"
    run = subprocess.run(
        [sys.executable, "-m", "beancount.scripts.check", "--no-cache", str(main)],
        capture_output=True, text=True,
    )  # fmt: skip
    if run.returncode != 0 or run.stdout.strip() or run.stderr.strip():
        out.append(f"{main}: bean-check failed:\n{run.stdout}{run.stderr}")
    included = set(re.findall(r'^include "(.+)"', main.read_text(), re.M))
    for path in sorted((book / "ledgers").rglob("*.beancount")):
        name = str(path.relative_to(main.parent))
        if path != main and name not in included:
            out.append(f"{path}: not included by {main}, so bean-check never read it")
    truth = json.loads((book / "truth.json").read_text())
    texts: dict[str, list[str]] = {}
    for group in truth["duplicates"] + truth["lookalikes"]:
        for ref in group["entries"]:
            lines = texts.setdefault(ref["file"], (book / ref["file"]).read_text().split("\n"))
            head = HEADER.match(lines[ref["line"] - 1]) if ref["line"] <= len(lines) else None
            if not head or head.group(1) != ref["date"]:
                out.append(f"{group['id']}: {ref['file']}:{ref['line']} is not a header of "
                           f"{ref['date']}")  # fmt: skip
    return out


def main(argv: list[str]) -> int:
    bad = 0
    for name in argv:
        found = problems(Path(name))
        for problem in found:
            print(problem)
        bad += len(found)
        print(f"{name}: {'ok' if not found else f'{len(found)} problems'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
