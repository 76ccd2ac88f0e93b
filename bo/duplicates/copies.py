"""Payments (or receipts) of one invoice beyond what it asks: which of them are one movement
booked twice, and which are money that really moved twice.

A bookkeeper who finds an invoice paid three times asks of each two payments whether they
are one: the same check number, one typed from the confirmation beside the bank's own line a
day or two apart, one line the statement printed once. Those are one payment entered twice, a
finding of its own; what is left is judged against the bill, and when it is still beyond it
the vendor was paid twice. An entry may then sit in both findings: as the original of a copy
and as the first of two payments (issue 22: "a finding may share an entry with another
finding when the evidence differs").
"""

from __future__ import annotations

from collections.abc import Sequence

from bo.duplicates.books import _Books, _compare, _conflict, _days, _item
from bo.duplicates.clues import two_importers
from bo.duplicates.evidence import _combined, _statement_of, _Verdicts
from bo.duplicates.model import ENTERED_TWICE, MIN_SCORE, Windows, _Candidate
from bo.duplicates.wording import check_in, different_parts
from bo.lineids import same_kind_differs, shared_id
from bo.matching import MatchParams


def split_copies(
    books: _Books,
    cluster: Sequence,
    windows: Windows,
    verdicts: _Verdicts | None,
    what: str,
    beyond: str = "",
) -> tuple[list[_Candidate], list]:
    """(findings of one payment entered twice, the payments left once each copy is taken
    out) for a cluster of one vendor's payments (or one customer's receipts) of one invoice;
    `beyond` says by how much they exceed it, a reason of each copy's finding.

    The copy taken out is the typed one when the other came from the bank (its line is the
    movement's record), else the later one. A copy of one line imported twice is taken out
    without a finding: rule 1 reports it."""
    ordered = sorted(cluster, key=lambda x: (books.rank(x.index), x.index))
    dropped: set[int] = set()
    found: list[_Candidate] = []
    for n, first in enumerate(ordered):
        if first.index in dropped:
            continue
        for second in ordered[n + 1 :]:
            if _days(books, first.index, second.index) > windows.entry:
                break
            if second.index in dropped or second.index == first.index:
                continue
            if first.amount != second.amount or first.currency != second.currency:
                continue
            why = _one_movement(books, first.index, second.index, verdicts)
            if why is None:
                continue
            copy = second.index
            if books.line_ids(second.index) and not books.line_ids(first.index):
                copy = first.index
            dropped.add(copy)
            if why:
                found.append(_copy_found(books, first, second, windows, why, what, beyond))
            if copy == first.index:
                break
    return found, [x for x in cluster if x.index not in dropped]


def _one_movement(books: _Books, first: int, second: int, verdicts: _Verdicts | None) -> str | None:
    """Why two payments of one amount under one invoice are one movement ("" when one line
    imported twice, rule 1's), or None when nothing says so or something says two."""
    ids = books.line_ids(first), books.line_ids(second)
    if shared_id(*ids) is not None:
        return ""
    if same_kind_differs(*ids) is not None:
        return None  # two lines of one feed
    if _conflict(books, first, second):
        return None  # two check numbers, two documents
    checks = _check_number(books, first), _check_number(books, second)
    if None not in checks and checks[0] != checks[1]:
        return None
    if different_parts(books.narration(first), books.narration(second)):
        return None
    shared = _cash(books, first) & _cash(books, second)
    if not shared:
        return None  # from two accounts: two movements, or a transfer's rule
    verdict = _combined(verdicts, shared, first, second, books) if verdicts else "unknown"
    if verdict == "twice":
        return None
    if verdict == "once":
        return f"the statement of {_statement_of(shared)} shows it once"
    origins = books.statement_account(first), books.statement_account(second)
    importers = two_importers(*ids) if origins[0] == origins[1] else None
    if importers:
        return importers
    if (origins[0] is None) != (origins[1] is None):
        where = next(o for o in origins if o is not None)
        return f"one typed by hand, one imported from the {where} statement"
    if bool(ids[0]) != bool(ids[1]):
        # A bank line's link (`^atb-…`) beside an entry with none: the feed's and a person's.
        return f"one typed by hand, one from the {_statement_of(shared)} feed's line"
    if not any(ids) and checks[0] is not None and checks[0] == checks[1]:
        return f"both typed by hand, one check {checks[0]}"
    return None


def _cash(books: _Books, i: int) -> set[str]:
    return {p.account for p in books.txns[i].postings if p.account in books.cash}


def _check_number(books: _Books, i: int) -> str | None:
    """The check's number an entry carries, in metadata or its narration ("Check 1293")."""
    ref = books.refs(i).get("check")
    if ref is not None:
        return ref.lstrip("0") or ref
    return check_in(books.narration(i))


def _copy_found(
    books: _Books, first, second, windows: Windows, why: str, what: str, beyond: str
) -> _Candidate:
    params = MatchParams(
        date_window=windows.entry, check_date_window=windows.entry, min_score=MIN_SCORE
    )
    pair = _compare(
        _item(books, first.index, first.amount, first.currency),
        _item(books, second.index, second.amount, second.currency),
        params,
    )
    shown = books.invoice_shown(first.index) or books.invoice_shown(second.index)
    reasons = [
        f"same {what} entered twice: {books.text(first.index)}, invoice {shown}, "
        f"{first.amount:,} {first.currency}",
        *([beyond] if beyond else []),
        why,
        *(r for r in (pair.reasons if pair else ()) if not r.startswith("same reference")),
    ]
    missing: tuple[str, ...] = ()
    if not why.startswith("the statement"):
        accounts = _statement_of(_cash(books, first.index))
        missing = (f"no statement of {accounts} covers these dates",)
    score = pair.score if pair else 0.9
    return _Candidate(
        ENTERED_TWICE, (first.index, second.index), score, tuple(reasons), True, missing
    )
