"""The one matcher: pairs lines, postings and duplicates by amount, date, text and references.

Reconciliation (statement lines vs postings), import de-duplication (new lines vs postings
already in the books) and duplicate detection (one set against itself) all call this module.
Callers adapt their records into `Item`s; nothing here reads files or beancount entries.

Why it scales (O(n log n), never a scan of every pair): items are bucketed by (currency,
amount) and sorted by date inside a bucket, so an item's candidates come from a bisect of its
date window, capped at `max_candidates`. Only those pairs are ever scored.

`match_items` works in four stages:
1. one-to-one: score candidate pairs, then solve an assignment per connected component of
   the candidate graph so that the *total* score is maximal;
2. one-to-many / many-to-one: a bounded subset-sum search among what is left (a deposit that
   pays three invoices, a card payment split in two lines);
3. near-misses: leftover pairs whose amounts differ a little (a fee netted) or by a digit
   transposition (a typo), offered to a person, never matched;
4. reasons for every leftover item: what came closest and why it was rejected.

Output is sorted by (date, amount, key), so it never depends on the order of the input.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from rapidfuzz import fuzz

__all__ = [
    "Item",
    "Match",
    "MatchParams",
    "MatchResult",
    "NearMiss",
    "Unmatched",
    "find_similar_pairs",
    "match_items",
    "normalize_ref",
    "normalize_text",
    "text_similarity",
]


# --- The data the callers see -----------------------------------------------------------------


class Item(NamedTuple):
    """One thing to match: a statement line or a posting, adapted by the caller.

    A named tuple rather than a dataclass: callers build 100,000s of them per run, and a
    tuple is made several times faster than a frozen dataclass.
    """

    key: Hashable  # the caller's id, e.g. (file, line) or a row index
    date: date
    amount: Decimal  # signed; +50 never matches -50
    currency: str
    text: str = ""  # payee + memo/narration, raw; normalized inside the matcher
    refs: frozenset[str] = frozenset()  # check numbers, bank ids, invoice numbers
    kind: str = ""  # "check" widens the date window: checks clear late


@dataclass(frozen=True)
class MatchParams:
    """How close is close enough; the defaults suit a bank account in a small business."""

    date_window: int = 4  # days either side: card lines post 1-3 days after the purchase
    check_date_window: int = 45  # for kind "check": a check clears when the payee deposits it
    amount_tolerance: Decimal = Decimal("0")  # absolute; 0 = matches need the exact amount
    # Near-misses: amounts differing by at most this fraction of the amount, capped by
    # `near_miss_cap` (in the currency's units), or by a digit transposition.
    near_miss_tolerance: Decimal = Decimal("0.05")
    near_miss_cap: Decimal = Decimal("100")
    min_score: float = 0.5
    max_group: int = 5  # one-to-many: at most this many items combine into one
    # A deposit slip and its receipts, a payment and its split, sit within days of each
    # other; checks clearing late are one-to-one, never parts of a group.
    group_date_window: int = 3
    max_group_candidates: int = 12  # subset-search members per item: C(12, <=5) stays small
    max_candidates: int = 25  # per item: candidates compared one-to-one
    max_combinations: int = 20_000  # subsets tried per anchor, bounds the worst case
    # Larger groups (a deposit slip of thirty checks) by an exact subset-sum over cents of at
    # most this many nearby items, accepted only when a single set of them sums to the item.
    max_large_group: int = 40
    # The exact search costs time and memory in proportion to the amount in its smallest
    # units: above this (about 167,000.00 in cents) it is skipped and the reason says so.
    max_group_units: int = 1 << 24

    def __post_init__(self) -> None:
        if self.date_window < 0 or self.check_date_window < 0:
            raise ValueError("date windows must be 0 or more days")
        if self.amount_tolerance < 0 or self.near_miss_tolerance < 0 or self.near_miss_cap < 0:
            raise ValueError("tolerances must be 0 or more")
        if min(self.max_group, self.max_candidates, self.max_combinations) < 1:
            raise ValueError("max_group, max_candidates and max_combinations must be 1 or more")
        if self.group_date_window < 0 or self.max_group_candidates < 1:
            raise ValueError("group_date_window must be 0 or more, max_group_candidates 1 or more")
        if self.max_large_group < 0 or self.max_group_units < 1:
            raise ValueError("max_large_group must be 0 or more, max_group_units 1 or more")


@dataclass(frozen=True)
class Match:
    """Items paired up; more than one item on a side is a split or a combined deposit."""

    left: tuple[Item, ...]
    right: tuple[Item, ...]
    score: float  # 0..1
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    """An item nothing matched, with what came closest and why it was rejected."""

    item: Item
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class NearMiss:
    """Two unmatched items that look like the same line although their amounts differ."""

    left: Item
    right: Item
    difference: Decimal  # left.amount - right.amount
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    """Everything `match_items` found; each input item is in exactly one match or unmatched."""

    matches: tuple[Match, ...]
    left_only: tuple[Unmatched, ...]
    right_only: tuple[Unmatched, ...]
    near_misses: tuple[NearMiss, ...] = field(default=())


# --- Normalization ------------------------------------------------------------------------------

# Words banks put around the payee: they say how money moved, not who it went to.
NOISE_WORDS = frozenset(
    {
        *("ach", "debit", "credit", "pos", "purchase", "payment", "pmt", "checkcard", "card"),
        *("visa", "mastercard", "debitcard", "recurring", "withdrawal", "deposit", "online"),
        *("transfer", "xfer", "ppd", "ccd", "web", "tel", "des", "indn", "id", "co", "entry"),
        *("descr", "ref", "sq", "tst"),
    }
)
# Words that introduce a reference rather than being part of it ("INV-0042", "Check #1042").
REF_PREFIXES = frozenset(
    {
        *("INV", "INVOICE", "NO", "NR", "NUM", "NUMBER", "REF", "CHECK", "CHK", "CHQ", "CK"),
        *("PO", "ID", "TXN", "TRN"),
    }
)
_TOKEN = re.compile(r"[^\W_]+")
_REF_TOKEN = re.compile(r"[A-Z0-9]+")
_GLUED_REF = re.compile(r"^(" + "|".join(sorted(REF_PREFIXES, key=len, reverse=True)) + r")(\d+)$")


@functools.lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """Payee/memo reduced to the words that name someone: casefolded, without bank noise.

    Cached: a statement repeats a few hundred descriptions over thousands of lines.
    """
    # Tokens with digits are store numbers, phone numbers, dates and card tails: they differ
    # between the bank's line and the bookkeeper's narration even for the same payee.
    words = [
        word
        for word in _TOKEN.findall(text.casefold())
        if word not in NOISE_WORDS
        and (word.isalpha() or not any(ch.isdigit() for ch in word))  # isalpha: the fast way
    ]
    return " ".join(words)


@functools.lru_cache(maxsize=65536)
def normalize_ref(text: str) -> str:
    """A reference in canonical form: "INV-0042", "inv 42", "#42" -> "42"; "a-7781" -> "A7781".

    Applied until nothing changes, so the canonical form of a canonical form is itself
    ("N:R0" -> "NR0" -> "0" would otherwise depend on how often it was normalized).
    """
    current = text
    while True:
        step = _normalize_ref_once(current)
        if step == current:
            return step
        current = step


def _normalize_ref_once(text: str) -> str:
    """One pass of normalize_ref: prefixes dropped, tokens glued, leading zeros gone."""
    tokens = _REF_TOKEN.findall(text.upper())
    while tokens:
        if len(tokens) > 1 and tokens[0] in REF_PREFIXES:
            tokens = tokens[1:]
            continue
        glued = _GLUED_REF.match(tokens[0])
        if glued:
            tokens = [glued.group(2), *tokens[1:]]
            continue
        break
    ref = "".join(tokens)
    # Leading zeros are formatting ("0042" on the check, "42" in the books).
    return (ref.lstrip("0") or "0") if ref.isdigit() else ref


def _similarity(a: str, b: str) -> float | None:
    """Similarity 0..1 of two normalized texts; None when one has nothing to compare."""
    if not a or not b:
        return None
    if a == b:
        return 1.0
    # token_set_ratio: "adobe creative cld" vs "adobe" is 100, because bank lines add words
    # around the payee far more often than they change it.
    return fuzz.token_set_ratio(a, b) / 100.0


def text_similarity(a: str, b: str) -> float:
    """Similarity 0..1 of two raw payee/memo texts after normalization (0 if one is empty)."""
    similarity = _similarity(normalize_text(a), normalize_text(b))
    return 0.0 if similarity is None else similarity


def _is_check(item: Item) -> bool:
    return item.kind.casefold() == "check"


def _same_sign(a: Decimal, b: Decimal) -> bool:
    return (a > 0) == (b > 0) and (a < 0) == (b < 0)


def _key_order(key: Hashable) -> tuple:
    """A total order over the usual keys (ints, strings, tuples of them) for stable output."""
    kind = type(key)
    if kind is int:  # the common case, first: callers mostly key items by position
        return (0, key)
    if kind is tuple and len(key) == 2 and type(key[0]) is str and type(key[1]) is int:
        return (2, ((1, key[0]), (0, key[1])))  # (file, line): the next most common
    if isinstance(key, int | float | Decimal):
        return (0, key)
    if isinstance(key, str):
        return (1, key)
    if isinstance(key, tuple):
        return (2, tuple(_key_order(part) for part in key))
    return (3, repr(key))


def _order(item: Item) -> tuple:
    """Sort key (date, amount, key); the rest only breaks ties between identical-looking items."""
    return (
        item.date,
        item.amount,
        item.currency,
        _key_order(item.key),
        item.text,
        item.kind,
        tuple(sorted(item.refs)) if item.refs else (),
    )


_BY_DATE = operator.attrgetter("date")
_BY_AMOUNT = operator.attrgetter("amount", "currency")


def _canonical(items: Iterable[Item]) -> list[Item]:
    """Items sorted by `_order`: by date, then each day by amount, the full order only among
    items of one day and amount.

    A million postings sort several times faster this way: a ledger comes in date order,
    which sorting by date alone sees in one pass; most of a day's items differ in amount;
    and building the full sort key is most of the cost of sorting.
    """
    ordered = sorted(items, key=_BY_DATE)
    dates = list(map(_BY_DATE, ordered))
    start, count = 0, len(ordered)
    while start < count:
        end = bisect_right(dates, dates[start], start)
        if end - start > 1:
            ordered[start:end] = _by_amount_then_order(ordered[start:end])
        start = end
    return ordered


def _by_amount_then_order(day: list[Item]) -> list[Item]:
    """One day's items by amount, and by the full `_order` among equal amounts."""
    day.sort(key=_BY_AMOUNT)
    keys = list(map(_BY_AMOUNT, day))
    at = 1
    while at < len(day):
        if keys[at] != keys[at - 1]:
            at += 1
            continue
        lo = at - 1
        while at < len(day) and keys[at] == keys[lo]:
            at += 1
        day[lo:at] = sorted(day[lo:at], key=_order)
    return day


