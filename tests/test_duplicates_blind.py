"""`bo dupes` scored on a second set it has never seen, written after the first was known.

tests/blind_dupes holds a generator written by an engineer who read only bo's user
documentation and the first set's truth format and scorer: a US restaurant with POS batches
and tips, a Canadian contractor with progress billing, holdbacks and renamed root accounts,
and a Berlin agency in EUR with USD and GBP accounts, each with planted duplicates among
honest look-alikes, the truth kept outside the ledgers, and a copy of each book with its
statements. It is scored with tests/independent_dupes/score.py, unchanged.

The floors were the scores measured the first time bo's detector met the set, and are raised
as it improves; the issue's goals are checked beside them.
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


# (recall, precision), books only and with statements. When bo first met the set: 0.86/0.94
# and 0.89/0.94. Since then the set is no longer blind (a third one judges): 106/106 found
# both ways, no false finding.
FLOORS = {False: (1.00, 1.00), True: (1.00, 1.00)}
GOALS = {False: (0.90, 0.90), True: (0.95, 0.95)}


@pytest.mark.parametrize("statements", [False, True], ids=["ledger-only", "with-statements"])
def test_the_blind_set_scores_no_worse_than_measured(scored, statements):
    recall, precision, shown = totals(scored, BOOKS, statements)
    floor_recall, floor_precision = FLOORS[statements]
    assert recall >= floor_recall and precision >= floor_precision, shown


@pytest.mark.parametrize("statements", [False, True], ids=["ledger-only", "with-statements"])
def test_the_blind_set_meets_the_issue_goals(scored, statements):
    recall, precision, shown = totals(scored, BOOKS, statements)
    goal_recall, goal_precision = GOALS[statements]
    assert recall >= goal_recall and precision >= goal_precision, shown
