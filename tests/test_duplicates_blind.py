"""`bo dupes` scored on a second set it has never seen, written after the first was known.

tests/blind_dupes holds a generator written by an engineer who read only bo's user
documentation and the first set's truth format and scorer: a US restaurant with POS batches
and tips, a Canadian contractor with progress billing, holdbacks and renamed root accounts,
and a Berlin agency in EUR with USD and GBP accounts, each with planted duplicates among
honest look-alikes, the truth kept outside the ledgers, and a copy of each book with its
statements. It is scored with tests/independent_dupes/score.py, unchanged.

The floors are the scores measured the first time bo's current detector met the set; the
issue's goals are checked beside them.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

SET = Path(__file__).parent / "blind_dupes"
BOOKS = ("bistro", "ridgeline", "lindqvist")

_spec = importlib.util.spec_from_file_location(
    "independent_score", SET.parent / "independent_dupes" / "score.py"
)
score_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score_module)


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("blind")
    subprocess.run([sys.executable, SET / "gen.py", "--out", out], check=True, capture_output=True)
    results = {}
    for book in BOOKS:
        for name in (book, f"{book}-stmts"):
            found = subprocess.run(
                [sys.executable, "-m", "bo", "--books", out / name, "dupes", "--json"],
                capture_output=True, text=True,
            )  # fmt: skip
            assert found.returncode in (0, 1), found.stderr
            results[name] = score_module.score(str(out / name), json.loads(found.stdout))
            print(score_module.report(name, results[name]))
    return results


def totals(scored: dict[str, dict], statements: bool) -> tuple[float, float, str]:
    names = [f"{book}-stmts" if statements else book for book in BOOKS]
    found, planted, true, findings = score_module.summed(scored[name] for name in names)
    shown = "\n".join(score_module.report(name, scored[name]) for name in names)
    return found / planted, true / findings, shown


# (recall, precision) measured when bo first met the set, books only and with statements.
FLOORS = {False: (0.85, 0.93), True: (0.88, 0.93)}
GOALS = {False: (0.90, 0.90), True: (0.95, 0.95)}


@pytest.mark.parametrize("statements", [False, True], ids=["ledger-only", "with-statements"])
def test_the_blind_set_scores_no_worse_than_measured(scored, statements):
    recall, precision, shown = totals(scored, statements)
    floor_recall, floor_precision = FLOORS[statements]
    assert recall >= floor_recall and precision >= floor_precision, shown


SHORT_OF_THE_GOALS = pytest.mark.xfail(
    strict=True,
    reason="bo finds 0.86 of this set's duplicates on the ledger alone and 0.89 with "
    "statements, at precision 0.94: a progress claim entered again from the architect's "
    "certificate, bills re-entered under a shortened vendor name, an entry that sits in two "
    "duplicates reported as one finding of three",
)


@pytest.mark.parametrize(
    "statements",
    [pytest.param(False, marks=SHORT_OF_THE_GOALS, id="ledger-only"),
     pytest.param(True, marks=SHORT_OF_THE_GOALS, id="with-statements")],
)  # fmt: skip
def test_the_blind_set_meets_the_issue_goals(scored, statements):
    recall, precision, shown = totals(scored, statements)
    goal_recall, goal_precision = GOALS[statements]
    assert recall >= goal_recall and precision >= goal_precision, shown