# --- Index ---------------------------------------------------------------------------------------


@dataclass
class _Bucket:
    """Items of one (currency, amount), in date order."""

    dates: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)
    has_check: bool = False
    # Members by reference (check number, bank id): built on first need, for a bucket too
    # full to compare every member.
    by_ref: dict[str, list[int]] | None = None
    # For each member, the slot of its partner in the other side's bucket of the same amount
    # when both are paired in date order (-1: none in reach); built on first need.
    partners: list[int] | None = None

    def referring(self, side: _Side) -> dict[str, list[int]]:
        if self.by_ref is None:
            self.by_ref = {}
            for j in self.members:
                for ref in side.refs[j]:
                    self.by_ref.setdefault(ref, []).append(j)
        return self.by_ref


@dataclass
class _Side:
    """One side's items in canonical order, with what matching reads from them precomputed."""

    items: list[Item]
    ords: list[int]
    texts: list[str]
    refs: list[frozenset[str]]
    checks: list[bool]
    rank: list[int]  # position among items of the same (currency, amount, date)
    slot: list[int]  # position inside its bucket
    buckets: dict[tuple[str, Decimal], _Bucket]
    amounts: dict[str, list[Decimal]]  # distinct amounts per currency, sorted


def _build_side(items: Iterable[Item]) -> _Side:
    ordered = _canonical(items)
    # Once per item of 100,000s: what does not depend on other items first, a list at a time.
    ords = [item.date.toordinal() for item in ordered]
    texts = list(map(normalize_text, [item.text for item in ordered]))
    no_refs: frozenset[str] = frozenset()
    refs = [
        frozenset(normalize_ref(r) for r in item.refs) - {""} if item.refs else no_refs
        for item in ordered
    ]
    checks = [bool(item.kind) and _is_check(item) for item in ordered]
    side = _Side(ordered, ords, texts, refs, checks, [], [], {}, {})
    buckets, ranks, slots = side.buckets, side.rank, side.slot
    for index, item in enumerate(ordered):
        ordinal = ords[index]
        amount_key = (item.currency, item.amount)
        bucket = buckets.get(amount_key)
        rank = 0
        if bucket is None:
            bucket = buckets[amount_key] = _Bucket()
        else:
            # Same amount and day as earlier items: they are adjacent in the bucket.
            for earlier in reversed(bucket.dates):
                if earlier != ordinal:
                    break
                rank += 1
        ranks.append(rank)
        slots.append(len(bucket.members))
        bucket.dates.append(ordinal)
        bucket.members.append(index)
        if checks[index]:
            bucket.has_check = True
    for currency, amount in side.buckets:
        side.amounts.setdefault(currency, []).append(amount)
    for amounts in side.amounts.values():
        amounts.sort()
    return side


def _window(params: MatchParams, check: bool) -> int:
    return params.check_date_window if check else params.date_window


def _date_order_partners(a: _Side, own: _Bucket, other: _Bucket, params: MatchParams) -> list[int]:
    """Each member of `own` paired with a slot of `other` (same amount) in date order.

    Earliest deadline first: each item takes the earliest item of the other side still free
    and not too early for it. With one window for all this pairs up as many as any matching
    can, so offering every item its partner keeps a full matching among the candidates
    however many equal amounts crowd the window (a thousand coffees over three days).
    """
    partners = []
    dates, j = other.dates, 0
    for x, ordinal in zip(own.members, own.dates, strict=True):
        window = _window(params, a.checks[x] or other.has_check)
        while j < len(dates) and dates[j] < ordinal - window:
            j += 1
        if j < len(dates) and dates[j] <= ordinal + window:
            partners.append(j)
            j += 1
        else:
            partners.append(-1)
    return partners


def _nearby_amounts(side: _Side, currency: str, amount: Decimal, tolerance: Decimal) -> list:
    """Amounts of `side` within `tolerance` of `amount`, same sign, the exact amount first."""
    found = [amount] if (currency, amount) in side.buckets else []
    if tolerance > 0:
        amounts = side.amounts.get(currency, [])
        lo = bisect_left(amounts, amount - tolerance)
        hi = bisect_right(amounts, amount + tolerance)
        found += [a for a in amounts[lo:hi] if a != amount and _same_sign(a, amount)]
    return found


def _candidates(a: _Side, x: int, b: _Side, params: MatchParams) -> Iterator[tuple[int, Decimal]]:
    """Items of `b` that could match a[x], with their amount difference: same currency and
    sign, amount within the tolerance, date within the window; at most max_candidates per
    amount."""
    item, ordinal, cap = a.items[x], a.ords[x], params.max_candidates
    for amount in _nearby_amounts(b, item.currency, item.amount, params.amount_tolerance):
        bucket = b.buckets[(item.currency, amount)]
        window = _window(params, a.checks[x] or bucket.has_check)
        lo = bisect_left(bucket.dates, ordinal - window)
        hi = bisect_right(bucket.dates, ordinal + window)
        if hi - lo > cap:
            # Many equal amounts (daily coffees): keep the cap nearest by date, centred on the
            # item's own rank among same-day equals, so the k-th of ten identical coffees sees
            # the k-th on the other side and identical days still pair up one-to-one.
            centre = bisect_left(bucket.dates, ordinal) + (
                a.rank[x] if amount == item.amount else 0
            )
            full_lo, full_hi = lo, hi
            lo = min(max(lo, centre - cap // 2), hi - cap)
            hi = lo + cap
            difference = abs(item.amount - amount)
            # A shared check number outranks nearness: a check that cleared days later,
            # among dozens of checks of the same amount, still meets its bank line.
            extra = {
                j
                for ref in a.refs[x]
                for j in bucket.referring(b).get(ref, ())
                if full_lo <= b.slot[j] < full_hi and not lo <= b.slot[j] < hi
            }
            if amount == item.amount:
                # The date-order partner and its neighbours too: nearness alone sends the
                # lines of a crowded day to the same few postings and strands the rest.
                own = a.buckets[(item.currency, amount)]
                if own.partners is None:
                    own.partners = _date_order_partners(a, own, bucket, params)
                partner = own.partners[a.slot[x]]
                if partner >= 0:
                    extra.update(
                        bucket.members[k]
                        for k in range(max(full_lo, partner - 1), min(full_hi, partner + 2))
                        if not lo <= k < hi
                    )
            yield from ((j, difference) for j in sorted(extra))
        difference = abs(item.amount - amount)
        for j in bucket.members[lo:hi]:
            yield j, difference


def _scored_candidates(
    a: _Side, x: int, b: _Side, params: MatchParams
) -> Iterator[tuple[int, _Evidence]]:
    for j, difference in _candidates(a, x, b, params):
        ev = _pair_evidence(a, x, b, j, params, difference)
        if ev is not None:
            yield j, ev


# --- Scoring -------------------------------------------------------------------------------------

# An equal amount is the one hard fact a bank line and a posting share; dates drift by the
# clearing delay and bank text is noisy, so they refine the score rather than decide it.
_AMOUNT_WEIGHT = 0.5
_DATE_WEIGHT = 0.25
_TEXT_WEIGHT = 0.25
_NEUTRAL_TEXT = 0.5  # no text on one side is no evidence either way
_SHARED_REF_BONUS = 0.25  # the same check number is near-proof
_CONFLICT_FACTOR = 0.4  # two different check numbers is near-disproof: below any sane min_score
_GROUP_SIZE_PENALTY = 0.02  # per extra member: prefer the simpler explanation
_GROUP_PENALTY_MEMBERS = 5  # ... up to this many extra members
# An exact sum is evidence only when amounts near it cannot be made as well: beyond this
# share of the amounts just below it made by the same items, hitting it is chance.
_CHANCE = 0.002
_GROUP_REF_BONUS = 0.1


class _Evidence(NamedTuple):
    check: bool  # either item is a check
    days: int
    window: int
    difference: Decimal  # absolute
    similarity: float | None
    shared: frozenset[str]
    conflict: tuple[str, str] | None
    score: float


_NO_REFS: frozenset[str] = frozenset()


def _date_fit(days: int, window: int) -> float:
    return 1.0 - days / (window + 1)


def _evidence(a: _Side, i: int, b: _Side, j: int, params: MatchParams) -> _Evidence | None:
    """What speaks for and against items a[i] and b[j] being one; None if they can't match."""
    first, second = a.items[i], b.items[j]
    if first.currency != second.currency or not _same_sign(first.amount, second.amount):
        return None
    difference = abs(first.amount - second.amount)
    if difference > params.amount_tolerance:
        return None
    return _pair_evidence(a, i, b, j, params, difference)


def _pair_evidence(
    a: _Side, i: int, b: _Side, j: int, params: MatchParams, difference: Decimal
) -> _Evidence | None:
    # The hot loop of the matcher: plain lookups, no helper calls unless needed.
    check = a.checks[i] or b.checks[j]
    window = params.check_date_window if check else params.date_window
    days = abs(a.ords[i] - b.ords[j])
    if days > window:
        return None
    similarity = _similarity(a.texts[i], b.texts[j])
    refs_a, refs_b = a.refs[i], b.refs[j]
    shared, conflict = _NO_REFS, None
    if refs_a and refs_b:
        shared = refs_a & refs_b
        kind = a.items[i].kind
        # Only references of one kind contradict each other: a check number and a bank id
        # differ without meaning anything.
        if not shared and kind and kind == b.items[j].kind:
            conflict = (min(refs_a), min(refs_b))
    amount_fit = 1.0
    if difference:
        # Within the tolerance a differing amount is half the evidence of an equal one at most;
        # beyond it (near-misses) it is none.
        tolerance = params.amount_tolerance
        within = tolerance and difference <= tolerance
        amount_fit = 1.0 - 0.5 * float(difference / tolerance) if within else 0.0
    score = (
        _AMOUNT_WEIGHT * amount_fit
        + _DATE_WEIGHT * (1.0 - days / (window + 1))
        + _TEXT_WEIGHT * (_NEUTRAL_TEXT if similarity is None else similarity)
    )
    if shared:
        score = min(1.0, score + _SHARED_REF_BONUS)
    if conflict:
        score *= _CONFLICT_FACTOR
    return _Evidence(check, days, window, difference, similarity, shared, conflict, score)


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,} {currency}"


def _days_apart(days: int) -> str:
    if days == 0:
        return "same day"
    return f"dates {days} day{'s' if days != 1 else ''} apart"


def _text_reason(similarity: float | None, average: bool = False) -> str:
    if similarity is None:
        return "no payee text to compare"
    return f"payee {round(similarity * 100)}% similar" + (" on average" if average else "")


def _ref_word(ev: _Evidence) -> str:
    return "check" if ev.check else "reference"


def _evidence_reasons(first: Item, second: Item, ev: _Evidence, params: MatchParams) -> list:
    """Every component of a pair's score, in words."""
    if ev.difference:
        amount = (
            f"amounts differ by {_money(ev.difference, first.currency)}"
            f" (tolerance {params.amount_tolerance:,})"
        )
    else:
        amount = f"same amount {_money(first.amount, first.currency)}"
    dates = _days_apart(ev.days)
    if ev.days > params.date_window:
        dates += f" (check window {ev.window} days)"
    reasons = [amount, dates, _text_reason(ev.similarity)]
    word = _ref_word(ev)
    reasons += [f"same {word} {ref}" for ref in sorted(ev.shared)]
    if ev.conflict:
        plural = "check numbers" if word == "check" else f"{first.kind} references"
        reasons.append(f"different {plural} {ev.conflict[0]} vs {ev.conflict[1]}")
    return reasons


def _format_key(key: Hashable) -> str:
    if isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], int):
        return f"{key[0]}:{key[1]}"
    return str(key)


