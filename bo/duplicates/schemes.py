"""A statement downloaded again after the bank changed how it numbers its lines.

Two entries of one feed with ids of one kind and one shape are two lines (two MacBooks, two
Brex ids). Ids of two shapes under one key (`2405250240100` and `CC202405250040`) prove
nothing by themselves; the feed's own history tells. A bank numbers an account's lines one way
at a time: when it changes, the lines downloaded from then on carry the new ids. A line under
the new scheme dated on or before the last line the old scheme numbered was downloaded again
over days already imported: its twin under the old id (same amount, payee, day) is the same
line. A line after the change (a coffee the day after the last old id) is not.
"""

from __future__ import annotations

from collections import defaultdict

from bo.duplicates.books import _Books
from bo.lineids import LineId, id_scheme, same_scheme

# (account, key, scheme) -> first and last day (ordinals) a line of the account had an id
# of that scheme.
_Spans = dict[tuple[str, str, tuple], list[int]]


class IdSchemes:
    """The schemes each account's feed used, and when: read once, at the first pair of ids
    of two schemes (most books never ask)."""

    def __init__(self, books: _Books) -> None:
        self.books = books
        self._spans: _Spans | None = None

    def downloaded_again(self, first: int, second: int) -> str | None:
        """Words for two entries imported from one account's statements under ids of one kind
        and two schemes, the newer dated within the older's run; else None."""
        books = self.books
        account = books.statement_account(first)
        if account is None or account != books.statement_account(second):
            return None
        pair = _two_schemes(books.line_ids(first), books.line_ids(second))
        if pair is None:
            return None
        spans = self._read()
        run_a, run_b = (spans.get((account, i.kind, id_scheme(i.value))) for i in pair)
        if run_a is None or run_b is None:
            return None
        # The scheme first used later is the new one.
        new, old_run = (second, run_a) if run_b[0] >= run_a[0] else (first, run_b)
        if books.txns[new].date.toordinal() > old_run[1]:
            return None  # after the old scheme's last line: a line of its own
        return (
            f"{pair[0].kind} {pair[0].value} and {pair[1].value} are one line numbered two ways: "
            f"the {account} statement downloaded again after the bank changed its ids"
        )

    def _read(self) -> _Spans:
        if self._spans is None:
            books = self.books
            spans: _Spans = defaultdict(lambda: [1 << 30, 0])
            for i, ids in books.ids.items():
                if all(line_id.is_link for line_id in ids):
                    continue
                account = books.statement_account(i)
                if account is None:
                    continue
                day = books.txns[i].date.toordinal()
                for line_id in ids:
                    if line_id.is_link:
                        continue
                    span = spans[(account, line_id.kind, id_scheme(line_id.value))]
                    span[0] = min(span[0], day)
                    span[1] = max(span[1], day)
            self._spans = dict(spans)
        return self._spans


def _two_schemes(
    first: tuple[LineId, ...], second: tuple[LineId, ...]
) -> tuple[LineId, LineId] | None:
    """The ids of one kind the two entries carry in two schemes, when they share no kind in
    one scheme (then the ids' difference already says two lines)."""
    by_kind: dict[str, list[LineId]] = defaultdict(list)
    for line_id in first:
        if not line_id.is_link:
            by_kind[line_id.kind].append(line_id)
    found = None
    for line_id in second:
        for other in by_kind.get(line_id.kind, ()):
            if same_scheme(other.value, line_id.value):
                return None
            found = found or (other, line_id)
    return found
