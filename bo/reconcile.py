"""Bank reconciliation: a statement against the books' postings of one account, for a period.

Pure functions over beancount entries and a read statement. The result is the classic
reconciliation an accountant signs:

    balance per bank + deposits in transit - outstanding checks      = adjusted bank balance
    balance per books + lines only on the statement + amount errors  = adjusted book balance

and the difference between them, with every match and every open item explained. What a
person decided (pins) and what was open last month (carried items) come in from the
previous records; `bo.recs` reads and writes those files.

What last month left open comes back: its postings in transit are expected to clear on this
statement, and its statement lines missing from the books (or booked at another amount) stay
open, so that next month's difference stays explained until the books are fixed. An entry
dated last month but added after its reconciliation can resolve them.

Which statement lines are in the books is `bo.booked`'s decision, the one `bo import` makes:
the postings it weighs are the period's, those carried, and those around the period that no
earlier reconciliation holds (a check written last month that cleared now, a card line the
books date two days after the bank), so a line import skipped is matched to the same entry.
Postings `--accept` marked reconciled in an earlier period are proven, and left out.

The bank's balance comes from the bank: the statement's balance column, the figure a person
read off the statement (`--statement-balance`, kept in the record), a balance assertion the
ledger holds at the period's end, or an earlier such figure plus this statement's lines.
Without any of these the account is not reconciled: the statement balance is unknown.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount

from bo.beanfile import format_transaction
from bo.booked import (
    find_booked,
    holder,
    line_identity,
    line_item,
    match_params,
    reconciled_elsewhere,
    typed_doubt,
)
from bo.errors import BadInputError, Source
from bo.imports import ID_KEY, build_entry
from bo.matching import MatchParams
from bo.paths import books_relative, place
from bo.periods import Period
from bo.reconciliation import (
    CLEARED_DIR,
    BookItem,
    OpenItem,
    Pin,
    RecMatch,
    Reconciliation,
    RecRecord,
)
from bo.rules import RuleBook
from bo.settings import Settings
from bo.statements import Statement, StatementLine, line_ids

__all__ = ["match_params"]  # bo.yaml's `matching:` as the matcher's parameters (bo.booked's)

ZERO = Decimal(0)
# Metadata of an entry that a statement line may share: a check number, the bank's or the
# vendor's reference, an invoice number, and the statement identity `bo import` wrote.
REF_KEYS = ("check", "reference", "invoice", ID_KEY)


@dataclass(frozen=True)
class LineRef:
    """A statement line with its stable identity (the one `bo import` uses)."""

    id: str
    line: StatementLine
    since: str = ""  # the earlier period whose statement it is on, when carried


@dataclass(frozen=True)
class _Paired:
    """Statement lines and entries the matching paired, before they are placed."""

    lines: tuple[LineRef, ...]
    entries: tuple[BookItem, ...]
    score: float
    reasons: tuple[str, ...]
    how: str = "matched"


def entry_keys(
    entries: Iterable[data.Directive],
    account: str,
    wanted: Callable[[date], bool] | None = None,
) -> list[tuple[str, data.Transaction, data.Posting]]:
    """Every posting to `account` with a key made of what the entry says, not where it is;
    with `wanted`, those of the days it wants.

    A person inserting lines above an entry moves its line number, not its key; two
    identical entries are told apart by their occurrence, as statement lines are. A key
    holds its entry's date, so it counts only the postings of that day: leaving other days
    out changes no key.
    """
    seen: Counter[str] = Counter()
    keyed = []
    for entry in entries:
        if type(entry) is not data.Transaction:
            continue
        if wanted is not None and not wanted(entry.date):
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
    settled: frozenset[str] = frozenset(),
    params: MatchParams | None = None,
    carried_days: frozenset[date] = frozenset(),
) -> tuple[list[tuple[BookItem, data.Transaction, data.Posting]], Decimal]:
    """The postings to reconcile (with their entries) and the book balance at the period's end.

    This period's postings, but those an earlier reconciliation matched (`settled`) or
    `--accept` marked in another period; earlier ones in `carried` (open last period); from
    `late_since` on, earlier ones last period's record never saw (`known` are the keys it
    did): entered after it ran, they may be what resolves its open items (`carried_days`:
    the days the carried ones are dated, as their records say); and, as candidates
    only, postings around the period no record knows: dated before it or after it within the
    matcher's reach (a check's reach for a check), they may hold one of its lines, as
    `bo import` would find.
    """
    params = params or MatchParams()
    start, end = period.start, period.end
    near = timedelta(days=params.date_window)
    far = timedelta(days=params.check_date_window)
    balance = sum(
        (
            posting.units.number
            for entry in entries
            if type(entry) is data.Transaction and entry.date <= end
            for posting in entry.postings
            if posting.account == account and posting.units is not None
        ),
        ZERO,
    )
    # Postings dated before the matcher's reach (and before `late_since`) count only when
    # carried: keyed on those days alone, not over every year of the books. A carried key
    # not found there (an entry dated apart from its item) has every posting keyed.
    horizon = start - max(near, far)
    if late_since is not None:
        horizon = min(horizon, late_since)
    keyed = entry_keys(entries, account, lambda day: day >= horizon or day in carried_days)
    if not carried <= {key for key, _, _ in keyed}:
        keyed = entry_keys(entries, account)
    items = []
    for key, entry, posting in keyed:
        meta = entry.meta
        check = meta.get("check")
        reach = far if check is not None else near
        if entry.date < start:
            nearby = key not in carried
            late = late_since is not None and entry.date >= late_since
            if nearby and (key in known or (entry.date < start - reach and not late)):
                continue
        elif entry.date > end:
            nearby = True
            if entry.date > end + reach:
                continue
        else:
            nearby = False
            if key in settled:
                continue  # its line was on an earlier statement
        if reconciled_elsewhere(posting, start, end):
            continue
        items.append(
            (
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
                    nearby,
                    Source.from_meta(posting.meta) if posting.meta else None,
                ),
                entry,
                posting,
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
    statement_balance: Decimal | None = None,
) -> Reconciliation:
    """Reconcile `account` for `period` against `statements` (their lines in the period).

    `statement_balance` is the bank's balance at the period's end as a person read it off
    the statement, for a statement whose file gives none."""
    if isinstance(previous, dict):
        previous = RecRecord.model_validate(previous)
    pins = tuple(Pin.model_validate(pin) if isinstance(pin, dict) else pin for pin in pins)
    params = params or match_params(settings)
    notes: list[str] = []
    last = previous or RecRecord()
    carried = {item.entry for item in last.open.in_transit}
    carried |= {item.entry for item in last.open.amount_differs}
    since = {item.entry: item.since or str(period.previous) for item in last.open.in_transit}
    settled = frozenset(key for match in last.matches for key in match.entries) - carried
    known = frozenset(settled | carried | {pin.entry for pin in last.pins})
    # Entries dated last period that its record never saw: only worth a look when it left
    # statement lines open for them to resolve.
    unresolved = bool(last.open.missing or last.open.amount_differs)
    held, book_balance = book_items(
        entries,
        account,
        period,
        carried,
        period.previous.start if previous is not None and unresolved else None,
        known,
        settled,
        params,
        frozenset(item.date for item in (*last.open.in_transit, *last.open.amount_differs)),
    )
    books = [item for item, _, _ in held]
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
    moved = sum((ref.line.amount.number for ref in lines), ZERO)
    bank_balance, bank_from = _bank_balance(
        root, settings, entries, account, period, statements, previous, moved, statement_balance
    )
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
    matches: list[_Paired] = []
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
            matches.append(_Paired((line_ref,), (item,), 1.0, ("pinned by hand",), "pinned"))
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
    free = [(item, entry, posting) for item, entry, posting in held if item.key not in pinned_keys]
    free_books = [item for item, _, _ in free]

    # Which lines are in the books: the decision `bo import` makes, on the same postings.
    identity = line_identity(settings)
    rules = RuleBook(settings.rules)
    holders = [
        holder(j, entry, posting, identity, account) for j, (_, entry, posting) in enumerate(free)
    ]
    booked = find_booked(
        [line_item(i, ref.line, ref.id) for i, ref in enumerate(free_lines)],
        [(ref.id, ref.line.bank_id or "") for ref in free_lines],
        holders,
        params,
        explain=True,
        doubt=typed_doubt(
            {i: ref.line for i, ref in enumerate(free_lines)},
            {j: entry for j, (_, entry, _) in enumerate(free)},
            lambda j: holders[j].typed,
            lambda line: rules.first_match(account, line.payee, line.memo, line.amount.number),
        ),
    )
    tolerated = []
    for pair in booked.pairs:
        found = _Paired(
            tuple(free_lines[i] for i in pair.lines),
            tuple(free_books[j] for j in pair.postings),
            pair.score,
            pair.reasons,
        )
        if len(found.lines) == len(found.entries) == 1 and (
            found.lines[0].line.amount.number != found.entries[0].amount
        ):
            # Matched within `matching.amount_tolerance`: the same payment, and still a
            # difference the books must correct, or it would go unexplained.
            tolerated.append(_differs(found.lines[0], found.entries[0], root, pair.reasons))
            continue
        matches.append(found)
    near_pairs = {miss.left.key: miss for miss in booked.near_misses}
    near_books = {miss.right.key for miss in booked.near_misses}
    near = tolerated + [
        _differs(free_lines[i], free_books[miss.right.key], root, miss.reasons)
        for i, miss in sorted(near_pairs.items())
    ]
    near = tuple(sorted(pinned_near + near, key=lambda i: (i.date, i.where, i.line_id)))
    # Lines the books hold with an entry dated after the period: the bank's balance has them,
    # the books' balance at the period's end does not.
    later = [
        OpenItem(
            "booked after the period end",
            item.date,
            item.amount,
            item.text,
            where_in_books(item.source, root),
            (f"the statement line of {match.lines[0].line.date} is booked on {item.date}",),
            line_id=match.lines[0].id,
            entry_key=item.key,
        )
        for match in matches
        for item in match.entries
        if item.date > period.end
    ]

    uncategorized = next(iter(settings.accounts_with_role("uncategorized")), None)
    missing = []
    for unmatched in booked.lines_left:
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
                where_in_books(line.source, root),
                _since_reason(ref.since) + unmatched.reasons,
                suggestion=suggestion,
                line_id=ref.id,
                since=ref.since,
            )
        )

    thresholds = settings.thresholds
    in_transit = []
    for unmatched in booked.postings_left:
        if unmatched.item.key in near_books:
            continue
        item = free_books[unmatched.item.key]
        if item.nearby:
            if previous is not None and item.carried and item.key not in known:
                # Dated last period, added after its reconciliation, and nothing here clears it.
                notes.append(
                    f"{where_in_books(item.source, root)}: dated {item.date}, entered after "
                    f"{period.previous} was reconciled: run `bo reconcile {account} --period "
                    f"{period.previous}` again"
                )
            continue  # another period's, and no line of this one
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
                where_in_books(item.source, root),
                reasons,
                age_days=age,
                stale=stale,
                entry_key=item.key,
                since=since.get(item.key, ""),
            )
        )

    # A sum of nothing reads as the money beside it: 0.00, not 0.
    zero = ZERO.scaleb(book_balance.as_tuple().exponent)
    deposits = sum((i.amount for i in in_transit if i.amount > 0), zero)
    outstanding = -sum((i.amount for i in in_transit if i.amount < 0), zero) + 0
    adjusted_bank = None if bank_balance is None else bank_balance + deposits - outstanding
    bank_only = sum((i.amount for i in missing), zero)
    corrections = sum((i.amount for i in near), zero)
    booked_later = sum((i.amount for i in later), zero)
    adjusted_books = book_balance + bank_only + corrections + booked_later
    matches.sort(key=lambda m: (m.lines[0].line.date if m.lines else date.min, m.lines[0].id))
    placed = [
        RecMatch(
            tuple(ref.id for ref in m.lines),
            m.entries,
            m.score,
            m.reasons,
            m.how,
            lines_at=tuple(where_in_books(ref.line.source, root) for ref in m.lines),
            entries_at=tuple(where_in_books(item.source, root) for item in m.entries),
        )
        for m in matches
    ]
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
        None if adjusted_bank is None else adjusted_bank - adjusted_books,
        tuple(placed),
        tuple(sorted(in_transit, key=lambda i: (i.date, i.where))),
        tuple(sorted(missing, key=lambda i: (i.date, i.where))),
        near,
        tuple(notes),
        pins,
        tuple(sorted(later, key=lambda i: (i.date, i.where))),
        statement_balance,
    )


def _differs(ref: LineRef, item: BookItem, root: Path, reasons: Sequence[str]) -> OpenItem:
    """A statement line and the entry that books it at another amount."""
    line = ref.line
    return OpenItem(
        "amount differs",
        line.date,
        line.amount.number - item.amount,
        f"{line.payee}: statement {line.amount.number:,}, books {item.amount:,}",
        where_in_books(item.source, root),
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


UNKNOWN_BALANCE = "statement balance unknown: the file gives none; pass --statement-balance"


def _bank_balance(
    root: Path,
    settings: Settings,
    entries: Sequence[data.Directive],
    account: str,
    period: Period,
    statements: Sequence[Statement],
    previous: RecRecord | None,
    moved: Decimal,
    given: Decimal | None,
) -> tuple[Decimal | None, str]:
    """The bank's balance at the period's end, and where the figure comes from; None when
    nothing the bank said gives it (the books' own balance is never the bank's)."""
    closing = [s for s in statements if s.closing_balance is not None]
    if given is not None:
        return given, "given with --statement-balance"
    if closing:
        last = max(closing, key=lambda s: s.end)
        return last.closing_balance, f"statement {last.path.name}"
    opening, closing_assertion = _assertions(root, settings, entries, account, period)
    if closing_assertion is not None:
        amount, where = closing_assertion
        return amount, f"balance assertion {where}"
    earlier = previous.balances if previous is not None else None
    # Records before bo knew better said "the books' balance at the period start...": theirs
    # is not the bank's figure.
    if earlier is not None and earlier.bank is not None and "books'" not in earlier.bank_from:
        return earlier.bank + moved, "last period's bank balance plus its lines"
    if opening is not None:
        amount, where = opening
        return amount + moved, f"balance assertion {where} plus its lines"
    return None, UNKNOWN_BALANCE


def _assertions(
    root: Path, settings: Settings, entries: Sequence[data.Directive], account: str, period: Period
) -> tuple[tuple[Decimal, str] | None, tuple[Decimal, str] | None]:
    """The ledger's balance assertions of the account at the period's start and just after
    its end (how beangulp's OFX importer records a statement's balance), but those
    `bo reconcile --accept` wrote: they assert the books' balance, not the bank's."""
    cleared = ((root / settings.ledger).parent / CLEARED_DIR).resolve()
    after = period.end + timedelta(days=1)
    found: dict[date, tuple[Decimal, str]] = {}
    for entry in entries:
        if type(entry) is not data.Balance or entry.account != account:
            continue
        if entry.date not in (period.start, after):
            continue
        source = Source.from_meta(entry.meta)
        if source is not None and Path(source.filename).resolve().parent == cleared:
            continue
        found[entry.date] = (entry.amount.number, where_in_books(source, root))
    return found.get(period.start), found.get(after)


def _relative(path: Path, root: Path) -> str:
    """A statement's path from the books root, as records and reports name it."""
    return books_relative(path, root)


def where_in_books(source: Source | None, root: Path | None) -> str:
    """`file:line` from the books root: records and reports must not depend on the checkout."""
    return place(source, root)