def _describe(item: Item) -> str:
    text = f' "{item.text}"' if item.text else ""
    amount = _money(item.amount, item.currency)
    return f"{item.date.isoformat()} {amount}{text} [{_format_key(item.key)}]"


class _Pairing(NamedTuple):
    """A match by positions in the sides' canonical order (items may repeat by identity)."""

    left: tuple[int, ...]
    right: tuple[int, ...]
    score: float
    reasons: tuple[str, ...]


# --- Stage 1: one-to-one ------------------------------------------------------------------------


def _candidate_edges(left: _Side, right: _Side, params: MatchParams):
    """Scored candidate pairs as three lists (i, j, score), score >= min_score."""
    edges_left: list[int] = []
    edges_right: list[int] = []
    scores: list[float] = []
    min_score = params.min_score
    for i in range(len(left.items)):
        for j, ev in _scored_candidates(left, i, right, params):
            if ev.score >= min_score:
                edges_left.append(i)
                edges_right.append(j)
                scores.append(ev.score)
    return edges_left, edges_right, scores


# Above this many cells a component's dense score matrix costs more than the sparse solver.
_DENSE_LIMIT = 250_000
# Edges; beyond it numpy and scipy's connected_components are faster than plain Python. Below
# it numpy is not even imported: that import alone costs more than matching a small month.
_PY_COMPONENTS_LIMIT = 50_000


def _assign(
    edges_left: Sequence[int],
    edges_right: Sequence[int],
    scores: Sequence[float],
    n_left: int,
    n_right: int,
    dense_limit: int = _DENSE_LIMIT,
) -> list[tuple[int, int]]:
    """Pairs (i, j), each i and each j used at most once: as many pairs as possible, and of
    those the largest total score.

    Greedy (best pair first) goes wrong when the best pair's items are each the only option of
    some other item: two coffees of one day, one bank line dated between them. An assignment
    takes the whole picture; splitting the graph into connected components first keeps each
    solved problem small (usually one pair, which needs no solver at all). Every candidate
    pair is a plausible match, so one more pair explains two more items: that comes first,
    and a slightly better date fit for some pair never leaves a line unexplained.
    """
    if not len(scores):
        return []
    if len(scores) > _PY_COMPONENTS_LIMIT:
        return _assign_large(edges_left, edges_right, scores, n_left, n_right, dense_limit)
    lefts = [int(i) for i in edges_left]
    rights = [int(j) for j in edges_right]
    weights = [float(w) for w in scores]
    parent = list(range(n_left + n_right))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in zip(lefts, rights, strict=True):
        parent[root(i)] = root(n_left + j)
    groups: dict[int, list[int]] = defaultdict(list)
    for edge, i in enumerate(lefts):
        groups[root(i)].append(edge)
    # Lone edges first, in edge order, then components by label: the order the numpy path
    # yields, so both give the same answer in the same order.
    lone = sorted(e[0] for e in groups.values() if len(e) == 1)
    pairs = [(lefts[e], rights[e]) for e in lone]
    for label in sorted(label for label, e in groups.items() if len(e) > 1):
        edges = groups[label]
        pairs += _solve_component(
            [lefts[e] for e in edges],
            [rights[e] for e in edges],
            [weights[e] for e in edges],
            dense_limit,
        )
    return pairs


def _assign_large(edges_left, edges_right, scores, n_left, n_right, dense_limit):
    """`_assign` for a large graph: components by scipy, bookkeeping in numpy."""
    # numpy and scipy are imported here, not at the top: a command on a small ledger never
    # needs them, and they cost more to import than the whole match.
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges_left = np.asarray(edges_left, dtype=np.int64)
    edges_right = np.asarray(edges_right, dtype=np.int64)
    scores = np.asarray(scores, dtype=float)
    size = n_left + n_right
    graph = coo_matrix(
        (np.ones(len(edges_left)), (edges_left, n_left + edges_right)), shape=(size, size)
    )
    component = connected_components(graph, directed=False)[1][edges_left]
    counts = np.bincount(component)
    alone = counts[component] == 1
    pairs = list(zip(edges_left[alone].tolist(), edges_right[alone].tolist(), strict=True))
    shared = np.flatnonzero(~alone)
    if len(shared):
        shared = shared[np.argsort(component[shared], kind="stable")]
        cuts = np.flatnonzero(np.diff(component[shared])) + 1
        for group in np.split(shared, cuts):
            pairs += _solve_component(
                edges_left[group].tolist(),
                edges_right[group].tolist(),
                scores[group].tolist(),
                dense_limit,
            )
    return pairs


def _solve_component(
    rows: list[int], cols: list[int], scores: list[float], dense_limit: int
) -> list[tuple[int, int]]:
    row_ids, col_ids = sorted(set(rows)), sorted(set(cols))
    row_index = {r: k for k, r in enumerate(row_ids)}
    col_index = {c: k for k, c in enumerate(col_ids)}
    row_at = [row_index[r] for r in rows]
    col_at = [col_index[c] for c in cols]
    n_rows, n_cols = len(row_ids), len(col_ids)
    if min(n_rows, n_cols) <= 3 and max(n_rows, n_cols) <= 6:
        chosen = _brute_force(row_at, col_at, scores, n_rows, n_cols)
        return [(row_ids[r], col_ids[c]) for r, c in chosen]
    import numpy as np

    # A bonus per pair above any total of scores: the most pairs first, then the best total.
    bonus = float(min(n_rows, n_cols) + 1)
    row_at_, col_at_ = np.asarray(row_at), np.asarray(col_at)
    scores_ = np.asarray(scores, dtype=float) + bonus
    if n_rows * n_cols <= dense_limit:
        weights = np.zeros((n_rows, n_cols))
        is_edge = np.zeros((n_rows, n_cols), dtype=bool)
        weights[row_at_, col_at_] = scores_
        is_edge[row_at_, col_at_] = True
        # A forced pair without an edge adds 0 to the total, so dropping it afterwards leaves a
        # maximum-score partial matching.
        from scipy.optimize import linear_sum_assignment

        chosen_rows, chosen_cols = linear_sum_assignment(weights, maximize=True)
        keep = is_edge[chosen_rows, chosen_cols]
        chosen_rows, chosen_cols = chosen_rows[keep], chosen_cols[keep]
    else:
        chosen_rows, chosen_cols = _sparse_assignment(row_at_, col_at_, scores_, n_rows, n_cols)
    return [
        (row_ids[r], col_ids[c])
        for r, c in zip(chosen_rows.tolist(), chosen_cols.tolist(), strict=True)
    ]


def _brute_force(row_at, col_at, scores, n_rows: int, n_cols: int) -> list[tuple[int, int]]:
    """The best matching of a tiny component (two coffees, one bank line) by trying all."""
    weight = {(r, c): w for r, c, w in zip(row_at, col_at, scores, strict=True)}
    flip = n_rows > n_cols
    small, large = (n_cols, n_rows) if flip else (n_rows, n_cols)
    best, best_pairs = -1.0, []
    for chosen in itertools.permutations(range(large), small):
        pairs = [((c, r) if flip else (r, c)) for r, c in enumerate(chosen)]
        pairs = [p for p in pairs if p in weight]
        total = len(pairs) * 10.0 + sum(weight[p] for p in pairs)  # the most pairs first
        # Ties go to the first found, in index order: the same input, the same answer.
        if total > best + 1e-12:
            best, best_pairs = total, pairs
    return best_pairs


