"""`bo import`: statement lines into categorized beancount entries, never the same line twice.

A statement line is already in the books when `bo.booked` says so, the one decision
`bo reconcile` and `bo dupes` make as well:

- an entry carries its identity: the `import-id` bo wrote (the bank's own transaction id
  where the format has one, else a fingerprint of the row plus its occurrence among identical
  rows of that statement, so two honest identical coffees stay two lines and the same rows in
  an overlapping export get the same ids), or the bank's id under another importer's key
  (`bank_id`, `fitid`... `matching.line_id_keys`) or in a link. An entry imported from this
  account's statements holds no other line: the same fee on checking and on savings, or a
  FITID two accounts share, are different lines;
- it is the other side of a transfer imported from another account's statement: the card
  payment imported from checking already posts the money to the card, so the card
  statement's line of it is not booked a second time;
- a person typed it in by hand: the shared matcher pairs it with a posting of the account
  (same amount, close date, similar payee, one-to-one; a deposit the books hold as several
  receipts counts too). A pair that agrees on amount and date alone, with a payee that names
  someone else and no reference or rule to tie them, is held but reported for a person to
  check: adding it would book the payment twice if the bank merely names it oddly, and bo
  cannot tell which.

Postings `bo reconcile --accept` marked reconciled in another period hold none of the lines.
Everything else becomes a new entry, categorized by the first matching rule of bo.yaml, or
posted to the uncategorized account and flagged `!` for a person to finish. Nothing is written
that the ledger would refuse: each entry's accounts must be open on its date for its currency,
no entry may land in a locked period (exit 3), and the new text is parsed before it is written.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount

from bo.beanfile import append_entries, format_transaction
from bo.booked import (
    CHUNK_LINES,
    Holder,
    find_booked,
    holder,
    line_identity,
    line_item,
    match_params,
    reconciled_elsewhere,
    typed_doubt,
)
from bo.books import Books
from bo.close.locks import lock_violations
from bo.errors import BadInputError, RefusedError, Source
from bo.lineids import LineIds
from bo.matching import MatchParams
from bo.paths import account_slug
from bo.payables import RUN_KEY
from bo.rules import RuleBook
from bo.settings import OWED_ROLES, Rule, Settings
from bo.statements import Statement, StatementLine, line_ids

__all__ = ["CHUNK_LINES", "line_ids"]  # the import's chunk size; the lines' ids, for benches

IMPORTS_DIR = "imports"  # beside the main ledger: ledgers/imports/<account>/<YYYY-MM>.beancount
INCLUDE_LINE = f'include "{IMPORTS_DIR}/*/*.beancount"'
ID_KEY, RULE_KEY, SOURCE_KEY = "import-id", "import-rule", "import-source"
MEMO_KEY = "memo"  # the statement's memo, when a rule's payee and narration replace it
NO_RULE = "(none: uncategorized)"


@dataclass(frozen=True)
class Present:
    """A statement line the books already have, the entries that hold it, and why."""

    line: StatementLine
    entries: tuple[Source | None, ...]
    reasons: tuple[str, ...]
    # "imported", "transfer" (the other side of another statement's line), "paid" (a payment
    # entry `bo pay --commit` wrote) or "typed"
    how: str
    doubt: str | None = None  # why a person should check that the entry is this line


@dataclass(frozen=True)
class Added:
    """A new entry for a statement line; `near` names a hand-typed entry it resembles."""

    line: StatementLine
    line_id: str
    entry: data.Transaction
    rule: str
    near: tuple[Source | None, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class ImportPlan:
    """What importing a statement adds and skips; computed without touching a file."""

    statement: Statement
    added: tuple[Added, ...]
    present: tuple[Present, ...]

    @property
    def uncategorized(self) -> int:
        return sum(1 for a in self.added if a.rule == NO_RULE)

    @property
    def near(self) -> list[Added]:
        return [a for a in self.added if a.near is not None]

    @property
    def doubtful(self) -> list[Present]:
        """Lines held by a typed entry on amount and date alone."""
        return [p for p in self.present if p.doubt is not None]


def imported_account(entry: data.Transaction) -> str | None:
    """The account whose statement an imported entry came from: bo writes it first."""
    return entry.postings[0].account if entry.postings else None


def plan_import(
    books: Books,
    statement: Statement,
    params: MatchParams | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Decide which lines of `statement` are new, categorize them, and build their entries.

    Which lines are in the books already is `bo.booked`'s decision, the one `bo reconcile`
    makes: the lines it skips, reconcile matches to the same entries."""
    settings = books.settings
    account = statement.account
    if account not in books.ledger.opened:
        raise BadInputError(f"--account {account}: the ledger never opens this account")
    check_opening_sign(books, statement)
    params = params or match_params(settings)
    uncategorized = next(iter(settings.accounts_with_role("uncategorized")), None)
    identity = line_identity(settings)
    rules = RuleBook(settings.rules)

    # Postings of this account that may hold a line: imported from its statements, typed by
    # hand, or the other side of a transfer imported from another account's statement.
    holders: list[Holder] = []
    entries: dict[int, data.Transaction] = {}
    low = statement.start - timedelta(days=params.check_date_window)
    high = statement.end + timedelta(days=params.check_date_window)
    transaction = data.Transaction
    for entry in books.ledger.entries:  # 100,000s of entries: keep this loop plain
        if type(entry) is not transaction or not low <= entry.date <= high:
            continue
        for posting in entry.postings:
            if (
                posting.account == account
                and posting.units is not None
                and not reconciled_elsewhere(posting, statement.start, statement.end)
            ):
                entries[len(holders)] = entry
                holders.append(holder(len(holders), entry, posting, identity, account))

    ids = line_ids(statement.lines)
    lines = dict(enumerate(statement.lines))
    doubt = typed_doubt(
        lines,
        entries,
        lambda j: holders[j].typed,
        lambda line: rules.first_match(account, line.payee, line.memo, line.amount.number),
    )
    ticked = 0

    def matched(count: int) -> None:
        nonlocal ticked
        ticked += count
        if progress:
            progress(count)

    booked = find_booked(
        [line_item(n, line, ids[n]) for n, line in lines.items()],
        [(ids[n], line.bank_id or "") for n, line in lines.items()],
        holders,
        params,
        doubt=doubt,
        progress=matched,
    )
    present: list[Present] = []
    taken: set[int] = set()
    for pair in booked.pairs:
        held = [holders[j] for j in pair.postings]
        sources = tuple(Source.from_meta(entries[j].meta) for j in pair.postings)
        if pair.by_id is not None or all(h.own for h in held):
            how = "imported"
            reasons = (f"imported before ({pair.by_id.words()})",) if pair.by_id else pair.reasons
        elif all(not h.typed for h in held):
            how = "transfer"
            reasons = (
                *(_transfer_reason(entries[j], identity, account) for j in pair.postings),
                *pair.reasons,
            )
        elif all(RUN_KEY in entries[j].meta for j in pair.postings):
            run = entries[pair.postings[0]].meta[RUN_KEY]
            how, reasons = "paid", (f"paid by bo pay (run of {run})", *pair.reasons)
        else:
            how, reasons = "typed", ("typed by hand", *pair.reasons)
        for i in pair.lines:
            taken.add(i)
            doubted = doubt(pair) if how in ("typed", "paid") else None
            present.append(Present(lines[i], sources, reasons, how, doubted))
    holding = {j for pair in booked.pairs for j in pair.postings}
    near = {}
    for miss in booked.near_misses:
        i, j = miss.left.key, miss.right.key
        if i in taken or j in holding:
            continue
        source = Source.from_meta(entries[j].meta)
        if not holders[j].typed:
            near[i] = (source, miss.reasons)
            continue
        # The bank's line and a typed entry of the same payment differ in amount (digits
        # transposed, a fee netted): adding the line would book the payment twice. Held for
        # the person to correct the entry; the next import then finds it exact.
        taken.add(i)
        holding.add(j)
        line = lines[i]
        present.append(
            Present(
                line,
                (source,),
                ("typed by hand", *miss.reasons),
                "typed",
                f"{'; '.join(miss.reasons)}: correct the entry "
                f"to the bank's {line.amount.number:,} {line.amount.currency} if the bank "
                "is right, then import again",
            )
        )

    added: list[Added] = []
    fresh = [(n, line_id) for n, line_id in enumerate(ids) if n not in taken]
    tick = len(lines) - ticked  # the matcher ticked about half of the lines
    for k, (i, line_id) in enumerate(fresh):
        if progress and k % 1024 == 0:
            progress(min(1024, tick))
            tick -= min(1024, tick)
        line = lines[i]
        rule = rules.first_match(account, line.payee, line.memo, line.amount.number)
        if rule is None and uncategorized is None:
            raise BadInputError(
                "no rule categorizes this line, and no account in bo.yaml has the role "
                "`uncategorized` to hold it",
                line.source,
            )
        entry = build_entry(books.root, line, line_id, rule, uncategorized)
        added.append(Added(line, line_id, entry, rule.name if rule else NO_RULE, near.get(i)))
    if progress and tick:
        progress(tick)
    check_postable(books, added)
    present.sort(key=lambda p: (p.line.date, p.line.source.lineno or 0))
    return ImportPlan(statement, tuple(added), tuple(present))


