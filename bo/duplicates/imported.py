"""Rule 1: one statement line imported twice (two entries carrying the line's one id).

The id is whatever the importer wrote (`import-id`, `bank_id`, `fitid`... on the entry or on
its posting, or a link): two entries holding one id and the same movement of an account are
one bank line twice. A shared link counts only for entries within days of each other, since
people also link a bill to the payments of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bo.duplicates.books import _Books, _compare, _days, _item
from bo.duplicates.model import IMPORTED_TWICE, Windows, _Candidate
from bo.lineids import LineId, id_tokens, shared_id
from bo.matching import MatchParams

# A group of entries sharing one id larger than this is a person's link on many entries
# (a project, a bill and its payments), not a line imported again and again.
_MAX_SHARING = 8


def _imported_twice(books: _Books, windows: Windows) -> Iterable[_Candidate]:
    by_token: dict[str, list[int]] = defaultdict(list)
    # Entries whose ids are all links: a link shared by two entries days apart is a person's
    # (a bill and its payment), no line; most entries sharing an id on large books are these.
    linked: set[int] = set()
    for i, ids in books.ids.items():
        if len(ids) == 1:
            tokens: Iterable[str] = id_tokens(ids[0])  # distinct already
        else:
            tokens = {t for line_id in ids for t in id_tokens(line_id)}
        for token in tokens:
            by_token[token].append(i)
        if all(line_id.is_link for line_id in ids):
            linked.add(i)
    days = {i: books.txns[i].date.toordinal() for i in linked}
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.get(i, i) != i:
            parent[i] = parent.get(parent[i], parent[i])
            i = parent[i]
        return i

    for members in by_token.values():
        if not 1 < len(members) <= _MAX_SHARING:
            continue
        for n, first in enumerate(members):
            for second in members[n + 1 :]:
                if (
                    first in linked
                    and second in linked
                    and abs(days[first] - days[second]) > windows.entry
                ):
                    continue  # what `_one_line` says of a link shared days apart
                if root(first) != root(second) and _one_line(books, first, second, windows):
                    parent[root(second)] = root(first)
                    parent.setdefault(first, first)
                    parent.setdefault(second, second)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in list(parent):
        groups[root(i)].append(i)
    for members in groups.values():
        members = sorted(set(members), key=lambda i: (books.rank(i), i))
        first, second = members[0], members[1]
        line_id = shared_id(books.line_ids(first), books.line_ids(second))
        assert line_id is not None
        reasons = [f"same {line_id.words()}: one statement line, {len(members)} entries"]
        reasons += alike(books, first, second)
        # The same id is the bank's (or the row's) identity twice over: certain. A link alone
        # is a person's word for it.
        score = 0.95 if line_id.is_link else 1.0
        yield _Candidate(IMPORTED_TWICE, tuple(members), score, tuple(reasons), False)


def _one_line(books: _Books, first: int, second: int, windows: Windows) -> bool:
    """Whether two entries sharing an id are one bank line: the same movement of an account
    (the same amount to the same account), and for a link, within days."""
    line_id: LineId | None = shared_id(books.line_ids(first), books.line_ids(second))
    if line_id is None:
        return False
    if line_id.is_link and _days(books, first, second) > windows.entry:
        return False
    return one_movement(books, first, second)


def one_movement(books: _Books, first: int, second: int) -> bool:
    """Whether two entries move one account by one amount (the same posting in both)."""
    moved = {(p.account, p.units) for p in books.txns[first].postings if p.units is not None}
    return any((p.account, p.units) in moved for p in books.txns[second].postings)


def alike(books: _Books, first: int, second: int) -> list[str]:
    """The matcher's reasons for two entries found by an id they share, however far apart."""
    postings = [p for p in books.txns[first].postings if p.units is not None]
    legs = [p for p in postings if p.account in books.cash] or postings
    if not legs:
        return []
    units = legs[0].units
    wide = MatchParams(date_window=366, check_date_window=366, min_score=0.0)
    pair = _compare(
        _item(books, first, units.number, units.currency),
        _item(books, second, units.number, units.currency),
        wide,
    )
    return list(pair.reasons) if pair is not None else []