def _sparse_assignment(row_at, col_at, scores, n_rows: int, n_cols: int):
    """Maximum-score partial matching of a large sparse component (a year of daily coffees).

    The sparse solver only finds *full* matchings, so every row gets a private "unmatched"
    column and every column a private "unmatched" row, and the two dummy sets may pair along
    the mirrored edges. With cost D - weight on real edges and D elsewhere (D above every
    weight), every full matching costs D * (rows + cols) - total weight of its real pairs;
    all costs stay non-zero, which the solver requires.
    """
    import numpy as np

    rows_range, cols_range = np.arange(n_rows), np.arange(n_cols)
    size = n_rows + n_cols
    dummy = float(scores.max()) + 1.0
    sources = np.concatenate([row_at, rows_range, n_rows + cols_range, n_rows + col_at])
    targets = np.concatenate([col_at, n_cols + rows_range, cols_range, n_cols + row_at])
    costs = np.concatenate([dummy - scores, np.full(n_rows + n_cols + len(scores), dummy)])
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    matrix = csr_matrix((costs, (sources, targets)), shape=(size, size))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(matrix)
    real = (matched_rows < n_rows) & (matched_cols < n_cols)
    return matched_rows[real], matched_cols[real]


# --- Stage 2: one-to-many / many-to-one ---------------------------------------------------------


@dataclass
class _FreeList:
    """Unmatched items of one (currency, sign), in date order."""

    dates: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)


def _sign(amount: Decimal) -> int:
    return (amount > 0) - (amount < 0)


_FreeLists = dict[tuple[str, int], _FreeList]


def _free_lists(side: _Side, used: list[bool], earlier: _FreeLists | None = None) -> _FreeLists:
    """The unmatched items of `side` with an amount, by (currency, sign), in date order.

    `earlier` are the lists of an earlier stage of the same match: an item once used is
    never free again, so filtering them gives the same lists as a walk over every item.
    """
    lists: _FreeLists = {}
    if earlier is not None:
        for key, old in earlier.items():
            keep = [k for k, j in enumerate(old.members) if not used[j]]
            if keep:
                dates, members = old.dates, old.members
                lists[key] = _FreeList([dates[k] for k in keep], [members[k] for k in keep])
        return lists
    for index, item in enumerate(side.items):
        if used[index] or not item.amount:
            continue
        free = lists.setdefault((item.currency, _sign(item.amount)), _FreeList())
        free.dates.append(side.ords[index])
        free.members.append(index)
    return lists


class _Free:
    """Both sides' free lists through the group stages of one match, refreshed as they use
    items rather than rebuilt from every item each time."""

    def __init__(self, left: _Side, right: _Side, used_left: list[bool], used_right: list[bool]):
        self.sides = ((left, used_left), (right, used_right))
        self.lists: tuple[_FreeLists, _FreeLists] | None = None

    def refresh(self) -> tuple[_FreeLists, _FreeLists]:
        """The free lists as the `used` flags stand now."""
        earlier = self.lists
        self.lists = (
            _free_lists(*self.sides[0], None if earlier is None else earlier[0]),
            _free_lists(*self.sides[1], None if earlier is None else earlier[1]),
        )
        return self.lists


def _with_company(own: _FreeLists, other: _FreeLists, window: int, least: int) -> list[int]:
    """The items of `own` with at least `least` items of `other` (same currency and sign)
    within `window` days, in index order.

    Only these can anchor a group, so the stages below skip the rest without looking at
    them one by one: an import of years of new lines has few entries left free around them.
    """
    found: list[int] = []
    for key, mine in own.items():
        theirs = other.get(key)
        if theirs is None or len(theirs.members) < least:
            continue
        dates = theirs.dates
        for x, ordinal in zip(mine.members, mine.dates, strict=True):
            hi = bisect_right(dates, ordinal + window)
            if hi - bisect_left(dates, ordinal - window, 0, hi) >= least:
                found.append(x)
    found.sort()
    return found


def _group_candidates(
    a: _Side, x: int, b: _Side, free: _FreeList | None, used_b: list[bool], params: MatchParams
) -> list[int]:
    """Unmatched items of `b` that could be part of a[x]: smaller, same sign, nearest dates,
    and on a day with more than fit, those of the same payee first (the lines of one split
    payment among a busy day's sixty).

    Text is weighed here only when the day is that busy; otherwise for the subsets that
    sum, which are few, rather than for every neighbour of every item.
    """
    if free is None:
        return []
    target = abs(a.items[x].amount)
    ordinal = a.ords[x]
    lo = bisect_left(free.dates, ordinal - params.group_date_window)
    hi = bisect_right(free.dates, ordinal + params.group_date_window)
    found = [
        (abs(free.dates[k] - ordinal), j)
        for k, j in enumerate(free.members[lo:hi], lo)
        if not used_b[j] and abs(b.items[j].amount) < target
    ]
    found.sort()
    # A busy day's checks all stay in: a slip is most often made of the same day's.
    same_day = sum(1 for days, _ in found if days == 0)
    cap = params.max_group_candidates
    keep = max(cap, min(same_day, 2 * cap))
    if len(found) > keep:
        text = a.texts[x]
        found.sort(key=lambda f: (f[0], (_similarity(text, b.texts[f[1]]) or 0.0) < 0.8, f[1]))
    return [j for _, j in found[:keep]]


def _subsets_summing_to(
    target: int, values: Sequence[int], max_size: int, max_visits: int, max_found: int = 64
) -> list[tuple[int, ...]]:
    """Index tuples (size 2..max_size) of `values` (sorted descending) that sum to `target`.

    Depth-first with two prunings (too big, can't reach) and a hard cap on visited nodes, so
    twenty-five equal coffees never explode into millions of combinations.
    """
    prefix = [0]
    for value in values:
        prefix.append(prefix[-1] + value)
    count = len(values)
    prefix += [prefix[-1]] * max_size  # prefix[k + slots] never runs past the end
    found: list[tuple[int, ...]] = []
    visits = 0

    def search(start: int, remaining: int, chosen: tuple[int, ...]) -> bool:
        nonlocal visits
        slots = max_size - len(chosen)
        for k in range(start, count):
            visits += 1
            if visits > max_visits or len(found) >= max_found:
                return False
            # Sorted descending: the `slots` largest values left are the most we can add.
            if prefix[k + slots] - prefix[k] < remaining:
                return True
            value = values[k]
            if value > remaining:
                continue
            if value == remaining:
                if chosen:
                    found.append((*chosen, k))
            elif slots > 1 and not search(k + 1, remaining - value, (*chosen, k)):
                return False
        return True

    search(0, target, ())
    return found


def _as_units(amounts: Sequence[Decimal]) -> list[int] | None:
    """Absolute amounts as integers of the smallest unit among them (exact subset sums)."""
    places = max(0, *(-amount.as_tuple().exponent for amount in amounts))
    scale = Decimal(10) ** places
    units = [abs(amount) * scale for amount in amounts]
    if any(unit != unit.to_integral_value() for unit in units):
        return None
    return [int(unit) for unit in units]


def _group_score(members: Sequence[_Evidence], shared: bool) -> float:
    date_fit = sum(_date_fit(ev.days, ev.window) for ev in members) / len(members)
    text = sum(_NEUTRAL_TEXT if ev.similarity is None else ev.similarity for ev in members)
    # The penalty stops growing: a slip of thirty checks is no less a match than one of seven.
    extra_members = min(len(members) - 2, _GROUP_PENALTY_MEMBERS)
    score = (
        _AMOUNT_WEIGHT
        + _DATE_WEIGHT * date_fit
        + _TEXT_WEIGHT * text / len(members)
        - _GROUP_SIZE_PENALTY * extra_members
    )
    return min(1.0, score + _GROUP_REF_BONUS) if shared else score


def _group_options(
    a: _Side, x: int, b: _Side, candidates: list[int], params: MatchParams
) -> list[tuple[tuple[tuple[int, _Evidence], ...], float]]:
    """Subsets of `candidates` (items of `b`) summing exactly to a[x], best score first."""
    if len(candidates) < 2:
        return []
    # Largest first: the depth-first search then prunes "too big" by skipping and "can't
    # reach" by stopping.
    candidates = sorted(candidates, key=lambda j: -abs(b.items[j].amount))
    units = _as_units([a.items[x].amount] + [b.items[j].amount for j in candidates])
    if units is None:
        return []
    target, values = units[0], units[1:]
    evidence: dict[int, _Evidence | None] = {}
    options = []
    for subset in _subsets_summing_to(target, values, params.max_group, params.max_combinations):
        members = []
        for k in subset:
            j = candidates[k]
            if j not in evidence:
                ev = _pair_evidence(a, x, b, j, params, Decimal(0))
                evidence[j] = None if ev is None or ev.conflict else ev
            if evidence[j] is None:
                break  # a member that contradicts the item (another check number, say)
            members.append((j, evidence[j]))
        else:
            shared = any(ev.shared for _, ev in members)
            score = _group_score([ev for _, ev in members], shared)
            if score >= params.min_score:
                options.append((tuple(members), score))
    if options and not any(ev.shared for members, _ in options for _, ev in members):
        # As many items as the simplest option: two lines of a split are rarer by chance
        # than any five of two dozen neighbours.
        fewest = min(len(members) for members, _ in options)
        if _sums_by_chance(target, values, fewest):
            return []  # three coffees make a 15.00 fee as easily as any amount near it
    options.sort(key=lambda option: -option[1])
    return options


def _group_reasons(
    anchor: Item, members: Sequence[tuple[Item, _Evidence]], label: str
) -> tuple[str, ...]:
    evidence = [ev for _, ev in members]
    most_days = max(ev.days for ev in evidence)
    similarities = [ev.similarity for ev in evidence if ev.similarity is not None]
    reasons = [
        f"{len(members)} {_plural(label)} sum to {_money(anchor.amount, anchor.currency)}",
        _days_apart(most_days).replace("dates ", "dates up to ", 1),
        _text_reason(sum(similarities) / len(similarities) if similarities else None, True),
    ]
    shared = sorted(set().union(*(ev.shared for ev in evidence)))
    word = "check" if _is_check(anchor) else "reference"
    reasons += [f"same {word} {ref}" for ref in shared]
    return tuple(reasons)


