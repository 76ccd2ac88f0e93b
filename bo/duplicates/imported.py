"""Rule 1: one statement line imported twice (two entries carrying one `import-id`)."""

from __future__ import annotations

from collections.abc import Iterable

from bo.duplicates.books import _Books, _compare, _item
from bo.duplicates.model import ID_KEY, IMPORTED_TWICE, _Candidate
from bo.matching import (
    MatchParams,
)


def _imported_twice(books: _Books) -> Iterable[_Candidate]:
    for line_id, members in books.imported.items():
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda i: (books.rank(i), i))
        reasons = [f"same {ID_KEY} {line_id}: one statement line, {len(members)} entries"]
        first, second = members[0], members[1]
        postings = [p for p in books.txns[first].postings if p.units is not None]
        legs = [p for p in postings if p.account in books.cash] or postings
        if legs:
            units = legs[0].units
            wide = MatchParams(date_window=366, check_date_window=366, min_score=0.0)
            pair = _compare(
                _item(books, first, units.number, units.currency),
                _item(books, second, units.number, units.currency),
                wide,
            )
            if pair is not None:
                reasons += pair.reasons
        # The same id is the bank's (or the row's) identity twice over: certain.
        yield _Candidate(IMPORTED_TWICE, tuple(members), 1.0, tuple(reasons), False)
