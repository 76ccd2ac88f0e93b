#!/usr/bin/env python3
"""Check generated books: every file passes bean-check, and truth.json names entry headers.

usage: check.py BOOK [BOOK ...]
"""

import json
import os
import re
import subprocess
import sys

HEADER = re.compile(r"^\d{4}-\d{2}-\d{2} [*!] ")


def check_book(root):
    """Problems of one book (an empty list when bean-check and the truth are clean)."""
    main = os.path.join(root, "ledgers", "main.beancount")
    bean_check = os.path.join(os.path.dirname(sys.executable), "bean-check")
    proc = subprocess.run(
        [bean_check if os.path.exists(bean_check) else "bean-check", "--no-cache", main],
        capture_output=True,
        text=True,
    )
    errors = [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
    if proc.returncode and not errors:
        errors.append(f"{main}: bean-check exited {proc.returncode}")
    with open(os.path.join(root, "truth.json")) as fh:
        truth = json.load(fh)
    for group in truth["duplicates"] + truth["lookalikes"]:
        if len(group["entries"]) < 2:
            errors.append(f"truth {group['id']}: fewer than two entries")
        for e in group["entries"]:
            with open(os.path.join(root, e["file"])) as fh:
                lines = fh.read().split("\n")
            if not HEADER.match(lines[e["line"] - 1]):
                errors.append(f"truth {group['id']}: {e['file']}:{e['line']} is no header")
    return errors


def main(argv):
    bad = 0
    for root in argv:
        errors = check_book(root)
        print(f"{root}: {'ok' if not errors else f'{len(errors)} problems'}")
        for e in errors:
            print("  ", e)
        bad += len(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
