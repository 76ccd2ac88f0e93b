"""`bo import`: statement lines into categorized beancount entries, never the same line twice.

A statement line is already in the books when

- an entry carries its identity (`import-id`): the bank's own transaction id where the format
  has one, else a fingerprint of the row plus its occurrence among identical rows of that
  statement (so two honest identical coffees stay two lines, and the same rows in an
  overlapping export get the same ids, wherever they sit in the file); or
- a person typed it in by hand: the shared matcher pairs it with a posting of the account
  without an `import-id` (same amount, close date, similar payee, one-to-one; a deposit the
  books hold as several receipts counts too).

Everything else becomes a new entry, categorized by the first matching rule of bo.yaml, or
posted to the uncategorized account and flagged `!` for a person to finish.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount

from bo.beanfile import append_entries, format_transaction
from bo.books import Books
from bo.errors import BadInputError, Source
from bo.matching import Item, MatchParams, match_items
from bo.rules import RuleBook
from bo.settings import Rule
from bo.statements import Statement, StatementLine

IMPORTS_DIR = "imports"  # beside the main ledger: ledgers/imports/<account>/<YYYY-MM>.beancount
INCLUDE_LINE = f'include "{IMPORTS_DIR}/*/*.beancount"'
ID_KEY, RULE_KEY, SOURCE_KEY = "import-id", "import-rule", "import-source"
NO_RULE = "(none: uncategorized)"
MATCH_PARAMS = MatchParams()


@dataclass(frozen=True)
class Present:
    """A statement line the books already have, the entries that hold it, and why."""

    line: StatementLine
    entries: tuple[Source | None, ...]
    reasons: tuple[str, ...]
    how: str  # "imported" or "typed"


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


def line_ids(lines: Iterable[StatementLine]) -> list[str]:
    """A stable identity per statement line (see the module docstring)."""
    seen: Counter[str] = Counter()
    ids = []
    for line in lines:
        if line.bank_id:
            ids.append(f"bank:{line.bank_id}")
            continue
        content = "\x1f".join(
            (
                str(line.date),
                str(line.amount.number),
                line.amount.currency,
                line.payee,
                line.memo,
                line.reference or "",
            )
        )
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
        seen[digest] += 1
        ids.append(f"row:{digest}:{seen[digest]}")
    return ids


def _line_item(key: int, line: StatementLine) -> Item:
    return Item(
        key,
        line.date,
        line.amount.number,
        line.amount.currency,
        f"{line.payee} {line.memo}".strip(),
        frozenset(r for r in (line.reference, line.bank_id) if r),
        "check" if line.reference and line.reference.isdigit() else "",
    )


def _posting_item(key: int, entry: data.Transaction, posting: data.Posting) -> Item:
    refs = frozenset(str(entry.meta[k]) for k in ("check", "reference") if k in entry.meta)
    text = " ".join(t for t in (entry.payee, entry.narration) if t)
    kind = "check" if "check" in entry.meta else ""
    return Item(key, entry.date, posting.units.number, posting.units.currency, text, refs, kind)


def plan_import(
    books: Books,
    statement: Statement,
    params: MatchParams = MATCH_PARAMS,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Decide which lines of `statement` are new, categorize them, and build their entries."""
    settings = books.settings
    account = statement.account
    if account not in books.ledger.opened:
        raise BadInputError(f"--account {account}: the ledger never opens this account")
    uncategorized = next(iter(settings.accounts_with_role("uncategorized")), None)

    imported: dict[str, data.Transaction] = {}
    typed: list[tuple[data.Transaction, data.Posting]] = []
    low = statement.start - timedelta(days=params.check_date_window)
    high = statement.end + timedelta(days=params.check_date_window)
    transaction = data.Transaction
    for entry in books.ledger.entries:  # 100,000s of entries: keep this loop plain
        if type(entry) is not transaction:
            continue
        meta = entry.meta
        if ID_KEY in meta:
            imported[str(meta[ID_KEY])] = entry
        elif low <= entry.date <= high:
            for posting in entry.postings:
                if posting.account == account:
                    typed.append((entry, posting))

    ids = line_ids(statement.lines)
    present: list[Present] = []
    fresh: list[tuple[str, StatementLine]] = []
    for line_id, line in zip(ids, statement.lines, strict=True):
        if line_id in imported:
            reason = f"imported before ({ID_KEY} {line_id})"
            source = Source.from_meta(imported[line_id].meta)
            present.append(Present(line, (source,), (reason,), "imported"))
        else:
            fresh.append((line_id, line))
    if progress:
        progress(len(present))

    result = match_items(
        [_line_item(i, line) for i, (_, line) in enumerate(fresh)],
        [_posting_item(j, e, p) for j, (e, p) in enumerate(typed)],
        params,
        labels=("statement line", "entry"),
        explain=False,
    )
    held: set[int] = set()
    for match in result.matches:
        sources = tuple(Source.from_meta(typed[item.key][0].meta) for item in match.right)
        for item in match.left:
            held.add(item.key)
            present.append(
                Present(fresh[item.key][1], sources, ("typed by hand", *match.reasons), "typed")
            )
    near = {
        miss.left.key: (Source.from_meta(typed[miss.right.key][0].meta), miss.reasons)
        for miss in result.near_misses
    }

    rules = RuleBook(settings.rules)
    added: list[Added] = []
    for i, (line_id, line) in enumerate(fresh):
        if progress:
            progress(1)
        if i in held:
            continue
        rule = rules.first_match(account, line.payee, line.memo, line.amount.number)
        if rule is None and uncategorized is None:
            raise BadInputError(
                "no rule categorizes this line, and no account in bo.yaml has the role "
                "`uncategorized` to hold it",
                line.source,
            )
        entry = build_entry(books.root, line, line_id, rule, uncategorized)
        added.append(Added(line, line_id, entry, rule.name if rule else NO_RULE, near.get(i)))
    present.sort(key=lambda p: (p.line.date, p.line.source.lineno or 0))
    return ImportPlan(statement, tuple(added), tuple(present))


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
            # The cleaned-up payee replaces the bank's text, which stays as the narration.
            payee, narration = rule.set.payee, line.payee
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


