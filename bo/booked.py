"""Whether a statement line is already in the books: the one decision import, reconcile and
duplicate detection share.

A line is in the books when

- an entry carries its id (`bo.lineids`: the importer's key or a link naming the bank's id
  or bo's line id): joined by id, not scored (a typed copy can score as well, and the id is
  proof);
- otherwise the shared matcher pairs it with a posting of the account, one-to-one or as a
  group (a deposit the books hold as several receipts): typed by hand, or the other side of
  a transfer imported from another account's statement. A pair that agrees on amount and
  date alone, with a payee naming someone else and no reference or rule to tie them, gives
  way when its entry is better explained by what nothing holds (`second_look`), and is
  otherwise kept, doubted (the caller's `doubt` says why).

An entry imported from this account's statements (a line id under a metadata key, on the
account's posting or first) holds only its own line: within the statement's dates it may be
a line whose id changed (the bank reworded it), outside them it is another statement's.

`bo import` skips what this finds, `bo reconcile` matches it, `bo dupes` counts it: a line
import skipped is matched by reconcile to the same entry.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from beancount.core import data

from bo.errors import BadInputError
from bo.lineids import LineId, LineIds, id_tokens, key_name
from bo.matching import (
    Item,
    Match,
    MatchParams,
    NearMiss,
    Unmatched,
    match_items,
    normalize_ref,
    normalize_text,
    text_similarity,
)
from bo.periods import Period
from bo.reconciliation import RECONCILED_KEY
from bo.settings import Rule, Settings
from bo.statements import StatementLine

CHUNK_LINES = 4096  # statement lines matched at a time; a progress bar moves per chunk
# Metadata of an entry that a statement line may share: a check number, the bank's or the
# vendor's reference.
REF_KEYS = ("check", "reference")


class Holder(NamedTuple):
    """A posting of the statement's account that may hold a line."""

    item: Item  # as the matcher sees it; its key is the caller's
    ids: tuple[LineId, ...]  # the entry's line ids
    own: bool  # imported from this account's statements: holds only its own line

    @property
    def typed(self) -> bool:
        """Typed by hand: no line id under a metadata key (a link alone may be a person's)."""
        return all(line_id.is_link for line_id in self.ids)


class Pair(NamedTuple):
    """Statement lines and the postings holding them, by their keys."""

    lines: tuple[Hashable, ...]
    postings: tuple[Hashable, ...]
    reasons: tuple[str, ...]
    score: float = 1.0
    by_id: LineId | None = None  # joined by this id rather than matched


@dataclass(frozen=True)
class Booked:
    """Which lines are in the books (pairs), and what is left on either side."""

    pairs: tuple[Pair, ...]
    near_misses: tuple[NearMiss, ...]  # of lines and postings left
    lines_left: tuple[Unmatched, ...]
    postings_left: tuple[Unmatched, ...]


def holder(
    key: Hashable,
    entry: data.Transaction,
    posting: data.Posting,
    identity: LineIds,
    account: str,
) -> Holder:
    """A posting of `account` as `find_booked` reads it."""
    meta = entry.meta
    refs = frozenset(str(meta[k]) for k in REF_KEYS if meta.get(k) is not None)
    text = " ".join(t for t in (entry.payee, entry.narration) if t)
    kind = "check" if meta.get("check") is not None else ""
    units = posting.units
    item = Item(key, entry.date, units.number, units.currency, text, refs, kind)
    ids = identity.entry_ids(entry, account)
    return Holder(item, ids, _imported_from(entry, account, identity, ids))


def _imported_from(
    entry: data.Transaction, account: str, identity: LineIds, ids: tuple[LineId, ...]
) -> bool:
    """Whether the entry was imported from `account`'s statements: a line id under a key,
    with the account's posting holding it or first (bo import and beangulp write it first)."""
    if not ids or all(line_id.is_link for line_id in ids):
        return False
    keys = identity.keys
    for posting in entry.postings:
        if posting.meta and any(key_name(k) in keys for k in posting.meta):
            return posting.account == account
    return bool(entry.postings) and entry.postings[0].account == account


def line_item(key: Hashable, line: StatementLine, line_id: str) -> Item:
    """A statement line as the matcher sees it; its own id among its references (an entry
    bo imported from it carries it)."""
    refs = frozenset(r for r in (line.reference, line.bank_id, line_id) if r)
    kind = "check" if line.reference and line.reference.isdigit() else ""
    text = " ".join(t for t in (line.payee, line.memo) if t)
    return Item(key, line.date, line.amount.number, line.amount.currency, text, refs, kind)


