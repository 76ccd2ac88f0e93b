#!/usr/bin/env python3
"""Check written books: bean-check passes and every truth reference is a transaction header.

usage: check.py BOOKDIR [BOOKDIR ...]     (exit 1 naming each problem)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

HEADER = re.compile(r"^\d{4}-\d\d-\d\d [*!] ")


def bean_check() -> list[str]:
    """bean-check beside this Python (the venv's), else on PATH."""
    beside = Path(sys.executable).parent / "bean-check"
    found = str(beside) if beside.exists() else shutil.which("bean-check")
    if not found:
        sys.exit("check.py: bean-check not found")
    return [found, "--no-cache"]


def check(root: Path) -> list[str]:
    problems = []
    main = root / "ledgers" / "main.beancount"
    done = subprocess.run([*bean_check(), str(main)], capture_output=True, text=True)
    if done.returncode or done.stdout.strip() or done.stderr.strip():
        problems.append(f"{main}: bean-check: {(done.stdout + done.stderr).strip()[:400]}")
    truth = json.loads((root / "truth.json").read_text())
    files: dict[str, list[str]] = {}
    for group in truth["duplicates"] + truth["lookalikes"]:
        for ref in group["entries"]:
            lines = files.setdefault(ref["file"], (root / ref["file"]).read_text().split("\n"))
            text = lines[ref["line"] - 1] if 0 < ref["line"] <= len(lines) else ""
            if not HEADER.match(text) or not text.startswith(ref["date"]):
                problems.append(f"{root}: {group['id']} {ref['file']}:{ref['line']}: {text!r}")
    return problems


def main() -> int:
    problems = [p for arg in sys.argv[1:] for p in check(Path(arg))]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
