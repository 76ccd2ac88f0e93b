#!/usr/bin/env python3
"""Score `bo dupes` on every blind5 book: the books alone and their `-stmts` copies.

usage: score_all.py DIR [--generate] [--detail]
  --generate  write the books into DIR first (gen.py --out DIR)
  --detail    list each book's misses and false findings

Saves DIR/BOOK/dupes.json from `bo --books DIR/BOOK dupes --json`, scores it with
tests/independent_dupes/score.py (through tests/truth_sets.py), says where the false findings
fall, and sums recall and precision over the ledger-only books and over the -stmts copies.
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

BOOKS = ["kowhai", "fyrtaarn", "kawase"]


def run_dupes(book: Path) -> list:
    found = subprocess.run(
        [sys.executable, "-m", "bo", "--books", str(book), "dupes", "--json"],
        capture_output=True, text=True,
    )  # fmt: skip
    if found.returncode not in (0, 1):
        sys.exit(f"bo dupes failed on {book} (exit {found.returncode}):\n{found.stderr}")
    (book / "dupes.json").write_text(found.stdout)
    return json.loads(found.stdout)


def where_false(result: dict) -> Counter:
    """The false findings by what they name: a look-alike kind, planted sets, or neither."""
    out = Counter()
    for _, _, why, touched in result["false"]:
        if why.startswith("names a look-alike"):
            kinds = {result["looks"][g]["kind"] for g in why.rsplit(" ", 1)[1].split(",")}
            out["look-alike " + "/".join(sorted(kinds))] += 1
        elif why.startswith("straddles"):
            out["straddles planted sets"] += 1
        elif touched:
            out["touches a look-alike"] += 1
        else:
            out["unrelated entries"] += 1
    return out


def per_kind(results: list[dict]) -> list[str]:
    kinds: dict[str, list[int]] = {}
    for result in results:
        for kind, (planted, found) in result["kinds"].items():
            row = kinds.setdefault(kind, [0, 0])
            row[0] += planted
            row[1] += found
    return [f"  {k:30} {p:4d} {f:4d} {f / p:6.0%}" for k, (p, f) in sorted(kinds.items())]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--generate", action="store_true")
    ap.add_argument("--detail", action="store_true")
    args = ap.parse_args(argv)
    if args.generate:
        made = subprocess.run([sys.executable, str(HERE / "gen.py"), "--out", str(args.dir)])
        if made.returncode:
            return made.returncode
    scored = {}
    for book in BOOKS:
        for name in (book, f"{book}-stmts"):
            root = args.dir / name
            scored[name] = score_module.score(str(root), run_dupes(root))
            print(score_module.report(name, scored[name], args.detail))
            falls = where_false(scored[name])
            if falls:
                print("false findings: " + ", ".join(f"{n} {k}" for k, n in falls.most_common()))
            print()
    for label, suffix in (("books only", ""), ("with statements", "-stmts")):
        results = [scored[book + suffix] for book in BOOKS]
        found, planted, true, findings = score_module.summed(results)
        precision = true / findings if findings else 1.0
        print(
            f"{label}: recall {found}/{planted} = {found / planted:.2f}, "
            f"precision {true}/{findings} = {precision:.2f}"
        )
        print("\n".join(per_kind(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