def _transfer_reason(entry: data.Transaction, identity: LineIds, account: str) -> str:
    ids = ", ".join(line_id.words() for line_id in identity.entry_ids(entry) if not line_id.is_link)
    return f"the other side of a line imported from {imported_account(entry)}'s statement ({ids})"


def check_opening_sign(books: Books, statement: Statement) -> None:
    """Refuse a statement that opens at the books' balance with its sign reversed.

    A `positive` and a `balance_owed` both set the wrong way round (or a card in credit all
    month, whose balances' signs mislead) read every amount and every balance reversed, and
    the running balances still add up; only the books can tell. Entries are in date order,
    so this reads the history before the statement, once.
    """
    opening = statement.opening_balance
    if not opening:
        return
    account, currency = statement.account, statement.currency
    before = Decimal(0)
    for entry in books.ledger.entries:
        if entry.date >= statement.start:
            break
        if type(entry) is data.Transaction:
            for posting in entry.postings:
                units = posting.units
                if posting.account == account and units is not None and units.currency == currency:
                    before += units.number
    if before != -opening:
        return
    conf = books.settings.accounts.get(account)
    name = f" `{conf.statement.format}`" if conf and conf.statement else ""
    raise BadInputError(
        f"the statement opens at {opening:,} {currency} as bo reads it, and the books stand "
        f"at {before:,} {currency} before {statement.start}: the same balance with its sign "
        "reversed, so every amount would be booked the wrong way round. In the statement "
        f"format{name} in bo.yaml, set `positive` to how the file prints money in (`inflow`: "
        "deposits and payments as positive numbers; `outflow`: charges as positive numbers)"
        + (
            " and `balance_owed` to how its balance column prints what is owed"
            if conf and conf.role in OWED_ROLES
            else ""
        ),
        Source(str(statement.path)),
    )


