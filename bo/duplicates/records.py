"""One record of another system imported twice: two entries carrying its one id.

Not every importer writes a bank line's id: a processor's script writes the processor's id of
a balance transaction (`stripe_id: re_3Q…`), a payroll export its run's (`gusto_payroll_id`).
Those keys are not `matching.line_id_keys` (no statement prints them), yet a key named as an
id (`…_id`, `…-id`, `id`, `uuid`, `guid`) holding one id-like value on two entries that move
one account the same way within days is one record booked twice: the script re-run over a
day. An id shared by entries moving money differently is a reference between records (a
dispute and its reversal, a payroll journal and its net-pay debit), not a copy; and a key
most of whose values many entries share (`customer_id`) names what they have in common, not
each entry's own record.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from operator import attrgetter

from bo.duplicates.books import _Books, _days
from bo.duplicates.imported import alike, one_movement
from bo.duplicates.model import IMPORTED_TWICE, Windows, _Candidate
from bo.lineids import key_name

# A key naming the record's own id, whatever tool wrote it: `stripe_id`, `payroll-id`,
# `uuid`. References to other documents are named otherwise (`invoice`, `order_ref`).
_ID_KEY = re.compile(r"(?:^|[_-])id$|^(?:uuid|guid)$", re.IGNORECASE)
# An id-like value: six characters or more, a digit among them, no space (not a word, a
# flag or a small number).
_ID_VALUE = re.compile(r"(?=[^\s]*\d)[^\s]{6,}")
# More entries than this sharing one value is a reference on many records, not a copy.
_MAX_SHARING = 8
# A key names each entry's own record when it is on this many entries or more and this
# share of them hold a value no other entry holds.
_MIN_RECORDS = 5
_OWN = 0.75
_META = attrgetter("meta")
_SCORE = 0.95  # below a bank line's id: the system's, not the bank's


def _recorded_twice(books: _Books, windows: Windows) -> Iterable[_Candidate]:
    """Entries sharing a record id and one movement within days, one finding per record."""
    line_keys = books.identity.keys
    txns = books.txns
    # The keys first: most books hold no record's id at all.
    id_keys = {
        k for k in metadata_keys(books) if _ID_KEY.search(k) and key_name(k) not in line_keys
    }
    if not id_keys:
        return
    by_value: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in books.described:
        meta = txns[i].meta
        for key in id_keys.intersection(meta):
            value = meta[key]
            if type(value) is str and _ID_VALUE.fullmatch(value.strip()):
                by_value[(key_name(key), value.strip().casefold())].append(i)
    own = _own_ids(by_value)
    for (key, _), members in sorted(by_value.items()):
        if not 1 < len(members) <= _MAX_SHARING or key not in own:
            continue
        copies = _copies(books, members, windows)
        if len(copies) > 1:
            yield _found(books, key, copies)


def metadata_keys(books: _Books) -> set[str]:
    """Every key of the entries' own metadata, a set filled in C."""
    return set(chain.from_iterable(map(_META, map(books.txns.__getitem__, books.described))))


def _own_ids(by_value: dict[tuple[str, str], list[int]]) -> set[str]:
    """The keys naming each entry by its own record: most of their values on one entry only.
    A key whose values many entries share names what they have in common (`customer_id`,
    `project_id`), and two of them alike are two records of one customer."""
    held: dict[str, int] = defaultdict(int)
    alone: dict[str, int] = defaultdict(int)
    for (key, _), members in by_value.items():
        held[key] += len(members)
        alone[key] += len(members) == 1
    return {key for key, n in held.items() if n >= _MIN_RECORDS and alone[key] >= _OWN * n}


def record_key(meta: dict, line_keys: frozenset[str]) -> str | None:
    """The key under which an entry's metadata names it by another system's id (a
    processor's, a payroll export's): it was imported, not typed. None for none."""
    if len(meta) <= 2:
        return None
    for key, value in meta.items():
        if (
            type(value) is str
            and _ID_KEY.search(key) is not None
            and key_name(key) not in line_keys
            and _ID_VALUE.fullmatch(value.strip()) is not None
        ):
            return key
    return None


def _copies(books: _Books, members: list[int], windows: Windows) -> list[int]:
    """The members that are one movement with another member within days."""
    found: set[int] = set()
    for n, first in enumerate(members):
        for second in members[n + 1 :]:
            if _days(books, first, second) <= windows.entry and one_movement(books, first, second):
                found.update((first, second))
    return sorted(found, key=lambda i: (books.rank(i), i))


def _found(books: _Books, key: str, members: list[int]) -> _Candidate:
    first, second = members[0], members[1]
    reasons = [f"same {key} {_value(books, first, key)}: one record, {len(members)} entries"]
    reasons += alike(books, first, second)
    return _Candidate(IMPORTED_TWICE, tuple(members), _SCORE, tuple(reasons), False)


def _value(books: _Books, i: int, key: str) -> str:
    """The value under a key as the entry spells it (`stripe-id` read as `stripe_id`)."""
    return next((str(v) for k, v in books.txns[i].meta.items() if key_name(k) == key), "")
