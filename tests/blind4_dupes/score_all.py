#!/usr/bin/env python3
"""Score `bo dupes` on the fourth blind set: each book alone and with its statements.

usage: score_all.py DIR [--generate] [--detail]

DIR holds the books `gen.py --out DIR` wrote (`--generate` writes them first). For each of the
six (wombat, nordhem, alpwiese and their -stmts copies) this runs `bo --books DIR/BOOK dupes
--json`, saves DIR/BOOK/dupes.json, scores it with tests/independent_dupes/score.py (through
tests/truth_sets.py), says where the false findings fall, and sums recall and precision over
the ledger-only books and over the books with statements.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from truth_sets import score_module  # noqa: E402

BOOKS = ["wombat", "nordhem", "alpwiese"]


def dupes(root: Path) -> list:
    found = subprocess.run(
        [sys.executable, "-m", "bo", "--books", str(root), "dupes", "--json"],
        capture_output=True,
        text=True,
    )
    if found.returncode not in (0, 1):
        sys.exit(f"{root}: bo dupes exited {found.returncode}: {found.stderr.strip()}")
    (root / "dupes.json").write_text(found.stdout)
    return json.loads(found.stdout)


def where(result: dict) -> str:
    """The false findings by what they name: a look-alike kind, planted sets, or neither."""
    kinds = Counter()
    for _, _, why, touched in result["false"]:
        if why.startswith("names a look-alike"):
            kinds["look-alike " + result["looks"][touched[0]]["kind"]] += 1
        else:
            kinds[why.split(" ", 1)[0] + " " + why.split(" ")[1]] += 1
    return ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items())) or "none"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--generate", action="store_true")
    ap.add_argument("--detail", action="store_true")
    args = ap.parse_args()
    if args.generate:
        subprocess.run([sys.executable, HERE / "gen.py", "--out", args.dir], check=True)
    results = {}
    for book in BOOKS:
        for name in (book, f"{book}-stmts"):
            root = args.dir / name
            results[name] = score_module.score(str(root), dupes(root))
            print(score_module.report(name, results[name], args.detail))
            print(f"false findings: {where(results[name])}\n")
    for label, suffix in (("books only", ""), ("with statements", "-stmts")):
        found, planted, true, findings = score_module.summed(
            results[f"{book}{suffix}"] for book in BOOKS
        )
        precision = true / findings if findings else 1.0
        print(
            f"{label:16} recall {found}/{planted} = {found / planted:.3f}   "
            f"precision {true}/{findings} = {precision:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