def check_postable(books: Books, added: Iterable[Added]) -> None:
    """Refuse entries the ledger would reject, before anything is written.

    Every account must be open on the entry's date and allow its currency (bad input, exit
    2), and no entry may fall in a locked period (refused, exit 3). The first problem of each
    kind is enough: one bad setting or statement usually explains them all.
    """
    opened, closed = books.ledger.opened, books.ledger.closed
    settings = books.settings
    new: list[data.Transaction] = []
    for item in added:
        line, entry = item.line, item.entry
        for posting in entry.postings:
            name = posting.account
            problem = _not_postable(opened.get(name), closed.get(name), entry.date, posting)
            if problem:
                where = line.source
                if name != line.account:
                    where = _rule_source(settings, item.rule) or line.source
                raise BadInputError(f"{line.date} {line.amount}: {problem}", where)
        new.append(entry)
    if not new:
        return
    months = {(e.date.year, e.date.month) for e in new}
    nearby = [
        e
        for e in books.ledger.entries
        if type(e) is data.Transaction and (e.date.year, e.date.month) in months
    ]
    mine = {id(e) for e in new}
    for finding in lock_violations(nearby + new, books.root):
        if finding.entry is not None and id(finding.entry) in mine:
            line = next(a.line for a in added if a.entry is finding.entry)
            period = f"{line.date:%Y-%m}"
            raise RefusedError(
                f"{line.date} {line.amount} {line.payee}: {period} is closed and locked; "
                f"nothing was imported (bo reopen {period} --reason ... to book into it)",
                line.source,
            )


