#!/usr/bin/env python3
"""Score `bo dupes` on the third blind set: run it on each book and its `-stmts` copy, save
`DIR/BOOK/dupes.json`, score with tests/independent_dupes/score.py (through
tests/truth_sets.py), say where the false findings fall, and sum recall and precision per kind
over the ledger-only books and over the books with statements.

usage: score_all.py DIR [--generate] [--detail]
  DIR          written by gen.py (--generate writes it first)"""

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

BOOKS = ["hollybank", "quillmetric"]


def run_dupes(book: Path) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "bo", "--books", str(book), "dupes", "--json"],
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"{book}: bo dupes exited {done.returncode}\n{done.stderr}")
    (book / "dupes.json").write_text(done.stdout)
    return json.loads(done.stdout)


def where_false(result: dict) -> Counter:
    """False findings by what they name: a look-alike kind, planted sets, or background."""
    where = Counter()
    for _finding, _ents, why, touched in result["false"]:
        if why.startswith("names a look-alike") or why.startswith("touches look-alike"):
            kinds = sorted({result["looks"][g]["kind"] for g in touched})
            where["look-alike " + "+".join(kinds)] += 1
        elif why.startswith("straddles"):
            where["straddles planted sets"] += 1
        else:
            where["background entries"] += 1
    return where


def per_kind(results: list[dict]) -> str:
    kinds: dict[str, list[int]] = {}
    for result in results:
        for kind, (planted, found) in result["kinds"].items():
            k = kinds.setdefault(kind, [0, 0])
            k[0] += planted
            k[1] += found
    found, planted, true, findings = score_module.summed(results)
    out = [f"  {'kind':28} {'planted':>7} {'found':>6} {'recall':>7}"]
    out += [f"  {k:28} {p:7d} {f:6d} {f / p:7.0%}" for k, (p, f) in sorted(kinds.items())]
    out.append(f"  {'ALL':28} {planted:7d} {found:6d} {found / planted:7.1%}")
    out.append(
        f"  findings {findings}, true {true}, precision "
        f"{true / findings if findings else 1:.3f}, recall {found / planted:.3f}"
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--generate", action="store_true")
    ap.add_argument("--detail", action="store_true")
    args = ap.parse_args(argv)
    if args.generate or not (args.dir / BOOKS[0] / "truth.json").exists():
        subprocess.run([sys.executable, str(HERE / "gen.py"), "--out", str(args.dir)], check=True)
    scored = {}
    for book in BOOKS:
        for name in (book, f"{book}-stmts"):
            folder = args.dir / name
            result = score_module.score(str(folder), run_dupes(folder))
            scored[name] = result
            print(score_module.report(name, result, args.detail))
            for where, n in sorted(where_false(result).items()):
                print(f"  false on {where}: {n}")
            print()
    for label, names in (
        ("ledger only", BOOKS),
        ("with statements", [f"{b}-stmts" for b in BOOKS]),
    ):
        print(f"== {label} ({', '.join(names)})")
        print(per_kind([scored[n] for n in names]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
