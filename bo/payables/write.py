"""Append bo's payables and receivables entries to month files in ledgers/ap-ar/, include
them once, check they read back, and commit them in git.

One folder with one include keeps the main ledger's edits to a single line; the file name
says what it holds (`bills-2026-11.beancount`, `payments-2026-12.beancount`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from beancount.core import data
from beancount.parser import parser

from bo.beanfile import append_entries, format_transaction, quote
from bo.books import Books
from bo.close.journal import Commit, commit_writes
from bo.close.locks import lock_violations
from bo.errors import BadInputError, RefusedError
from bo.imports import _not_postable
from bo.io import check_inside

FOLDER = "ap-ar"
INCLUDE_LINE = f'include "{FOLDER}/*.beancount"'
HEADER = (
    "; Written by bo ({kind}). bo appends here and never rewrites what is written;\n"
    "; correct an entry with a new one (a credit note, a reversal), not by editing it."
)


def entry_text(entry: data.Directive) -> str:
    """Beancount text of a transaction or of a `custom` directive bo writes."""
    if isinstance(entry, data.Custom):
        values = " ".join(quote(str(v.value)) for v in entry.values)
        return f"{entry.date} custom {quote(entry.type)} {values}\n"
    return format_transaction(entry)


def planned_files(books: Books, kind: str, entries: Sequence[data.Directive]) -> dict[Path, str]:
    """The new text of each month file of `kind` that gets `entries` (appended, in date order)."""
    folder = books.ledger_path.parent / FOLDER
    months: dict[Path, list[data.Directive]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.date):
        months[folder / f"{kind}-{entry.date:%Y-%m}.beancount"].append(entry)
    texts = {}
    for path, items in sorted(months.items()):
        old = path.read_text(encoding="utf-8") if path.exists() else None
        texts[path] = append_entries(old, HEADER.format(kind=kind), map(entry_text, items))
    return texts


def check_entries(books: Books, entries: Sequence[data.Directive]) -> None:
    """Refuse what beancount or the close would refuse, before anything is written: text that
    does not read back, an account not open or not in its currency (exit 2), an entry in a
    locked period (exit 3)."""
    text = "\n".join(entry_text(e) for e in entries)
    parsed, errors, _ = parser.parse_string(text)
    if errors or len(parsed) != len(entries):
        message = errors[0].message if errors else "it does not read back"
        raise BadInputError(f"bo would write an entry beancount cannot read ({message})")
    opened, closed = books.ledger.opened, books.ledger.closed
    for entry in entries:
        for posting in getattr(entry, "postings", ()):
            problem = _not_postable(
                opened.get(posting.account), closed.get(posting.account), entry.date, posting
            )
            if problem:
                raise BadInputError(f"{entry.date} {entry.payee or ''}: {problem}".strip())
    months = {(e.date.year, e.date.month) for e in entries}
    nearby = [e for e in books.ledger.entries if (e.date.year, e.date.month) in months]
    mine = {id(e) for e in entries}
    for finding in lock_violations([*nearby, *entries], books.root):
        if finding.entry is not None and id(finding.entry) in mine:
            period = f"{finding.entry.date:%Y-%m}"
            raise RefusedError(
                f"{period} is closed and locked; nothing was written "
                f"(bo reopen {period} --reason ... to book into it)"
            )


def write_entries(
    books: Books, kind: str, entries: Sequence[data.Directive], subject: str, command: str
) -> list[Path]:
    """Check, append and (in git) commit `entries`; the caller holds the books lock.

    The month files first, the include last: a glob that matches no file is an error in
    beancount, and a run cut off between the two is repaired by the next.
    """
    check_entries(books, entries)
    files = planned_files(books, kind, entries)
    return write_files(books, files, subject, command)


def write_files(books: Books, files: dict[Path, str], subject: str, command: str) -> list[Path]:
    """Write `files` and the include when missing, and commit them, through the close's
    journal: a run cut off or a commit a hook refuses leaves the books as they were."""
    writes = dict(files)
    main = books.ledger_path
    text = main.read_text(encoding="utf-8")
    if not any(line.strip() == INCLUDE_LINE for line in text.splitlines()):
        writes[main] = (
            text.rstrip("\n") + f"\n\n; Bills, invoices and payments bo writes.\n{INCLUDE_LINE}\n"
        )
    for path in writes:
        check_inside(books.root, path)  # a symlink must not lead bo's writes out of the books
    commit_writes(books.root, writes, Commit(subject, command))
    return list(writes)