def _not_postable(
    opening: data.Open | None, closing: data.Close | None, day: date, posting: data.Posting
) -> str | None:
    account, currency = posting.account, posting.units.currency
    if opening is None:
        return f"the ledger never opens {account}"
    if day < opening.date:
        return f"{account} is opened only on {opening.date} ({Source.from_meta(opening.meta)})"
    if closing is not None and day >= closing.date:
        return f"{account} is closed on {closing.date} ({Source.from_meta(closing.meta)})"
    if opening.currencies and currency not in opening.currencies:
        allowed = ", ".join(opening.currencies)
        where = Source.from_meta(opening.meta)
        return f"{account} is opened for {allowed} only, not {currency} ({where})"
    return None


def _rule_source(settings: Settings, rule_name: str) -> Source | None:
    for i, rule in enumerate(settings.rules):
        if rule.name == rule_name:
            return settings.source("rules", i, "set", "account")
    return None


def build_entry(
    root: Path, line: StatementLine, line_id: str, rule: Rule | None, uncategorized: str | None
) -> data.Transaction:
    """The transaction for one statement line, with where it came from in its metadata."""
    meta: dict[str, object] = {
        ID_KEY: line_id,
        RULE_KEY: rule.name if rule else NO_RULE,
        SOURCE_KEY: _relative(root, line.source),
    }
    if line.reference:
        meta["check" if line.reference.isdigit() else "reference"] = line.reference
    counter = rule.set.account if rule else uncategorized
    assert counter is not None  # plan_import refuses a line with nowhere to go
    postings = [
        data.Posting(line.account, line.amount, None, None, None, None),
        data.Posting(
            counter, Amount(-line.amount.number, line.amount.currency), None, None, None, None
        ),
    ]
    payee = line.payee
    narration = line.memo
    if rule is not None:
        if rule.set.payee:
            # The cleaned-up payee replaces the bank's text, which stays as the narration;
            # the memo the narration held is kept beside it.
            payee, narration = rule.set.payee, line.payee
            if line.memo:
                meta[MEMO_KEY] = line.memo
        narration = rule.set.narration or narration
    tags = frozenset(rule.set.tags) if rule else frozenset()
    links = frozenset(rule.set.links) if rule else frozenset()
    flag = "*" if rule else "!"
    return data.Transaction(meta, line.date, flag, payee or None, narration, tags, links, postings)


def _relative(root: Path, source: Source) -> str:
    name = _relative_name(root, source.filename)
    return f"{name}:{source.lineno}" if source.lineno else name


