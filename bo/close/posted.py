"""The ledger as the close leaves it: the entries its actions post, merged in without parsing
the ledger again, and kept in bo's cache once they are on disk when that is exactly what
beancount would load.

A close parses the ledger at most once. While it runs, the entries an action posts are parsed
from the text it will write and merged in date order (`with_posted`). Once written, the merged
ledger is what a fresh load of the files would give when the posted entries are plain,
balanced transactions appended to files, in accounts no later balance assertion or pad looks
at, and the ledger runs no plugin but bo's lock (`exact_merge`); then it goes into bo's
ledger cache under the files' new digests, and the pre-commit hook's `bo check` finds it.
Otherwise the next command parses the files, as it would have.
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo.books import Books, Ledger, as_finding, ledger_inputs, store_ledger

if TYPE_CHECKING:
    from beancount.core import data

# Plugins that never change the entries bo posts: bo's own lock (which only reports).
SAFE_PLUGINS = frozenset({"bo.plugins.lock"})


def with_posted(books: Books, writes: dict[Path, str]) -> tuple[Books, list[data.Directive]]:
    """The books with the entries an action is about to write, without parsing the ledger
    again (the files are not on disk yet).

    Actions append plain two-posting entries to bo's own files; those files are parsed on
    their own and merged in date order. Until they are written, the books read no cache (its
    keys are the files on disk); `settled` makes them ordinary again afterwards. Returns the
    books and the entries added.
    """
    from beancount.core import data
    from beancount.parser import parser

    ledger = books.ledger
    added: list[data.Directive] = []
    for path, text in writes.items():
        if path.suffix != ".beancount":
            continue
        entries, errors, _ = parser.parse_string(text, report_filename=str(path))
        if errors:
            raise AssertionError(f"bo wrote entries beancount cannot parse into {path}")
        have = {_identity(e) for e in ledger.entries if _from(e, path)}
        added += [e for e in entries if _identity(e) not in have]
    # The ledger is sorted (beancount sorts what it loads): each posted entry goes in after
    # its equals, where a stable sort of the whole list would put it, without sorting it.
    merged = list(ledger.entries)
    for entry in sorted(added, key=data.entry_sortkey):
        bisect.insort_right(merged, entry, key=data.entry_sortkey)
    # A newly created file joins the list of inputs, so results cached over this ledger are
    # keyed on its content too.
    files = list(ledger.files)
    files += [str(p.resolve()) for p in writes if p.suffix == ".beancount"]
    files = list(dict.fromkeys(files))
    options = {**ledger.options, "include": files}
    posted = Books(books.root, books.settings, use_cache=False)
    posted._ledger = Ledger(merged, ledger.errors, options, inputs={})
    return posted, added


def settled(books: Books, use_cache: bool) -> Books:
    """The same books once every pending file is on disk: their inputs hashed again."""
    ledger = books.ledger
    again = Books(books.root, books.settings, use_cache)
    again._ledger = replace(ledger, inputs=ledger_inputs(ledger.files, books.root.resolve()))
    return again


def keep_in_cache(
    books: Books, posted: list[data.Directive], rewritten: dict[Path, tuple[str | None, str]]
) -> bool:
    """Put the ledger of settled `books` into bo's cache when a fresh load of its files gives
    exactly the same; True when it did. `posted` are the entries the close added, `rewritten`
    each ledger file it wrote (its text before, None when new, and after). Findings beancount's
    validation would make of the posted entries join the ledger's errors."""
    ledger = books.ledger
    if not ledger.inputs or not books.use_cache or not exact_merge(ledger, posted, rewritten):
        return False
    books._ledger = replace(ledger, errors=[*ledger.errors, *_validate(ledger, posted)])
    store_ledger(books.root.resolve(), books._ledger)
    return True


def exact_merge(
    ledger: Ledger, posted: list[data.Directive], rewritten: dict[Path, tuple[str | None, str]]
) -> bool:
    """Whether `ledger`, with `posted` merged in, is what beancount loads from the files."""
    from beancount.core import data

    plugins = {name for name, _ in ledger.options.get("plugin", [])}
    if not plugins <= SAFE_PLUGINS:
        return False  # another plugin might have transformed what bo posted
    for path, (before, after) in rewritten.items():
        # Appended text leaves every earlier line where it was; text put before them (the lock
        # plugin's line at the top) moves the lines the merged entries point at.
        moved = before is not None and not after.startswith(before)
        if moved and any(_from(e, path) for e in ledger.entries):
            return False
    if not posted:
        return True
    for entry in posted:
        if not isinstance(entry, data.Transaction):
            return False
        for posting in entry.postings:
            if posting.units is None or posting.cost is not None or posting.price is not None:
                return False  # booking would have more to do than take it as written
    touched = {p.account for entry in posted for p in entry.postings}
    first = min(entry.date for entry in posted)
    for entry in ledger.entries:
        # A balance assertion or a pad on or after the first posted entry, on an account
        # posted to or a parent of one, would come out differently.
        if isinstance(entry, data.Balance | data.Pad) and entry.date >= first:
            account = entry.account
            if any(a == account or a.startswith(account + ":") for a in touched):
                return False
    return True


def _validate(ledger: Ledger, posted: list[data.Directive]) -> list[Any]:
    """What beancount's validation says of the posted entries: accounts open on their dates,
    currencies allowed, transactions balanced."""
    from beancount.core import data
    from beancount.ops import validation
    from beancount.parser import booking

    booked, errors = booking.book(list(posted), ledger.options)
    opened = [e for e in ledger.entries if isinstance(e, data.Open | data.Close)]
    subset = sorted([*opened, *booked], key=data.entry_sortkey)
    errors += validation.validate_active_accounts(subset, ledger.options)
    errors += validation.validate_currency_constraints(subset, ledger.options)
    errors += validation.validate_check_transaction_balances(booked, ledger.options)
    return [as_finding(error) for error in errors]


def _identity(entry: Any) -> tuple:
    meta = getattr(entry, "meta", None) or {}
    own = tuple(sorted((k, str(v)) for k, v in meta.items() if k not in ("filename", "lineno")))
    return (entry.date, getattr(entry, "narration", None), own)


def _from(entry: Any, path: Path) -> bool:
    return str(getattr(entry, "meta", {}).get("filename", "")) == str(path)
