"""Bank reconciliation: a statement against the books' postings of one account, for a period.

Pure functions over beancount entries and a read statement. The result is the classic
reconciliation an accountant signs:

    balance per bank + deposits in transit - outstanding checks      = adjusted bank balance
    balance per books + lines only on the statement + amount errors  = adjusted book balance

and the difference between them, with every match and every open item explained. What a
person decided (pins) and what was open last month (carried items) come in from the
previous records; `bo.commands.reconcile` reads and writes those files.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from bo.beanfile import format_transaction
from bo.errors import Source
from bo.imports import build_entry, line_ids
from bo.matching import Item, MatchParams, match_items
from bo.periods import Period
from bo.rules import RuleBook
from bo.settings import Settings
from bo.statements import Statement, StatementLine

ZERO = Decimal(0)
PARAMS = MatchParams()


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
    carried: bool = False  # open in last period's reconciliation

    @property
    def text(self) -> str:
        return " ".join(t for t in (self.payee, self.narration) if t)


@dataclass(frozen=True)
class LineRef:
    """A statement line with its stable identity (the one `bo import` uses)."""

    id: str
    line: StatementLine


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
    entries: Sequence[data.Directive], account: str, period: Period, carried: set[str]
) -> tuple[list[BookItem], Decimal]:
    """The postings to reconcile (this period's, and last period's still open) and the
    book balance at the period's end."""
    start, end = period.start, period.end
    items, balance = [], ZERO
    for key, entry, posting in entry_keys(entries, account):
        if entry.date > end:
            continue
        balance += posting.units.number
        if entry.date < start and key not in carried:
            continue
        check = entry.meta.get("check")
        items.append(
            BookItem(
                key,
                entry.date,
                posting.units.number,
                posting.units.currency,
                entry.payee or "",
                entry.narration or "",
                Source.from_meta(entry.meta),
                str(check) if check is not None else None,
                entry.date < start,
            )
        )
    return items, balance


def reconcile(
    root: Path,
    settings: Settings,
    entries: Sequence[data.Directive],
    account: str,
    period: Period,
    statements: Sequence[Statement],
    *,
    previous: dict | None = None,
    pins: Sequence[dict] = (),
    digests: Sequence[tuple[str, str]] = (),
    params: MatchParams = PARAMS,
) -> Reconciliation:
    """Reconcile `account` for `period` against `statements` (their lines in the period)."""
    notes: list[str] = []
    still_open = (previous or {}).get("open", {}).get("in_transit", [])
    carried = {str(item["entry"]) for item in still_open}
    books, book_balance = book_items(entries, account, period, carried)
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
            notes.append(f"{statement.path}: {outside} lines outside {period} left out")
    bank_balance, bank_from = _bank_balance(statements, previous, lines, books, book_balance)
    if previous is None:
        notes.append(
            f"no reconciliation record for {period.previous}: nothing open from earlier "
            "periods is carried"
        )

    # A person's pins come first and take their lines and entries out of the matching.
    by_line = {ref.id: ref for ref in lines}
    by_key = {item.key: item for item in books}
    matches: list[RecMatch] = []
    pinned_lines, pinned_keys = set(), set()
    for pin in pins:
        line_ref, item = by_line.get(str(pin.get("line"))), by_key.get(str(pin.get("entry")))
        if line_ref is None or item is None:
            notes.append(f"pin {pin.get('line')} = {pin.get('entry')}: no longer in this period")
            continue
        pinned_lines.add(line_ref.id)
        pinned_keys.add(item.key)
        matches.append(RecMatch((line_ref,), (item,), 1.0, ("pinned by hand",), "pinned"))
    free_lines = [ref for ref in lines if ref.id not in pinned_lines]
    free_books = [item for item in books if item.key not in pinned_keys]

    result = match_items(
        [_line_item(i, ref.line) for i, ref in enumerate(free_lines)],
        [_book_item(j, item) for j, item in enumerate(free_books)],
        params,
        labels=("statement line", "entry"),
    )
    for match in result.matches:
        matches.append(
            RecMatch(
                tuple(free_lines[item.key] for item in match.left),
                tuple(free_books[item.key] for item in match.right),
                match.score,
                match.reasons,
            )
        )
    near_pairs = {miss.left.key: miss for miss in result.near_misses}
    near_books = {miss.right.key for miss in result.near_misses}
    near = tuple(
        OpenItem(
            "amount differs",
            free_lines[i].line.date,
            free_lines[i].line.amount.number - miss.right.amount,
            f"{free_lines[i].line.payee}: statement {free_lines[i].line.amount.number:,}, "
            f"books {miss.right.amount:,}",
            _where(free_books[miss.right.key].source, root),
            miss.reasons,
            line_id=free_lines[i].id,
            entry_key=free_books[miss.right.key].key,
        )
        for i, miss in sorted(near_pairs.items())
    )

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
                unmatched.reasons,
                suggestion=suggestion,
                line_id=ref.id,
            )
        )

    thresholds = settings.thresholds
    in_transit = []
    for unmatched in result.right_only:
        if unmatched.item.key in near_books:
            continue
        item = free_books[unmatched.item.key]
        age = (period.end - item.date).days
        if item.amount > 0:
            kind, limit = "deposit in transit", thresholds.deposit_in_transit_days
        elif item.check:
            kind, limit = "outstanding check", thresholds.outstanding_check_days
        else:
            kind, limit = "outstanding payment", thresholds.deposit_in_transit_days
        in_transit.append(
            OpenItem(
                kind,
                item.date,
                item.amount,
                item.text + (f" (check {item.check})" if item.check else ""),
                _where(item.source, root),
                unmatched.reasons,
                age_days=age,
                stale=age > limit,
                entry_key=item.key,
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
    )


def _bank_balance(
    statements: Sequence[Statement],
    previous: dict | None,
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
    if previous is not None and previous.get("balances", {}).get("bank") is not None:
        return Decimal(str(previous["balances"]["bank"])) + moved, (
            "last period's bank balance plus this statement's lines (the file gives none)"
        )
    # No balance anywhere: assume the books agreed with the bank when the period began.
    opening = book_balance - sum((item.amount for item in books if not item.carried), ZERO)
    return opening + moved, (
        "the books' balance at the period start plus this statement's lines "
        "(neither the file nor an earlier reconciliation gives one)"
    )


def _line_item(key: int, line: StatementLine) -> Item:
    refs = frozenset(r for r in (line.reference, line.bank_id) if r)
    kind = "check" if line.reference and line.reference.isdigit() else ""
    text = " ".join(t for t in (line.payee, line.memo) if t)
    return Item(key, line.date, line.amount.number, line.amount.currency, text, refs, kind)


def _book_item(key: int, item: BookItem) -> Item:
    refs = frozenset([item.check]) if item.check else frozenset()
    kind = "check" if item.check else ""
    return Item(key, item.date, item.amount, item.currency, item.text, refs, kind)


def _where(source: Source | None, root: Path) -> str:
    """`file:line` from the books root: records and reports must not depend on the checkout."""
    if source is None:
        return ""
    name = source.filename
    path = Path(name)
    if path.is_absolute() and path.is_relative_to(root):
        name = str(path.relative_to(root))
    return f"{name}:{source.lineno}" if source.lineno else name
