"""Bank reconciliation: a statement against the books' postings of one account, for a period.

Pure functions over beancount entries and a read statement. The result is the classic
reconciliation an accountant signs:

    balance per bank + deposits in transit - outstanding checks      = adjusted bank balance
    balance per books + lines only on the statement + amount errors  = adjusted book balance

and the difference between them, with every match and every open item explained. What a
person decided (pins) and what was open last month (carried items) come in from the
previous records; `bo.commands.reconcile` reads and writes those files.

What last month left open comes back: its postings in transit are expected to clear on this
statement, and its statement lines missing from the books (or booked at another amount) stay
open, so that next month's difference stays explained until the books are fixed. An entry
dated last month but added after its reconciliation can resolve them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from pydantic import BaseModel, ConfigDict, field_validator

from bo.beanfile import format_transaction
from bo.errors import BadInputError, Source
from bo.imports import ID_KEY, build_entry
from bo.matching import Item, MatchParams, match_items
from bo.paths import books_relative, place
from bo.periods import Period
from bo.rules import RuleBook
from bo.settings import Settings
from bo.statements import Statement, StatementLine, line_ids

ZERO = Decimal(0)
# Metadata of an entry that a statement line may share: a check number, the bank's or the
# vendor's reference, an invoice number, and the statement identity `bo import` wrote.
REF_KEYS = ("check", "reference", "invoice", ID_KEY)


# --- The record's shape, as bo reads it back ---------------------------------------------------


class _Read(BaseModel):
    """A part of the record bo wrote: what bo reads back is typed; the rest is left alone."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Pin(BaseModel):
    """A person's "this statement line is that entry", written in the record's `pins:`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    line: str
    entry: str


class TransitRecord(_Read):
    kind: str
    date: date
    amount: Decimal
    text: str = ""
    where: str = ""
    entry: str
    since: str = ""


class MissingRecord(_Read):
    kind: str
    date: date
    amount: Decimal
    text: str = ""
    where: str = ""
    line: str
    since: str = ""


class DiffersRecord(_Read):
    kind: str
    date: date
    amount: Decimal  # the correction: statement minus books
    text: str = ""
    where: str = ""
    line: str
    entry: str
    line_amount: Decimal | None = None  # the statement's amount (records before it: absent)
    since: str = ""


class OpenRecord(_Read):
    in_transit: list[TransitRecord] = []
    missing: list[MissingRecord] = []
    amount_differs: list[DiffersRecord] = []


class BalancesRecord(_Read):
    bank: Decimal | None = None


class MatchRecord(_Read):
    lines: list[str] = []
    entries: list[str] = []


class RecRecord(_Read):
    """`recs/P/<account>.yaml` as bo reads it: last month's open items, this month's pins."""

    balances: BalancesRecord = BalancesRecord()
    open: OpenRecord = OpenRecord()
    matches: list[MatchRecord] = []
    pins: list[Pin] = []

    @field_validator("pins", "matches", mode="before")
    @classmethod
    def _empty(cls, value: Any) -> Any:
        return [] if value is None else value  # `pins:` with nothing after it


def pin_problems(pins: Sequence[Pin]) -> list[tuple[int, str]]:
    """(index, message) for each pin that reuses a line or an entry an earlier pin took."""
    problems = []
    lines: dict[str, int] = {}
    entries: dict[str, int] = {}
    for index, pin in enumerate(pins):
        if pin.line in lines:
            problems.append((index, f"line {pin.line} is pinned twice (pins[{lines[pin.line]}])"))
        elif pin.entry in entries:
            problems.append(
                (index, f"entry {pin.entry} is pinned twice (pins[{entries[pin.entry]}])")
            )
        lines.setdefault(pin.line, index)
        entries.setdefault(pin.entry, index)
    return problems


# --- The result ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookItem:
    """A posting of the reconciled account, with a key that survives edits elsewhere."""

    key: str
    date: date
    amount: Decimal
    currency: str
    payee: str
    narration: str
    source: Source | None
    check: str | None = None
    carried: bool = False  # dated before the period: open last period, or added since
    refs: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(t for t in (self.payee, self.narration) if t)


@dataclass(frozen=True)
class LineRef:
    """A statement line with its stable identity (the one `bo import` uses)."""

    id: str
    line: StatementLine
    since: str = ""  # the earlier period whose statement it is on, when carried


@dataclass(frozen=True)
class RecMatch:
    lines: tuple[LineRef, ...]
    entries: tuple[BookItem, ...]
    score: float
    reasons: tuple[str, ...]
    how: str = "matched"  # or "pinned": a person said so in the record


@dataclass(frozen=True)
class OpenItem:
    """Something that keeps the statement and the books apart this period."""

    kind: str  # outstanding check | outstanding payment | deposit in transit |
    #            missing from the books | amount differs
    date: date
    amount: Decimal  # what it adds to the side it adjusts
    text: str
    where: str  # file:line of the entry, or statement file:row
    reasons: tuple[str, ...] = ()
    age_days: int = 0
    stale: bool = False
    suggestion: str = ""  # the entry bo would add for a line missing from the books
    line_id: str = ""
    entry_key: str = ""
    line_amount: Decimal | None = None  # amount differs: the statement's amount
    since: str = ""  # open since this earlier period ("" when it is this period's)


@dataclass(frozen=True)
class Reconciliation:
    account: str
    period: str
    currency: str
    statements: tuple[tuple[str, str], ...]  # (file, sha256)
    bank_balance: Decimal
    bank_balance_from: str
    deposits_in_transit: Decimal
    outstanding: Decimal
    adjusted_bank: Decimal
    book_balance: Decimal
    bank_only: Decimal
    corrections: Decimal
    adjusted_books: Decimal
    difference: Decimal
    matches: tuple[RecMatch, ...]
    in_transit: tuple[OpenItem, ...]
    missing: tuple[OpenItem, ...]
    near: tuple[OpenItem, ...]
    notes: tuple[str, ...] = field(default=())
    pins: tuple[Pin, ...] = field(default=())

    @property
    def stale(self) -> list[OpenItem]:
        return [item for item in self.in_transit if item.stale]

    @property
    def reconciled(self) -> bool:
        """Difference zero, and nothing that needs an entry or a look."""
        return self.difference == 0 and not self.missing and not self.near and not self.stale

    @property
    def matched_lines(self) -> int:
        return sum(len(m.lines) for m in self.matches)

    @property
    def line_count(self) -> int:
        return self.matched_lines + len(self.missing) + len(self.near)


def match_params(settings: Settings) -> MatchParams:
    """The matcher's parameters from bo.yaml's `matching:` section."""
    conf = settings.matching
    return MatchParams(
        date_window=conf.date_window,
        check_date_window=conf.check_date_window,
        amount_tolerance=conf.amount_tolerance,
        group_date_window=conf.group_date_window,
    )


def entry_keys(
    entries: Iterable[data.Directive], account: str
) -> list[tuple[str, data.Transaction, data.Posting]]:
    """Every posting to `account` with a key made of what the entry says, not where it is.

    A person inserting lines above an entry moves its line number, not its key; two
    identical entries are told apart by their occurrence, as statement lines are.
    """
    seen: Counter[str] = Counter()
    keyed = []
    for entry in entries:
        if type(entry) is not data.Transaction:
            continue
        for posting in entry.postings:
            if posting.account != account or posting.units is None:
                continue
            content = "\x1f".join(
                (
                    str(entry.date),
                    entry.payee or "",
                    entry.narration or "",
                    str(posting.units.number),
                    posting.units.currency,
                )
            )
            digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
            seen[digest] += 1
            keyed.append((f"entry:{digest}:{seen[digest]}", entry, posting))
    return keyed


def book_items(
    entries: Sequence[data.Directive],
    account: str,
    period: Period,
    carried: set[str],
    late_since: date | None = None,
    known: frozenset[str] = frozenset(),
) -> tuple[list[BookItem], Decimal]:
    """The postings to reconcile and the book balance at the period's end.

    This period's postings; earlier ones in `carried` (open last period); and, from
    `late_since` on, earlier ones last period's record never saw (`known` are the keys it
    did): entered after it ran, they may be what resolves its open items.
    """
    start, end = period.start, period.end
    items, balance = [], ZERO
    for key, entry, posting in entry_keys(entries, account):
        if entry.date > end:
            continue
        balance += posting.units.number
        late = late_since is not None and entry.date >= late_since and key not in known
        if entry.date < start and key not in carried and not late:
            continue
        meta = entry.meta
        check = meta.get("check")
        items.append(
            BookItem(
                key,
                entry.date,
                posting.units.number,
                posting.units.currency,
                entry.payee or "",
                entry.narration or "",
                Source.from_meta(meta),
                str(check) if check is not None else None,
                entry.date < start,
                tuple(str(meta[k]) for k in REF_KEYS if meta.get(k) is not None),
            )
        )
    return items, balance


def check_statements(
    statements: Sequence[Statement], digests: Sequence[tuple[str, str]], period: Period
) -> None:
    """Refuse statements that cannot be this period's: the same file twice, or one with no
    line in the period (another month's file passed by mistake)."""
    seen: dict[str, str] = {}
    for name, digest in digests:
        if digest in seen:
            same = "" if seen[digest] == name else f" (the content of {seen[digest]})"
            raise BadInputError(
                f"{name}: the same statement twice{same}; its lines would count twice"
            )
        seen[digest] = name
    for statement, (name, _) in zip(statements, digests, strict=True):
        if not any(period.start <= line.date <= period.end for line in statement.lines):
            raise BadInputError(
                f"{name}: no line dated in {period} (its lines run {statement.start} to "
                f"{statement.end}); pass the statement of {period}"
            )


def reconcile(
    root: Path,
    settings: Settings,
    entries: Sequence[data.Directive],
    account: str,
    period: Period,
    statements: Sequence[Statement],
    *,
    previous: RecRecord | dict | None = None,
    pins: Sequence[Pin | dict] = (),
    digests: Sequence[tuple[str, str]] = (),
    params: MatchParams | None = None,
) -> Reconciliation:
    """Reconcile `account` for `period` against `statements` (their lines in the period)."""
    if isinstance(previous, dict):
        previous = RecRecord.model_validate(previous)
    pins = tuple(Pin.model_validate(pin) if isinstance(pin, dict) else pin for pin in pins)
    params = params or match_params(settings)
    notes: list[str] = []
    last = previous or RecRecord()
    carried = {item.entry for item in last.open.in_transit}
    carried |= {item.entry for item in last.open.amount_differs}
    since = {item.entry: item.since or str(period.previous) for item in last.open.in_transit}
    known = frozenset(
        {key for match in last.matches for key in match.entries}
        | carried
        | {pin.entry for pin in last.pins}
    )
    # Entries dated last period that its record never saw: only worth a look when it left
    # statement lines open for them to resolve.
    unresolved = bool(last.open.missing or last.open.amount_differs)
    books, book_balance = book_items(
        entries,
        account,
        period,
        carried,
        period.previous.start if previous is not None and unresolved else None,
        known,
    )
    currency = settings.entity.currency
    lines: list[LineRef] = []
    for statement in statements:
        currency = statement.currency
        ids = line_ids(statement.lines)
        outside = 0
        for line_id, line in zip(ids, statement.lines, strict=True):
            if period.start <= line.date <= period.end:
                lines.append(LineRef(line_id, line))
            else:
                outside += 1
        if outside:
            name, word = _relative(statement.path, root), "line" if outside == 1 else "lines"
            notes.append(f"{name}: {outside} {word} outside {period} left out")
    bank_balance, bank_from = _bank_balance(statements, previous, lines, books, book_balance)
    if previous is None:
        notes.append(
            f"no reconciliation record for {period.previous}: nothing open from earlier "
            "periods is carried"
        )
    present = {ref.id for ref in lines}
    lines += [
        ref for ref in _carried_lines(last, account, currency, period) if ref.id not in present
    ]

    # A person's pins come first and take their lines and entries out of the matching.
    by_line = {ref.id: ref for ref in lines}
    by_key = {item.key: item for item in books}
    matches: list[RecMatch] = []
    pinned_near: list[OpenItem] = []
    pinned_lines, pinned_keys = set(), set()
    for pin in pins:
        line_ref, item = by_line.get(pin.line), by_key.get(pin.entry)
        if line_ref is None or item is None:
            notes.append(f"pin {pin.line} = {pin.entry}: no longer in this period")
            continue
        amount = line_ref.line.amount
        if amount.currency != item.currency:
            notes.append(
                f"pin {pin.line} = {pin.entry}: the line is in {amount.currency}, "
                f"the entry in {item.currency}; left to the matcher"
            )
            continue
        pinned_lines.add(line_ref.id)
        pinned_keys.add(item.key)
        if amount.number == item.amount:
            matches.append(RecMatch((line_ref,), (item,), 1.0, ("pinned by hand",), "pinned"))
            continue
        # The same payment, booked at another amount: the books still need the correction.
        pinned_near.append(
            _differs(
                line_ref,
                item,
                root,
                (
                    "pinned by hand",
                    f"amounts differ by {abs(amount.number - item.amount):,}: "
                    f"statement {amount.number:,}, books {item.amount:,}",
                ),
            )
        )
    free_lines = [ref for ref in lines if ref.id not in pinned_lines]
    free_books = [item for item in books if item.key not in pinned_keys]

    result = match_items(
        [_line_item(i, ref) for i, ref in enumerate(free_lines)],
        [_book_item(j, item) for j, item in enumerate(free_books)],
        params,
        labels=("statement line", "entry"),
    )
    tolerated = []
    for match in result.matches:
        found = RecMatch(
            tuple(free_lines[item.key] for item in match.left),
            tuple(free_books[item.key] for item in match.right),
            match.score,
            match.reasons,
        )
        if len(found.lines) == len(found.entries) == 1 and (
            found.lines[0].line.amount.number != found.entries[0].amount
        ):
            # Matched within `matching.amount_tolerance`: the same payment, and still a
            # difference the books must correct, or it would go unexplained.
            tolerated.append(_differs(found.lines[0], found.entries[0], root, match.reasons))
            continue
        matches.append(found)
    near_pairs = {miss.left.key: miss for miss in result.near_misses}
    near_books = {miss.right.key for miss in result.near_misses}
    near = tolerated + [
        _differs(free_lines[i], free_books[miss.right.key], root, miss.reasons)
        for i, miss in sorted(near_pairs.items())
    ]
    near = tuple(sorted(pinned_near + near, key=lambda i: (i.date, i.where, i.line_id)))

    rules = RuleBook(settings.rules)
    uncategorized = next(iter(settings.accounts_with_role("uncategorized")), None)
    missing = []
    for unmatched in result.left_only:
        if unmatched.item.key in near_pairs:
            continue
        ref = free_lines[unmatched.item.key]
        line = ref.line
        rule = rules.first_match(account, line.payee, line.memo, line.amount.number)
        suggestion = ""
        if rule is not None or uncategorized is not None:
            entry = build_entry(root, line, ref.id, rule, uncategorized)
            suggestion = format_transaction(entry, meta={})
        missing.append(
            OpenItem(
                "missing from the books",
                line.date,
                line.amount.number,
                " ".join(t for t in (line.payee, line.memo) if t),
                _where(line.source, root),
                _since_reason(ref.since) + unmatched.reasons,
                suggestion=suggestion,
                line_id=ref.id,
                since=ref.since,
            )
        )

    thresholds = settings.thresholds
    in_transit = []
    for unmatched in result.right_only:
        if unmatched.item.key in near_books:
            continue
        item = free_books[unmatched.item.key]
        if item.carried and item.key not in carried:
            # Dated last period, added after its reconciliation, and nothing here clears it.
            notes.append(
                f"{_where(item.source, root)}: dated {item.date}, entered after {period.previous}"
                f" was reconciled: run `bo reconcile {account} --period {period.previous}` again"
            )
            continue
        age = (period.end - item.date).days
        if item.amount > 0:
            kind, limit = "deposit in transit", thresholds.deposit_in_transit_days
        elif item.check:
            kind, limit = "outstanding check", thresholds.outstanding_check_days
        else:
            kind, limit = "outstanding payment", thresholds.deposit_in_transit_days
        stale = age > limit
        reasons = unmatched.reasons
        if stale:
            reasons = (f"open {age} days, more than {limit} (thresholds)", *reasons)
        in_transit.append(
            OpenItem(
                kind,
                item.date,
                item.amount,
                item.text + (f" (check {item.check})" if item.check else ""),
                _where(item.source, root),
                reasons,
                age_days=age,
                stale=stale,
                entry_key=item.key,
                since=since.get(item.key, ""),
            )
        )

    deposits = sum((i.amount for i in in_transit if i.amount > 0), ZERO)
    outstanding = -sum((i.amount for i in in_transit if i.amount < 0), ZERO)
    adjusted_bank = bank_balance + deposits - outstanding
    bank_only = sum((i.amount for i in missing), ZERO)
    corrections = sum((i.amount for i in near), ZERO)
    adjusted_books = book_balance + bank_only + corrections
    matches.sort(key=lambda m: (m.lines[0].line.date if m.lines else date.min, m.lines[0].id))
    return Reconciliation(
        account,
        str(period),
        currency,
        tuple(digests),
        bank_balance,
        bank_from,
        deposits,
        outstanding,
        adjusted_bank,
        book_balance,
        bank_only,
        corrections,
        adjusted_books,
        adjusted_bank - adjusted_books,
        tuple(matches),
        tuple(sorted(in_transit, key=lambda i: (i.date, i.where))),
        tuple(sorted(missing, key=lambda i: (i.date, i.where))),
        near,
        tuple(notes),
        pins,
    )


def _differs(ref: LineRef, item: BookItem, root: Path, reasons: Sequence[str]) -> OpenItem:
    """A statement line and the entry that books it at another amount."""
    line = ref.line
    return OpenItem(
        "amount differs",
        line.date,
        line.amount.number - item.amount,
        f"{line.payee}: statement {line.amount.number:,}, books {item.amount:,}",
        _where(item.source, root),
        _since_reason(ref.since) + tuple(reasons),
        line_id=ref.id,
        entry_key=item.key,
        line_amount=line.amount.number,
        since=ref.since,
    )


def _since_reason(since: str) -> tuple[str, ...]:
    return (f"on the statement of {since}, still open",) if since else ()


def _carried_lines(last: RecRecord, account: str, currency: str, period: Period) -> list[LineRef]:
    """Last period's statement lines the books did not have (or had at another amount),
    rebuilt from its record to be matched again."""
    found = []
    differs = [(item, item.line_amount) for item in last.open.amount_differs]
    for item, amount in [(m, m.amount) for m in last.open.missing] + differs:
        if amount is None:
            continue  # a record from before bo kept the statement's amount
        filename, _, row = item.where.rpartition(":")
        source = Source(filename, int(row)) if row.isdigit() else Source(item.where)
        payee = item.text.split(": statement ")[0] if item.kind == "amount differs" else item.text
        line = StatementLine(
            account, item.date, Amount(amount, currency), payee, "", None, None, None, source, 0
        )
        found.append(LineRef(item.line, line, item.since or str(period.previous)))
    return found


def _bank_balance(
    statements: Sequence[Statement],
    previous: RecRecord | None,
    lines: Sequence[LineRef],
    books: Sequence[BookItem],
    book_balance: Decimal,
) -> tuple[Decimal, str]:
    """The bank's balance at the period end, and where the figure comes from."""
    closing = [s for s in statements if s.closing_balance is not None]
    if closing:
        last = max(closing, key=lambda s: s.end)
        return last.closing_balance, f"statement {last.path.name}"
    moved = sum((ref.line.amount.number for ref in lines), ZERO)
    if previous is not None and previous.balances.bank is not None:
        return previous.balances.bank + moved, (
            "last period's bank balance plus this statement's lines (the file gives none)"
        )
    # No balance anywhere: assume the books agreed with the bank when the period began.
    opening = book_balance - sum((item.amount for item in books if not item.carried), ZERO)
    return opening + moved, (
        "the books' balance at the period start plus this statement's lines "
        "(neither the file nor an earlier reconciliation gives one)"
    )


def _line_item(key: int, ref: LineRef) -> Item:
    line = ref.line
    # The line's own identity too: an entry `bo import` made from it carries it as import-id.
    refs = frozenset(r for r in (line.reference, line.bank_id, ref.id) if r)
    kind = "check" if line.reference and line.reference.isdigit() else ""
    text = " ".join(t for t in (line.payee, line.memo) if t)
    return Item(key, line.date, line.amount.number, line.amount.currency, text, refs, kind)


def _book_item(key: int, item: BookItem) -> Item:
    kind = "check" if item.check else ""
    return Item(key, item.date, item.amount, item.currency, item.text, frozenset(item.refs), kind)


def _relative(path: Path, root: Path) -> str:
    """A statement's path from the books root, as records and reports name it."""
    return books_relative(path, root)


def _where(source: Source | None, root: Path) -> str:
    """`file:line` from the books root: records and reports must not depend on the checkout."""
    return place(source, root)