@functools.lru_cache(maxsize=64)
def _relative_name(root: Path, filename: str) -> str:
    """The statement file's path from the books root (resolved once per file, not per row)."""
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def import_files(books: Books, plan: ImportPlan) -> dict[Path, str]:
    """The new text of every file the import writes. Entries are appended, never rewritten.

    The new text is parsed first: what bo writes must read back as the entries it planned.
    """
    folder = books.ledger_path.parent / IMPORTS_DIR / account_slug(plan.statement.account)
    months: dict[tuple[int, int], list[Added]] = defaultdict(list)
    for added in plan.added:
        day = added.entry.date
        months[day.year, day.month].append(added)
    by_month = {
        folder / f"{year:04d}-{month:02d}.beancount": items
        for (year, month), items in months.items()
    }
    header = (
        f"; Entries imported by `bo import` from {plan.statement.account} statements.\n"
        "; bo appends here and never rewrites what is written; recategorize freely, but keep\n"
        f"; each entry's {ID_KEY}: it is how bo knows the statement line is in the books."
    )
    texts: dict[Path, str] = {}
    written: list[tuple[Added, str]] = []
    for path, items in sorted(by_month.items()):
        old = path.read_text(encoding="utf-8") if path.exists() else None
        items.sort(key=lambda a: a.entry.date)
        blocks = [format_transaction(a.entry) for a in items]
        written += zip(items, blocks, strict=True)
        texts[path] = append_entries(old, header, blocks)
    check_text(written)
    return texts


def check_text(written: list[tuple[Added, str]]) -> None:
    """Refuse to write text beancount would not read back as the entries planned.

    One entry of each shape is parsed (its accounts, tags and number formats, and of its
    strings the characters that could end or break a string literal; not its digits):
    100,000 imported lines come in a handful of shapes, and beancount's parser would take
    longer than the rest of the import.
    """
    sample: dict[tuple[object, ...], tuple[Added, str]] = {}
    for added, block in written:
        sample.setdefault(_shape(added.entry), (added, block))
    if not sample:
        return
    from beancount.parser import parser

    chosen = list(sample.values())
    entries, errors, _ = parser.parse_string("\n".join(block for _, block in chosen))
    if not errors and len(entries) == len(chosen):
        return
    starts, line = [], 1
    for _, block in chosen:
        starts.append(line)
        line += block.count("\n") + 1
    error = errors[0] if errors else None
    lineno = error.source.get("lineno", 1) if error is not None else 1
    item = chosen[max(0, bisect_right(starts, lineno) - 1)][0]
    message = error.message if error is not None else "the entry does not read back"
    raise BadInputError(
        f"bo would write an entry beancount cannot read for this line ({message}); "
        "nothing was written",
        item.line.source,
    )


def _shape(entry: data.Transaction) -> tuple[object, ...]:
    """What of an entry's text could make it unreadable: all but the digits of its numbers,
    and of its strings (payee, narration, metadata) what `_string_shape` keeps."""
    payee, narration = entry.payee, entry.narration
    return (
        entry.flag,
        None if payee is None else _string_shape(payee),
        None if narration is None else _string_shape(narration),
        entry.tags,
        entry.links,
        tuple(
            [
                # A number is written in fixed point or, past 2 places, as str() may give:
                # 1E-7.
                (
                    p.account,
                    p.units.currency,
                    "E" in str(p.units.number) and p.units.number.as_tuple().exponent < -2,
                )
                for p in entry.postings
            ]
        ),
        tuple(
            [
                (
                    key,
                    _string_shape(value)
                    if type(value) is str
                    else (type(value), frozenset(str(value)) - _PLAIN),
                )
                for key, value in entry.meta.items()
                if key != "filename" and key != "lineno"
            ]
        ),
    )


def _string_shape(text: str) -> object:
    """What of a string decides whether beancount reads it back once bo has quoted it.

    Its lexer takes a string literal as any characters but `"` and `\\` (which `quote`
    escapes) up to the closing quote, and refuses one of more than 64 lines. So printable
    ASCII text is told apart only by the two characters quoted; any other text by every
    character but letters and digits, and its count of lines.
    """
    if text.isascii() and text.isprintable():
        return ('"' in text, "\\" in text)
    return frozenset(text) - _PLAIN, text.count("\n")


_PLAIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def include_text(books: Books) -> str | None:
    """The main ledger with the imports include added, or None when it is there already."""
    main = books.ledger_path
    text = main.read_text(encoding="utf-8")
    if any(line.strip() == INCLUDE_LINE for line in text.splitlines()):
        return None
    return text.rstrip("\n") + f"\n\n; Statement lines imported by `bo import`.\n{INCLUDE_LINE}\n"
