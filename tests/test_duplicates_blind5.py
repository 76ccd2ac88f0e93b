"""`bo dupes` scored on a fifth set it has never seen: the issue's goals are judged here.

tests/blind5_dupes holds a generator written by an engineer who read only bo's user
documentation, the earlier sets' READMEs and the shared scorer: a New Zealand freight firm in
NZD (owner-drivers on buyer-created invoices, a fuel card, a bank feed's `akahu_id`), a Danish
hair salon in DKK typed entirely by hand with renamed root accounts (booth rent, card and
MobilePay settlements), and a Japanese pottery studio in JPY without decimals (Money
Forward's export, the bank's text in half-width katakana), each with planted duplicates among
honest look-alikes, and a copy of each book with its statements. Nobody working on bo's
detector had read it when it was first scored (main after the session that wrote it, with
that session's detector work merged); the lead read its findings after that.

The floors guard what has been fixed since; the issue's goals are strict expected failures
beside them, until they hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.truth_sets import score_set, totals

SET = Path(__file__).parent / "blind5_dupes"
BOOKS = ("kowhai", "fyrtaarn", "kawase")


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict[str, dict]:
    return score_set(SET / "gen.py", BOOKS, tmp_path_factory.mktemp("blind5"))


# (recall, precision), books only and with statements: 89/132 found at 89/124 and 105/132 at
# 105/136 when bo first met the set; 106/132 at 106/111 and 113/132 at 113/114 once the general
# faults it showed were fixed (two vendors' letters before one number, weeks named, one week
# paid twice, transfers typed from both statements, journals' payees, words in Japanese
# text, a docket's number typed beside its imported line). Read since, the set is no longer
# blind for what it shows: its goals stay judged here until a sixth is written.
FLOORS = {False: (0.80, 0.95), True: (0.85, 0.99)}
GOALS = {False: (0.90, 0.90), True: (0.95, 0.95)}


@pytest.mark.parametrize("statements", [False, True], ids=["ledger-only", "with-statements"])
def test_the_fifth_blind_set_scores_no_worse_than_measured(scored, statements):
    recall, precision, shown = totals(scored, BOOKS, statements)
    floor_recall, floor_precision = FLOORS[statements]
    assert recall >= floor_recall and precision >= floor_precision, shown


@pytest.mark.xfail(
    strict=True,
    reason="unmet on a set bo has never seen: a feed re-linked under new ids, receipts less the "
    "bank's fee, gross and net settlements, invoice runs twice, false findings in yen books",
)
@pytest.mark.parametrize("statements", [False, True], ids=["ledger-only", "with-statements"])
def test_the_fifth_blind_set_meets_the_issue_goals(scored, statements):
    recall, precision, shown = totals(scored, BOOKS, statements)
    goal_recall, goal_precision = GOALS[statements]
    assert recall >= goal_recall and precision >= goal_precision, shown
