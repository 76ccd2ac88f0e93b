"""Which bank line an entry is: the ids importers write into the books, read one way everywhere.

bo's own import writes `import-id`; other tools write the bank's transaction id under their
own key (`bank_id`, `txn_id`, `fitid`, `ofx_fitid`...), on the entry or on the posting of the
account, or as a link (`^chk-<id>`). `bo.yaml`'s `matching.line_id_keys` names the keys (the
default covers common importers); links count unless `matching.line_id_links` is false.
Import, reconciliation and duplicate detection all read ids through `LineIds`, so they agree
on which entry holds which line.

An id is the bank's name for one line of one account: two entries with the same id and the
same movement of that account are one line booked twice, and two entries with different ids
of the same kind are two lines, however alike they look. A link is weaker (people also link
a bill to its payments): it names a line only for entries moving the same amount within days.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from beancount.core import data

# Metadata keys under which importers keep the bank's id of a line. Compared without case,
# `-` and `_` alike: `import-id`, `import_id` and `Import-Id` are one key.
DEFAULT_LINE_ID_KEYS = (
    "import-id",  # bo import
    "bank_id",
    "bank-txn-id",
    "txn_id",
    "txnid",
    "transaction_id",
    "fitid",
    "ofx_fitid",
    "external_id",
    "reference_id",
    "unique_id",
)
_SEPARATORS = re.compile(r"[-_/.:]")
# The shortest tail of a link read as an id: "chk-20250103-001" ends in a line id, a link like
# "^inv-42" does not name a bank line.
_MIN_LINK_ID = 6


@functools.lru_cache(maxsize=1024)
def key_name(key: str) -> str:
    """A metadata key as ids are compared: casefolded, `-` as `_`."""
    return key.casefold().replace("-", "_")


class LineId(tuple):
    """(kind, value): the metadata key (normalized) or `link:<scheme>`, and the id."""

    __slots__ = ()

    def __new__(cls, kind: str, value: str) -> LineId:
        return super().__new__(cls, (kind, value))

    def __getnewargs__(self) -> tuple[str, str]:
        return (self[0], self[1])

    @property
    def kind(self) -> str:
        return self[0]

    @property
    def value(self) -> str:
        return self[1]

    @property
    def is_link(self) -> bool:
        return self[0].startswith("link:")

    def words(self) -> str:
        """How a reason names it: `bank_id CK123`, `link ^chk-ck123`."""
        return f"link ^{self.value}" if self.is_link else f"{self.kind} {self.value}"


@dataclass(frozen=True)
class LineIds:
    """Reads the line ids of entries with the keys bo.yaml names (or the default)."""

    keys: frozenset[str] = frozenset(key_name(k) for k in DEFAULT_LINE_ID_KEYS)
    links: bool = True

    @classmethod
    def of(cls, keys: Iterable[str] | None = None, links: bool = True) -> LineIds:
        chosen = DEFAULT_LINE_ID_KEYS if keys is None else keys
        return cls(frozenset(key_name(k) for k in chosen), links)

    def entry_ids(self, entry: data.Transaction, account: str | None = None) -> tuple[LineId, ...]:
        """The ids an entry carries: its metadata, the metadata of its postings (of
        `account`, if given), and its links."""
        found: list[LineId] = []
        self._meta(entry.meta, found)
        for posting in entry.postings:
            if posting.meta and (account is None or posting.account == account):
                self._meta(posting.meta, found)
        found += self.link_ids(entry.links)
        return tuple(dict.fromkeys(found))

    def link_ids(self, links: Iterable[str] | None) -> list[LineId]:
        """The ids of an entry's links (none when links do not count), each once."""
        if not self.links or not links:
            return []
        return [LineId(f"link:{link_scheme(link)}", link) for link in sorted(links)]

    def _meta(self, meta: dict, found: list[LineId]) -> None:
        keys = self.keys
        for key, value in meta.items():
            if value is None or key in ("filename", "lineno") or key_name(key) not in keys:
                continue
            text = str(value).strip()
            if text:
                found.append(LineId(key_name(key), text))


def link_scheme(link: str) -> str:
    """A link's leading letters, casefolded: `chk-ck2501` and `chk-ck2502` are ids of one
    kind (two lines), `inv-42` another."""
    match = _SCHEME.match(link)
    return match.group(0).casefold() if match else ""