def account_slug(account: str) -> str:
    """`Assets:Bank:Checking` -> `assets-bank-checking`, a folder name."""
    return account.replace(":", "-").lower()


def import_files(books: Books, plan: ImportPlan) -> dict[Path, str]:
    """The new text of every file the import writes. Entries are appended, never rewritten."""
    folder = books.ledger_path.parent / IMPORTS_DIR / account_slug(plan.statement.account)
    by_month: dict[Path, list[data.Transaction]] = defaultdict(list)
    for added in plan.added:
        by_month[folder / f"{added.entry.date:%Y-%m}.beancount"].append(added.entry)
    header = (
        f"; Entries imported by `bo import` from {plan.statement.account} statements.\n"
        "; bo appends here and never rewrites what is written; recategorize freely, but keep\n"
        f"; each entry's {ID_KEY}: it is how bo knows the statement line is in the books."
    )
    texts: dict[Path, str] = {}
    for path, entries in sorted(by_month.items()):
        old = path.read_text(encoding="utf-8") if path.exists() else None
        entries.sort(key=lambda e: e.date)
        texts[path] = append_entries(old, header, (format_transaction(e) for e in entries))
    return texts


def include_text(books: Books) -> str | None:
    """The main ledger with the imports include added, or None when it is there already."""
    main = books.ledger_path
    text = main.read_text(encoding="utf-8")
    if any(line.strip() == INCLUDE_LINE for line in text.splitlines()):
        return None
    return text.rstrip("\n") + f"\n\n; Statement lines imported by `bo import`.\n{INCLUDE_LINE}\n"