Option = tuple[tuple[tuple[int, "_Evidence"], ...], float]


def _match_groups(
    left: _Side,
    right: _Side,
    used_left: list[bool],
    used_right: list[bool],
    params: MatchParams,
    labels: tuple[str, str],
    free: _Free | None = None,
) -> list[_Pairing]:
    """One item on one side = several unmatched items on the other, amounts summing exactly.

    Every unmatched item first lists the subsets of the other side that sum to it. Items
    whose subsets share members compete (five deposit slips on one day, each of three or
    four of the day's twenty checks): each such cluster is solved jointly, so that one slip
    taking a wrong-but-summing set of checks cannot starve the others. Within a cluster the
    search maximizes the number of items explained, then the total score, within a budget.

    Same-day groups are settled first, then those a day apart, then the whole window: a
    busy firm's deposit slips of one day would otherwise compete with the checks of the
    days around it, in clusters too large to solve within the budget.
    """
    if params.max_group < 2:
        return []
    free = free or _Free(left, right, used_left, used_right)
    groups: list[_Pairing] = []
    for window in sorted(
        {min(w, params.group_date_window) for w in (0, 1, params.group_date_window)}
    ):
        narrowed = replace(params, group_date_window=window)
        groups += _match_groups_within(left, right, used_left, used_right, narrowed, labels, free)
    return groups


def _match_groups_within(
    left: _Side,
    right: _Side,
    used_left: list[bool],
    used_right: list[bool],
    params: MatchParams,
    labels: tuple[str, str],
    free_items: _Free,
) -> list[_Pairing]:
    """One pass of `_match_groups`, with members at most `params.group_date_window` away."""
    sides = ((left, used_left), (right, used_right))
    free = free_items.refresh()
    options: dict[tuple[int, int], list[Option]] = {}
    for side, (items, _) in enumerate(sides):
        b, used_b = sides[1 - side]
        # A group needs two free items of the other side in the window: the free items
        # without them (most new lines of an import) have no options to look for.
        for x in _with_company(free[side], free[1 - side], params.group_date_window, 2):
            item = items.items[x]
            free_list = free[1 - side].get((item.currency, _sign(item.amount)))
            found = _group_options(
                items, x, b, _group_candidates(items, x, b, free_list, used_b, params), params
            )
            if found:
                options[side, x] = found
    groups = []
    for cluster in _clusters(options):
        for (side, x), (members, score) in _solve_cluster(cluster, options, sides, params):
            (a, used_a), (b, used_b) = sides[side], sides[1 - side]
            used_a[x] = True
            for j, _ in members:
                used_b[j] = True
            groups.append(_group_pairing(a, x, b, members, score, side, labels))
    return groups