_SCHEME = re.compile(r"[A-Za-z]*")


@functools.lru_cache(maxsize=1 << 18)
def id_tokens(line_id: LineId) -> tuple[str, ...]:
    """The forms under which an id may appear elsewhere: the value casefolded and, for a
    link, its tail after each separator (`chk-ck2501` holds the bank's `CK2501`).

    Kept for the ids asked again: `bo dupes` compares each entry's ids with those of every
    entry sharing one, hundreds of thousands of pairs on large books."""
    value = line_id.value.casefold()
    if not line_id.is_link:
        return (value,)
    tails = [value]
    for match in _SEPARATORS.finditer(value):
        tail = value[match.end() :]
        if len(tail) >= _MIN_LINK_ID and any(ch.isdigit() for ch in tail):
            tails.append(tail)
    return tuple(tails)


def names_line(line_id: LineId, statement_ids: Iterable[str]) -> bool:
    """Whether an entry's id names a statement line known by `statement_ids` (bo's line id
    `bank:X` or `row:...`, and the bank's own id `X`)."""
    wanted = set(id_tokens(line_id))
    for known in statement_ids:
        if not known:
            continue
        folded = known.casefold()
        if folded in wanted or (folded.startswith("bank:") and folded[5:] in wanted):
            return True
    return False


def same_kind_differs(
    first: Iterable[LineId], second: Iterable[LineId]
) -> tuple[LineId, LineId] | None:
    """Two ids of one kind (one key, or links of one scheme) and one shape that differ, when
    the entries share none: the bank printed two lines. Ids of two shapes under one key
    (`2405250240100`, `CC202405250040`) prove nothing: a bank that changes how it numbers its
    lines gives the same line a new id when its statement is downloaded again."""
    first, second = tuple(first), tuple(second)
    if not first or not second or shared_id(first, second) is not None:
        return None
    by_kind = {line_id.kind: line_id for line_id in first}
    for line_id in second:
        other = by_kind.get(line_id.kind)
        if (
            other is not None
            and other.value.casefold() != line_id.value.casefold()
            and same_scheme(other.value, line_id.value)
        ):
            return other, line_id
    return None


# A fixed head before an id's body: a few letters before a separator (`txn_`, `bank:`), or
# before a number running to the end (`CC202405250040`).
_HEAD = re.compile(r"([A-Za-z]{1,4})(?:[^A-Za-z0-9]+|(?=\d{6,}$))")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")


@functools.lru_cache(maxsize=1 << 16)
def id_scheme(value: str) -> tuple[str, tuple[int, ...], bool, int]:
    """How a bank numbers its lines, as far as one id shows it: its fixed head (`cc` of
    `CC202405250040`, `txn` of `txn_8kd…`), where its separators sit, whether its body is a
    number, and its length. Read coarsely on purpose: random codes (a uuid, hex, base 36)
    of one length are one scheme, whichever characters they happen to hold."""
    value = value.strip()
    head = _HEAD.match(value)
    body = value[head.end() :] if head else value
    return (
        head.group(1).casefold() if head else "",
        tuple(m.start() for m in _NOT_ALNUM.finditer(value)),
        body.isdigit(),
        len(value),
    )


def same_scheme(first: str, second: str) -> bool:
    """Whether two ids may be one bank's names of two lines. Two ids of one scheme may name
    two lines; of two schemes, one line before and after the bank changed its ids (a new
    head, a number for a code, another length). A counter gains a digit as it grows
    (`bank:99999`, `bank:100000`): one character more is the same scheme."""
    a, b = id_scheme(first), id_scheme(second)
    return a[:3] == b[:3] and abs(a[3] - b[3]) <= 1


def shared_id(first: Iterable[LineId], second: Iterable[LineId]) -> LineId | None:
    """An id the two carry alike (a key's value, or a link, or a link holding a key's value)."""
    tokens: dict[str, LineId] = {}
    for line_id in first:
        for token in id_tokens(line_id):
            tokens.setdefault(token, line_id)
    for line_id in second:
        for token in id_tokens(line_id):
            if token in tokens:
                return tokens[token]
    return None
