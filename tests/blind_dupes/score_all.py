#!/usr/bin/env python3
"""Run `bo dupes --json` on every generated book and score it against its truth.json.

usage: score_all.py DIR [--detail]      (DIR as written by gen.py --out DIR)

Scoring is tests/independent_dupes/score.py's, unchanged. Beside its recall per planted kind,
this prints where the false findings fall: on which kind of look-alike group, or elsewhere.
"""

import argparse
import json
import os
import subprocess
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "independent_dupes"))

from score import report, score, summed  # noqa: E402


def run_dupes(book):
    bo = os.path.join(os.path.dirname(sys.executable), "bo")
    proc = subprocess.run([bo, "--books", book, "dupes", "--json"], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"{book}: bo dupes exited {proc.returncode}: {proc.stderr.strip()}")
    with open(os.path.join(book, "dupes.json"), "w") as fh:
        fh.write(proc.stdout)
    return json.loads(proc.stdout)


def false_by_kind(result):
    """False findings counted by the look-alike kind they touch ('background' if none)."""
    counts = Counter()
    for _, _, why, touched in result["false"]:
        if touched:
            kinds = sorted({result["looks"][g]["kind"] for g in touched})
            counts["+".join(kinds)] += 1
        elif why.startswith("straddles"):
            counts["straddles planted sets"] += 1
        else:
            counts["background"] += 1
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--detail", action="store_true")
    a = ap.parse_args(argv)
    books = sorted(
        d for d in os.listdir(a.dir) if os.path.exists(os.path.join(a.dir, d, "truth.json"))
    )
    totals = {"ledger only": [], "with statements": []}
    for name in books:
        book = os.path.join(a.dir, name)
        result = score(book, run_dupes(book))
        print(report(book, result, a.detail))
        for kind, n in sorted(false_by_kind(result).items()):
            print(f"  false findings on {kind}: {n}")
        print()
        totals["with statements" if name.endswith("-stmts") else "ledger only"].append(result)
    for label, results in totals.items():
        found, planted, true, findings = summed(results)
        print(
            f"{label}: recall {found}/{planted} = {found / planted:.3f}, precision "
            f"{true}/{findings} = {true / findings if findings else 1:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