def _clusters(options: dict[tuple[int, int], list[Option]]) -> list[list[tuple[int, int]]]:
    """Anchors connected through the items their options would use (union-find)."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(node: tuple[int, int]) -> tuple[int, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for (side, x), found in options.items():
        for members, _ in found:
            for j, _ in members:
                parent[root((1 - side, j))] = root((side, x))
    clusters: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for anchor in options:
        clusters[root(anchor)].append(anchor)
    return list(clusters.values())


def _solve_cluster(
    cluster: list[tuple[int, int]],
    options: dict[tuple[int, int], list[Option]],
    sides: tuple[tuple[_Side, list[bool]], ...],
    params: MatchParams,
) -> list[tuple[tuple[int, int], Option]]:
    """The choice of one option (or none) per anchor: most anchors explained, then score."""
    # Largest amounts first: a big deposit is made of smaller receipts, never the reverse.
    order = sorted(cluster, key=lambda n: (-abs(sides[n[0]][0].items[n[1]].amount), n))
    if len(order) == 1:
        return [(order[0], options[order[0]][0])]
    best: list = [[], -1.0]
    budget = [params.max_combinations]

    def search(k: int, taken: set, chosen: list, score: float) -> bool:
        """Depth-first; returns True to stop (every anchor explained, or out of budget)."""
        if len(chosen) + len(order) - k < len(best[0]):
            return False  # cannot explain more anchors than the best already does
        if k == len(order):
            if (len(chosen), score) > (len(best[0]), best[1]):
                best[0], best[1] = list(chosen), score
            return len(chosen) == len(order)
        anchor = order[k]
        if anchor not in taken:
            for option in options[anchor]:
                budget[0] -= 1
                if budget[0] < 0:
                    return True
                nodes = {(1 - anchor[0], j) for j, _ in option[0]}
                if nodes & taken:
                    continue
                chosen.append((anchor, option))
                stop = search(k + 1, taken | nodes | {anchor}, chosen, score + option[1])
                chosen.pop()
                if stop:
                    return True
        return search(k + 1, taken, chosen, score)

    search(0, set(), [], 0.0)
    return best[0]


# --- Stage 2b: a pair given up for a group -------------------------------------------------------

# A group's new members, and for each pair it breaks: (pairing index, item, new members, score).
_Redone = list[tuple[int, int, tuple[tuple[int, "_Evidence"], ...], float]]


def _regroup(
    left: _Side,
    right: _Side,
    used_left: list[bool],
    used_right: list[bool],
    pairings: list[_Pairing],
    params: MatchParams,
    labels: tuple[str, str],
    free_items: _Free | None = None,
) -> list[_Pairing]:
    """Explain an item left over because a one-to-one pair holds an item its group needs.

    A deposit slip of 6,550 + 6,900 is left over when the one-to-one stage paired the 6,900
    check with another slip of 6,900 four days later, which is in truth two other checks.
    When the pair's other item can be explained again by free items (one of the same amount,
    or a group), the pair gives way: one item more explained, none less. Only items with a
    free item of the other side nearby are looked at, so a statement of new lines costs
    next to nothing here.
    """
    if params.max_group < 2:
        return pairings
    sides = ((left, used_left), (right, used_right))
    single: dict[tuple[int, int], int] = {}  # (side, item) -> index of its one-to-one pairing
    for k, pairing in enumerate(pairings):
        if len(pairing.left) == 1 and len(pairing.right) == 1:
            single[0, pairing.left[0]] = k
            single[1, pairing.right[0]] = k
    if not single:
        return pairings
    free = (free_items or _Free(left, right, used_left, used_right)).refresh()
    kept: list[_Pairing | None] = list(pairings)
    for side in (0, 1):
        (a, used_a), (b, used_b) = sides[side], sides[1 - side]
        # Items are only used as the loop goes: one without a free item near it now never
        # gets one.
        for x in _with_company(free[side], free[1 - side], params.group_date_window, 1):
            item = a.items[x]
            if used_a[x]:
                continue
            free_b = free[1 - side].get((item.currency, _sign(item.amount)))
            if free_b is None or not _free_near(free_b, used_b, a.ords[x], params):
                continue
            pool = _regroup_candidates(a, x, b, used_b, single, kept, 1 - side, params)
            if not any(used_b[j] for j in pool):
                continue  # all free: stage 2 weighed these already
            for members, score in _group_options(a, x, b, pool, params):
                blocked = [j for j, _ in members if used_b[j]]
                if not blocked or len(blocked) > 2:
                    continue
                redone = _explain_again(a, b, used_b, free_b, members, single, side, kept, params)
                if redone is None:
                    continue
                used_a[x] = True
                for j, _ in members:
                    used_b[j] = True
                kept.append(_group_pairing(a, x, b, members, score, side, labels))
                for k, q, again, again_score in redone:
                    kept[k] = None
                    for j, _ in again:
                        used_b[j] = True
                    if len(again) > 1:
                        kept.append(_group_pairing(a, q, b, again, again_score, side, labels))
                        continue
                    ((j, ev),) = again
                    i, i_right = (q, j) if side == 0 else (j, q)
                    reasons = tuple(
                        _evidence_reasons(left.items[i], right.items[i_right], ev, params)
                    )
                    kept.append(_Pairing((i,), (i_right,), round(ev.score, 4), reasons))
                break
    return [pairing for pairing in kept if pairing is not None]


def _free_near(free: _FreeList, used: list[bool], ordinal: int, params: MatchParams) -> bool:
    lo = bisect_left(free.dates, ordinal - params.group_date_window)
    hi = bisect_right(free.dates, ordinal + params.group_date_window)
    return any(not used[j] for j in free.members[lo:hi])


def _regroup_candidates(
    a: _Side,
    x: int,
    b: _Side,
    used_b: list[bool],
    single: dict[tuple[int, int], int],
    pairings: list[_Pairing | None],
    b_side: int,
    params: MatchParams,
) -> list[int]:
    """Items of `b` that could be part of a[x]: free, or held by a one-to-one pair.

    Nearest first; on one day, free items, then the held ones whose pairs are weakest (a
    check paired four days away gives way sooner than an ACH receipt paired by its name).
    """
    item, ordinal = a.items[x], a.ords[x]
    currency, target, negative = item.currency, abs(item.amount), item.amount < 0
    found: list[tuple[int, int, float, int]] = []
    # Outward a day at a time: nearer days rank first, so once enough are found the farther
    # days cannot change the answer (a busy day has hundreds of lines to look at).
    for days in range(params.group_date_window + 1):
        if len(found) >= params.max_group_candidates:
            break
        for day in {ordinal - days, ordinal + days}:
            for j in range(bisect_left(b.ords, day), bisect_right(b.ords, day)):
                other = b.items[j]
                amount = other.amount
                if other.currency != currency or (amount < 0) != negative or not amount:
                    continue
                if abs(amount) >= target:
                    continue
                if not used_b[j]:
                    found.append((days, 0, 0.0, j))
                elif (k := single.get((b_side, j))) is not None and (held := pairings[k]):
                    found.append((days, 1, held.score, j))
    found.sort()
    return [j for *_, j in found[: params.max_group_candidates]]


def _explain_again(
    a: _Side,
    b: _Side,
    used_b: list[bool],
    free_b: _FreeList,
    members: tuple[tuple[int, _Evidence], ...],
    single: dict[tuple[int, int], int],
    side: int,
    pairings: list[_Pairing | None],
    params: MatchParams,
) -> _Redone | None:
    """For each held member, its pair's other item explained by free items instead, or None.

    Leaves `used_b` as it found it; the caller marks what it takes.
    """
    marked = [j for j, _ in members if not used_b[j]]
    for j in marked:
        used_b[j] = True  # the new group's members are not free for the others
    redone: _Redone = []
    try:
        for j, _ in members:
            k = single.get((1 - side, j))
            if k is None or not used_b[j] or j in marked:
                continue
            pairing = pairings[k]
            if pairing is None:
                return None
            q = pairing.left[0] if side == 0 else pairing.right[0]
            again = _single_again(a, q, b, used_b, params)
            if again is None:
                pool = _group_candidates(a, q, b, free_b, used_b, params)
                options = _group_options(a, q, b, pool, params)
                if not options:
                    return None
                again = options[0]
            for taken, _ in again[0]:
                used_b[taken] = True
                marked.append(taken)
            redone.append((k, q, again[0], again[1]))
        return redone
    finally:
        for j in marked:
            used_b[j] = False


def _single_again(
    a: _Side, q: int, b: _Side, used_b: list[bool], params: MatchParams
) -> tuple[tuple[tuple[int, _Evidence], ...], float] | None:
    """The best free item of `b` that matches a[q] one-to-one, if any."""
    best: tuple[tuple[tuple[int, _Evidence], ...], float] | None = None
    for j, ev in _scored_candidates(a, q, b, params):
        if used_b[j] or ev.conflict or ev.score < params.min_score:
            continue
        if best is None or ev.score > best[1]:
            best = (((j, ev),), ev.score)
    return best


def _group_pairing(
    a: _Side,
    x: int,
    b: _Side,
    members: Sequence[tuple[int, _Evidence]],
    score: float,
    side: int,
    labels: tuple[str, str],
) -> _Pairing:
    """The pairing of a[x] with several items of `b`; `side` says which side `a` is."""
    # Indexes follow the canonical order, so sorting them sorts the items.
    member_indexes = tuple(sorted(j for j, _ in members))
    reasons = _group_reasons(a.items[x], [(b.items[j], ev) for j, ev in members], labels[1 - side])
    pair = ((x,), member_indexes) if side == 0 else (member_indexes, (x,))
    return _Pairing(pair[0], pair[1], round(score, 4), reasons)


# --- Stage 2c: large groups by exact subset sum --------------------------------------------------


def _match_large_groups(
    left: _Side,
    right: _Side,
    used_left: list[bool],
    used_right: list[bool],
    params: MatchParams,
    labels: tuple[str, str],
    notes: dict[tuple[int, int], str],
    free_items: _Free | None = None,
) -> list[_Pairing]:
    """An item that is more items of the other side than enumeration tries (a deposit slip of
    thirty checks), found by an exact subset sum; why not, in `notes` by (side, item).

    Largest amounts first, so that a deposit takes its receipts before a smaller item can.
    """
    if params.max_group < 2 or params.max_large_group <= params.max_group:
        return []
    sides = ((left, used_left), (right, used_right))
    free = (free_items or _Free(left, right, used_left, used_right)).refresh()
    # Enumeration has tried every subset of an item's free neighbours when it has at most
    # max_group of them: only items with more are anchors here.
    least, window = params.max_group + 1, params.group_date_window
    anchors = [
        (side, x)
        for side in (0, 1)
        for x in _with_company(free[side], free[1 - side], window, least)
    ]
    anchors.sort(key=lambda n: (-abs(sides[n[0]][0].items[n[1]].amount), n))
    groups = []
    for side, x in anchors:
        (a, used_a), (b, used_b) = sides[side], sides[1 - side]
        if used_a[x]:
            continue  # a member of a larger group already
        item = a.items[x]
        free_b = free[1 - side].get((item.currency, _sign(item.amount)))
        if free_b is None:
            continue
        ordinal, window = a.ords[x], params.group_date_window
        lo = bisect_left(free_b.dates, ordinal - window)
        if bisect_right(free_b.dates, ordinal + window) - lo <= params.max_group:
            continue  # enumeration has tried every subset of these
        found, note = _large_group(a, x, b, free_b, used_b, params, _plural(labels[1 - side]))
        if found is not None:
            members, score = found
            used_a[x] = True
            for j, _ in members:
                used_b[j] = True
            groups.append(_group_pairing(a, x, b, members, score, side, labels))
        elif note:
            notes[side, x] = note
    return groups


def _large_group(
    a: _Side, x: int, b: _Side, free: _FreeList, used_b: list[bool], params: MatchParams, label: str
) -> tuple[tuple[tuple[tuple[int, _Evidence], ...], float] | None, str | None]:
    """Free items of `b` (`label`, plural) that alone sum to a[x], with their score; or None
    and why not.

    Same-day items first, then a day either side, then the whole group window: the first
    window where exactly one set sums to a[x] wins. Equal amounts count once with their
    multiplicity, so eight 45.00 dues make 315.00 in one way, not eight, and the nearest
    seven are taken. Several ways means the amounts cannot tell which set it is: a person
    decides, and the reason says so.
    """
    item, ordinal = a.items[x], a.ords[x]
    target_amount, widest = abs(item.amount), params.group_date_window
    lo = bisect_left(free.dates, ordinal - widest)
    hi = bisect_right(free.dates, ordinal + widest)
    pool = sorted(
        (abs(free.dates[k] - ordinal), j)
        for k, j in enumerate(free.members[lo:hi], lo)
        if not used_b[j] and abs(b.items[j].amount) < target_amount
    )
    days = [d for d, _ in pool]
    note, tried, cap = None, -1, params.max_large_group
    for window in sorted({min(w, widest) for w in (0, 1, widest)}):
        size = bisect_right(days, window)
        if size == tried or size <= params.max_group:
            continue  # the same items as the narrower window, or enumeration tried them all
        tried = size
        within = f"within {window} day{'s' if window > 1 else ''}" if window else "on the same day"
        if size > cap:
            note = (
                f"{size} {label} {within} could be part of it; only the nearest {cap} were searched"
            )
        members = [j for _, j in pool[: min(size, cap)]]
        units = _as_units([item.amount] + [b.items[j].amount for j in members])
        if units is None:
            return None, note
        target, values = units[0], units[1:]
        if sum(values) < target or sum(sorted(values)[: params.max_group + 1]) > target:
            continue  # no set of them, or none larger than enumeration tries, makes it
        divisor = math.gcd(target, *values)  # whole dollars: a hundred times fewer bits
        target, values = target // divisor, [v // divisor for v in values]
        if target > params.max_group_units:
            money, units_cap = _money(item.amount, item.currency), f"{params.max_group_units:,}"
            return None, f"too large for the exact group search ({money}, cap {units_cap} units)"
        by_value: dict[int, list[int]] = {}
        for j, value in zip(members, values, strict=True):
            by_value.setdefault(value, []).append(j)  # nearest first
        distinct = sorted(by_value)
        counts, reach = _one_way(target, [(value, len(by_value[value])) for value in distinct])
        if counts is None:
            continue
        money = _money(item.amount, item.currency)
        if counts is False:
            return None, (
                f"several sets of the {len(members)} {label} {within} sum to"
                f" {money}: the amounts alone cannot tell which"
            )
        if _by_chance(reach, target, divisor):
            return None, (
                f"a set of the {len(members)} {label} {within} sums to {money}, but sets of"
                " them make most amounts near it too: likely chance"
            )
        chosen = [j for value, count in zip(distinct, counts, strict=True)
                  for j in by_value[value][:count]]  # fmt: skip
        found = []
        for j in sorted(chosen):
            ev = _pair_evidence(a, x, b, j, params, Decimal(0))
            if ev is None or ev.conflict:
                return None, note  # a member that contradicts the item (another check number)
            found.append((j, ev))
        score = _group_score([ev for _, ev in found], any(ev.shared for _, ev in found))
        return ((tuple(found), score), None) if score >= params.min_score else (None, note)
    return None, note


def _one_way(target: int, values: Sequence[tuple[int, int]]) -> tuple[list[int] | bool | None, int]:
    """How many of each (value, available) make `target` when exactly one way does (None
    when no way does, False when several do), and the bitset of the sums they make.

    Bitsets over the sums (Python ints shift and OR a million bits in microseconds): bit s
    is set when some choice makes s. Reachability first, alone: for most items no set of
    their neighbours sums to them, and that pass costs half the counting one.
    """
    reach, layers = _reach(target, values)
    if not reach >> target & 1:
        return None, reach
    if sum(value * available for value, available in values) == target:
        return [available for _, available in values], reach  # all of them: one way only
    mask = (1 << (target + 1)) - 1
    once, twice = 1, 0  # bit s: the sum s can be made in at least one way / at least two ways
    for value, available in values:
        any_way, two_ways = once, twice
        for count in range(1, available + 1):
            shift = count * value
            if shift > target:
                break
            more_once, more_twice = (once << shift) & mask, (twice << shift) & mask
            two_ways |= more_twice | (any_way & more_once)
            any_way |= more_once
        once, twice = any_way, two_ways
    if twice >> target & 1:
        return False, reach
    counts, remaining = [], target
    for (value, available), layer in zip(reversed(values), reversed(layers), strict=True):
        count = next(
            c
            for c in range(available + 1)
            if c * value <= remaining and layer >> (remaining - c * value) & 1
        )
        counts.append(count)
        remaining -= count * value
    counts.reverse()
    return counts, reach


def _reach(target: int, values: Sequence[tuple[int, int]]) -> tuple[int, list[int]]:
    """The sums up to `target` that (value, available) can make, as a bitset, and the
    bitset before each value (to find back which values make a sum)."""
    mask = (1 << (target + 1)) - 1
    once, layers = 1, []
    for value, available in values:
        layers.append(once)
        reach = once
        for count in range(1, available + 1):
            if count * value > target:
                break
            reach |= (once << (count * value)) & mask
        once = reach
    return once, layers


def _reach_by_size(target: int, values: Sequence[int], most: int) -> int:
    """The sums up to `target` that at most `most` of `values` make, as a bitset."""
    mask = (1 << (target + 1)) - 1
    by_size = [1] + [0] * most  # by_size[c]: the sums of exactly c values
    for value in values:
        for count in range(most, 0, -1):
            by_size[count] |= (by_size[count - 1] << value) & mask
    return functools.reduce(operator.or_, by_size)


# Up to this many subsets their sums are listed one by one; beyond, the bitset over every
# amount up to the target (hundreds of kilobytes of bits, shifted per value) costs less.
_LISTED_SUBSETS = 4096


def _sums_by_chance(target: int, values: Sequence[int], most: int) -> bool:
    """`_by_chance` of the sums up to `target` that at most `most` of `values` make.

    A split payment's two lines against a 9,000.00 entry are four subsets: their sums are
    counted directly rather than through a bitset of 900,000 cents.
    """
    subsets = sum(math.comb(len(values), size) for size in range(most + 1))
    if subsets > _LISTED_SUBSETS:
        return _by_chance(_reach_by_size(target, values, most), target)
    lowest, window = _chance_window(target, 1)
    if lowest >= target:
        return False
    by_size: list[set[int]] = [{0}] + [set() for _ in range(most)]  # sums of exactly c values
    for value in values:
        for count in range(most, 0, -1):
            by_size[count].update(
                total + value for total in by_size[count - 1] if total + value <= target
            )
    made = len({total for sums in by_size for total in sums if lowest <= total < target})
    return made / window > _CHANCE


def _chance_window(target: int, divisor: int) -> tuple[int, int]:
    """The amounts just below `target` that `_by_chance` looks at: the lowest (in units of
    `divisor`) and how many cents they span."""
    window = max(target * divisor // 50, 100)  # 2% of the amount, at least 100 cents
    return max(0, target - window // divisor), window


def _by_chance(reach: int, target: int, divisor: int = 1) -> bool:
    """Whether the same items make so many of the amounts just below `target` that making
    `target` itself is what chance would do: twenty receipts of a busy day make almost any
    amount, so one more amount they sum to says nothing; a slip of all of them does.

    `target` and the bits are in units of `divisor` smallest units (cents).
    """
    lowest, window = _chance_window(target, divisor)
    if lowest >= target:
        return False
    made = ((reach >> lowest) & ((1 << (target - lowest)) - 1)).bit_count()
    return made / window > _CHANCE


# --- Stage 3: near-misses ------------------------------------------------------------------------

# Amounts differ, so the text has to vouch for the pair: more than one shared word of two
# ("Vendor Alpha" and "Vendor Bravo" are 67% alike and not the same payee).
_NEAR_MISS_TEXT = 0.8
_TRANSPOSED_TEXT = 0.3  # a transposition is evidence by itself; the text need only not object


def _digits(amount: Decimal, places: int) -> str:
    return f"{abs(amount):.{places}f}".replace(".", "")


def _is_transposition(a: Decimal, b: Decimal) -> bool:
    """Same digits in another order (1,254.00 vs 1,245.00): the difference is a multiple of 9."""
    if a == b:
        return False
    places = max(0, -a.as_tuple().exponent, -b.as_tuple().exponent)
    first, second = _digits(a, places), _digits(b, places)
    width = max(len(first), len(second))
    return sorted(first.zfill(width)) == sorted(second.zfill(width))


def _digit_signature(amount: Decimal) -> str:
    """The sorted digits of an amount to the cent: equal for 1,254.00 and 1,245.00."""
    places = max(2, -amount.as_tuple().exponent)
    return "".join(sorted(_digits(amount, places).lstrip("0")))


def _near_miss_candidates(
    left: _Side, i: int, right: _Side, index: dict, params: MatchParams
) -> Iterator[int]:
    item = left.items[i]
    amounts, by_amount, by_digits = index.get(item.currency, ([], {}, {}))
    tolerance = min(abs(item.amount) * params.near_miss_tolerance, params.near_miss_cap)
    lo = bisect_left(amounts, item.amount - tolerance)
    hi = bisect_right(amounts, item.amount + tolerance)
    # Transpositions by index: the amounts with the same digits in another order.
    shuffled = sorted(by_digits.get(_digit_signature(item.amount), ()))
    seen = set()
    for amount in [*amounts[lo:hi], *shuffled]:
        if amount in seen or amount == item.amount or not _same_sign(amount, item.amount):
            continue
        seen.add(amount)
        yield from by_amount.get(amount, ())


def _near_misses(
    left: _Side, right: _Side, used_left: list[bool], used_right: list[bool], params: MatchParams
) -> list[tuple[int, int, NearMiss]]:
    """Leftover pairs that look like one line typed or netted differently (never matched)."""
    by_currency: dict[str, dict[Decimal, list[int]]] = {}
    for j, item in enumerate(right.items):
        if not used_right[j]:
            by_currency.setdefault(item.currency, {}).setdefault(item.amount, []).append(j)
    index = {}
    for currency, by_amount in by_currency.items():
        by_digits: dict[str, set[Decimal]] = {}
        for amount in by_amount:
            by_digits.setdefault(_digit_signature(amount), set()).add(amount)
        index[currency] = (sorted(by_amount), by_amount, by_digits)
    # The free items of `right` by date, and its checks: a leftover with none of them within
    # its date window has no near miss (most new lines of an import), whatever the amounts.
    days: dict[str, tuple[list[int], list[int]]] = {}
    for currency, by_amount in by_currency.items():
        members = sorted(j for js in by_amount.values() for j in js)
        days[currency] = (
            [right.ords[j] for j in members],
            [right.ords[j] for j in members if right.checks[j]],
        )
    date_window, check_window = params.date_window, params.check_date_window
    found = []
    for i in range(len(left.items)):
        if used_left[i]:
            continue
        near = days.get(left.items[i].currency)
        if near is None:
            continue
        ordinal, (all_days, check_days) = left.ords[i], near
        window = check_window if left.checks[i] else date_window
        if bisect_right(all_days, ordinal + window) == bisect_left(all_days, ordinal - window) and (
            bisect_right(check_days, ordinal + check_window)
            == bisect_left(check_days, ordinal - check_window)
        ):
            continue
        for j in _near_miss_candidates(left, i, right, index, params):
            first, second = left.items[i], right.items[j]
            difference = abs(first.amount - second.amount)
            ev = _pair_evidence(left, i, right, j, params, difference)
            # A check is a near miss of a check: of a card line it is only a like amount
            # (with the check window, within weeks of some other payment to that payee).
            if ev is None or (left.checks[i] != right.checks[j] and not ev.shared):
                continue
            transposed = _is_transposition(first.amount, second.amount)
            text = ev.similarity
            vouched = bool(ev.shared) or (text is not None and text >= _NEAR_MISS_TEXT)
            if transposed:
                vouched = vouched or text is None or text >= _TRANSPOSED_TEXT
            if not vouched or ev.conflict:
                continue
            rank = (
                _date_fit(ev.days, ev.window)
                + (_NEUTRAL_TEXT if text is None else text)
                + (1.0 if transposed else 0.0)
                + (1.0 if ev.shared else 0.0)
            )
            found.append((-rank, i, j, ev, transposed))
    found.sort(key=lambda entry: entry[:3])
    taken_left, taken_right = set(), set()
    near = []
    for *_, i, j, ev, transposed in found:
        if i in taken_left or j in taken_right:
            continue
        taken_left.add(i)
        taken_right.add(j)
        near.append((i, j, _near_miss(left.items[i], right.items[j], ev, transposed)))
    return near


def _near_miss(first: Item, second: Item, ev: _Evidence, transposed: bool) -> NearMiss:
    amounts = f"({first.amount:,} vs {second.amount:,})"
    if transposed:
        amount = f"amounts differ by {ev.difference:,}: digits transposed {amounts}"
    else:
        amount = f"amounts differ by {ev.difference:,}: a fee netted? {amounts}"
    reasons = [amount, _days_apart(ev.days), _text_reason(ev.similarity)]
    reasons += [f"same {_ref_word(ev)} {ref}" for ref in sorted(ev.shared)]
    return NearMiss(first, second, first.amount - second.amount, tuple(reasons))


# --- Stage 4: why nothing matched ---------------------------------------------------------------


def _closest(a: _Side, x: int, b: _Side, params: MatchParams) -> tuple[int, _Evidence] | None:
    best = None
    for j, ev in _scored_candidates(a, x, b, params):
        if best is None or ev.score > best[1].score:
            best = (j, ev)
    return best


def _nearest_outside(a: _Side, x: int, b: _Side) -> str:
    """Where the nearest item of the exact amount is, when none is inside the window."""
    item = a.items[x]
    bucket = b.buckets.get((item.currency, item.amount))
    if bucket is None:
        return ""
    ordinal = a.ords[x]
    at = bisect_left(bucket.dates, ordinal)
    nearest = min(
        (bucket.dates[k] for k in (at - 1, at) if 0 <= k < len(bucket.dates)),
        key=lambda other: abs(other - ordinal),
    )
    return (
        f" (nearest: {date.fromordinal(nearest).isoformat()}, {abs(nearest - ordinal)} days away)"
    )


def _unmatched_reasons(
    a: _Side,
    x: int,
    b: _Side,
    pairing_of_b: dict[int, _Pairing],
    near: dict[int, tuple[Item, NearMiss]],
    params: MatchParams,
    other_label: str,
    a_is_left: bool,
) -> tuple[str, ...]:
    item = a.items[x]
    closest = _closest(a, x, b, params)
    if closest is None:
        tolerance = f" (±{params.amount_tolerance:,})" if params.amount_tolerance else ""
        window = _window(params, a.checks[x])
        reasons = [
            f"no {other_label} with amount {_money(item.amount, item.currency)}{tolerance}"
            f" within {window} days" + _nearest_outside(a, x, b)
        ]
    else:
        j, ev = closest
        other = _describe(b.items[j])
        if ev.score < params.min_score:
            head = f"closest: {other} (score {ev.score:.2f} < {params.min_score:.2f})"
        elif j in pairing_of_b:
            partner = _partner_words(pairing_of_b[j], a, a_is_left)
            head = f"closest: {other} (score {ev.score:.2f}) is matched to {partner}"
        else:
            head = (
                f"closest: {other} (score {ev.score:.2f}) was not compared: more than"
                f" {params.max_candidates} candidates with that amount"
            )
        reasons = [head, *_evidence_reasons(item, b.items[j], ev, params)]
    if x in near:
        other_item, miss = near[x]
        reasons.append(f"near miss: {_describe(other_item)}: {miss.reasons[0]}")
    return tuple(reasons)


def _partner_words(pairing: _Pairing, side: _Side, side_is_left: bool) -> str:
    """The items of `side` in a pairing, in words: whom a contested item went to."""
    own = pairing.left if side_is_left else pairing.right
    words = _describe(side.items[own[0]]) if len(own) == 1 else f"a group of {len(own)}"
    return f"{words} (score {pairing.score:.2f})"


# --- The public entry points --------------------------------------------------------------------


def match_items(
    left: Iterable[Item],
    right: Iterable[Item],
    params: MatchParams = MatchParams(),
    *,
    labels: tuple[str, str] = ("line", "posting"),
    explain: bool = True,
) -> MatchResult:
    """Match `left` against `right`: one-to-one, then groups, then near-misses, with reasons.

    `labels` name the items of each side in the reasons ("no posting with amount ...").
    `explain=False` leaves the reasons of unmatched items empty, for callers that only act
    on the matches (an import of 100,000 new lines need not say why each is new).
    """
    left, right = list(left), list(right)
    # Items dated beyond reach of every item of the other side cannot match anything: a
    # month's statement against ten years of postings is a month's work, not ten years'.
    outside: tuple[list[Item], list[Item]] = ([], [])
    if left and right:
        reach = timedelta(days=max(params.date_window, params.check_date_window))
        left, right, outside = _within_reach(left, right, reach)
    result = _match(left, right, params, labels, explain)
    if not outside[0] and not outside[1]:
        return result
    far = "no {} within {} days of its date".format
    return MatchResult(
        result.matches,
        _merged(result.left_only, outside[0], (far(labels[1], reach.days),) if explain else ()),
        _merged(result.right_only, outside[1], (far(labels[0], reach.days),) if explain else ()),
        result.near_misses,
    )


def _merged(
    inside: tuple[Unmatched, ...], outside: list[Item], reasons: tuple[str, ...]
) -> tuple[Unmatched, ...]:
    """`inside` (in canonical order) and the items beyond reach, in canonical order.

    Whether an item is within reach depends on its date alone, so the two never share a
    date: merging by date keeps the order, and only the items beyond reach (ten years of
    postings, against a month's statement) need sorting among themselves.
    """
    if not outside:
        return inside
    far = [Unmatched(item, reasons) for item in _canonical(outside)]
    if not inside:
        return tuple(far)
    # A few items matched against hundreds of thousands beyond reach: find each one's place.
    far_dates = [unmatched.item.date for unmatched in far]
    merged: list[Unmatched] = []
    taken = 0
    for unmatched in inside:
        at = bisect_left(far_dates, unmatched.item.date, taken)
        merged += far[taken:at]
        merged.append(unmatched)
        taken = at
    merged += far[taken:]
    return tuple(merged)


def _within_reach(
    left: list[Item], right: list[Item], reach: timedelta
) -> tuple[list[Item], list[Item], tuple[list[Item], list[Item]]]:
    """Split each side into items with some item of the other side within `reach` days,
    and the rest (bisection over the other side's sorted dates: n log m, not n x m)."""

    def near(items: list[Item], others: list[Item]) -> tuple[list[Item], list[Item]]:
        days = sorted({o.date.toordinal() for o in others})
        limit = reach.days
        if len(items) > _PY_COMPONENTS_LIMIT:
            # Ten years of postings: the same bisection, a million at a time in numpy.
            import numpy as np

            known = np.asarray(days, dtype=np.int64)
            ords = np.fromiter(
                (item.date.toordinal() for item in items), dtype=np.int64, count=len(items)
            )
            at = np.searchsorted(known, ords - limit)
            hit = (at < len(known)) & (known[np.minimum(at, len(known) - 1)] <= ords + limit)
            hits = hit.tolist()
            return (
                list(itertools.compress(items, hits)),
                list(itertools.compress(items, [not h for h in hits])),
            )
        close, far = [], []
        for item in items:
            at = bisect_left(days, item.date.toordinal() - limit)
            hit = at < len(days) and days[at] <= item.date.toordinal() + limit
            (close if hit else far).append(item)
        return close, far

    near_right, far_right = near(right, left)
    near_left, far_left = near(left, near_right)
    return near_left, near_right, (far_left, far_right)


def _match(
    left: list[Item],
    right: list[Item],
    params: MatchParams,
    labels: tuple[str, str],
    explain: bool,
) -> MatchResult:
    a, b = _build_side(left), _build_side(right)
    edges = _candidate_edges(a, b, params)
    used_a, used_b = [False] * len(a.items), [False] * len(b.items)
    pairings = []
    for i, j in _assign(*edges, len(a.items), len(b.items)):
        used_a[i] = used_b[j] = True
        ev = _evidence(a, i, b, j, params)
        assert ev is not None  # an edge was scored from the same evidence
        reasons = tuple(_evidence_reasons(a.items[i], b.items[j], ev, params))
        pairings.append(_Pairing((i,), (j,), round(ev.score, 4), reasons))
    free = _Free(a, b, used_a, used_b)
    pairings += _match_groups(a, b, used_a, used_b, params, labels, free)
    pairings = _regroup(a, b, used_a, used_b, pairings, params, labels, free)
    group_notes: dict[tuple[int, int], str] = {}
    pairings += _match_large_groups(a, b, used_a, used_b, params, labels, group_notes, free)
    near = _near_misses(a, b, used_a, used_b, params)
    near_a = {i: (b.items[j], miss) for i, j, miss in near}
    near_b = {j: (a.items[i], miss) for i, j, miss in near}
    pairing_a = {i: pairing for pairing in pairings for i in pairing.left}
    pairing_b = {j: pairing for pairing in pairings for j in pairing.right}
    left_only = [
        Unmatched(
            item,
            _unmatched_reasons(a, x, b, pairing_b, near_a, params, labels[1], True)
            + _note(group_notes, 0, x)
            if explain
            else (),
        )
        for x, item in enumerate(a.items)
        if not used_a[x]
    ]
    right_only = [
        Unmatched(
            item,
            _unmatched_reasons(b, x, a, pairing_a, near_b, params, labels[0], False)
            + _note(group_notes, 1, x)
            if explain
            else (),
        )
        for x, item in enumerate(b.items)
        if not used_b[x]
    ]
    # Positions follow the canonical (date, amount, key) order: sorting them sorts the output.
    pairings.sort(key=lambda pairing: (pairing.left[0], pairing.right[0]))
    matches = tuple(
        Match(
            tuple(a.items[i] for i in pairing.left),
            tuple(b.items[j] for j in pairing.right),
            pairing.score,
            pairing.reasons,
        )
        for pairing in pairings
    )
    near.sort(key=lambda entry: entry[:2])
    near_misses = tuple(miss for *_, miss in near)
    return MatchResult(matches, tuple(left_only), tuple(right_only), near_misses)


def _note(notes: dict[tuple[int, int], str], side: int, x: int) -> tuple[str, ...]:
    note = notes.get((side, x))
    return (f"group search: {note}",) if note else ()


def _later_candidates(side: _Side, i: int, params: MatchParams) -> Iterator[tuple[int, Decimal]]:
    """Items after side.items[i] (canonical order) that could be the same: each pair once."""
    item, ordinal, cap = side.items[i], side.ords[i], params.max_candidates
    for amount in _nearby_amounts(side, item.currency, item.amount, params.amount_tolerance):
        bucket = side.buckets[(item.currency, amount)]
        window = _window(params, side.checks[i] or bucket.has_check)
        hi = bisect_right(bucket.dates, ordinal + window)
        if amount == item.amount:
            start = side.slot[i] + 1
            later = bucket.members[start : min(hi, start + cap)]
        else:
            lo = bisect_left(bucket.dates, ordinal - window)
            later = [j for j in bucket.members[lo:hi] if j > i][:cap]
        difference = abs(item.amount - amount)
        for j in later:
            yield j, difference


def find_similar_pairs(
    items: Iterable[Item],
    params: MatchParams = MatchParams(),
) -> tuple[Match, ...]:
    """Pairs within one set that could be the same (possible duplicates), scored with reasons.

    Each unordered pair appears once (earlier item on the left), an item never pairs with
    itself, and signs must agree. Only pairs scoring at least `min_score` are returned; the
    caller decides which are duplicates.
    """
    side = _build_side(items)
    found = []
    for i in range(len(side.items)):
        for j, difference in _later_candidates(side, i, params):
            ev = _pair_evidence(side, i, side, j, params, difference)
            if ev is not None and ev.score >= params.min_score:
                found.append((i, j, ev))
    found.sort(key=lambda entry: entry[:2])  # positions follow the canonical order
    pairs = []
    for i, j, ev in found:
        first, second = side.items[i], side.items[j]
        reasons = tuple(_evidence_reasons(first, second, ev, params))
        pairs.append(Match((first,), (second,), round(ev.score, 4), reasons))
    return tuple(pairs)


def _plural(noun: str) -> str:
    """`posting` -> `postings`, `entry` -> `entries`: labels in reasons read as English."""
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
