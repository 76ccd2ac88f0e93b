"""Score `bo dupes` on the independent duplicate set (tests/independent_dupes): three books
written by a bookkeeper who had not read bo's code, scored books-only and with statements.

Prints recall per kind and precision for each book, then the totals against the goals
(recall and precision 0.90 books only, 0.95 with statements). Exits 1 when a goal is missed.

    python bench/bench_dupes_truth.py [--detail]"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SET = Path(__file__).resolve().parent.parent / "tests" / "independent_dupes"
BOOKS = ("book1-uk", "book2-shop", "book3-personal")
GOALS = {"books only": (0.90, 0.90), "with statements": (0.95, 0.95)}


def load_scorer():
    spec = importlib.util.spec_from_file_location("independent_score", SET / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detail", action="store_true", help="list misses and false findings")
    args = parser.parse_args()
    scorer = load_scorer()
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run([sys.executable, SET / "gen.py", "--out", out], check=True)
        for mode, suffix in (("books only", ""), ("with statements", "-stmts")):
            results = []
            for book in BOOKS:
                books = out / f"{book}{suffix}"
                run = subprocess.run(
                    [sys.executable, "-m", "bo", "--books", books, "dupes", "--json"],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                result = scorer.score(str(books), json.loads(run.stdout))
                print(scorer.report(f"{book}{suffix}", result, args.detail), end="\n\n")
                results.append(result)
            found, planted, true, findings = scorer.summed(results)
            recall, precision = found / planted, true / findings if findings else 1.0
            goal_recall, goal_precision = GOALS[mode]
            verdict = "met" if recall >= goal_recall and precision >= goal_precision else "MISSED"
            print(
                f"{mode}: recall {recall:.3f} ({found}/{planted}), precision {precision:.3f} "
                f"({true}/{findings}); goal {goal_recall:.2f}/{goal_precision:.2f} {verdict}\n"
            )
            if verdict == "MISSED":
                missed.append(mode)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
