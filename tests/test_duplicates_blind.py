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

from pathlib import Path

import pytest

from tests.truth_sets import score_set, totals

SET = Path(__file__).parent / "blind_dupes"
BOOKS = ("bistro", "ridgeline", "lindqvist")


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict[str, dict]:
    return score_set(SET / "gen.py", BOOKS, tmp_path_factory.mktemp("blind"))


# (recall, precision) measured when bo first met the set, books only and with statements.
FLOORS = {False: (0.85, 0.93), True: (0.88, 0.93)}
GOALS = {False: (0.90, 0.90), True: (0.95, 0.95)}


@pytest.mark.parametrize("statements", [False, True], ids=["ledger-only", "with-statements"])
def test_the_blind_set_scores_no_worse_than_measured(scored, statements):
    recall, precision, shown = totals(scored, BOOKS, statements)
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
    recall, precision, shown = totals(scored, BOOKS, statements)
    goal_recall, goal_precision = GOALS[statements]
    assert recall >= goal_recall and precision >= goal_precision, shown