def find_booked(
    lines: Sequence[Item],
    names: Sequence[Iterable[str]],
    holders: Sequence[Holder],
    params: MatchParams,
    *,
    labels: tuple[str, str] = ("statement line", "entry"),
    explain: bool = False,
    doubt: Callable[[Pair], str | None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Booked:
    """The lines (`names[k]`: the ids of `lines[k]`, bo's and the bank's) already in the
    books, by id first and then by the matcher."""
    pairs, joined_lines, joined = _by_id(lines, names, holders)
    free_lines = [item for item in lines if item.key not in joined_lines]
    first = min((item.date for item in free_lines), default=None)
    last = max((item.date for item in free_lines), default=None)
    left_out: list[Unmatched] = []
    free: list[Item] = []
    for held in holders:
        if held.item.key in joined:
            continue
        if held.own and (first is None or not first <= held.item.date <= last):
            if explain:
                ids = ", ".join(line_id.words() for line_id in held.ids if not line_id.is_link)
                left_out.append(Unmatched(held.item, (f"imported from another line ({ids})",)))
            else:
                left_out.append(Unmatched(held.item, ()))
            continue
        free.append(held.item)
    matches, near, lines_left, postings_left = match_in_chunks(
        free_lines, free, params, labels=labels, explain=explain, progress=progress
    )
    matched = [
        Pair(tuple(x.key for x in m.left), tuple(x.key for x in m.right), m.reasons, m.score, None)
        for m in matches
    ]
    if doubt is not None:
        matched = second_look(matched, free_lines, free, doubt, params)
        taken_lines = {k for pair in matched for k in pair.lines}
        taken = {k for pair in matched for k in pair.postings}
        lines_left = [u for u in _left(free_lines, taken_lines, lines_left)]
        postings_left = [u for u in _left(free, taken, postings_left)]
        near = [m for m in near if m.left.key not in taken_lines and m.right.key not in taken]
    return Booked(
        tuple(pairs + matched),
        tuple(near),
        tuple(lines_left),
        tuple(sorted(postings_left + left_out, key=lambda u: (u.item.date, str(u.item.key)))),
    )


def _left(items: Sequence[Item], taken: set, left: Sequence[Unmatched]) -> list[Unmatched]:
    """What a second look leaves: the matcher's leftovers, and items it freed (no reasons)."""
    known = {u.item.key: u for u in left}
    return [known.get(item.key, Unmatched(item, ())) for item in items if item.key not in taken]


def _by_id(
    lines: Sequence[Item], names: Sequence[Iterable[str]], holders: Sequence[Holder]
) -> tuple[list[Pair], set[Hashable], set[Hashable]]:
    """Lines joined to the entries whose ids name them, one-to-one, earliest first."""
    index: dict[str, list[int]] = {}
    for n, ids in enumerate(names):
        for known in ids:
            if not known:
                continue
            folded = known.casefold()
            index.setdefault(folded, []).append(n)
            if folded.startswith("bank:"):
                index.setdefault(folded[5:], []).append(n)
    pairs: list[Pair] = []
    taken: set[int] = set()
    joined: set[Hashable] = set()
    if not index:
        return pairs, set(), joined
    for held in sorted((h for h in holders if h.ids), key=lambda h: (h.item.date, str(h.item.key))):
        found = _named(held, lines, index, taken)
        if found is None:
            continue
        n, line_id = found
        taken.add(n)
        joined.add(held.item.key)
        reason = f"imported from it ({line_id.words()})"
        pairs.append(Pair((lines[n].key,), (held.item.key,), (reason,), 1.0, line_id))
    return pairs, {lines[n].key for n in taken}, joined


def _named(
    held: Holder, lines: Sequence[Item], index: dict[str, list[int]], taken: set[int]
) -> tuple[int, LineId] | None:
    for line_id in held.ids:
        for token in id_tokens(line_id):
            for n in index.get(token, ()):
                if n in taken:
                    continue
                line = lines[n]
                # A link is a person's word too: it names a line of the same amount only.
                if line_id.is_link and (
                    line.amount != held.item.amount or line.currency != held.item.currency
                ):
                    continue
                return n, line_id
    return None


def match_in_chunks(
    lines: list[Item],
    postings: list[Item],
    params: MatchParams,
    *,
    labels: tuple[str, str] = ("statement line", "entry"),
    explain: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Match], list[NearMiss], list[Unmatched], list[Unmatched]]:
    """`match_items` over a statement a few thousand lines at a time, in date order.

    Each chunk sees the postings within the matcher's reach of its dates that earlier chunks
    left free. A statement of a month is one chunk, matched exactly as a whole; ten years of
    lines cost the same as one call, and a progress bar moves while they are matched.
    Near-misses are kept only for postings nothing matched in the end; a posting left over
    carries the reasons of the last chunk that saw it.
    """
    lines = sorted(lines, key=lambda item: item.date)
    postings = sorted(postings, key=lambda item: item.date)
    days = [item.date for item in postings]
    reach = timedelta(
        days=max(params.date_window, params.check_date_window, params.group_date_window)
    )
    claimed: set[Hashable] = set()
    matches: list[Match] = []
    near: list[NearMiss] = []
    lines_left: list[Unmatched] = []
    seen: dict[Hashable, Unmatched] = {}
    start = 0
    while start < len(lines):
        end = min(len(lines), start + CHUNK_LINES)
        while end < len(lines) and lines[end].date == lines[end - 1].date:
            end += 1  # one day's lines together: identical rows pair up one-to-one
        chunk = lines[start:end]
        low = bisect_left(days, chunk[0].date - reach)
        high = bisect_right(days, chunk[-1].date + reach)
        free = [item for item in postings[low:high] if item.key not in claimed]
        result = match_items(chunk, free, params, labels=labels, explain=explain)
        for match in result.matches:
            claimed.update(item.key for item in match.right)
        matches += result.matches
        near += result.near_misses
        lines_left += result.left_only
        seen.update((u.item.key, u) for u in result.right_only)
        if progress:
            progress(len(chunk) // 2)
        start = end
    far = (f"no {labels[0]} within {reach.days} days of its date",) if explain else ()
    postings_left = [
        seen.get(item.key) or Unmatched(item, far) for item in postings if item.key not in claimed
    ]
    near = [miss for miss in near if miss.right.key not in claimed]
    return matches, near, lines_left, postings_left


def second_look(
    pairs: list[Pair],
    lines: list[Item],
    postings: list[Item],
    doubt: Callable[[Pair], str | None],
    params: MatchParams,
) -> list[Pair]:
    """A doubtful pair gives way when its entries are better explained by what nothing holds.

    The matcher pairs one-to-one before it groups, and groups any few lines that sum to an
    entry, so lines that share only amount and date with a receipt may take it from the
    deposit slip it belongs to; the slip would then be booked again and the lines missed.
    Each doubtful pair's entries are matched once more against the lines and postings left
    free around their date: if that claims one, the doubtful lines are new after all.
    Otherwise the pair stands, reported.
    """
    doubtful = [n for n, pair in enumerate(pairs) if doubt(pair) is not None]
    if not doubtful:
        return pairs
    by_key = {item.key: item for item in postings}
    used_lines = {i for pair in pairs for i in pair.lines}
    used_postings = {j for pair in pairs for j in pair.postings}
    free_lines = sorted(
        (item for item in lines if item.key not in used_lines), key=lambda item: item.date
    )
    free_postings = sorted(
        (item for item in postings if item.key not in used_postings), key=lambda item: item.date
    )
    line_days = [item.date for item in free_lines]
    posting_days = [item.date for item in free_postings]
    dropped: set[int] = set()
    found: list[Pair] = []
    for n in sorted(doubtful, key=lambda n: by_key[pairs[n].postings[0]].date):
        pair = pairs[n]
        entries = [by_key[j] for j in pair.postings]
        check = any(item.kind == "check" for item in entries)
        reach = timedelta(
            days=params.check_date_window
            if check
            else max(params.date_window, params.group_date_window)
        )
        low = min(item.date for item in entries) - reach
        high = max(item.date for item in entries) + reach
        near_lines = [
            item
            for item in free_lines[bisect_left(line_days, low) : bisect_right(line_days, high)]
            if item.key not in used_lines
        ]
        if not near_lines:
            continue
        near_postings = entries + [
            item
            for item in free_postings[
                bisect_left(posting_days, low) : bisect_right(posting_days, high)
            ]
            if item.key not in used_postings
        ]
        local = match_items(near_lines, near_postings, params, explain=False)
        ours = set(pair.postings)
        claim = next((m for m in local.matches if ours & {x.key for x in m.right}), None)
        if claim is None:
            continue
        dropped.add(n)
        better = Pair(
            tuple(x.key for x in claim.left),
            tuple(x.key for x in claim.right),
            claim.reasons,
            claim.score,
        )
        used_lines.difference_update(pair.lines)
        used_lines.update(better.lines)
        used_postings.difference_update(ours - set(better.postings))
        used_postings.update(better.postings)
        found.append(better)
    return [pair for n, pair in enumerate(pairs) if n not in dropped] + found


# Words of bank text that say how money moved, not who moved it: a line of only these
# ("REMOTE ONLINE DEPOSIT", "ONLINE TRANSFER FROM CHK ...4521") names nobody, so its text
# can neither confirm nor contradict the payee of an entry.
CHANNEL_WORDS = frozenset(
    {
        *("remote", "mobile", "branch", "atm", "teller", "counter", "deposit", "deposited"),
        *("check", "chk", "cheque", "sav", "savings", "checking", "from", "to", "transfer"),
        *("wire", "incoming", "outgoing", "internal", "book", "acct", "account"),
    }
)
# Below this the payee texts name different parties ("XYZZY PLUGH" vs "Harbor Properties"
# is 9%). Bank text and a bookkeeper's narration differ a lot for the same payment
# ("PGANDE WEB ONLINE" vs "PG&E utilities" is 22%), so a rule's word counts too.
MIN_PAYEE_SIMILARITY = 0.3


def doubt_of_typed(line: StatementLine, entry: data.Transaction, rule: Rule | None) -> str | None:
    """Why `entry`, typed by hand, may not be `line` although amount and date agree; or None.

    Evidence that it is: a shared check number or reference, a payee that resembles, a rule
    that reads the line as the entry's payee or counter-account, or bank text that names
    nobody (a deposit, a transfer) and so cannot contradict.
    """
    line_refs = {normalize_ref(r) for r in (line.reference, line.bank_id) if r}
    entry_refs = {normalize_ref(str(entry.meta[k])) for k in REF_KEYS if k in entry.meta}
    if line_refs & entry_refs:
        return None
    text = line.payee or line.memo
    words = set(normalize_text(text).split())
    if not words - CHANNEL_WORDS:
        return None
    entry_text = " ".join(t for t in (entry.payee, entry.narration) if t)
    similarity = text_similarity(text, entry_text)
    if similarity >= MIN_PAYEE_SIMILARITY:
        return None
    if rule is not None:
        others = {p.account for p in entry.postings if p.account != line.account}
        payee = (entry.payee or "").casefold()
        if rule.set.account in others or (rule.set.payee and rule.set.payee.casefold() == payee):
            return None
    return (
        f"held on amount and date alone: payee {round(similarity * 100)}% similar, "
        "no shared reference, no rule ties them; if it is another payment, enter it by hand"
    )


def typed_doubt(
    lines: dict[Hashable, StatementLine],
    entries: dict[Hashable, data.Transaction],
    typed: Callable[[Hashable], bool],
    rule_for: Callable[[StatementLine], Rule | None],
) -> Callable[[Pair], str | None]:
    """`find_booked`'s doubt for entries typed by hand: some line of the pair is unlike
    every entry of it (a split payment's lines name the same payee, a deposit's line names
    nobody; lines that only sum to the amount, naming others, are a coincidence)."""
    cache: dict[Pair, str | None] = {}

    def doubt(pair: Pair) -> str | None:
        if pair in cache:
            return cache[pair]
        found = None
        if pair.by_id is None and all(typed(j) for j in pair.postings):
            for i in pair.lines:
                line = lines[i]
                rule = rule_for(line)
                doubts = [doubt_of_typed(line, entries[j], rule) for j in pair.postings]
                if all(d is not None for d in doubts):
                    found = doubts[0]
                    break
        cache[pair] = found
        return found

    return doubt


def reconciled_elsewhere(posting: data.Posting, start: date, end: date) -> bool:
    """Whether a posting was reconciled in a period outside `start`..`end`: proven against
    another statement, it holds none of these lines."""
    meta = posting.meta
    if not meta or meta.get(RECONCILED_KEY) is None:
        return False
    try:
        period = Period.parse(str(meta[RECONCILED_KEY]))
    except BadInputError:
        return False  # not bo's mark: a person's note
    return period.end < start or period.start > end


def match_params(settings: Settings) -> MatchParams:
    """The matcher's parameters from bo.yaml's `matching:` section."""
    conf = settings.matching
    return MatchParams(
        date_window=conf.date_window,
        check_date_window=conf.check_date_window,
        amount_tolerance=conf.amount_tolerance,
        group_date_window=conf.group_date_window,
    )


def line_identity(settings: Settings) -> LineIds:
    """How the books name bank lines, from bo.yaml's `matching:` section."""
    conf = settings.matching
    return LineIds.of(conf.line_id_keys, conf.line_id_links)
